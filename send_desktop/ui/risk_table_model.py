"""The register as a flat table over `RiskRow`s, for `RiskRegisterView`.

The model never touches the database: the view hands it the rows that pass the filter. Each
row's cells are worked out once when rows are set (a few milliseconds for 1,000 risks), so
painting only looks them up. Sorting sorts the Python list and resets the model, which is far
faster than a sort proxy (shared/PERFORMANCE.md).

Colour never stands alone: the score cell carries its band's name, the trend an arrow and a
word, an overdue review a warning sign and the word in its tooltip and accessible text.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication

from send_desktop.core.refs import ref_sort_key
from send_desktop.core.risk_matrix import RiskMatrix, trend_text
from send_desktop.services.risk_read import RiskRow
from send_desktop.ui.widgets import swatch_icon

COLUMNS = ("Ref", "Risk", "Category", "Owner", "L \u00d7 I", "Score", "Inherent", "Target", "Trend",
           "Next review", "Status", "Flags")
(COL_REF, COL_TITLE, COL_CATEGORY, COL_OWNER, COL_LI, COL_SCORE, COL_INHERENT, COL_TARGET, COL_TREND,
 COL_NEXT_REVIEW, COL_STATUS, COL_FLAGS) = range(len(COLUMNS))

RISK_ID_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)

OVERDUE_RED = QColor("#b3261e")
WORSE = QColor("#9c1c15")
BETTER = QColor("#1d6b3a")
MUTED = QColor("#6b6b6b")
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def short_date(day: dt.date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else ""


def score_text(score: int, band_name: str) -> str:
    return f"{score}  {band_name}"


def _sort_key(column: int):
    keys = {
        COL_REF: lambda r: ref_sort_key(r.ref),
        COL_TITLE: lambda r: r.title.casefold(),
        COL_CATEGORY: lambda r: (r.category.casefold(), ref_sort_key(r.ref)),
        COL_OWNER: lambda r: (r.owner.casefold(), ref_sort_key(r.ref)),
        COL_LI: lambda r: (r.likelihood, r.impact),
        COL_SCORE: lambda r: (r.score, r.likelihood),
        COL_INHERENT: lambda r: r.inherent_score,
        COL_TARGET: lambda r: r.target_score,
        COL_TREND: lambda r: {"up": 0, "same": 1, "down": 2}.get(r.trend, 3),
        COL_NEXT_REVIEW: lambda r: r.next_review or dt.date.max,
        COL_STATUS: lambda r: r.status,
        COL_FLAGS: lambda r: (-len(r.flags()), r.flags()),
    }
    return keys[column]


class RiskTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[RiskRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._matrix: RiskMatrix | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._bold = QFont(QApplication.font())
        self._bold.setBold(True)

    # -- what the view sets and asks ---------------------------------------------------------

    def set_rows(self, rows: list[RiskRow], matrix: RiskMatrix) -> None:
        self.beginResetModel()
        self._matrix = matrix
        self._rows = list(rows)
        if self._sort is not None:
            column, order = self._sort
            self._rows.sort(key=_sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        self._cells = [self._cells_for(r) for r in self._rows]
        self.endResetModel()

    def risk(self, index: QModelIndex) -> RiskRow | None:
        return self._rows[index.row()] if index.isValid() and index.row() < len(self._rows) else None

    def row_of(self, risk_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == risk_id), -1)

    def rows(self) -> list[RiskRow]:
        return list(self._rows)

    # -- Qt --------------------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt names
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=_DISPLAY):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == _DISPLAY:
                return COLUMNS[section]
            if role == _TOOLTIP:
                return HEADER_TIPS.get(section)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        pairs = sorted(zip(self._rows, self._cells), key=lambda p: _sort_key(column)(p[0]),
                       reverse=order == Qt.SortOrder.DescendingOrder)
        old_ids = [r.id for r in self._rows]
        self._rows = [p[0] for p in pairs]
        self._cells = [p[1] for p in pairs]
        new = {r.id: i for i, r in enumerate(self._rows)}
        for index in self.persistentIndexList():
            if index.isValid() and index.row() < len(old_ids):
                self.changePersistentIndex(index, self.index(new[old_ids[index.row()]], index.column()))
        self.layoutChanged.emit()

    def data(self, index, role=_DISPLAY):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if row >= len(self._rows):
            return None
        if role == _DISPLAY:
            return self._cells[row][col]
        r = self._rows[row]
        if role == RISK_ID_ROLE:
            return r.id
        if col == COL_SCORE:
            if role == _BACKGROUND:
                return QColor(r.band.colour)
            if role == _FOREGROUND:
                return QColor(r.band.text_colour)
            if role == _FONT:
                return self._bold
            if role in (_TOOLTIP, _ACCESSIBLE):
                return f"Current score {self._matrix.describe(r.likelihood, r.impact)}"
            if role == _ALIGN:
                return _CENTRE
        elif col in (COL_INHERENT, COL_TARGET):
            lk, im = ((r.inherent_likelihood, r.inherent_impact) if col == COL_INHERENT
                      else (r.target_likelihood, r.target_impact))
            if role == _DECORATION:
                return swatch_icon(self._matrix.band_for(lk * im).colour)
            if role in (_TOOLTIP, _ACCESSIBLE):
                return f"{COLUMNS[col]} score {self._matrix.describe(lk, im)}"
        elif col == COL_TREND:
            if role == _FOREGROUND:
                return WORSE if r.trend == "up" else BETTER if r.trend == "down" else MUTED
            if role in (_TOOLTIP, _ACCESSIBLE):
                prev = r.previous
                if prev is None:
                    return "Only one review so far: no trend yet"
                return (f"{trend_text(r.trend)}: {prev.score} ({self._matrix.band_for(prev.score).name}) at the "
                        f"review of {short_date(prev.date)}, {r.score} ({r.band.name}) now")
        elif col == COL_NEXT_REVIEW and r.review_overdue:
            if role == _FOREGROUND:
                return OVERDUE_RED
            if role == _FONT:
                return self._bold
            if role in (_TOOLTIP, _ACCESSIBLE):
                return f"Overdue: the review was due on {short_date(r.next_review)}"
        elif col == COL_FLAGS:
            if role == _FOREGROUND and r.for_board:
                return WORSE
            if role == _TOOLTIP and r.flags():
                return "\n".join(r.flags())
        elif col == COL_LI and role == _ALIGN:
            return _CENTRE
        elif col == COL_TITLE and role == _TOOLTIP:
            return r.title
        elif col == COL_STATUS and role == _FOREGROUND and r.status == "closed":
            return MUTED
        return None

    def _cells_for(self, r: RiskRow) -> tuple[str, ...]:
        m = self._matrix
        next_review = short_date(r.next_review)
        return (
            r.ref, " ".join(r.title.split()), r.category, r.owner, f"{r.likelihood} \u00d7 {r.impact}",
            score_text(r.score, r.band.name),
            score_text(r.inherent_score, m.band_for(r.inherent_score).name),
            score_text(r.target_score, m.band_for(r.target_score).name),
            trend_text(r.trend) if r.trend else "\u2014 New",
            f"\u26a0 {next_review}" if r.review_overdue else next_review,
            r.status.capitalize(), ", ".join(f if i == 0 else f.lower() for i, f in enumerate(r.flags())),
        )


HEADER_TIPS = {
    COL_LI: "Current likelihood \u00d7 impact, from the latest review",
    COL_SCORE: "Current score and its band (see the heat map for the matrix)",
    COL_INHERENT: "Score before any controls",
    COL_TARGET: "Score the partnership aims for by the target date",
    COL_TREND: "Movement since the previous review",
    COL_NEXT_REVIEW: "When the risk is next due for review; \u26a0 marks an overdue review",
    COL_FLAGS: "For the board: escalated or at the escalation threshold; above the category's appetite; "
               "review overdue",
}
