"""One audit on screen: its header (plan, status, the buttons its status allows) above either the
scoring form or, once moderated, the original and moderated scoring side by side.

What is shown follows the audit's state, read afresh after every step:

- draft: the auditor's scoring, editable; Details… and Submit (Ctrl+Enter);
- submitted: the same, read only; Reopen as draft and Moderate…;
- moderation in progress: the moderator's scoring in the same form. Blind (the default) means
  the original is not shown anywhere on this page (no ratings, grade, actions) until complete;
- moderated: the comparison (`audit_moderation.ModerationComparison`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from send_desktop.core.lazy import lazy_module
from send_desktop.errors import UserError
from send_desktop.services.audit_frameworks import load_framework
from send_desktop.services.audit_read import AuditRecord, load_audit
from send_desktop.ui.audit_form import ScoringForm
from send_desktop.ui.audit_form_state import ScoringState
from send_desktop.ui.audit_list_model import day_text
from send_desktop.ui.widgets import StatusChip, show_error

audit_edit = lazy_module("send_desktop.services.audit_edit")

STATUS_CHIPS = {"draft": ("#e8eaed", "Draft"), "submitted": ("#aecbfa", "Submitted"),
                "moderating": ("#fde293", "Moderation in progress"), "moderated": ("#a8dab5", "Moderated")}


def describe(rec: AuditRecord) -> str:
    parts = [rec.plan_type[:1].upper() + rec.plan_type[1:], rec.team, rec.key_stage, rec.primary_need,
             rec.setting_type]
    who = f"audited {day_text(rec.audit_date)}" + (f" by {rec.auditor}" if rec.auditor else "") + (
        f" ({rec.agency})" if rec.agency else "")
    return " \u00b7 ".join([p for p in parts if p] + [who])


class AuditPage(QWidget):
    backRequested = Signal()
    statusMessage = Signal(str)
    changed = Signal()  # something stored changed: the list should re-read

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = None
        self.record: AuditRecord | None = None
        self.mode = ""
        self.dialog = None  # an open details or moderation dialog
        self.back_button = QPushButton("\u2190 Audits")
        self.back_button.setToolTip("Back to the list (Esc); the scoring is saved first")
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet("color: #3c4043;")
        self.subtitle.setWordWrap(True)
        self.chip = StatusChip()
        self.details_button = QPushButton("Details\u2026")
        self.submit_button = QPushButton("Submit")
        self.submit_button.setToolTip("Submit the audit (Ctrl+Enter); it is then read only")
        self.reopen_button = QPushButton("Reopen as draft")
        self.moderate_button = QPushButton("Moderate\u2026")
        self.moderate_button.setToolTip("A second auditor re-scores this plan, blind by default")
        self.complete_button = QPushButton("Complete moderation")
        self.complete_button.setToolTip("The moderated grade becomes the reported grade (Ctrl+Enter)")
        for button, slot in ((self.back_button, self.backRequested.emit), (self.details_button, self.edit_details),
                             (self.submit_button, self.submit), (self.reopen_button, self.reopen),
                             (self.moderate_button, self.moderate), (self.complete_button, self.complete)):
            button.clicked.connect(slot)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the keys with the criteria

        titles = QVBoxLayout()
        titles.setSpacing(1)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.chip)
        top.addStretch(1)
        titles.addLayout(top)
        titles.addWidget(self.subtitle)
        header = QHBoxLayout()
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addSpacing(8)
        header.addLayout(titles, 1)
        for button in (self.details_button, self.reopen_button, self.moderate_button, self.submit_button,
                       self.complete_button):
            header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

        self.form = ScoringForm()
        self.form.backRequested.connect(self.backRequested)
        self.form.submitRequested.connect(self._ctrl_enter)
        self.form.saved.connect(self._saved)
        self._comparison = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

    # -- showing -----------------------------------------------------------------------------------

    def open_audit(self, db, audit_id: int) -> bool:
        """Show this audit as its state says; False (with the reason shown) if it cannot be read."""
        self.form.flush()
        self.db = db
        try:
            rec = load_audit(db, audit_id)
            if rec is None:
                raise UserError("That audit no longer exists; it may have been deleted.")
            fw = load_framework(db, rec.framework_id)
        except Exception as exc:
            show_error(self, exc, "Cannot open the audit")
            return False
        self.record = rec
        m = rec.moderation
        self.mode = "moderated" if m is not None and m.status == "complete" else (
            "moderating" if m is not None else rec.status)
        read_only_file = db.read_only_message() if db.read_only else ""
        self.title.setText(rec.plan_ref)
        self.subtitle.setText(describe(rec))
        if self.mode == "moderating":
            self.subtitle.setText(f"Moderation by {m.moderator} on {day_text(m.moderation_date)}"
                                  + (" \u00b7 blind: the original scoring is hidden until it is complete"
                                     if m.blind else "") + f" \u00b7 {describe(rec)}")
        colour, words = STATUS_CHIPS.get(self.mode, ("#e8eaed", self.mode))
        self.chip.set_status(colour, words + (" (blind)" if self.mode == "moderating" and m.blind else ""))
        self.details_button.setVisible(self.mode == "draft")
        self.submit_button.setVisible(self.mode == "draft")
        self.reopen_button.setVisible(self.mode == "submitted")
        self.moderate_button.setVisible(self.mode == "submitted")
        self.complete_button.setVisible(self.mode == "moderating")
        for button in (self.details_button, self.submit_button, self.reopen_button, self.moderate_button,
                       self.complete_button):
            button.setEnabled(not db.read_only)
        if self.mode == "moderated":
            self._show_comparison(fw, rec)
            return True
        if self.mode == "moderating":
            state = ScoringState(fw, m.ratings, m.na_reasons, m.comments, m.no_needs, m.critical_concern)
            self.form.show_scoring(state, lambda delta: audit_edit.update_moderation(db, m.id, delta),
                                   read_only=read_only_file, actions=None)
        else:
            state = ScoringState(fw, rec.ratings, rec.na_reasons, rec.comments, rec.no_needs, rec.critical_concern)
            read_only = read_only_file or ("" if rec.status == "draft" else
                                           "this audit is submitted; Reopen as draft to change it.")
            self.form.show_scoring(state, lambda delta: audit_edit.update_audit(db, rec.id, delta),
                                   read_only=read_only, actions=rec.actions, save_action=self._save_action)
        self.stack.setCurrentWidget(self.form)
        return True

    def reopen_current(self) -> None:
        if self.record is not None and self.db is not None:
            self.open_audit(self.db, self.record.id)

    def flush(self) -> bool:
        return self.form.flush()

    def _show_comparison(self, fw, rec: AuditRecord) -> None:
        from send_desktop.ui.audit_moderation import ModerationComparison

        if self._comparison is None:
            self._comparison = ModerationComparison()
            self.stack.addWidget(self._comparison)
        self._comparison.show_audit(fw, rec)
        self.stack.setCurrentWidget(self._comparison)
        self._comparison.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:  # from anywhere on the page not using Esc itself
            self.form.flush()
            self.backRequested.emit()
            return
        super().keyPressEvent(event)

    # -- steps -----------------------------------------------------------------------------------------

    def _run(self, title: str, step) -> bool:
        """Run one service call; a refusal is explained and the page shows what is really stored."""
        try:
            step()
        except Exception as exc:
            show_error(self, exc, title)
            self.reopen_current()
            return False
        self.changed.emit()
        return True

    def _saved(self, stamp: str) -> None:
        self.changed.emit()
        self.statusMessage.emit(f"{stamp} \u00b7 {self.record.plan_ref}" if self.record else stamp)
        if self.mode == "draft" and self.record is not None:
            rec = load_audit(self.db, self.record.id)
            if rec is not None:
                self.form.set_actions(rec.actions)

    def _save_action(self, action_id: int, values: dict) -> bool:
        """An edit in the actions table (which keeps its own row; nothing is re-read mid-edit)."""
        try:
            audit_edit.update_action(self.db, action_id, values)
        except Exception as exc:
            show_error(self, exc, "Cannot change the action")
            return False
        self.statusMessage.emit("Saved the improvement action")
        return True

    def _ctrl_enter(self) -> None:
        if self.mode == "draft":
            self.submit()
        elif self.mode == "moderating":
            self.complete()

    def submit(self) -> None:
        if self.mode != "draft" or not self.form.flush():
            return
        unrated = self.form.state.unrated()
        if unrated:
            shown = ", ".join(unrated[:8]) + ("\u2026" if len(unrated) > 8 else "")
            answer = QMessageBox.question(
                self, "Submit audit", f"{len(unrated)} criteria are not rated ({shown}); they count as 0, "
                "not evidenced.\n\nSubmit anyway?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.form.select_criterion(unrated[0])
                return
        grade = self.form.state.result.grade
        if self._run("Cannot submit the audit", lambda: audit_edit.set_status(self.db, self.record.id, "submitted")):
            self.statusMessage.emit(f"Submitted the audit of {self.record.plan_ref}: {grade}")
            self.reopen_current()

    def reopen(self) -> None:
        if self._run("Cannot reopen the audit", lambda: audit_edit.set_status(self.db, self.record.id, "draft")):
            self.statusMessage.emit(f"The audit of {self.record.plan_ref} is a draft again")
            self.reopen_current()

    def edit_details(self) -> None:
        from send_desktop import settings
        from send_desktop.services.audit_read import distinct_values
        from send_desktop.ui.audit_dialogs import AuditDetailsDialog

        rec = self.record
        values = {k: getattr(rec, k) for k in ("plan_ref", "plan_type", "plan_issue_date", "team", "key_stage",
                                               "primary_need", "setting_type", "auditor", "agency", "audit_date")}
        choices = {c: distinct_values(self.db, c) for c in ("team", "auditor", "agency")}
        self.dialog = AuditDetailsDialog(self, values, choices, settings.user_name() or "")
        self.dialog.accepted.connect(lambda: self._save_details(self.dialog.values()))
        self.dialog.finished.connect(lambda _code: setattr(self, "dialog", None))
        self.dialog.open()

    def _save_details(self, values: dict) -> None:
        self.form.flush()
        if self._run("Cannot change the details", lambda: audit_edit.update_audit(self.db, self.record.id, values)):
            self.reopen_current()

    def moderate(self) -> None:
        from send_desktop import settings
        from send_desktop.ui.audit_dialogs import ModerationDialog

        self.dialog = ModerationDialog(self, "", self.record.auditor)
        if settings.user_name() and settings.user_name().casefold() != (self.record.auditor or "").casefold():
            self.dialog.moderator_edit.setText(settings.user_name())
        self.dialog.accepted.connect(lambda: self._start_moderation(*self.dialog.values()))
        self.dialog.finished.connect(lambda _code: setattr(self, "dialog", None))
        self.dialog.open()

    def _start_moderation(self, moderator: str, blind: bool, day) -> None:
        if self._run("Cannot start the moderation", lambda: audit_edit.start_moderation(
                self.db, self.record.id, moderator, blind=blind, day=day)):
            self.statusMessage.emit(f"Moderation of {self.record.plan_ref} started" + (" (blind)" if blind else ""))
            self.reopen_current()

    def complete(self) -> None:
        if self.mode != "moderating" or not self.form.flush():
            return
        grade = self.form.state.result.grade
        answer = QMessageBox.question(
            self, "Complete moderation", f"Complete the moderation?\n\nThe moderated grade, {grade}, becomes the "
            "reported grade. The original scoring is kept, and both are then shown side by side. The moderation "
            "cannot be changed afterwards.", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        m = self.record.moderation
        if self._run("Cannot complete the moderation", lambda: audit_edit.complete_moderation(self.db, m.id)):
            self.statusMessage.emit(f"Moderation of {self.record.plan_ref} complete: reported grade {grade}")
            self.reopen_current()
