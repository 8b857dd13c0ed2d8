"""The KPI table: one row per KPI over a `KpiSnapshot`, with a filter and sorting in Python.

The model never touches the database. Each row's cells are worked out once when the snapshot
arrives (`_cells`), so painting 200 rows only looks tuples up. Sorting and filtering rebuild the
list of visible rows and reset the model, which is far faster than a sort proxy (PERFORMANCE.md).
The trend column holds no text: `TrendDelegate` draws a small line from `TREND_ROLE`.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from send_desktop.core import kpi_values as kv
from send_desktop.core.scales import text_colour_for
from send_desktop.services.kpi_read import KpiRow, KpiSnapshot

COLUMNS = ("Ref", "Measure", "Latest", "Period", "Target", "RAG", "Against comparators", "Travel", "Trend")
(COL_REF, COL_MEASURE, COL_LATEST, COL_PERIOD, COL_TARGET, COL_RAG, COL_COMPARATORS, COL_TRAVEL,
 COL_TREND) = range(len(COLUMNS))

KPI_ID_ROLE = int(Qt.ItemDataRole.UserRole.value)
TREND_ROLE = KPI_ID_ROLE + 1
TREND_POINTS = 24  # the trend line shows this many of the latest numbers

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)

TRAVEL_TEXT = {kv.IMPROVING: "Improving", kv.WORSENING: "Worsening", kv.NO_CHANGE: "No change"}
TRAVEL_COLOUR = {kv.IMPROVING: QColor("#1e6b3f"), kv.WORSENING: QColor("#a3261b"), kv.NO_CHANGE: QColor("#555555")}
MUTED = QColor("#6b6b6b")
#: RAG filter choices: a status, or "none" for KPIs without a RAG rating.
NO_RAG = "none"


class KpiFilter(NamedTuple):
    text: str = ""
    rag: str | None = None          # green, amber, red, NO_RAG; None: any
    priority_id: int | None = None  # None: any

    def is_active(self) -> bool:
        return bool(self.text.strip()) or self.rag is not None or self.priority_id is not None

    def matches(self, k: KpiRow) -> bool:
        if self.rag is not None and (k.rag.status or NO_RAG) != self.rag:
            return False
        if self.priority_id is not None and k.priority_id != self.priority_id:
            return False
        needle = " ".join(self.text.split()).casefold()
        return not needle or needle in f"{k.ref} {k.measure} {k.officer}".casefold()


def _arrow(k: KpiRow) -> str:
    """The way the number moved, beside whether that is good: a falling wait is improving."""
    if k.travel is None or len(k.trend) < 2:
        return ""
    up = k.trend[-1] > k.trend[-2]
    arrow = "\u2192" if k.travel == kv.NO_CHANGE else ("\u2191" if up else "\u2193")
    return f"{arrow} {TRAVEL_TEXT[k.travel]}"


def comparison_text(k: KpiRow) -> str:
    """Where the latest value stands, grouped: "Worse than National 50.9%, Statistical neighbours 55%"."""
    groups: dict[str, list[str]] = {}
    unknown = []
    for p in k.positions:
        if p.position is not None:
            groups.setdefault(p.position, []).append(f"{p.name} {p.text}")
        elif k.comparators and next(c for c in k.comparators if c.name == p.name).number is None:
            unknown.append(f"{p.name}: {p.text or 'no figure'}")  # the comparator is in words ("Available May 19")
    words = {kv.BETTER: "Better than", kv.WORSE: "Worse than", kv.SAME: "Same as"}
    parts = [f"{words[key]} {', '.join(groups[key])}" for key in (kv.BETTER, kv.WORSE, kv.SAME) if key in groups]
    if k.positions and not groups and (k.latest is None or k.latest.number is None):
        parts.append("Not compared: the latest value has no number")
    return "; ".join(parts + unknown)


def _cells(k: KpiRow) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(display texts, tooltips) of one row."""
    latest = k.latest.text if k.latest else ""
    period = k.latest.label if k.latest else ""
    target = k.target.text if k.target else ""
    comparators = comparison_text(k)
    comparator_tips = "\n".join(
        f"{c.name}: {c.text}" + (f", as at {c.as_at:%d %b %Y}" if c.as_at else "") + (f" ({c.source})" if c.source
                                                                                    else "")
        for c in k.comparators)
    trend_tip = (f"The latest {min(len(k.trend), TREND_POINTS)} numbers, oldest on the left"
                 if len(k.trend) > 1 else "Not enough numbers for a trend yet")
    texts = (k.ref, " ".join(k.measure.split()), latest, period, target, k.rag.label, comparators, _arrow(k), "")
    travel_tip = ("From the last two values with a number" if k.travel else
                  "Needs two values with a number") + f"; {k.direction} is better"
    target_tip = f"Target for {k.target.label}: {k.target.text}" if k.target else "No target set"
    tips = (f"{k.ref}: {k.measure}", k.measure + (f"\nResponsible officer: {k.officer}" if k.officer else ""),
            latest, period, target_tip, k.rag.reason, comparator_tips or "No comparators", travel_tip, trend_tip)
    return texts, tips


class KpiTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._all: list[KpiRow] = []
        self._rows: list[KpiRow] = []
        self._cells: dict[int, tuple] = {}
        self.kpi_filter = KpiFilter()
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # -- feeding ------------------------------------------------------------------------------

    def set_snapshot(self, snap: KpiSnapshot | None, kpi_filter: KpiFilter | None = None) -> None:
        self._all = list(snap.kpis) if snap else []
        self._cells = {k.id: _cells(k) for k in self._all}
        if kpi_filter is not None:
            self.kpi_filter = kpi_filter
        self._rebuild()

    def set_filter(self, kpi_filter: KpiFilter) -> None:
        self.kpi_filter = kpi_filter
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        rows = [k for k in self._all if self.kpi_filter.matches(k)]
        if self._sort is not None:
            column, order = self._sort
            rows.sort(key=_SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = rows
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order) if 0 <= column < len(COLUMNS) else None
        self._rebuild()

    # -- reading ------------------------------------------------------------------------------

    def kpi(self, index: QModelIndex) -> KpiRow | None:
        return self._rows[index.row()] if index.isValid() and index.row() < len(self._rows) else None

    def row_of(self, kpi_id: int | None) -> int:
        for i, k in enumerate(self._rows):
            if k.id == kpi_id:
                return i
        return -1

    def all_kpis(self) -> list[KpiRow]:
        return list(self._all)

    def visible_count(self) -> int:
        return len(self._rows)

    def total_count(self) -> int:
        return len(self._all)

    # -- Qt's interface -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt name
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        k, col = self._rows[index.row()], index.column()
        if not 0 <= col < len(COLUMNS):
            return None
        role = int(role.value) if hasattr(role, "value") else int(role)
        if role == _DISPLAY:
            return self._cells[k.id][0][col]
        if role == _TOOLTIP:
            return self._cells[k.id][1][col]
        if role == _ACCESSIBLE and col == COL_RAG:
            return f"RAG {k.rag.label}. {k.rag.reason}"
        if role == KPI_ID_ROLE:
            return k.id
        if col == COL_RAG:
            if role == _BACKGROUND:
                return QBrush(QColor(k.rag.colour)) if k.rag.status else None
            if role == _FOREGROUND:
                return QBrush(QColor(text_colour_for(k.rag.colour))) if k.rag.status else QBrush(MUTED)
            if role == _FONT:
                return self._bold if k.rag.status else None
            if role == _ALIGN:
                return int(Qt.AlignmentFlag.AlignCenter)
        elif col == COL_TRAVEL and role == _FOREGROUND and k.travel:
            return QBrush(TRAVEL_COLOUR[k.travel])
        elif col == COL_TREND and role == TREND_ROLE:
            return k.trend[-TREND_POINTS:], k.travel
        elif col in (COL_LATEST, COL_TARGET) and role == _FOREGROUND:
            point = k.latest if col == COL_LATEST else k.target
            return QBrush(MUTED) if point is not None and point.number is None else None
        return None


_RAG_ORDER = {kv.RED_: 0, kv.AMBER_: 1, kv.GREEN_: 2, None: 3}
_SORT_KEYS = {
    COL_REF: lambda k: kv.ref_key(k.ref),
    COL_MEASURE: lambda k: k.measure.casefold(),
    COL_LATEST: lambda k: (k.latest is None or k.latest.number is None, k.latest.number if k.latest and
                           k.latest.number is not None else 0),
    COL_PERIOD: lambda k: k.latest.end if k.latest and k.latest.end else dt.date.min,
    COL_TARGET: lambda k: (k.target is None or k.target.number is None, k.target.number if k.target and
                           k.target.number is not None else 0),
    COL_RAG: lambda k: _RAG_ORDER[k.rag.status],
    COL_COMPARATORS: lambda k: sum(p.position == kv.WORSE for p in k.positions) * -1,
    COL_TRAVEL: lambda k: {kv.WORSENING: 0, kv.NO_CHANGE: 1, kv.IMPROVING: 2}.get(k.travel, 3),
    COL_TREND: lambda k: len(k.trend),
}


class TrendDelegate(QStyledItemDelegate):
    """A small line of a KPI's latest numbers, its last point coloured by the direction of travel.
    Drawn with QPainter: a matplotlib figure per row would cost tens of milliseconds each."""

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:
        super().paint(painter, option, index)  # background and selection as the style draws them
        numbers, travel = index.data(TREND_ROLE) or ((), None)
        if len(numbers) < 2:
            return
        rect = QRectF(option.rect).adjusted(6, 5, -8, -5)
        low, high = min(numbers), max(numbers)
        span = (high - low) or 1.0
        step = rect.width() / (len(numbers) - 1)
        points = [QPointF(rect.left() + i * step, rect.bottom() - (n - low) / span * rect.height())
                  for i, n in enumerate(numbers)]
        if high == low:
            points = [QPointF(p.x(), rect.center().y()) for p in points]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        line = option.palette.highlightedText().color() if selected else QColor("#3b5b8c")
        painter.setPen(QPen(line, 1.4))
        painter.drawPolyline(QPolygonF(points))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(TRAVEL_COLOUR.get(travel, MUTED))
        painter.drawEllipse(points[-1], 2.8, 2.8)
        painter.restore()
