"""The improvement actions of an audit, as stored: one per criterion rated below "met".

The services raise and remove actions as ratings change (`apply_grading`), so this table shows
what the database holds after each autosave; its text, owner, due date and status are edited in
place (F2 or typing, as in any table) and each edit is saved at once with `update_action`.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QStyledItemDelegate, QTableView

from send_desktop.services.audit_read import ActionRecord

ACTION_COLUMNS = ("Criterion", "Improvement action", "Owner", "Due", "Status")
COL_CRITERION, COL_TEXT, COL_OWNER, COL_DUE, COL_STATUS = range(len(ACTION_COLUMNS))
FIELDS = {COL_TEXT: "text", COL_OWNER: "owner_type", COL_DUE: "due_date", COL_STATUS: "status"}
STATUS_WORDS = {"open": "Open", "done": "Done"}


def _day(d: dt.date | None) -> str:
    return f"{d.day} {d:%b %Y}" if d else ""


class ActionsModel(QAbstractTableModel):
    """`save(action_id, {field: value})` stores an edit and returns whether it was saved."""

    def __init__(self, save: Callable[[int, dict], bool] | None = None, parent=None):
        super().__init__(parent)
        self.save = save
        self.rows: list[ActionRecord] = []
        self.read_only = True

    def set_actions(self, actions: list[ActionRecord], read_only: bool) -> None:
        self.beginResetModel()
        self.rows, self.read_only = list(actions), read_only
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(ACTION_COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(ACTION_COLUMNS):
            return ACTION_COLUMNS[section]
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only and index.column() in FIELDS:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        a, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (a.criterion_id, a.text, a.owner_type, _day(a.due_date),
                    STATUS_WORDS.get(a.status, a.status))[col]
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_DUE:
                return QDate(a.due_date) if a.due_date else QDate.currentDate()
            return {COL_TEXT: a.text, COL_OWNER: a.owner_type, COL_STATUS: a.status}.get(col)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_TEXT:
            return a.text + ("\n(edited by hand: kept even if the rating rises)" if a.edited else "")
        return None

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in FIELDS:
            return False
        field = FIELDS[index.column()]
        if isinstance(value, QDate):
            value = value.toPython()
        elif isinstance(value, str):
            value = value.strip()
            if field == "text" and not value:
                return False  # an action with no words helps nobody; keep what it said
        a = self.rows[index.row()]
        if getattr(a, field) == value or self.save is None or not self.save(a.id, {field: value}):
            return False
        self.rows[index.row()] = a._replace(**{field: value}, edited=a.edited or field != "status")
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(ACTION_COLUMNS) - 1))
        return True


class StatusDelegate(QStyledItemDelegate):
    """Open or done, from a list, never typed."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt's name
        combo = QComboBox(parent)
        for key, words in STATUS_WORDS.items():
            combo.addItem(words, key)
        return combo

    def setEditorData(self, editor: QComboBox, index) -> None:  # noqa: N802 - Qt's name
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QComboBox, model, index) -> None:  # noqa: N802 - Qt's name
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ActionsTable(QTableView):
    def __init__(self, model: ActionsModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegateForColumn(COL_STATUS, StatusDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setWordWrap(True)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(COL_CRITERION, metrics.horizontalAdvance("ADV-HEALTH1") + 20)
        header.resizeSection(COL_OWNER, metrics.horizontalAdvance("SEND team manager") + 20)
        header.resizeSection(COL_DUE, metrics.horizontalAdvance("30 Sep 2026") + 30)
        header.resizeSection(COL_STATUS, metrics.horizontalAdvance("Done") + 50)
        model.modelReset.connect(self.resizeRowsToContents)
        model.dataChanged.connect(lambda *_: self.resizeRowsToContents())
