"""Small dialogs of the Audits area: an audit's details (new or edited) and starting a moderation.

There is deliberately no field for a child's name anywhere: an audit is identified by the plan's
pseudonymous reference, and the reference field says so. The dialogs only collect values; the
caller runs the service and shows any refusal through `show_error`.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
    QWidget,
)

from send_desktop.services.audit_edit import PLAN_TYPES

KEY_STAGES = ("Early years", "KS1", "KS2", "KS3", "KS4", "Post-16", "Post-19")
PRIMARY_NEEDS = ("Autistic spectrum disorder", "Social, emotional and mental health",
                 "Speech, language and communication needs", "Moderate learning difficulty",
                 "Severe learning difficulty", "Profound and multiple learning difficulty",
                 "Specific learning difficulty", "Physical disability", "Hearing impairment", "Visual impairment",
                 "Multi-sensory impairment", "Other difficulty or disability")
SETTING_TYPES = ("Mainstream primary", "Mainstream secondary", "Resourced provision", "Special school",
                 "Further education college", "Independent specialist", "Early years setting", "Not in education")
AGENCIES = ("SEND casework", "Education", "Educational psychology", "Health", "Social care")
NOT_KNOWN = QDate(1900, 1, 1)  # the date edit's "not known" value (shown as words, never as a date)


def _combo(options, current: str = "", editable: bool = True) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(editable)
    combo.addItems([o for o in dict.fromkeys(options) if o])
    combo.setCurrentIndex(-1)
    if editable:
        combo.setEditText(current)
        combo.lineEdit().setPlaceholderText("Choose or type")
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


def _date_edit(day: dt.date | None, optional: bool) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    if optional:
        edit.setMinimumDate(NOT_KNOWN)
        edit.setSpecialValueText("Not known")
    edit.setDate(QDate(day) if day else (NOT_KNOWN if optional else QDate.currentDate()))
    return edit


class AuditDetailsDialog(QDialog):
    """The details of a new audit, or of an existing one (`values` given)."""

    def __init__(self, parent: QWidget | None = None, values: dict | None = None,
                 choices: dict[str, list[str]] | None = None, default_auditor: str = ""):
        super().__init__(parent)
        new = values is None
        values = values or {}
        choices = choices or {}
        self.setWindowTitle("New audit" if new else "Audit details")
        self.ref_edit = QLineEdit(values.get("plan_ref", ""))
        self.ref_edit.setPlaceholderText("e.g. HD-104512")
        self.ref_edit.setMaxLength(64)
        ref_note = QLabel("The plan's reference only: never the child's name.")
        ref_note.setStyleSheet("color: #5f6368;")
        self.type_combo = QComboBox()
        for t in PLAN_TYPES:
            self.type_combo.addItem(t[:1].upper() + t[1:], t)
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(values.get("plan_type", "annual review"))))
        self.issue_date = _date_edit(values.get("plan_issue_date"), optional=True)
        self.audit_date = _date_edit(values.get("audit_date") or dt.date.today(), optional=False)
        self.team_combo = _combo(choices.get("team", []), values.get("team", ""))
        self.key_stage_combo = _combo(KEY_STAGES, values.get("key_stage", ""))
        self.need_combo = _combo(PRIMARY_NEEDS, values.get("primary_need", ""))
        self.setting_combo = _combo(SETTING_TYPES, values.get("setting_type", ""))
        self.auditor_combo = _combo(choices.get("auditor", []), values.get("auditor", default_auditor))
        self.agency_combo = _combo([*AGENCIES, *choices.get("agency", [])], values.get("agency", ""))
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e; font-weight: 600;")
        self.problem.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Plan &reference", self.ref_edit)
        form.addRow("", ref_note)
        form.addRow("Plan &type", self.type_combo)
        form.addRow("Plan &issued", self.issue_date)
        form.addRow("&Team or locality", self.team_combo)
        form.addRow("&Key stage", self.key_stage_combo)
        form.addRow("Primary &need", self.need_combo)
        form.addRow("&Setting type", self.setting_combo)
        form.addRow("&Auditor", self.auditor_combo)
        form.addRow("A&gency", self.agency_combo)
        form.addRow("Au&dit date", self.audit_date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create audit" if new else "Save")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.ref_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> dict:
        issued = self.issue_date.date()
        return {
            "plan_ref": self.ref_edit.text().strip(),
            "plan_type": self.type_combo.currentData(),
            "plan_issue_date": None if issued == NOT_KNOWN else issued.toPython(),
            "team": self.team_combo.currentText().strip(),
            "key_stage": self.key_stage_combo.currentText().strip(),
            "primary_need": self.need_combo.currentText().strip(),
            "setting_type": self.setting_combo.currentText().strip(),
            "auditor": self.auditor_combo.currentText().strip(),
            "agency": self.agency_combo.currentText().strip(),
            "audit_date": self.audit_date.date().toPython(),
        }

    def _check(self) -> None:
        if not self.ref_edit.text().strip():
            self.problem.setText("Give the plan's reference.")
            self.problem.show()
            self.ref_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.accept()


class ModerationDialog(QDialog):
    """Who moderates, whether blind (the default), and when."""

    def __init__(self, parent: QWidget | None = None, moderator: str = "", auditor: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Moderate this audit")
        intro = QLabel("A second auditor scores the same plan. When the moderation is complete its grade becomes "
                       "the reported grade; the original scoring is kept.")
        intro.setWordWrap(True)
        self.moderator_edit = QLineEdit(moderator)
        self.moderator_edit.setPlaceholderText("The moderator's name")
        self.blind_check = QCheckBox("&Blind: start with no ratings and hide the original scoring until complete")
        self.blind_check.setChecked(True)
        self.date_edit = _date_edit(dt.date.today(), optional=False)
        self._auditor = auditor
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e; font-weight: 600;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow("&Moderator", self.moderator_edit)
        form.addRow("&Date", self.date_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start moderation")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.blind_check)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        self.moderator_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> tuple[str, bool, dt.date]:
        return self.moderator_edit.text().strip(), self.blind_check.isChecked(), self.date_edit.date().toPython()

    def _check(self) -> None:
        name = self.moderator_edit.text().strip()
        problem = "Give the moderator's name." if not name else (
            "The moderator must be someone other than the auditor." if name.casefold() == self._auditor.casefold()
            else "")
        if problem:
            self.problem.setText(problem)
            self.problem.show()
            return
        self.accept()
