"""The month's audit sample, and the audit programme's settings.

`SampleDialog`: draw the month's sample from the caseload (stratified by team, plans audited in
the last twelve months left out, seeded so the same draw can be made again), see it by team,
and start draft audits for the plans drawn. `AuditSettingsDialog`: the target share good or
better, an external benchmark, and the monthly sampling rate. Both call services only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
    QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from send_desktop.ui.widgets import show_error


def _months(today: dt.date, back: int = 6, ahead: int = 1) -> list[str]:
    y, m = today.year, today.month
    out = []
    for step in range(-back, ahead + 1):
        yy, mm = divmod((y * 12 + m - 1) + step, 12)
        out.append(f"{yy:04d}-{mm + 1:02d}")
    return out[::-1]


def month_label(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    return dt.date(y, m, 1).strftime("%B %Y")


class SampleDialog(QDialog):
    def __init__(self, db, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or dt.date.today()
        self.started: list[int] = []  # ids of the audits started from the sample
        self.setWindowTitle("This month's audit sample")
        self.setMinimumSize(640, 520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.month_combo = QComboBox()
        for month in _months(self.today):
            self.month_combo.addItem(month_label(month), month)
        self.month_combo.setCurrentIndex(self.month_combo.findData(f"{self.today:%Y-%m}"))
        form.addRow("&Month:", self.month_combo)
        self.about = QLabel()
        self.about.setWordWrap(True)
        form.addRow("", self.about)
        layout.addLayout(form)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Plan reference", "Team", "Audit this month"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.draw_button = QPushButton("&Draw the sample")
        self.start_button = QPushButton("&Start draft audits for the plans drawn")
        buttons.addWidget(self.draw_button)
        buttons.addWidget(self.start_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.month_combo.currentIndexChanged.connect(self.show_month)
        self.draw_button.clicked.connect(self.draw)
        self.start_button.clicked.connect(self.start_audits)
        read_only = db.read_only
        self.draw_button.setEnabled(not read_only)
        self.show_month()
        self.start_button.setEnabled(not read_only and self.table.rowCount() > 0)

    def month(self) -> str:
        return self.month_combo.currentData()

    def show_month(self, *_args) -> None:
        from send_desktop.services.audit_settings import audit_settings
        from send_desktop.services.caseload import caseload_rows, sample_for_month

        month = self.month()
        caseload = caseload_rows(self.db)
        teams = {r.plan_ref: r.team or "" for r in caseload}
        rate = audit_settings(self.db).sample_rate
        sample = sample_for_month(self.db, month)
        with self.db.reading() as con:
            audited = {r[0] for r in con.execute("SELECT plan_ref FROM audit WHERE month=?", (month,))}
        refs = sample.plan_refs if sample else []
        self.table.setRowCount(len(refs))
        for row, ref in enumerate(refs):
            for col, text in enumerate((ref, teams.get(ref, ""), "started" if ref in audited else "—")):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if not caseload:
            text = ("No caseload is loaded yet: import the caseload list (File > Import from Excel > Caseload "
                    "list) to draw samples from it.")
        elif sample is None:
            text = (f"No sample drawn for {month_label(month)} yet. Drawing takes {rate * 100:g}% of the "
                    f"{len(caseload):,} plans on the caseload, spread over the teams, leaving out plans audited "
                    "in the last twelve months.")
        else:
            per_team = Counter(teams.get(r, "") for r in refs)
            text = (f"{len(refs)} plans drawn on {sample.drawn_at:%d %b %Y} at {sample.rate * 100:g}% of "
                    f"{sample.caseload_size:,} (seed {sample.seed}, so the draw can be repeated): "
                    + ", ".join(f"{team or 'no team'} {n}" for team, n in sorted(per_team.items()))
                    + f". {sum(1 for r in refs if r in audited)} already have an audit this month.")
        self.about.setText(text)
        self.draw_button.setText("Draw &again" if sample else "&Draw the sample")
        self.draw_button.setEnabled(bool(caseload) and not self.db.read_only)
        self.start_button.setEnabled(bool(refs) and not self.db.read_only)

    def draw(self) -> None:
        from send_desktop.services.caseload import draw_month_sample

        try:
            draw_month_sample(self.db, self.month())
        except Exception as exc:
            show_error(self, exc, "Cannot draw the sample")
            return
        self.show_month()

    def start_audits(self) -> None:
        """A draft audit, with the plan's details from the caseload, for each plan drawn that has
        none this month yet (the auditor's name is the user's)."""
        from send_desktop import settings
        from send_desktop.services import audit_edit
        from send_desktop.services.caseload import caseload_rows, sample_for_month

        sample = sample_for_month(self.db, self.month())
        if sample is None:
            return
        plans = {r.plan_ref: r for r in caseload_rows(self.db)}
        with self.db.reading() as con:
            audited = {r[0] for r in con.execute("SELECT plan_ref FROM audit WHERE month=?", (self.month(),))}
        y, m = (int(x) for x in self.month().split("-"))
        day = self.today if (self.today.year, self.today.month) == (y, m) else dt.date(y, m, 1)
        try:
            for ref in sample.plan_refs:
                if ref in audited:
                    continue
                p = plans.get(ref)
                values = {"plan_ref": ref, "audit_date": day, "auditor": settings.user_name() or ""}
                if p is not None:
                    values.update(team=p.team or "", key_stage=p.key_stage or "", primary_need=p.primary_need or "",
                                  setting_type=p.setting or "", plan_issue_date=p.issue_date)
                self.started.append(audit_edit.create_audit(self.db, values, source="audit sample"))
        except Exception as exc:
            show_error(self, exc, "Cannot start the audits")
        self.show_month()


class AuditSettingsDialog(QDialog):
    def __init__(self, db, parent=None):
        from send_desktop.services.audit_settings import audit_settings

        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Audit programme settings")
        current = audit_settings(db)
        form = QFormLayout(self)
        self.target = QDoubleSpinBox()
        self.target.setRange(0, 100)
        self.target.setSuffix(" %")
        self.target.setValue(current.target_pct)
        self.benchmark = QDoubleSpinBox()
        self.benchmark.setRange(-1, 100)
        self.benchmark.setSpecialValueText("none")
        self.benchmark.setSuffix(" %")
        self.benchmark.setValue(-1 if current.benchmark_pct is None else current.benchmark_pct)
        self.rate = QDoubleSpinBox()
        self.rate.setRange(0.1, 100)
        self.rate.setDecimals(1)
        self.rate.setSuffix(" % of the caseload")
        self.rate.setValue(current.sample_rate * 100)
        form.addRow("&Target graded good or better:", self.target)
        form.addRow("External &benchmark:", self.benchmark)
        form.addRow("Audit each &month:", self.rate)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not db.read_only)
        form.addRow(buttons)
        self.target.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        from send_desktop.services.audit_settings import AuditSettings, save_audit_settings

        benchmark = None if self.benchmark.value() < 0 else self.benchmark.value()
        try:
            save_audit_settings(self.db, AuditSettings(self.target.value(), benchmark, self.rate.value() / 100))
        except Exception as exc:
            show_error(self, exc, "Cannot save the settings")
            return
        self.accept()
