"""The Plan area of the main window: filter bar, the plan tree and the detail pane.

Every change goes through an undoable command (`undo_commands`); a command runs a service and
then calls `plan_changed`, which re-reads the snapshot and selects the affected item. The view
reads the database only through `load_plan`.
"""

from __future__ import annotations

import datetime as dt
import json

from PySide6 import QtCore
from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QTimer, Signal
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QTreeView, QVBoxLayout, QWidget

from send_desktop.errors import UserError
from send_desktop.services.plan_read import PlanSnapshot, load_plan
from send_desktop.ui import plan_view_edits as edits
from send_desktop.ui.plan_filter_bar import PlanFilterBar
from send_desktop.ui.plan_tree_model import (
    ACTION, COL_DUE, COL_LAST_UPDATE, COL_LEAD, COL_REF, COL_STATUS, COL_TEXT, COL_TIMESCALE, COL_WORKSTREAM,
    NodeKey, PlanFilter, PlanTreeModel, header_model,
)

#: Starting widths as the text each column must show whole (workstream and lead in characters);
#: the Action column takes what is left.
COLUMN_SAMPLES = {COL_REF: "2.10.10", COL_TIMESCALE: "December 2025", COL_DUE: "\u26a0 30 Sep 2025",
                  COL_STATUS: "Amber", COL_LAST_UPDATE: "30 Sep 2025"}
COLUMN_CHARS = {COL_WORKSTREAM: 10, COL_LEAD: 12}
STATE_VERSION = 1


