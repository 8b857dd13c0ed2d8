"""The Audit report page on a real database: it opens, draws its charts, follows the cut and the
dates, exports, and reports failures through the one error path. The figures it shows are the
hand-checked ones of tests/test_audit_report.py (same data set)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from send_desktop.ui import error_dialog
from send_desktop.ui.audit_report_view import AuditReportView, default_range
from send_desktop.ui.worker import running_jobs
from tests.test_audit_report import AS_OF, JAN1, JUN30, build_audit_file

PNG = Path("/tmp/audit-report.png")


@pytest.fixture(scope="module")
def _template(tmp_path_factory) -> Path:
    return build_audit_file(tmp_path_factory.mktemp("audit-report-ui") / "audits.sqlite")


@pytest.fixture
def ui_db(_template, tmp_path):
    from send_desktop.storage.database import open_database

    path = tmp_path / "audits.sqlite"
    shutil.copyfile(_template, path)
    database = open_database(path, user="Test Auditor")
    yield database
    database.close()


@pytest.fixture
def shown(monkeypatch):
    """Message boxes and the error dialog, recorded instead of shown."""
    seen = {"warning": [], "errors": []}
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: seen["warning"].append(text)
                        or QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: seen["errors"].append(self.details) or 0)
    return seen


def _settled(view) -> bool:
    return not view.busy() and len(view.descriptions) == 4 and not running_jobs(view)


def open_page(qtbot, db, date_from=JAN1, date_to=JUN30) -> AuditReportView:
    view = AuditReportView(db, today=AS_OF)
    qtbot.addWidget(view)
    view.set_range(date_from, date_to)
    view.resize(1280, 900)
    view.show()
    qtbot.waitUntil(lambda: _settled(view), timeout=30_000)
    return view


def test_the_page_opens_with_the_figures_and_draws_every_chart(qtbot, ui_db, shown):
    view = open_page(qtbot, ui_db)
    # 8 of 13 graded audits good or better (tests/test_audit_report.py works it out).
    assert view.headline_value.text() == "61.5%"
    assert "8 of 13 graded audits" in view.headline_detail.text()
    assert "95% interval 35.5% to 82.3%" in view.headline_detail.text()
    assert "Target 40%: not clearly different from the target" in view.headline_target.text()
    assert "Benchmark: none set" in view.headline_target.text()
    assert "14 audits counted · 1 Not graded · 1 draft not counted" == view.headline_counts.text()
    assert "4 audits moderated" in view.moderation_label.text() and "kappa 0.29" in view.moderation_label.text()
    assert view.actions_label.text() == "174 open, of which 116 past due\n58 done"
    assert set(view.charts) == {"grades", "trend", "done", "sections"}
    # Every chart says its figures in words (for screen readers, and for anyone printing in grey).
    assert "Good 6 (46.2% of graded)" in view.descriptions["grades"]
    assert "2026-06 2" in view.descriptions["done"] and "Target 7 a month" in view.descriptions["done"]
    assert "F 69.2%" in view.descriptions["sections"]
    assert "latest rolling 3-month figure is 50.0% (2026-06)" in view.descriptions["trend"]
    for canvas in view.charts.values():
        assert canvas.accessibleName() and canvas.accessibleDescription()
        assert canvas.figure.axes[0].has_data()
    assert view.models["criteria"].rowCount() == 58 and view.models["criteria"].rows[0][3] == "4"
    assert view.models["disagreements"].rows == [("EHCP-0004", "2026-02-03", "Sam Okafor", "Priya Shah", "Good",
                                             "Inadequate")]
    assert "No external benchmark is set." in view.notes_label.text()
    assert shown == {"warning": [], "errors": []}


def test_render_the_page_to_png(qtbot, ui_db):
    """The whole page as a board member would scroll through it, for a person to look at."""
    view = open_page(qtbot, ui_db)
    content = view.scroll.widget()
    # The layout settles in the event loop (later on a busy machine): wait for it, then check.
    qtbot.waitUntil(lambda: all(c.parentWidget().height() == c.height() for c in view.charts.values()),
                    timeout=10_000)
    for key, canvas in view.charts.items():  # each chart has its whole place: nothing is cut off
        assert canvas.parentWidget().height() == canvas.height(), key
        assert canvas.geometry().bottom() <= canvas.parentWidget().rect().bottom()
    assert content.height() >= content.layout().totalMinimumSize().height()
    assert content.grab().save(str(PNG))
    assert PNG.stat().st_size > 50_000


def test_changing_the_cut_shows_that_cut(qtbot, ui_db):
    view = open_page(qtbot, ui_db)
    assert view.cut_combo.currentText() == "Team"
    assert view.models["cut"].rows == [("North", "7", "5", "71.4%", "35.9% to 91.8%"), ("South", "6", "3", "50.0%",
                                                                                   "18.8% to 81.2%")]
    view.cut_combo.setFocus()
    qtbot.keyClick(view.cut_combo, Qt.Key.Key_Down)  # the keyboard alone moves to the next cut
    assert view.cut_combo.currentText() == "Agency"
    assert view.models["cut"].headerData(0, Qt.Orientation.Horizontal) == "Agency"
    assert [r[0] for r in view.models["cut"].rows] == ["Education", "Health"]
    assert sum(int(r[1]) for r in view.models["cut"].rows) == 13


def test_changing_the_dates_counts_again(qtbot, ui_db):
    view = open_page(qtbot, ui_db)
    view.from_edit.setDate(dt.date(2026, 4, 1))  # as typing or the calendar would; counted after a pause
    assert view._range_timer.isActive()
    qtbot.waitUntil(lambda: view.report is not None and view.report.date_from == dt.date(2026, 4, 1) and _settled(view),
                    timeout=30_000)
    # April to June: 5 of 7 graded audits good or better.
    assert view.headline_value.text() == "71.4%" and "5 of 7 graded audits" in view.headline_detail.text()
    assert "2026-04 3" in view.descriptions["done"] and "2026-01" not in view.descriptions["done"]
    assert view.moderation_label.text() == "No completed moderations of audits in this period"
    view.last_year_button.click()  # back to the last 12 months before 15 July 2026
    qtbot.waitUntil(lambda: view.report.date_from == dt.date(2025, 8, 1) and _settled(view), timeout=30_000)
    assert view.date_range() == (dt.date(2025, 8, 1), AS_OF)


def test_dates_out_of_order_are_explained_not_counted(qtbot, ui_db, shown):
    view = open_page(qtbot, ui_db)
    before = view.report
    view.set_range(JUN30, JAN1)
    assert "start date is after the end date" in view.state_label.text()
    assert view.report is before and not view.busy() and shown["warning"] == []


def test_export_writes_the_workbook_for_the_chosen_dates(qtbot, ui_db, monkeypatch, tmp_path, shown):
    view = open_page(qtbot, ui_db)
    target = tmp_path / "board report"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(view.statusMessage, timeout=30_000) as told:
        view.export_button.click()
    assert told.args == [f"Exported the audit report to {target.with_suffix('.xlsx')}"]
    qtbot.waitUntil(lambda: not running_jobs(view), timeout=30_000)
    import openpyxl

    wb = openpyxl.load_workbook(target.with_suffix(".xlsx"))
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(min_row=3, values_only=True)}
    assert summary["Graded audits (n)"] == 13 and summary["% good or better"] == pytest.approx(8 / 13)
    assert shown == {"warning": [], "errors": []}


def test_a_failure_is_shown_through_the_error_path_never_as_a_traceback(qtbot, ui_db, monkeypatch, shown):
    from send_desktop.errors import UserError
    from send_desktop.reports import audit_report as module

    view = open_page(qtbot, ui_db)

    def broken(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(module, "audit_report", broken)
    view.reload()
    qtbot.waitUntil(lambda: not view.busy(), timeout=30_000)
    assert view.state_label.text() == "The figures could not be counted."
    assert len(shown["errors"]) == 1 and "disk on fire" in shown["errors"][0]  # behind "details", logged

    monkeypatch.setattr(module, "audit_report", lambda *_a, **_k: (_ for _ in ()).throw(UserError("File is busy.")))
    view.reload()
    qtbot.waitUntil(lambda: not view.busy(), timeout=30_000)
    assert shown["warning"] == ["File is busy."]


def test_a_new_file_replaces_the_figures_and_an_empty_one_says_so(qtbot, ui_db, db):
    view = open_page(qtbot, ui_db)
    view.set_database(db)  # the conftest file: a plan, no audits
    qtbot.waitUntil(lambda: view.report is not None and view.report.counted == 0 and _settled(view), timeout=30_000)
    assert view.headline_value.text() == "–" and view.headline_detail.text() == "No graded audits in this period"
    assert view.descriptions["grades"] == "No audits in this period"
    assert view.models["cut"].rowCount() == 0 and view.models["criteria"].rowCount() == 0
    view.set_database(None)
    assert view.state_label.text() == "No file is open." and not view.busy()


def test_tables_pass_the_model_tester(qtbot, qtmodeltester, ui_db):
    view = open_page(qtbot, ui_db)
    for model in view.models.values():
        qtmodeltester.check(model)


def test_keyboard_reaches_every_control_in_reading_order(qtbot, ui_db):
    view = open_page(qtbot, ui_db)
    view.from_edit.setFocus()
    order = [view.from_edit]
    for _ in range(12):
        qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Tab)
        order.append(view.focusWidget())
    for widget in (view.to_edit, view.last_year_button, view.export_button, view.cut_combo, view.tables["cut"]):
        assert widget in order, widget.accessibleName() or widget.text()
    assert order.index(view.to_edit) < order.index(view.export_button) < order.index(view.cut_combo)
    for widget in (view.from_edit, view.to_edit, view.cut_combo, view.tables["cut"]):
        assert widget.accessibleName()


def test_default_range_is_the_last_twelve_months():
    assert default_range(dt.date(2026, 11, 30)) == (dt.date(2025, 12, 1), dt.date(2026, 11, 30))
    assert default_range(dt.date(2026, 1, 15)) == (dt.date(2025, 2, 1), dt.date(2026, 1, 15))


@pytest.mark.slow
def test_matplotlib_waits_until_the_page_is_shown(_template):
    code = (
        "import sys\n"
        "from send_desktop.ui.app import make_application\n"
        "app = make_application()\n"
        "from send_desktop.storage.database import open_database\n"
        "from send_desktop.ui.audit_report_view import AuditReportView\n"
        f"db = open_database({str(_template)!r}, read_only=True)\n"
        "view = AuditReportView(db)\n"
        "print('matplotlib' in sys.modules, flush=True)\n"
        "import shiboken6\n"
        "shiboken6.delete(view)\n"  # widgets before the application, in order, not as the interpreter ends
        "db.close()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_alt_keys_reach_the_controls_inside_a_window_with_menus(qtbot, ui_db, monkeypatch):
    """The window's menus take Alt+F, E, V and H; the page's own keys must not clash with them."""
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    for title in ("&File", "&Edit", "&View", "&Help"):
        window.menuBar().addMenu(title)
    view = AuditReportView(ui_db, today=AS_OF)
    window.setCentralWidget(view)
    window.resize(1280, 900)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: _settled(view), timeout=30_000)
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a[1]) or ("", ""))
    for key, widget in ((Qt.Key.Key_M, view.from_edit), (Qt.Key.Key_T, view.to_edit), (Qt.Key.Key_C, view.cut_combo)):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
        assert widget.hasFocus() or widget.isAncestorOf(window.focusWidget()), key
    qtbot.keyClick(window, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: asked == ["Export the audit report to Excel"], timeout=2_000)  # a button's mnemonic
    # clicks it after a short flash (animateClick)
