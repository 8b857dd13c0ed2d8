"""Detail forms for a priority and an outcome: their own fields and a summary of their actions."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from send_desktop.services.plan_read import ActionRow, OutcomeRow, PlanSnapshot, PriorityRow, WorkstreamRow
from send_desktop.ui.widgets import CommitLineEdit, CommitTextEdit, chip_html, escape_html

PRIORITY_KINDS = ("area for priority action", "area for improvement")


def workstream_combo() -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(16)
    return combo


def set_combo_data(combo: QComboBox, workstreams: list[WorkstreamRow], current: int | None) -> None:
    """Fill a workstream combo (keeping "No workstream" first) and select the current one."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem("(No workstream)", None)
    for ws in workstreams:
        combo.addItem(ws.name, ws.id)
    combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
    combo.blockSignals(False)


def summary_html(snapshot: PlanSnapshot, actions: list[ActionRow]) -> str:
    """"12 actions" then a chip and count per status, then how many are overdue."""
    if not actions:
        return "<p style='color:#6b6b6b'>No actions yet.</p>"
    counts = Counter(a.level.id if a.level else None for a in actions)
    shown = [(lv.colour, lv.label, counts[lv.id]) for lv in snapshot.scale.levels if counts[lv.id]]
    if counts[None]:
        shown.append((None, "Not rated", counts[None]))
    rows = [f"<tr><td>{chip_html(colour, label)}</td><td align='right'>&nbsp;&nbsp;{n}</td></tr>"
            for colour, label, n in shown]
    overdue = sum(a.overdue for a in actions)
    overdue_line = (f"<p style='color:#b3261e'><b>{overdue} overdue</b> (past the due date, not complete)</p>"
                    if overdue else "<p>None overdue.</p>")
    noun = "action" if len(actions) == 1 else "actions"
    return (f"<p><b>{len(actions)} {noun}</b></p><table cellspacing='3'>{''.join(rows)}</table>{overdue_line}")


def action_list_html(actions: list[ActionRow]) -> str:
    """Each action on a line: ref, status chip, overdue flag and the start of its words."""
    rows = []
    for a in actions:
        chip = chip_html(a.level.colour, a.level.label) if a.level else chip_html(None, "Not rated")
        late = "<b style='color:#b3261e'>Overdue</b>" if a.overdue else ""
        words = escape_html(a.text if len(a.text) <= 70 else a.text[:69].rstrip() + "\u2026")
        rows.append(f"<tr><td><b>{escape_html(a.ref)}</b></td><td>{chip}</td><td>{late}</td><td>{words}</td></tr>")
    return f"<table cellspacing='4'>{''.join(rows)}</table>" if rows else ""


def _summary_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    return form


class OutcomeForm(QWidget):
    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.ref_edit = CommitLineEdit()
        self.ref_edit.setMaximumWidth(110)
        self.text_edit = CommitTextEdit(enter_commits=True, lines=3, fit_up_to=12)
        self.summary = _summary_label()
        self.summary.setWordWrap(True)
        form = _form()
        form.addRow("&Reference", self.ref_edit)
        form.addRow("&Outcome", self.text_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.ref_edit.committed.connect(lambda v: self.edited.emit({"ref": v.strip()}))
        self.text_edit.committed.connect(lambda v: self.edited.emit({"text": v}))

    def show_outcome(self, snapshot: PlanSnapshot, outcome: OutcomeRow) -> None:
        self.title.setText(f"Outcome {outcome.ref}")
        self.ref_edit.set_value(outcome.ref)
        self.text_edit.set_value(outcome.text)
        self.summary.setText(summary_html(snapshot, outcome.actions) + action_list_html(outcome.actions))

    def set_read_only(self, read_only: bool) -> None:
        self.ref_edit.setReadOnly(read_only)
        self.text_edit.setReadOnly(read_only)


class PriorityForm(QWidget):
    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.ref_edit = CommitLineEdit()
        self.ref_edit.setMaximumWidth(110)
        self.kind_combo = QComboBox()
        self.statement_edit = CommitTextEdit(enter_commits=True, lines=5, grow=True)
        self.workstream_combo = workstream_combo()
        self.evidence_edit = CommitTextEdit(lines=4, grow=True)
        self.evidence_edit.setPlaceholderText("One measure per line")
        self.difference_edit = CommitTextEdit(lines=4, grow=True)
        self.difference_edit.setPlaceholderText("One point per line")
        self.summary = _summary_label()
        form = _form()
        form.addRow("&Reference", self.ref_edit)
        form.addRow("&Kind", self.kind_combo)
        form.addRow("&Statement", self.statement_edit)
        form.addRow("&Workstream", self.workstream_combo)
        form.addRow("&Evidence of\nimpact", self.evidence_edit)
        form.addRow("&Difference for\nchildren and\nyoung people", self.difference_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form, 1)
        layout.addWidget(self.summary)
        self._priority: PriorityRow | None = None
        self.ref_edit.committed.connect(lambda v: self.edited.emit({"ref": v.strip()}))
        self.statement_edit.committed.connect(lambda v: self.edited.emit({"statement": v}))
        self.evidence_edit.committed.connect(lambda v: self.edited.emit({"evidence_of_impact": _clean_lines(v)}))
        self.difference_edit.committed.connect(lambda v: self.edited.emit({"difference_for_cyp": _clean_lines(v)}))
        self.kind_combo.activated.connect(self._kind_chosen)
        self.workstream_combo.activated.connect(self._workstream_chosen)

    def show_priority(self, snapshot: PlanSnapshot, priority: PriorityRow) -> None:
        self._priority = priority
        self.title.setText(f"Priority {priority.ref}: {priority.kind}")
        self.ref_edit.set_value(priority.ref)
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        self.kind_combo.addItems(list(dict.fromkeys((*PRIORITY_KINDS, priority.kind))))
        self.kind_combo.setCurrentText(priority.kind)
        self.kind_combo.blockSignals(False)
        self.statement_edit.set_value(priority.statement)
        set_combo_data(self.workstream_combo, snapshot.workstreams, priority.workstream_id)
        self.evidence_edit.set_value(priority.evidence_of_impact)
        self.difference_edit.set_value(priority.difference_for_cyp)
        self.summary.setText(summary_html(snapshot, [a for o in priority.outcomes for a in o.actions]))

    def set_read_only(self, read_only: bool) -> None:
        for edit in (self.ref_edit, self.statement_edit, self.evidence_edit, self.difference_edit):
            edit.setReadOnly(read_only)
        self.kind_combo.setEnabled(not read_only)
        self.workstream_combo.setEnabled(not read_only)

    def _kind_chosen(self, _index: int) -> None:
        if self._priority is not None and self.kind_combo.currentText() != self._priority.kind:
            self.edited.emit({"kind": self.kind_combo.currentText()})

    def _workstream_chosen(self, _index: int) -> None:
        chosen = self.workstream_combo.currentData()
        if self._priority is not None and chosen != self._priority.workstream_id:
            self.edited.emit({"workstream_id": chosen})


def _clean_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())
