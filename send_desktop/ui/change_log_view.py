"""The Change log area: who changed what and when, newest first, with a text filter.

The model holds plain `ChangeRow`s pushed in by the view (fetched by `services.change_log`) and
never touches the database. Filtering narrows a Python list and resets the model, which stays
fast for the few thousand rows shown.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget,
)

from send_desktop.core.lazy import lazy_module

# The change log is read through SQLAlchemy, which loads after the first paint.
change_log = lazy_module("send_desktop.services.change_log")

COL_WHEN, COL_WHO, COL_SOURCE, COL_WHAT, COL_CHANGE, COL_OLD, COL_NEW = range(7)
HEADERS = ("When", "Who", "Source", "What", "Change", "Before", "After")
WIDTHS = (140, 130, 130, 230, 130)  # Before and After share the rest
ROW_LIMIT = 2000
_FIELD_NAMES = {"level_id": "Status", "workstream_id": "Workstream", "outcome_id": "Moved to outcome",
                "priority_id": "Moved to priority", "scale_id": "Rating scale", "cyp": "CYP"}


def field_label(row: change_log.ChangeRow) -> str:
    if row.op == "insert":
        return "Created"
    if row.op == "delete":
        return "Deleted"
    name = _FIELD_NAMES.get(row.field) or row.field.replace("_", " ").strip()
    return name[:1].upper() + name[1:]


def cell_text(row: change_log.ChangeRow, column: int) -> str:
    if column == COL_WHEN:
        return f"{row.at:%d %b %Y %H:%M}" if row.at else ""
    if column == COL_WHO:
        return row.user
    if column == COL_SOURCE:
        return row.source
    if column == COL_WHAT:
        return row.what
    if column == COL_CHANGE:
        return field_label(row)
    if column == COL_OLD:
        return row.old
    if column == COL_NEW:
        return row.new
    return ""


class ChangeLogModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._all: list[tuple[change_log.ChangeRow, str]] = []
        self._rows: list[change_log.ChangeRow] = []
        self._words: list[str] = []

    def set_rows(self, rows: list[change_log.ChangeRow]) -> None:
        self.beginResetModel()
        self._all = [(r, " ".join(cell_text(r, c) for c in range(len(HEADERS))).casefold()) for r in rows]
        self._apply()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        words = text.casefold().split()
        if words == self._words:
            return
        self.beginResetModel()
        self._words = words
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        self._rows = [r for r, hay in self._all if all(w in hay for w in self._words)]

    def total(self) -> int:
        return len(self._all)

    def row(self, index: int) -> change_log.ChangeRow:
        return self._rows[index]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt names
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (COL_WHAT, COL_OLD, COL_NEW, COL_SOURCE):
            text = cell_text(row, index.column())
            return text or None
        if role == Qt.ItemDataRole.FontRole and index.column() == COL_CHANGE and row.op != "update":
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None


class ChangeLogView(QWidget):
    """The area itself. `reload()` fetches again; call it when the area is shown after changes."""

    def __init__(self, db=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.model = ChangeLogModel(self)

        title = QLabel("Change log")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        self.count_label = QLabel()
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by person, reference, field or text…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(320)
        self.filter_edit.setAccessibleName("Filter the change log")
        self.filter_edit.textChanged.connect(self._filter)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        for column, width in enumerate(WIDTHS):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.filter_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        if db is not None:
            self.reload()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._share_width()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        self._share_width()

    def _share_width(self) -> None:
        """Before and After share what the fixed columns leave."""
        rest = self.table.viewport().width() - sum(WIDTHS)
        self.table.horizontalHeader().resizeSection(COL_OLD, max(160, rest // 2))

    def set_database(self, db) -> None:
        self.db = db
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(change_log.recent_changes(self.db, limit=ROW_LIMIT) if self.db is not None else [])
        self._show_count()

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        self._show_count()

    def _show_count(self) -> None:
        total, shown = self.model.total(), self.model.rowCount()
        limit = f" (the most recent {ROW_LIMIT:,})" if total >= ROW_LIMIT else ""
        if shown == total:
            self.count_label.setText(f"{total:,} changes{limit}, newest first")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} changes{limit} match the filter")
