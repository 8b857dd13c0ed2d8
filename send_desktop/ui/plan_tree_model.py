"""The plan as a tree (priority > outcome > action) over a `PlanSnapshot`, with filters.

Priority and outcome rows are headings: their first cell holds the ref and their words, so a
view can span it across the row; their Action cell holds the words alone.

The model never touches the database: the view hands it a snapshot and a `PlanFilter`, and
the visible rows are rebuilt in Python (a few milliseconds for 500 actions), which keeps the
parents of matching actions in place without a QSortFilterProxyModel.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import NamedTuple

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication

from send_desktop.core.refs import normalise_ref
from send_desktop.core.timescale import describe_due
from send_desktop.services.plan_read import ActionRow, OutcomeRow, PlanSnapshot, PriorityRow
from send_desktop.ui.widgets import swatch_icon, tint, warning_icon

PRIORITY, OUTCOME, ACTION = "priority", "outcome", "action"
NodeKey = tuple[str, int]


# Qt::ItemDataRole's values, fixed by Qt's ABI. Written as numbers because this module is imported
# before the first paint, which does without PySide6's `Qt` namespace (see `ui.app`).
_DISPLAY, _DECORATION, _TOOLTIP, _FONT, _BACKGROUND, _FOREGROUND, _ACCESSIBLE = 0, 1, 3, 6, 8, 9, 11
_ANSWERED = frozenset((_DISPLAY, _TOOLTIP, _ACCESSIBLE, _DECORATION, _FOREGROUND, _FONT, _BACKGROUND))

COLUMNS = ("Ref", "Action", "Workstream", "Lead", "Timescale", "Due", "Status", "Last update")
(COL_REF, COL_TEXT, COL_WORKSTREAM, COL_LEAD, COL_TIMESCALE, COL_DUE, COL_STATUS,
 COL_LAST_UPDATE) = range(len(COLUMNS))

#: Filter values meaning "actions without a workstream" and "actions with no update yet"
#: (database ids start at 1).
NO_WORKSTREAM = 0
NOT_RATED = 0

OVERDUE_RED = QColor("#b3261e")
PRIORITY_BAND = QColor("#e8eef6")
OUTCOME_BAND = QColor("#f4f6f9")
MUTED = QColor("#6b6b6b")


def short_date(day: dt.date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else ""


def one_line(text: str) -> str:
    return " ".join(text.split())


class PlanFilter(NamedTuple):
    """What the filter bar asks for. Action fields must all match; the text may also match an
    action's outcome or priority, which then keeps all of its actions that pass the rest."""

    text: str = ""
    workstream_id: int | None = None  # None: any; NO_WORKSTREAM: none set
    lead: str = ""  # a person's name; "" any
    level_id: int | None = None  # None: any; NOT_RATED: no update yet
    overdue_only: bool = False
    #: Only these actions (normalised refs): the records behind a dashboard chart; None: any.
    refs: frozenset[str] | None = None

    def is_active(self) -> bool:
        return bool(self.text.strip() or self.workstream_id is not None or self.lead
                    or self.level_id is not None or self.overdue_only or self.refs is not None)

    def needle(self) -> str:
        return " ".join(self.text.split()).casefold()

    def fields_match(self, action: ActionRow) -> bool:
        """Everything but the free text."""
        if self.workstream_id is not None and (action.workstream_id or NO_WORKSTREAM) != self.workstream_id:
            return False
        if self.lead and self.lead.casefold() not in (n.casefold() for n in action.leads):
            return False
        if self.level_id is not None and (action.level.id if action.level else NOT_RATED) != self.level_id:
            return False
        if self.refs is not None and normalise_ref(action.ref) not in self.refs:
            return False
        return not self.overdue_only or action.overdue


def action_words(action: ActionRow) -> str:
    return "\n".join((action.ref, action.text, *action.success_criteria, *action.leads)).casefold()


class _Node(NamedTuple):
    kind: str
    item: PriorityRow | OutcomeRow | ActionRow
    parent: int  # node id of the parent, -1 at the top
    row: int
    cells: tuple[str, ...]
    children: list[int]  # node ids, appended to as the rows are built


