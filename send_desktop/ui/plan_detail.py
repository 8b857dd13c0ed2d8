"""The right-hand pane of the Plan area: the selected action's fields and its whole history,
or a priority's or outcome's fields with a summary of the actions under it.

The pane is a form, not an editor of the database: when a field is left (focus out or Enter)
and its value changed, it emits `edited(key, changes)` and the view turns that into an undoable
command. After the command runs, the view shows the item again from the new snapshot.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QTextBrowser,
    QVBoxLayout, QWidget,
)

from send_desktop.core.timescale import parse_timescale
from send_desktop.services.plan_read import ActionRow, PlanSnapshot
from send_desktop.ui.plan_detail_groups import OutcomeForm, PriorityForm, set_combo_data, workstream_combo
from send_desktop.ui.plan_tree_model import ACTION, OUTCOME, PRIORITY, NodeKey, due_text, short_date
from send_desktop.ui.widgets import (
    CommitLineEdit, CommitTextEdit, NameListCompleter, StatusChip, chip_html, escape_html, split_names,
)


def history_html(snapshot: PlanSnapshot, action: ActionRow) -> str:
    """Every update, newest first: date, status chip, author, narrative and evidence."""
    if not action.updates:
        return "<p style='color:#6b6b6b'>No updates yet. Use <b>Add update\u2026</b> to record the first.</p>"
    parts = []
    for u in reversed(action.updates):
        level = snapshot.scale.by_id(u.level_id)
        chip = chip_html(level.colour, level.label) if level else chip_html(None, "Not rated")
        author = f" &nbsp;<span style='color:#555'>{escape_html(u.author)}</span>" if u.author else ""
        evidence = (f"<br><span style='color:#555'>Evidence: {escape_html(u.evidence)}</span>"
                    if u.evidence else "")
        narrative = escape_html(u.narrative).replace("\n", "<br>") or "<i>No narrative</i>"
        parts.append(f"<p style='margin-bottom:10px'><b>{short_date(u.date)}</b> &nbsp;{chip}{author}<br>"
                     f"{narrative}{evidence}</p>")
    return "".join(parts)


def section_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; color: #333; margin-top: 6px;")
    return label


class ActionForm(QWidget):
    """An action's own fields, its current status and its history."""

    edited = Signal(object)  # dict of changed fields
    addUpdateRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ref_edit = CommitLineEdit()
        self.ref_edit.setFixedWidth(90)
        self.ref_edit.setToolTip("Reference (priority.outcome.action)")
        self.ref_warning = QLabel()
        self.ref_warning.setStyleSheet("color: #8a1c13;")
        self.status_chip = StatusChip()
        self.add_update_button = QPushButton("Add update\u2026")
        self.add_update_button.setToolTip("Record a dated status with what happened (Ctrl+U)")
        self.add_update_button.clicked.connect(self.addUpdateRequested)

        header = QHBoxLayout()
        title = QLabel("Action")
        title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        header.addWidget(title)
        header.addWidget(self.ref_edit)
        header.addStretch(1)
        header.addWidget(self.status_chip)
        header.addWidget(self.add_update_button)

        self.text_edit = CommitTextEdit(enter_commits=True, lines=2, fit_up_to=7)
        self.text_edit.setPlaceholderText("What we will do")
        self.workstream_combo = workstream_combo()
        self.leads_edit = CommitLineEdit()
        self.leads_edit.setPlaceholderText("Names, separated by commas")
        self.leads_completer = NameListCompleter([], self.leads_edit)
        self.leads_edit.setCompleter(self.leads_completer)
        self.timescale_edit = CommitLineEdit()
        self.timescale_edit.setPlaceholderText("e.g. July 2025, Q3 2025/26, Ongoing")
        self.due_label = QLabel()
        self.due_label.setMinimumWidth(130)
        self.criteria_edit = CommitTextEdit(lines=3, fit_up_to=8)
        self.criteria_edit.setPlaceholderText("One success criterion per line")

        timescale_row = QHBoxLayout()
        timescale_row.addWidget(self.timescale_edit, 1)
        timescale_row.addWidget(self.due_label)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.addRow("What we will &do", self.text_edit)
        form.addRow("&Workstream", self.workstream_combo)
        form.addRow("&Lead officers", self.leads_edit)
        timescale_label = QLabel("&Timescale")
        timescale_label.setBuddy(self.timescale_edit)
        form.addRow(timescale_label, timescale_row)
        form.addRow("Success &criteria", self.criteria_edit)

        self.history_label = section_label("History")
        self.history = QTextBrowser()
        self.history.setOpenLinks(False)
        self.history.setFrameShape(QFrame.Shape.StyledPanel)
        self.history.setMinimumHeight(150)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.ref_warning)
        layout.addLayout(form)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history, 1)

        self.ref_edit.committed.connect(lambda v: self.edited.emit({"ref": v}))
        self.text_edit.committed.connect(lambda v: self.edited.emit({"text": v}))
        self.leads_edit.committed.connect(lambda v: self.edited.emit({"leads": split_names(v)}))
        self.timescale_edit.committed.connect(lambda v: self.edited.emit({"timescale": v}))
        self.criteria_edit.committed.connect(lambda v: self.edited.emit({"success_criteria": v.split("\n")}))
        self.workstream_combo.activated.connect(self._workstream_chosen)
        self.timescale_edit.textChanged.connect(self._show_due)
        self._action: ActionRow | None = None

    def show_action(self, snapshot: PlanSnapshot, action: ActionRow) -> None:
        self._action = action
        self.ref_edit.set_value(action.ref)
        self.ref_warning.setText(f"\u26a0 Reference {action.ref} is used more than once in this plan"
                                 if action.duplicate_ref else "")
        self.ref_warning.setVisible(action.duplicate_ref)
        if action.level:
            self.status_chip.set_status(action.level.colour, f"{action.level.label}",
                                        f"{action.level.code} \u2013 {action.level.label}: {action.level.meaning}")
        else:
            self.status_chip.set_status(None, "Not rated yet", "No update has been recorded")
        self.text_edit.set_value(action.text)
        set_combo_data(self.workstream_combo, snapshot.workstreams, action.workstream_id)
        self.leads_edit.set_value(", ".join(action.leads))
        self.leads_completer.model().setStringList([p.name for p in snapshot.people])
        self.timescale_edit.set_value(action.timescale)
        self._show_due(action.timescale)
        self.criteria_edit.set_value("\n".join(action.success_criteria))
        count = len(action.updates)
        self.history_label.setText(f"History ({count} update{'s' if count != 1 else ''}, newest first)")
        self.history.setHtml(history_html(snapshot, action))

    def set_read_only(self, read_only: bool) -> None:
        for edit in (self.ref_edit, self.text_edit, self.leads_edit, self.timescale_edit, self.criteria_edit):
            edit.setReadOnly(read_only)
        self.workstream_combo.setEnabled(not read_only)
        self.add_update_button.setEnabled(not read_only)

    def _workstream_chosen(self, _index: int) -> None:
        chosen = self.workstream_combo.currentData()
        if self._action is not None and chosen != self._action.workstream_id:
            self.edited.emit({"workstream_id": chosen})

    def _show_due(self, text: str) -> None:
        due = parse_timescale(text)
        overdue = self._action is not None and self._action.overdue and due == self._action.due_date
        words = due_text(text, due) + (" \u2022 Overdue" if overdue else "")
        self.due_label.setText(words)
        self.due_label.setStyleSheet("color: #b3261e; font-weight: 600;" if overdue else "color: #444;")