class PlanView(QWidget):
    statusMessage = Signal(str)

    def __init__(self, db, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.undo_stack = undo_stack
        #: The date overdue is judged against; None means the real today (tests pin it).
        self.today: dt.date | None = None
        self._db = None
        self._snapshot: PlanSnapshot | None = None
        self._collapsed: set[NodeKey] = set()
        self._load_problem = ""
        self.update_dialog = None

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { background: #fff3b0; color: #3d3000; border: 1px solid #e0c84a;"
                                  " border-radius: 3px; padding: 6px 10px; }")
        self.banner.hide()
        self.filter_bar = PlanFilterBar()
        self.model = PlanTreeModel(self)
        self.tree = self._make_tree()
        # The detail pane is built just after the view's first paint (or on first use): the
        # plan itself shows sooner, and the pane fills in a few milliseconds later.
        self._detail = None
        self._read_only = False
        self._detail_slot = QWidget()
        self._detail_slot.setMinimumWidth(340)
        self.splitter = QSplitter()  # horizontal
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self._detail_slot)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([1040, 340])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.banner)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)

        self._make_actions()
        self.filter_bar.filterChanged.connect(self._apply_filter)
        self.tree.selectionModel().currentRowChanged.connect(self._current_changed)
        self.tree.activated.connect(lambda _index: self.detail.focus_first_field())
        self.tree.collapsed.connect(lambda index: self._collapsed.add(self.model.key(index)))
        self.tree.expanded.connect(lambda index: self._collapsed.discard(self.model.key(index)))
        self.set_database(db)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().paintEvent(event)
        if self._detail is None:  # the plan is on screen: now fill in the detail pane
            QTimer.singleShot(0, self._build_detail)

    @property
    def detail(self):
        """The detail pane (PlanDetailPane), built on first use."""
        if self._detail is None:
            self._build_detail()
        return self._detail

    def _build_detail(self) -> None:
        """The rest of the view, made just after its first paint (or on first use): the detail
        pane, and the keys that work only in the tree. Both need PySide6's `Qt` namespace, which
        the first paint does without (see `ui.app`); no key can arrive before this runs."""
        if self._detail is not None:
            return
        from send_desktop.ui.plan_detail import PlanDetailPane

        Qt = QtCore.Qt
        for action in self._tree_actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        pane = PlanDetailPane()
        pane.edited.connect(lambda key, changes: edits.edit_item(self, key, changes))
        pane.addUpdateRequested.connect(self.add_update_act.trigger)
        back_to_tree = QShortcut(QKeySequence(Qt.Key.Key_Escape), pane,
                                 context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back_to_tree.activated.connect(self.tree.setFocus)
        pane.set_read_only(self._read_only)
        sizes = self.splitter.sizes()
        self.splitter.replaceWidget(1, pane)
        self.splitter.setSizes(sizes)
        self._detail_slot.deleteLater()
        self._detail = pane
        self._show_detail()

    # -- building -------------------------------------------------------------------------------

    def _make_tree(self) -> QTreeView:
        tree = QTreeView()
        tree.setModel(self.model)
        tree.setUniformRowHeights(True)
        tree.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        tree.setSelectionMode(QTreeView.SelectionMode.SingleSelection)
        tree.setAllColumnsShowFocus(True)
        tree.setIndentation(14)
        # Long text is elided at the right, Qt's default (setting it would need `Qt` before the paint).
        header = tree.header()
        header.setModel(header_model(tree))  # the column titles (see `header_model`)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        bold = tree.font()
        bold.setBold(True)
        metrics, bold_metrics, pad = tree.fontMetrics(), QFontMetrics(bold), 18
        icon = tree.iconSize().width() if tree.iconSize().width() > 0 else 16
        header.resizeSection(COL_REF, 3 * tree.indentation() + metrics.horizontalAdvance(COLUMN_SAMPLES[COL_REF])
                             + icon + 6)
        header.resizeSection(COL_TIMESCALE, metrics.horizontalAdvance(COLUMN_SAMPLES[COL_TIMESCALE]) + pad)
        header.resizeSection(COL_DUE, bold_metrics.horizontalAdvance(COLUMN_SAMPLES[COL_DUE]) + pad)
        header.resizeSection(COL_STATUS, bold_metrics.horizontalAdvance(COLUMN_SAMPLES[COL_STATUS]) + icon + pad)
        header.resizeSection(COL_LAST_UPDATE, metrics.horizontalAdvance(COLUMN_SAMPLES[COL_LAST_UPDATE]) + pad)
        for col, chars in COLUMN_CHARS.items():
            header.resizeSection(col, metrics.averageCharWidth() * chars + pad)
        return tree

    def _make_actions(self) -> None:
        def act(text: str, slot, shortcut=None, tip: str = "", widget: QWidget | None = None) -> QAction:
            """An action; keys that mean something else in a text field (Delete, Insert) work only
            in the tree, the others anywhere in the window while the action is visible."""
            action = QAction(text, self)  # its shortcut works anywhere in the window (WindowShortcut)
            if shortcut is not None:
                action.setShortcuts([QKeySequence(shortcut)])  # not setShortcut: see `ui.app`
                if widget is not None:  # made WidgetWithChildrenShortcut by `_build_detail`
                    self._tree_actions.append(action)
            action.setStatusTip(tip)
            action.setToolTip(tip or text)
            action.triggered.connect(slot)
            (widget or self).addAction(action)
            return action

        self._tree_actions: list[QAction] = []
        self.add_action_act = act("Add &Action", lambda: edits.add_action(self), "Ins",
                                  "Add an action to the selected outcome", self.tree)
        self.add_outcome_act = act("Add &Outcome", lambda: edits.add_outcome(self), None,
                                   "Add an outcome to the selected priority")
        self.add_priority_act = act("Add &Priority", lambda: edits.add_priority(self), None,
                                    "Add a priority to the plan")
        self.delete_act = act("&Delete\u2026", lambda: edits.delete_selected(self), QKeySequence.StandardKey.Delete,
                              "Delete the selected item, after asking", self.tree)
        self.move_up_act = act("Move &Up", lambda: edits.move_selected(self, -1), "Ctrl+Shift+Up",
                               "Move the selected action up (into the previous outcome at the top)", self.tree)
        self.move_down_act = act("Move Do&wn", lambda: edits.move_selected(self, +1), "Ctrl+Shift+Down",
                                 "Move the selected action down (into the next outcome at the bottom)", self.tree)
        self.add_update_act = act("Add &Update\u2026", lambda: edits.open_update_dialog(self), "Ctrl+U",
                                  "Record a dated status update for the selected action")
        self.find_act = act("&Find", self.focus_search, QKeySequence.StandardKey.Find, "Search the plan")

    # -- the interface the main window uses ---------------------------------------------------------

    @property
    def db(self):
        return self._db

    def set_database(self, db) -> None:
        """Show another file. Commands on the stack belong to the old file, so the stack is cleared."""
        self._db = db
        self.undo_stack.clear()
        self._collapsed.clear()
        self.tree.selectionModel().clearCurrentIndex()
        read_only = bool(db is not None and db.read_only)
        self.banner.setText("\u26a0  " + db.read_only_message() if read_only else "")
        self.banner.setVisible(read_only)
        self._read_only = read_only
        if self._detail is not None:
            self._detail.set_read_only(read_only)
        self.reload()
        if self._snapshot is not None:
            self._fit_status_column()
        if self._snapshot is not None and not self._current_key():
            self._select(self.model.index_for_key(self.model.all_keys()[0]) if self.model.all_keys() else QModelIndex())

    def reload(self) -> None:
        """Re-read the plan, keeping selection, expansion, scroll position and filters."""
        key = self._current_key()
        scroll = self.tree.verticalScrollBar().value()
        self._snapshot, self._load_problem = None, ""
        if self._db is not None:
            try:
                self._snapshot = load_plan(self._db, today=self.today)
            except UserError as exc:
                self._load_problem = exc.message
        self.filter_bar.blockSignals(True)
        self.filter_bar.set_choices(self._snapshot)
        self.filter_bar.blockSignals(False)
        self.model.set_snapshot(self._snapshot, self.filter_bar.current_filter())
        self._restore_expansion()
        self.tree.verticalScrollBar().setValue(scroll)
        self._select(self.model.index_for_key(key), scroll_to=False)
        self._after_rows_changed()

    def show_records(self, filters: dict) -> None:
        """Show the records another area points at: {"refs": [...], "label": "..."}."""
        if filters.get("refs") is not None:
            self.filter_bar.show_only(filters["refs"], filters.get("label", "the chosen actions"))
        self.tree.setFocus()

    def focus_search(self) -> None:
        self.filter_bar.search_edit.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search_edit.selectAll()

    def save_state(self) -> QByteArray:
        state = {"version": STATE_VERSION,
                 "splitter": bytes(self.splitter.saveState().toBase64()).decode(),
                 "header": bytes(self.tree.header().saveState().toBase64()).decode(),
                 "filters": self.filter_bar.state()}
        return QByteArray(json.dumps(state).encode())

    def restore_state(self, state) -> bool:
        try:
            data = json.loads(bytes(state).decode())
            if data.get("version") != STATE_VERSION:
                return False
            self.splitter.restoreState(QByteArray.fromBase64(data["splitter"].encode()))
            self.tree.header().restoreState(QByteArray.fromBase64(data["header"].encode()))
            self.filter_bar.restore(data.get("filters", {}))
        except (ValueError, KeyError, TypeError, AttributeError):
            return False
        return True

    # -- what commands and edits call back ----------------------------------------------------------

    @property
    def snapshot(self) -> PlanSnapshot | None:
        return self._snapshot

    def error_parent(self) -> QWidget:
        return self

    def plan_changed(self, select: NodeKey | None, focus_detail: bool = False) -> None:
        """After a command: re-read, then select what it touched (even if the filter hid it)."""
        self.reload()
        if select is None:
            return
        index = self.model.index_for_key(select)
        if not index.isValid() and self.filter_bar.current_filter().is_active():
            self.filter_bar.clear()
            index = self.model.index_for_key(select)
        if index.isValid():
            self._select(index)
        if focus_detail:
            self.detail.focus_first_field()

    def push(self, command) -> bool:
        """Push a command; True when it ran (a refused one removes itself from the stack)."""
        text, before = command.text(), self.undo_stack.index()
        self.undo_stack.push(command)
        done = self.undo_stack.index() != before
        if done:
            self.statusMessage.emit(text)
        return done

    def current_key(self) -> NodeKey | None:
        return self._current_key()

    def current_item(self):
        return self.model.item(self.tree.currentIndex())

    # -- internals ----------------------------------------------------------------------------------

    def _current_key(self) -> NodeKey | None:
        return self.model.key(self.tree.currentIndex())

    def _select(self, index: QModelIndex, scroll_to: bool = True) -> None:
        if not index.isValid():
            self._show_detail()
            return
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        if scroll_to:
            self.tree.scrollTo(index)
        self._show_detail()

    def _apply_filter(self, plan_filter: PlanFilter) -> None:
        key = self._current_key()
        self.model.set_filter(plan_filter)
        self._restore_expansion()
        self._select(self.model.index_for_key(key))
        self._after_rows_changed()

    def _restore_expansion(self) -> None:
        """Headings span the row; everything is expanded except what the user folded (unless filtering)."""
        for index in self.model.heading_rows():
            self.tree.setFirstColumnSpanned(index.row(), index.parent(), True)
        self.tree.expandAll()
        if not self.model.plan_filter.is_active():
            for key in list(self._collapsed):
                index = self.model.index_for_key(key)
                if index.isValid():
                    self.tree.collapse(index)
        self.tree.doItemsLayout()

    def _fit_status_column(self) -> None:
        """Widen the Status column if this plan's scale has longer labels ("Not started")."""
        bold = self.tree.font()
        bold.setBold(True)
        labels = [lv.label for lv in self._snapshot.scale.levels] + ["Not rated"]
        needed = max(QFontMetrics(bold).horizontalAdvance(label) for label in labels) + 16 + 18
        if self.tree.header().sectionSize(COL_STATUS) < needed:
            self.tree.header().resizeSection(COL_STATUS, needed)

    def _after_rows_changed(self) -> None:
        self.filter_bar.set_count(self.model.visible_action_count(), self.model.total_action_count())
        self._update_actions()

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail()
        self._update_actions()

    def _show_detail(self) -> None:
        if self._detail is None:  # not built yet: it shows the current item when it is
            return
        index = self.tree.currentIndex()
        if self._snapshot is None:
            text = self._load_problem or "Open or create a plan to see it here."
            self.detail.show_item(None, None, empty_text=text)
        else:
            self.detail.show_item(self._snapshot, self.model.key(index), self.model.item(index))

    def _update_actions(self) -> None:
        editable = self._snapshot is not None and not self._db.read_only
        key = self._current_key()
        kind = key[0] if key else None
        is_action = kind == ACTION
        self.add_priority_act.setEnabled(editable)
        self.add_outcome_act.setEnabled(editable and key is not None)
        self.add_action_act.setEnabled(editable and edits.target_outcome(self) is not None)
        self.delete_act.setEnabled(editable and key is not None)
        self.add_update_act.setEnabled(editable and is_action)
        self.move_up_act.setEnabled(editable and is_action and edits.move_target(self, -1) is not None)
        self.move_down_act.setEnabled(editable and is_action and edits.move_target(self, +1) is not None)
        self.find_act.setEnabled(self._snapshot is not None)