class PlanTreeModel(QAbstractItemModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._snapshot: PlanSnapshot | None = None
        self._filter = PlanFilter()
        self._nodes: list[_Node] = []
        self._roots: list[int] = []
        self._by_key: dict[NodeKey, int] = {}
        self._ref_counts: Counter[str] = Counter()
        self._visible_actions = 0
        base = QApplication.font()
        self._bold = QFont(base)
        self._bold.setBold(True)
        self._italic = QFont(base)
        self._italic.setItalic(True)

    # -- what the view sets and asks ---------------------------------------------------------

    @property
    def snapshot(self) -> PlanSnapshot | None:
        return self._snapshot

    @property
    def plan_filter(self) -> PlanFilter:
        return self._filter

    def set_snapshot(self, snapshot: PlanSnapshot | None, plan_filter: PlanFilter | None = None) -> None:
        self.beginResetModel()
        self._snapshot = snapshot
        if plan_filter is not None:
            self._filter = plan_filter
        self._ref_counts = Counter(normalise_ref(a.ref) for a in snapshot.actions()) if snapshot else Counter()
        self._rebuild()
        self.endResetModel()

    def set_filter(self, plan_filter: PlanFilter) -> None:
        if plan_filter == self._filter:
            return
        self.beginResetModel()
        self._filter = plan_filter
        self._rebuild()
        self.endResetModel()

    def visible_action_count(self) -> int:
        return self._visible_actions

    def total_action_count(self) -> int:
        return sum(len(o.actions) for p in self._snapshot.priorities for o in p.outcomes) if self._snapshot else 0

    def key(self, index: QModelIndex | QPersistentModelIndex) -> NodeKey | None:
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        return node.kind, node.item.id

    def item(self, index: QModelIndex) -> PriorityRow | OutcomeRow | ActionRow | None:
        return self._nodes[index.internalId()].item if index.isValid() else None

    def index_for_key(self, key: NodeKey | None, column: int = 0) -> QModelIndex:
        node_id = self._by_key.get(key) if key else None
        if node_id is None:
            return QModelIndex()
        return self.createIndex(self._nodes[node_id].row, column, node_id)

    def all_keys(self) -> list[NodeKey]:
        return list(self._by_key)

    def heading_rows(self) -> list[QModelIndex]:
        """Priority and outcome rows, whose first cell (ref and words) a view may span across."""
        return [self.createIndex(n.row, 0, i) for i, n in enumerate(self._nodes) if n.kind != ACTION]

    # -- building the visible rows -----------------------------------------------------------

    def _rebuild(self) -> None:
        self._nodes, self._roots, self._by_key = [], [], {}
        self._visible_actions = 0
        if self._snapshot is None:
            return
        f = self._filter
        active, needle = f.is_active(), f.needle()
        text_only = active and PlanFilter(text=f.text) == f
        for priority in self._snapshot.priorities:
            p_hit = bool(needle) and needle in f"{priority.ref}\n{priority.statement}".casefold()
            outcome_rows = []
            for outcome in priority.outcomes:
                o_hit = p_hit or (bool(needle) and needle in f"{outcome.ref}\n{outcome.text}".casefold())
                if not active:
                    actions = outcome.actions
                else:
                    actions = [a for a in outcome.actions if f.fields_match(a)
                               and (o_hit or not needle or needle in action_words(a))]
                if actions or not active or (o_hit and text_only):
                    outcome_rows.append((outcome, actions))
            if not (outcome_rows or not active or (p_hit and text_only)):
                continue
            p_id = self._add(PRIORITY, priority, -1, self._roots)
            for outcome, actions in outcome_rows:
                o_id = self._add(OUTCOME, outcome, p_id, self._nodes[p_id].children)
                for action in actions:
                    self._add(ACTION, action, o_id, self._nodes[o_id].children)
                self._visible_actions += len(actions)

    def _add(self, kind: str, item, parent: int, siblings: list[int]) -> int:
        node_id = len(self._nodes)
        self._nodes.append(_Node(kind, item, parent, len(siblings), self._cells(kind, item), []))
        siblings.append(node_id)
        self._by_key[(kind, item.id)] = node_id
        return node_id

    def _cells(self, kind: str, item) -> tuple[str, ...]:
        if kind == PRIORITY:
            ws = next((w.name for w in self._snapshot.workstreams if w.id == item.workstream_id), "")
            return (f"{item.ref}   {one_line(item.statement)}", one_line(item.statement), ws, "", "", "", "", "")
        if kind == OUTCOME:
            return (f"{item.ref}   {one_line(item.text)}", one_line(item.text), "", "", "", "", "", "")
        a: ActionRow = item
        due = short_date(a.due_date)
        last = a.last_update
        return (a.ref, one_line(a.text), a.workstream, ", ".join(a.leads), a.timescale,
                f"{OVERDUE_MARK} {due}" if a.overdue else due,
                a.level.label if a.level else "Not rated", short_date(last.date) if last else "")

    # -- QAbstractItemModel ----------------------------------------------------------------

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if parent.isValid():
            if parent.column() != 0:
                return QModelIndex()
            siblings = self._nodes[parent.internalId()].children
        else:
            siblings = self._roots
        if not (0 <= row < len(siblings) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column, siblings[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: A003 - Qt's name
        if not index.isValid():
            return QModelIndex()
        parent_id = self._nodes[index.internalId()].parent
        if parent_id < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[parent_id].row, 0, parent_id)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._roots)
        if parent.column() != 0:
            return 0
        return len(self._nodes[parent.internalId()].children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    # flags(): not overridden. QAbstractItemModel's own answer (enabled and selectable for a valid
    # index, nothing for an invalid one) is what this model means, and leaving it in C++ spares the
    # first paint several hundred calls into Python.

    # headerData(): not overridden either. The column titles are in `header_model`, which the
    # view's header shows: Qt passes headerData a Qt.Orientation, and turning that into Python
    # would build the whole `Qt` namespace during the first paint.

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        # Called thousands of times a paint: roles are compared as plain ints, and the many
        # roles this model never answers are turned away first. (Answering Qt's `multiData`
        # instead, one call a cell, was measured: no fewer instructions, as each role then costs
        # calls back into Qt.)
        if role not in _ANSWERED or not index.isValid():
            return None
        return self._value(self._nodes[index.internalId()], index.column(), role)

    def _value(self, node: _Node, col: int, role: int):
        if role == _DISPLAY:
            return node.cells[col]
        if role == _TOOLTIP:
            return self._tooltip(node, col)
        if role == _ACCESSIBLE:
            if node.kind == ACTION and col == COL_DUE and node.item.overdue:  # heard as a word
                return f"Overdue, due {short_date(node.item.due_date)}"
            return None
        if node.kind == ACTION:
            return self._action_style(node.item, col, role)
        if role == _FONT:
            return self._bold if node.kind == PRIORITY else (self._italic if col == COL_TEXT else None)
        if role == _BACKGROUND:
            return PRIORITY_BAND if node.kind == PRIORITY else OUTCOME_BAND
        return None

    def _action_style(self, a: ActionRow, col: int, role: int):
        if role == _DECORATION:
            if col == COL_STATUS:
                return swatch_icon(a.level.colour) if a.level else swatch_icon("#ffffff")
            if col == COL_REF and a.duplicate_ref:
                return warning_icon()
        elif role == _FOREGROUND:
            if col == COL_DUE and a.overdue:
                return OVERDUE_RED
            if col == COL_STATUS and not a.level:
                return MUTED
        elif role == _FONT:
            if (col == COL_DUE and a.overdue) or col == COL_STATUS:
                return self._bold
        elif role == _BACKGROUND and col == COL_STATUS and a.level:
            return tint(a.level.colour)
        return None

    def _tooltip(self, node: _Node, col: int) -> str | None:
        item = node.item
        if node.kind == PRIORITY:
            return f"Priority {item.ref} ({item.kind})\n\n{item.statement}" if col in (COL_REF, COL_TEXT) else None
        if node.kind == OUTCOME:
            return f"Outcome {item.ref}\n\n{item.text}" if col in (COL_REF, COL_TEXT) else None
        a: ActionRow = item
        if col == COL_REF and a.duplicate_ref:
            times = self._ref_counts.get(normalise_ref(a.ref), 2)
            return f"Reference {a.ref} is used {'twice' if times == 2 else f'{times} times'}"
        if col == COL_TEXT:
            return a.text
        if col == COL_TIMESCALE:
            return due_text(a.timescale, a.due_date)
        if col == COL_DUE:
            if a.overdue:
                days = (self._snapshot.today - a.due_date).days
                return f"Overdue: due {short_date(a.due_date)}, {days} days ago, and not complete"
            return due_text(a.timescale, a.due_date)
        if col == COL_STATUS:
            return f"{a.level.code} \u2013 {a.level.label}: {a.level.meaning}" if a.level else "No update yet"
        if col == COL_LAST_UPDATE and a.last_update:
            u = a.last_update
            return f"{short_date(u.date)}, {u.author}\n{u.narrative}"
        return None


#: Marks an overdue due date in the tree: a shape as well as the red, for print and colour-blind
#: readers; the tooltip and the accessible text say "Overdue" in words.
OVERDUE_MARK = "\u26a0"


def header_model(parent=None) -> QStandardItemModel:
    """The column titles for the header of a view of `PlanTreeModel` (`header.setModel`)."""
    titles = QStandardItemModel(0, len(COLUMNS), parent)
    for col, title in enumerate(COLUMNS):
        item = QStandardItem(title)
        if col == COL_DUE:
            item.setToolTip("The date the timescale names; overdue actions are past it and not complete")
        titles.setHorizontalHeaderItem(col, item)
    return titles


def due_text(timescale: str, due: dt.date | None) -> str:
    """What a timescale means as a date, in words: "Due 31 Jul 2025" or "No date: ongoing"."""
    if due:
        return f"Due {short_date(due)}"
    words = describe_due(None, timescale)
    return "No date: " + words[len("no date ("):-1].lower() if words.startswith("no date (") else "No date"
