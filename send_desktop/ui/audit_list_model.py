"""The audit list's table model: every matching id in memory, row values fetched a page at a time.

A region's database holds 100,000 audits, so the model keeps only ids (one indexed query,
`audit_ids`) and asks `audit_rows` for the page a row is on the first time the view paints it,
as Anki's browser does. Pages are kept in a small LRU, so scrolling back is free and memory stays
flat however far the user scrolls. Sorting and filtering re-run the id query in the order asked
(ORDER BY in SQLite) and reset the model: cheaper than any proxy model at this size
(PERFORMANCE.md: 32 ms against 7.5 s for QSortFilterProxyModel).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication

from send_desktop.services.audit_read import LIST_COLUMNS, AuditListRow, audit_ids, audit_rows
from send_desktop.ui.audit_form_state import grade_colour
from send_desktop.ui.widgets import swatch_icon

COLUMNS = ("Plan ref", "Audit date", "Team", "Plan type", "Auditor", "Agency", "Status", "Score", "Grade",
           "Reported grade")
(COL_REF, COL_DATE, COL_TEAM, COL_TYPE, COL_AUDITOR, COL_AGENCY, COL_STATUS, COL_SCORE, COL_GRADE,
 COL_REPORTED) = range(len(COLUMNS))
PAGE_SIZE = 200
MAX_PAGES = 64  # 12,800 rows held at most, whatever the user scrolls through

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ANSWERED = frozenset((_DISPLAY, _TOOLTIP, _ALIGN, _DECORATION, _FOREGROUND, _FONT))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_MUTED = QColor("#6b6b6b")
_GRADED = (COL_GRADE, COL_REPORTED)
_BLANK = ("",) * len(COLUMNS)
_STATUS_WORDS = {"draft": "Draft", "submitted": "Submitted", "moderated": "Moderated"}
HIDDEN = "Hidden"  # a grade withheld from its blind moderator until the moderation is complete
_TIPPED = (COL_TEAM, COL_AUDITOR, COL_AGENCY)  # long enough to be cut short: the tooltip has them whole


_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PLAN_TYPES: dict[str, str] = {}  # "annual review" -> "Annual review", worked out once a value


def day_text(day) -> str:
    """12 Jun 2026 (built by hand: strftime is the slowest part of preparing a page of rows)."""
    return f"{day.day} {_MONTHS[day.month]} {day.year}" if day else ""


def month_text(month: str) -> str:
    """"2026-06" as "June 2026"."""
    import datetime as dt

    try:
        return f"{dt.date(int(month[:4]), int(month[5:7]), 1):%B %Y}"
    except (ValueError, IndexError):
        return month


class AuditQuery(NamedTuple):
    """What the filter bar asks for; "" means any."""

    search: str = ""
    status: str = ""
    team: str = ""
    auditor: str = ""
    grade: str = ""  # the reported grade, the one reports count
    month: str = ""  # "YYYY-MM"

    def filters(self) -> dict:
        return {"status": self.status, "team": self.team, "auditor": self.auditor,
                "reported_grade": self.grade, "month": self.month}

    def is_active(self) -> bool:
        return bool(self.search.strip()) or any(self[1:])


def _cells(r: AuditListRow) -> tuple[str, ...]:
    plan_type = _PLAN_TYPES.get(r.plan_type)
    if plan_type is None:
        plan_type = _PLAN_TYPES[r.plan_type] = r.plan_type[:1].upper() + r.plan_type[1:]
    if r.blinded:  # the viewer moderates this audit blind: the first auditor's result stays unseen
        return (r.plan_ref, day_text(r.audit_date), r.team, plan_type, r.auditor, r.agency,
                _STATUS_WORDS.get(r.status, r.status), "", HIDDEN, HIDDEN)
    return (r.plan_ref, day_text(r.audit_date), r.team, plan_type, r.auditor, r.agency, _STATUS_WORDS.get(
        r.status, r.status), "" if r.score is None else f"{r.score:.1f}", r.grade, r.reported_grade)


class AuditListModel(QAbstractTableModel):
    def __init__(self, parent=None, page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self.db = None
        self.page_size = page_size
        self.query = AuditQuery()
        self.order_by, self.descending = "audit_date", True
        self.ids: list[int] = []
        self._pages: OrderedDict[int, tuple[tuple[AuditListRow | None, tuple[str, ...]], ...]] = OrderedDict()
        self._row_of: dict[int, int] | None = None
        self._last_base, self._last_rows = 0, None  # the page most recently asked for
        self.fetched_pages: list[int] = []  # every page fetched since the last reset, in order (tests, bench)
        self._bold = QFont(QApplication.font())
        self._bold.setBold(True)

    # -- what the view sets --------------------------------------------------------------------

    @property
    def viewer(self) -> str | None:
        """Who is looking (the file's user): a blind moderator is not shown the audits' grades."""
        return getattr(self.db, "user", None) or None

    def set_database(self, db) -> None:
        self.db = db
        self.reload()

    def set_query(self, query: AuditQuery) -> None:
        self.query = query
        self.reload()

    def reload(self) -> None:
        """Re-run the id query (after a filter, a sort, an edit) and forget the fetched rows."""
        ids = [] if self.db is None else audit_ids(self.db, self.query.filters(), self.query.search,
                                                    self.order_by, self.descending, viewer=self.viewer)
        self.beginResetModel()
        self.ids = ids
        self._pages.clear()
        self._row_of = None
        self._last_rows = None
        self.fetched_pages = []
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        order_by, descending = LIST_COLUMNS[column], order == Qt.SortOrder.DescendingOrder
        if (order_by, descending) == (self.order_by, self.descending) and self.ids:
            return
        self.order_by, self.descending = order_by, descending
        self.reload()

    def forget_rows(self) -> None:
        """The ids still hold but their values may have changed (an audit was edited)."""
        self._pages.clear()
        self._last_rows = None
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(COLUMNS) - 1))

    # -- what the view asks --------------------------------------------------------------------

    def audit_id(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of(self, audit_id: int | None) -> int:
        if audit_id is None:
            return -1
        if self._row_of is None:  # built on first use: 100k entries take a few milliseconds
            self._row_of = {i: r for r, i in enumerate(self.ids)}
        return self._row_of.get(audit_id, -1)

    def row_values(self, row: int) -> AuditListRow | None:
        return self._entry(row)[0] if 0 <= row < len(self.ids) else None

    def _entry(self, row: int):
        """(values, cells, {(role, column): value}) of a row, fetching its page if needed."""
        offset = row - self._last_base
        if 0 <= offset < self.page_size and self._last_rows is not None:  # the page being painted
            return self._last_rows[offset]
        page = row // self.page_size
        rows = self._pages.get(page)
        if rows is None:
            rows = self._fetch(page)
        else:
            self._pages.move_to_end(page)
        self._last_base, self._last_rows = page * self.page_size, rows
        return rows[row - self._last_base]

    def _fetch(self, page: int):
        ids = self.ids[page * self.page_size:(page + 1) * self.page_size]
        found = audit_rows(self.db, ids, viewer=self.viewer) if self.db is not None else {}
        rows = tuple(self._prepared(found.get(i)) for i in ids)
        self._pages[page] = rows
        self.fetched_pages.append(page)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return rows

    def _prepared(self, r: AuditListRow | None):
        """What painting asks of a row beyond its words, worked out once: `data` is then a lookup.
        (Tooltips, asked only on hover, are worked out in `data`.)"""
        if r is None:
            return None, _BLANK, {}
        cells = _cells(r)
        extra = {}
        if r.blinded:
            return r, cells, {(_FOREGROUND, COL_GRADE): _MUTED, (_FOREGROUND, COL_REPORTED): _MUTED}
        for col in _GRADED:
            if cells[col]:
                extra[(_DECORATION, col)] = swatch_icon(grade_colour(cells[col]))
        if r.reported_grade != r.grade:  # moderated to another grade: shown in bold, said in the tooltip
            extra[(_FONT, COL_REPORTED)] = self._bold
        if r.status == "draft":
            extra[(_FOREGROUND, COL_STATUS)] = _MUTED
        return r, cells, extra

    def _tooltip(self, row: int, col: int) -> str | None:
        r, cells, _extra = self._entry(row)
        if r is None:
            return "This audit has been deleted; reload the list (F5)"
        if col in _TIPPED:
            return cells[col] or None
        if r.blinded and col in (COL_SCORE, COL_GRADE, COL_REPORTED):
            return "You are moderating this audit blind: its score and grade show once your moderation is complete"
        if col == COL_REPORTED and r.reported_grade != r.grade:
            return f"Moderated: {r.reported_grade} (the auditor's grade was {r.grade})"
        if col == COL_SCORE and r.score is None:
            return "Not graded: too little of the plan applies"
        return None

    # -- QAbstractTableModel -------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return {COL_GRADE: "The grade of the auditor's own scoring",
                    COL_REPORTED: "The grade reports count: the moderated grade once moderated, else the grade",
                    COL_SCORE: "Overall score, 0 to 100 (none when too little of the plan applies)"}.get(section)
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        # Called for 7 roles of every cell painted (2,000 calls a screen): each answer is a lookup
        # in what `_prepared` worked out when the page was fetched.
        if role not in _ANSWERED:
            return None
        row = index.row()
        if row < 0:
            return None
        if role == _DISPLAY:
            return self._entry(row)[1][index.column()]
        if role == _ALIGN:
            return _RIGHT if index.column() == COL_SCORE else None
        if role == _TOOLTIP:
            return self._tooltip(row, index.column())
        return self._entry(row)[2].get((role, index.column()))
