"""Drawing the month's sample from the caseload and starting its audits, in the window."""

from __future__ import annotations

import datetime as dt

from send_desktop.services.audit_read import audit_ids, load_audit
from send_desktop.services.audit_settings import AuditSettings, audit_settings, save_audit_settings
from send_desktop.services.caseload import sample_for_month

TODAY = dt.date(2026, 12, 3)


def test_draw_the_sample_then_start_its_audits(qtbot, demo_db):
    from send_desktop.ui.audit_sample_dialog import SampleDialog

    save_audit_settings(demo_db, AuditSettings(40.0, None, 0.02))
    dialog = SampleDialog(demo_db, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.month() == "2026-12" and "No sample drawn for December 2026" in dialog.about.text()
    assert not dialog.start_button.isEnabled()
    dialog.draw_button.click()
    sample = sample_for_month(demo_db, "2026-12")
    assert sample is not None and len(sample.plan_refs) == round(1300 * 0.02)
    assert dialog.table.rowCount() == len(sample.plan_refs) and "seed" in dialog.about.text()
    before = len(audit_ids(demo_db))
    dialog.start_button.click()
    assert len(dialog.started) == len(sample.plan_refs) == len(audit_ids(demo_db)) - before
    audit = load_audit(demo_db, dialog.started[0])
    assert audit.status == "draft" and audit.plan_ref in sample.plan_refs and audit.team and audit.audit_date == TODAY
    dialog.start_button.click()  # a second click starts nothing twice
    assert len(audit_ids(demo_db)) - before == len(sample.plan_refs)
    assert "already have an audit this month" in dialog.about.text()


def test_the_settings_dialog_saves_and_refuses_nonsense(qtbot, demo_db):
    from send_desktop.ui.audit_sample_dialog import AuditSettingsDialog

    dialog = AuditSettingsDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.target.setValue(45)
    dialog.benchmark.setValue(38)
    dialog.rate.setValue(4)
    dialog.save()
    assert audit_settings(demo_db) == AuditSettings(45.0, 38.0, 0.04)
