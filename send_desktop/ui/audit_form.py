"""The auditor's scoring form: criteria on the left, the live grade and its "why" on the right.

Built for typing, not pointing: the criteria list takes every key (see `KEYS`), a number rates
the current criterion and moves to the next one that applies, and every key re-grades in memory
(`ScoringState`) and repaints only what changed, well inside the 5 ms budget
(`bench/bench_audit_form.py` measures it). Saving is separate from typing: changes are written
700 ms after the last one, and at once when the form is hidden (leaving it, switching area,
closing the window) or asked to (`flush`, Ctrl+S), so nothing typed is lost and the database
sees one transaction per pause rather than one per key.

The form scores an audit or a moderation alike: its owner passes the state and a `save`
function (`update_audit` or `update_moderation`) and reacts to `saved` and `submitRequested`.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from send_desktop.errors import UserError
from send_desktop.services.audit_read import ActionRecord
from send_desktop.ui.audit_form_actions import ActionsModel, ActionsTable
from send_desktop.ui.audit_form_delegate import CRITERION, CriteriaDelegate
from send_desktop.ui.audit_form_grade import GradePanel
from send_desktop.ui.audit_form_model import ColumnCaptions, CriteriaModel, CriteriaView
from send_desktop.ui.audit_form_prompt import PromptSlot
from send_desktop.ui.audit_form_state import Refused, ScoringState
from send_desktop.ui.widgets import show_error

AUTOSAVE_MS = 700
RETRY_MS = 5000  # after a failed save (a locked or read-only file), try again this long after
WARM_DELAY_MS = 60  # row pictures are drawn this long after the list is shown or resized ...
WARM_ROWS = 6  # ... this many rows at a time
KEYS = ("0\u2013{max} rate and move on \u00b7 N not applicable (asks why) \u00b7 X no needs identified "
        "\u00b7 C or Enter comment \u00b7 Delete clear \u00b7 \u2191\u2193 move \u00b7 PgUp/PgDn section "
        "\u00b7 Ctrl+Z undo \u00b7 Ctrl+S save now \u00b7 Ctrl+Enter submit \u00b7 Esc back to the list")
_CTRL = Qt.KeyboardModifier.ControlModifier
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
_MOVES = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}
_SECTION_MOVES = {Qt.Key.Key_PageUp: -1, Qt.Key.Key_PageDown: 1}
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}
_EDIT_KEYS = {Qt.Key.Key_N, Qt.Key.Key_X, Qt.Key.Key_C, Qt.Key.Key_Return, Qt.Key.Key_Enter,
              Qt.Key.Key_Delete, Qt.Key.Key_Backspace, *_DIGITS}
_NAV_KEYS = {*_MOVES, *_SECTION_MOVES, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Escape}


class ScoringForm(QWidget):
    saved = Signal(str)  # "Saved 12:03"
    submitRequested = Signal()
    backRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.state: ScoringState | None = None
        self._save: Callable[[dict], object] | None = None
        self._read_only = ""
        self._last_error = ""
        self._prompt_for: tuple[str, str] | None = None  # ("na" | "comment", criterion id)
        self.last_key_ms = 0.0

        self.model = CriteriaModel(self)
        self.view = CriteriaView()
        self.view.setModel(self.model)
        self.delegate = CriteriaDelegate(self.view, self.model)
        self.view.setItemDelegate(self.delegate)
        self.view.key_handler = self.handle_key
        self.view.claims = self._claims
        self.view.setAccessibleName("Criteria")
        self.captions = ColumnCaptions(self.delegate, self.view)
        self.critical_check = QCheckBox("Critical &concern about this plan (the grade becomes Inadequate)")
        self.critical_check.toggled.connect(self._critical_toggled)

        self.slot = PromptSlot()
        self.slot.answered.connect(self._answer_prompt)
        self.slot.cancelled.connect(self._close_prompt)
        self.message, self.prompt, self.prompt_edit = self.slot.message, self.slot.prompt, self.slot.edit

        criteria_page = QWidget()
        left = QVBoxLayout(criteria_page)
        left.setContentsMargins(0, 4, 0, 0)
        left.setSpacing(4)
        left.addWidget(self.critical_check)
        left.addWidget(self.captions)
        left.addWidget(self.view, 1)
        left.addWidget(self.slot)

        self.actions_model = ActionsModel(None, self)
        self.actions_table = ActionsTable(self.actions_model)
        self.tabs = QTabWidget()
        self.tabs.addTab(criteria_page, "Criteria")
        self.tabs.addTab(self.actions_table, "Improvement actions")
        self.grade_panel = GradePanel()
        self.grade_panel.setMinimumWidth(400)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.grade_panel)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([840, 440])

        self.keys_label = QLabel()
        self.keys_label.setWordWrap(True)
        self.keys_label.setStyleSheet("color: #3c4043;")
        self.save_label = QLabel()
        self.save_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.save_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("Not saved: will retry") + 12)
        footer = QHBoxLayout()
        footer.addWidget(self.keys_label, 1)
        footer.addWidget(self.save_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(footer)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)
        # Row pictures drawn ahead once the list is on screen (and again after a resize), so
        # moving and scrolling while scoring copy pictures instead of laying out text.
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.timeout.connect(self._warm)
        self._warm_next = 0
        self.view.resized.connect(self._start_warming)

    # -- what the owner calls ------------------------------------------------------------------

    def show_scoring(self, state: ScoringState, save: Callable[[dict], object] | None, *, read_only: str = "",
                     actions: list[ActionRecord] | None = None,
                     save_action: Callable[[int, dict], bool] | None = None) -> None:
        """Show this scoring. `read_only` is why it cannot be changed ("" when it can);
        `actions` None hides the actions tab (a moderation has none)."""
        self.flush()
        self.state, self._save, self._read_only, self._last_error = state, save, read_only, ""
        self._close_prompt()
        self._hide_message()
        self.model.read_only = bool(read_only)
        self.model.set_state(state)
        self.critical_check.blockSignals(True)
        self.critical_check.setChecked(state.critical_concern)
        self.critical_check.blockSignals(False)
        self.critical_check.setEnabled(not read_only)
        self.grade_panel.set_framework(state.fw, state.result)
        self.actions_model.save = save_action
        self.tabs.setTabVisible(1, actions is not None)
        self.set_actions(actions or [])
        self.tabs.setCurrentIndex(0)
        top = max((c.max for s in state.fw.sections for c in s.criteria), default=3)
        self.keys_label.setText("Keys: " + KEYS.format(max=top) if not read_only else f"Read only: {read_only}")
        self.save_label.setText("")
        first = next((r for r in range(self.model.rowCount()) if self.model.rows[r][0] == CRITERION), -1)
        self._move_to(first)
        self.view.scrollToTop()  # the first criterion is at the top, under its section's header
        self._start_warming()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _start_warming(self) -> None:
        self._warm_next = 0
        self._warm_timer.start(WARM_DELAY_MS)

    def _warm(self) -> None:
        """A few rows at a time (about 3 ms), so a key pressed meanwhile never waits long."""
        rows = range(self._warm_next, min(self._warm_next + WARM_ROWS, self.model.rowCount()))
        self.delegate.warm(rows)
        self._warm_next = rows.stop
        if self._warm_next < self.model.rowCount():
            self._warm_timer.start(0)

    def set_actions(self, actions: list[ActionRecord]) -> None:
        """The stored improvement actions, in the framework's order (as the criteria are listed)."""
        order = self.model.row_of
        actions = sorted(actions, key=lambda a: (order.get(a.criterion_id, len(order)), a.id))
        self.actions_model.set_actions(actions, bool(self._read_only))
        self.tabs.setTabText(1, f"Improvement actions ({len(actions)})")

    def current_criterion(self) -> str | None:
        return self.model.criterion_at(self.view.currentIndex().row())

    def select_criterion(self, cid: str) -> None:
        self._move_to(self.model.row_of.get(cid, -1))

    def flush(self) -> bool:
        """Write what is unsaved now; True when nothing is left unsaved."""
        self._timer.stop()
        if self.state is None or self._save is None or not self.state.has_changes:
            return True
        delta = self.state.take_changes()
        try:
            self._save(delta)
        except Exception as exc:  # kept to retry; shown once, then on the status line only
            self.state.keep_unsaved(delta)
            words = exc.message if isinstance(exc, UserError) else "unexpected error"
            self.save_label.setText("Not saved: will retry")
            self.save_label.setToolTip(words)
            self.save_label.setStyleSheet("color: #b3261e; font-weight: 600;")
            if words != self._last_error:
                self._last_error = words
                show_error(self, exc, "Could not save the scoring")
            self._timer.start(RETRY_MS)
            return False
        self._last_error = ""
        stamp = f"Saved {dt.datetime.now():%H:%M}"
        self.save_label.setText(stamp)
        self.save_label.setToolTip("Every change is saved automatically")
        self.save_label.setStyleSheet("color: #1e6b35;")
        self.saved.emit(stamp)
        return True

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.flush()  # leaving the form, switching area or closing the window
        super().hideEvent(event)

    # -- keys ----------------------------------------------------------------------------------

    def _claims(self, event: QKeyEvent) -> bool:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == _CTRL:
            return event.key() in (Qt.Key.Key_Z, Qt.Key.Key_S, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        return mods in _PLAIN and event.key() in _EDIT_KEYS

    def handle_key(self, event: QKeyEvent) -> bool:
        """Everything a key does on the criteria list; True when it was used."""
        start = time.perf_counter()
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if self.state is None:
            return False
        if mods == _CTRL:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.flush()
                self.submitRequested.emit()
                return True
            if key == Qt.Key.Key_S:
                self.flush()
                return True
            if key != Qt.Key.Key_Z:
                return False
        elif mods not in _PLAIN or key not in _EDIT_KEYS | _NAV_KEYS:
            return False
        self._hide_message()
        row = self.view.currentIndex().row()
        cid = self.model.criterion_at(row)
        if key in _NAV_KEYS:
            self._navigate(key, row)
            return True
        if self._read_only:
            self._show_message(self._read_only)
            return True
        try:
            if key == Qt.Key.Key_Z:
                self._undo()
            elif cid is None:
                return True
            elif key in _DIGITS:
                self._changed(self.state.rate(cid, _DIGITS[key]))
                self._move_to(self._next_applicable(row))
            elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self._changed(self.state.rate(cid, None))
            elif key == Qt.Key.Key_N:
                self.state.check_na_allowed(cid)
                self._open_prompt("na", cid)
            elif key == Qt.Key.Key_X:
                self._changed(self.state.toggle_no_needs(self.model.section_at(row).code))
            else:  # C, Enter
                self._open_prompt("comment", cid)
        except Refused as exc:
            self._show_message(exc.message)
        self.last_key_ms = (time.perf_counter() - start) * 1000
        return True

    def _navigate(self, key, row: int) -> None:
        rows = [r for r in range(self.model.rowCount()) if self.model.rows[r][0] == CRITERION]
        if not rows:
            return
        if key == Qt.Key.Key_Escape:
            self.flush()
            self.backRequested.emit()
        elif key in _MOVES:
            later = [r for r in rows if r > row] if _MOVES[key] > 0 else [r for r in rows if r < row]
            if later:
                self._move_to(later[0] if _MOVES[key] > 0 else later[-1])
        elif key in _SECTION_MOVES:
            code = self.model.section_at(row).code
            starts = [self.model.row_of[s.code] + 1 for s in self.state.fw.sections]
            here = self.model.row_of[code] + 1
            step = [r for r in starts if (r > here if _SECTION_MOVES[key] > 0 else r < here)]
            if step:
                self._move_to(step[0] if _SECTION_MOVES[key] > 0 else step[-1])
            elif _SECTION_MOVES[key] < 0:
                self._move_to(here)
        else:
            self._move_to(rows[0] if key == Qt.Key.Key_Home else rows[-1])

    def _next_applicable(self, row: int) -> int:
        """After a rating: the next criterion that "no needs" has not made N/A, or stay."""
        for r in range(row + 1, self.model.rowCount()):
            cid = self.model.criterion_at(r)
            if cid is not None and self.state.off_reason(cid) is None:
                return r
        left = len(self.state.unrated())
        self._show_message("That was the last criterion. " + (
            f"{left} {'criterion is' if left == 1 else 'criteria are'} not rated yet and count as 0 (not evidenced)."
            if left else "Every criterion is scored: Ctrl+Enter submits."), info=True)
        return row

    def _move_to(self, row: int) -> None:
        if row < 0:
            return
        index = self.model.index(row)
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._keep_in_view(row)

    def _keep_in_view(self, row: int) -> None:
        """Scroll only when the current row nears an edge, and then so that it sits a fifth of the
        way down, with its section's header if it is the first: the auditor sees what comes next,
        and the list scrolls every few criteria instead of a row at every key."""
        view = self.view
        height = view.viewport().height()
        rect = view.visualRect(self.model.index(row))
        top = rect.top()
        if row and self.model.rows[row - 1][0] != CRITERION:
            top = view.visualRect(self.model.index(row - 1)).top()
        if top >= 0 and rect.bottom() <= height * 0.8:
            return
        bar = view.verticalScrollBar()
        bar.setValue(bar.value() + top - int(height * 0.2))

    def _changed(self, keys: set[str], force: bool = False) -> None:
        """After any change in memory: re-grade, repaint what changed, save after a pause."""
        if not keys and not force:  # the same value again: nothing to do
            return
        result = self.state.grade()
        self.model.refresh(keys)
        self.grade_panel.show_result(result)
        self._timer.start(AUTOSAVE_MS)
        if self.save_label.text() not in ("Saving\u2026", "Not saved: will retry"):  # a style sheet costs a re-polish
            self.save_label.setText("Saving\u2026")
            self.save_label.setStyleSheet("color: #5f6368;")

    def _undo(self) -> None:
        undone = self.state.undo()
        if undone is None:
            self._show_message("Nothing to undo.", info=True)
            return
        what, cid, keys = undone
        self.critical_check.blockSignals(True)
        self.critical_check.setChecked(self.state.critical_concern)
        self.critical_check.blockSignals(False)
        self._changed(keys, force=True)
        if cid is not None:
            self.select_criterion(cid)
        self._show_message(f"Undone: {what}.", info=True)

    def _critical_toggled(self, checked: bool) -> None:
        if self.state is not None and not self._read_only:
            self._changed(self.state.set_critical(checked), force=True)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the inline prompt and messages ------------------------------------------------------------

    def _open_prompt(self, kind: str, cid: str) -> None:
        self._prompt_for = (kind, cid)
        st = self.state
        if kind == "na":
            self.slot.ask(f"Why is {cid} not applicable?", "The reason, for the moderator (required)",
                          st.na_reasons.get(cid, "") if st.ratings.get(cid) == "na" else "")
        else:
            self.slot.ask(f"Comment on {cid}:", "What you saw in the plan (leave empty to remove the comment)",
                          st.comments.get(cid, ""))

    def _answer_prompt(self, text: str) -> None:
        if self._prompt_for is None:
            return
        kind, cid = self._prompt_for
        try:
            keys = self.state.set_na(cid, text) if kind == "na" else self.state.set_comment(cid, text)
        except Refused as exc:
            self.slot.problem(exc.message)
            return
        self._close_prompt()
        self._changed(keys)
        if kind == "na":
            self._move_to(self._next_applicable(self.model.row_of[cid]))

    def _close_prompt(self) -> None:
        was_open = self._prompt_for is not None
        self._prompt_for = None
        self.slot.close_question()
        if was_open:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_message(self, text: str, info: bool = False) -> None:
        self.slot.show_message(text, info)

    def _hide_message(self) -> None:
        self.slot.hide_message()
