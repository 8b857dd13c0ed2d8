"""Table models of the Meetings area: plain tuples in, never the database.

`RowTableModel` holds a list of named tuples and a column spec; sorting sorts the Python list
and resets (PERFORMANCE.md: a proxy sort is two orders of magnitude slower), so the tracker
over 5,000 actions paints and sorts in tens of milliseconds.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from send_desktop.services.meeting_read import ActionRow, AttendanceRow

ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_FG = QColor("#9c0006")
OVERDUE_BG = QColor("#fde2e4")
STATUS_COLOURS = {"open": "#ffffff", "in progress": "#fff2c2", "closed": "#d8f0dc", "superseded": "#e6e6e6",
                  "planned": "#e8f0fe", "held": "#fff2c2", "minutes approved": "#d8f0dc"}


def day(value: dt.date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


_ROLES = frozenset((Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole,
                    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.UserRole + 1))


class Column(NamedTuple):
    title: str
    text: Callable          # row -> display text
    sort: Callable | None = None  # row -> sort key (defaults to the text)
    tip: Callable | None = None   # row -> tooltip
    editable: bool = False


class RowTableModel(QAbstractTableModel):
    """A read-mostly table of tuples. `edited(row, column, value)` is called for editable cells;
    it returns True when the change was made (the owner then reloads the rows)."""

    def __init__(self, columns: list[Column], parent=None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list = []
        self.edited: Callable | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, index: QModelIndex):
        return self.rows[index.row()] if index.isValid() and 0 <= index.row() < len(self.rows) else None

    def row_of_id(self, row_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == row_id), -1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and \
                0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].editable and self.edited is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES:  # most of what a view asks per cell: answered before any work
            return None
        row = self.row_at(index)
        if row is None:
            return None
        col = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return col.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tip(row) if col.tip else None
        if role == ID_ROLE:
            return row.id
        return self.style(row, col, role)

    def style(self, row, col: Column, role):
        """Colours and fonts by row; the default has none."""
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        row = self.row_at(index)
        if row is None or role != Qt.ItemDataRole.EditRole or self.edited is None:
            return False
        return bool(self.edited(row, self.columns[index.column()], value))

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].sort or self.columns[column].text

        def blanks_last(row):
            value = key(row)
            return (value is None or value == "", value if value is not None else "")

        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [(p, self.rows[p.row()]) for p in persistent]
        self.rows.sort(key=blanks_last, reverse=order == Qt.SortOrder.DescendingOrder)
        where = {id(r): i for i, r in enumerate(self.rows)}
        self.changePersistentIndexList(persistent, [self.index(where[id(r)], p.column()) for p, r in before])
        self.layoutChanged.emit()


def _status(row) -> str:
    return row.status.capitalize()


class ActionModel(RowTableModel):
    """Meeting actions: overdue ones in red, statuses tinted, the status column editable."""

    def __init__(self, parent=None, with_board: bool = True, with_meeting: bool = True):
        cols = []
        if with_board:
            cols.append(Column("Board", lambda r: r.board))
        if with_meeting:
            cols.append(Column("Meeting", lambda r: day(r.meeting_date), sort=lambda r: r.meeting_date))
        cols += [
            Column("No.", lambda r: str(r.number), sort=lambda r: r.number),
            Column("Action", lambda r: r.text, tip=lambda r: r.text),
            Column("Owner", lambda r: r.owner),
            Column("Due", lambda r: ("\u26a0 " if r.overdue else "") + day(r.due_date), sort=lambda r: r.due_date,
                   tip=lambda r: "Overdue: the due date has passed and the action is still open" if r.overdue else None),
            Column("Status", _status, sort=lambda r: r.status, editable=True),
            Column("Latest update", lambda r: (f"{day(r.updated_on)}: " if r.updated_on else "") + r.latest_update,
                   sort=lambda r: r.updated_on, tip=lambda r: r.latest_update or None),
        ]
        super().__init__(cols, parent)

    def style(self, row: ActionRow, col: Column, role):
        if col.title == "Due" and row.overdue:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(OVERDUE_FG)
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            if col.title == "Status":
                return QBrush(QColor(STATUS_COLOURS[row.status]))
            if row.overdue and col.title == "Due":
                return QBrush(OVERDUE_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.title == "No.":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AttendanceModel(RowTableModel):
    KIND_LABELS = {"present": "Present", "apologies": "Apologies", "deputising": "Deputising",
                   "in attendance": "In attendance"}

    def __init__(self, parent=None):
        super().__init__([
            Column("Name", lambda r: r.name),
            Column("Role", lambda r: r.role, tip=lambda r: r.role or None),
            Column("Organisation", lambda r: r.organisation, tip=lambda r: r.organisation or None),
            Column("Attendance", lambda r: self.KIND_LABELS.get(r.kind, r.kind), sort=lambda r: r.kind, editable=True),
            Column("Deputising for", lambda r: r.deputising_for),
        ], parent)

    def style(self, row: AttendanceRow, col: Column, role):
        if role == Qt.ItemDataRole.ForegroundRole and row.kind == "apologies":
            return QBrush(QColor("#6b6b6b"))
        return None