class PlanDetailPane(QStackedWidget):
    """Shows whatever is selected in the tree; emits `edited(key, changes)` for the view to push."""

    edited = Signal(object, object)  # NodeKey, dict
    addUpdateRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.empty_label = QLabel("Select an action to see its details and history.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #6b6b6b;")
        self.action_form = ActionForm()
        self.outcome_form = OutcomeForm()
        self.priority_form = PriorityForm()
        for page in (self.empty_label, self.action_form, self.outcome_form, self.priority_form):
            self.addWidget(page)
        self.setMinimumWidth(340)
        self._key: NodeKey | None = None
        self.action_form.edited.connect(lambda changes: self._emit(changes))
        self.outcome_form.edited.connect(lambda changes: self._emit(changes))
        self.priority_form.edited.connect(lambda changes: self._emit(changes))
        self.action_form.addUpdateRequested.connect(self.addUpdateRequested)

    @property
    def key(self) -> NodeKey | None:
        return self._key

    def _emit(self, changes: dict) -> None:
        if self._key is not None:
            self.edited.emit(self._key, changes)

    def show_item(self, snapshot: PlanSnapshot | None, key: NodeKey | None, item=None,
                  empty_text: str = "Select an action to see its details and history.") -> None:
        self._key = key if item is not None else None
        if snapshot is None or item is None:
            self.empty_label.setText(empty_text)
            self.setCurrentWidget(self.empty_label)
        elif key[0] == ACTION:
            self.action_form.show_action(snapshot, item)
            self.setCurrentWidget(self.action_form)
        elif key[0] == OUTCOME:
            self.outcome_form.show_outcome(snapshot, item)
            self.setCurrentWidget(self.outcome_form)
        elif key[0] == PRIORITY:
            self.priority_form.show_priority(snapshot, item)
            self.setCurrentWidget(self.priority_form)

    def set_read_only(self, read_only: bool) -> None:
        for form in (self.action_form, self.outcome_form, self.priority_form):
            form.set_read_only(read_only)

    def focus_first_field(self) -> None:
        page = self.currentWidget()
        target = {self.action_form: self.action_form.text_edit, self.outcome_form: self.outcome_form.text_edit,
                  self.priority_form: self.priority_form.statement_edit}.get(page)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
