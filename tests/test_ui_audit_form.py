"""The auditor's scoring form in the Audits area, driven from the keyboard on a real database.

Only the edges are replaced: message boxes and the error dialog (the `dialogs` fixture), so a
refusal that should be inline and is not shows up as a recorded box and fails the test.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget

from send_desktop.audits.default_framework import default_framework
from send_desktop.audits.grading import grade
from send_desktop.services import audit_edit
from send_desktop.services.audit_read import load_audit
from send_desktop.ui import error_dialog
from send_desktop.ui.audit_form import AUTOSAVE_MS

DAY = dt.date(2026, 6, 12)
CTRL = Qt.KeyboardModifier.ControlModifier


class Dialogs:
    def __init__(self):
        self.shown: list[tuple[str, str]] = []  # (kind, text)
        self.answers: dict[str, object] = {}
        self.errors: list[str] = []


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    d = Dialogs()

    def box(kind, default):
        def show(parent, title, text, *args, **kwargs):
            d.shown.append((kind, text))
            return d.answers.get(kind, default)
        return show

    monkeypatch.setattr(QMessageBox, "warning", box("warning", QMessageBox.StandardButton.Close))
    monkeypatch.setattr(QMessageBox, "question", box("question", QMessageBox.StandardButton.No))
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: d.errors.append(self.details) or 0)
    yield d
    assert not d.errors, d.errors[0]


def new_audit(db, **values) -> int:
    values = {"plan_ref": "HD-104512", "audit_date": DAY, "auditor": "Sam Okafor", "team": "Dales North",
              "agency": "SEND casework", **values}
    return audit_edit.create_audit(db, values, source="test")


@pytest.fixture
def area(qtbot, db):
    from send_desktop.ui.audits_area import AuditsArea

    widget = AuditsArea(db)
    qtbot.addWidget(widget)
    widget.resize(1300, 820)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def open_with_enter(qtbot, area, audit_id):
    area.reload()
    area.list_view.select_audit(audit_id)
    qtbot.keyClick(area.list_view.table, Qt.Key.Key_Return)
    assert area.stack.currentWidget() is area.page
    return area.page.form


def press(qtbot, form, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(form.view, key, modifier)


def test_an_auditor_scores_a_plan_with_the_keyboard_alone(qtbot, db, area, dialogs):
    audit_id = new_audit(db)
    form = open_with_enter(qtbot, area, audit_id)
    fw = default_framework()
    order = [c.id for s in fw.sections for c in s.criteria]
    expected, reasons, comments = {}, {}, {}
    assert form.current_criterion() == "A1"

    # Undo of the last rating: A1 rated, taken back, and the form is on A1 again.
    press(qtbot, form, Qt.Key.Key_3)
    assert form.current_criterion() == "A2"
    press(qtbot, form, Qt.Key.Key_Z, CTRL)
    assert form.current_criterion() == "A1" and "A1" not in form.state.ratings

    seen = []
    while True:
        cid = form.current_criterion()
        if seen and cid == seen[-1]:
            break  # the last criterion was rated: the form stays on it
        seen.append(cid)
        if cid == "B2":  # a comment first (C), then the rating
            press(qtbot, form, Qt.Key.Key_C)
            qtbot.keyClicks(form.prompt_edit, "Needs are labels only: no current levels")
            qtbot.keyClick(form.prompt_edit, Qt.Key.Key_Return)
            comments[cid] = "Needs are labels only: no current levels"
        if cid == "B3":  # N/A where the section does not allow it: refused inline
            press(qtbot, form, Qt.Key.Key_N)
            assert not form.prompt.isVisible()
            assert "not evidenced is 0, not N/A" in form.message.text() and form.slot.message_shown
        if cid == "C1":  # "no needs identified" on C: C2, C3 and all of G become N/A
            press(qtbot, form, Qt.Key.Key_X)
            assert "no needs identified" in form.model.data(form.model.index(form.model.row_of["C2"]))
        if cid == "J2":  # N/A with a reason
            press(qtbot, form, Qt.Key.Key_N)
            assert form.prompt.isVisible() and form.prompt_edit.hasFocus()
            qtbot.keyClicks(form.prompt_edit, "No personal budget was requested")
            qtbot.keyClick(form.prompt_edit, Qt.Key.Key_Return)
            expected[cid], reasons[cid] = "na", "No personal budget was requested"
            continue
        value = (order.index(cid) * 7) % 4
        press(qtbot, form, getattr(Qt.Key, f"Key_{value}"))
        expected[cid] = value

    assert {"C2", "C3", "G1", "G2", "G3"}.isdisjoint(seen)  # skipped: N/A by "no needs"
    assert seen[-1] == order[-1]
    live = form.state.result
    press(qtbot, form, Qt.Key.Key_Return, CTRL)  # submit

    assert dialogs.shown == []  # everything was rated, so nothing to confirm
    stored = load_audit(db, audit_id)
    assert stored.status == "submitted"
    assert stored.ratings == expected
    assert stored.na_reasons == reasons and stored.comments == comments
    assert stored.no_needs == ["C"] and stored.critical_concern is False
    engine = grade(fw, expected, ["C"], False, reasons)
    assert (stored.grade, stored.score) == (engine.grade, engine.score) == (live.grade, live.score)
    assert stored.caps == [c.name for c in engine.caps]
    assert {a.criterion_id for a in stored.actions} == {c for c, v in expected.items() if v in (0, 1)}
    assert area.page.mode == "submitted" and "Read only" in form.keys_label.text()

    press(qtbot, form, Qt.Key.Key_Escape)
    assert area.stack.currentWidget() is area.list_view
    row = area.list_view.model.row_of(audit_id)
    assert area.list_view.model.row_values(row).grade == engine.grade


def test_changes_are_saved_after_a_pause_not_on_every_key(qtbot, db, area):
    audit_id = new_audit(db)
    form = open_with_enter(qtbot, area, audit_id)
    press(qtbot, form, Qt.Key.Key_2)
    press(qtbot, form, Qt.Key.Key_1)
    assert load_audit(db, audit_id).ratings == {}  # not yet: the save waits for a pause
    assert form.save_label.text() == "Saving\u2026"
    qtbot.waitUntil(lambda: load_audit(db, audit_id).ratings == {"A1": 2, "A2": 1}, timeout=AUTOSAVE_MS + 2000)
    assert form.save_label.text().startswith("Saved ")
    assert load_audit(db, audit_id).grade == grade(default_framework(), {"A1": 2, "A2": 1}).grade


def test_leaving_the_form_saves_at_once(qtbot, db, area):
    audit_id = new_audit(db)
    form = open_with_enter(qtbot, area, audit_id)
    press(qtbot, form, Qt.Key.Key_3)
    press(qtbot, form, Qt.Key.Key_Escape)
    assert load_audit(db, audit_id).ratings == {"A1": 3}


def test_closing_the_window_saves_before_the_window_closes_its_file(qtbot, db):
    """The main window closes the database in its closeEvent, before children are hidden."""
    from send_desktop.ui.audits_area import AuditsArea

    seen = {}

    class Window(QWidget):
        def closeEvent(self, event):  # noqa: N802 - Qt's name
            seen["ratings at close"] = load_audit(db, audit_id).ratings
            super().closeEvent(event)

    audit_id = new_audit(db)
    window = Window()
    qtbot.addWidget(window)
    area = AuditsArea(db)
    QVBoxLayout(window).addWidget(area)
    window.resize(1300, 820)
    window.show()
    qtbot.waitExposed(window)
    form = open_with_enter(qtbot, area, audit_id)
    press(qtbot, form, Qt.Key.Key_C)
    qtbot.keyClicks(form.prompt_edit, "Views gathered by the SENCO only")
    qtbot.keyClick(form.prompt_edit, Qt.Key.Key_Return)
    press(qtbot, form, Qt.Key.Key_2)
    window.close()
    assert seen["ratings at close"] == {"A1": 2}
    assert load_audit(db, audit_id).comments == {"A1": "Views gathered by the SENCO only"}


def test_na_is_refused_where_the_section_does_not_allow_it(qtbot, db, area):
    audit_id = new_audit(db)
    form = open_with_enter(qtbot, area, audit_id)
    form.select_criterion("F2")
    press(qtbot, form, Qt.Key.Key_N)
    assert not form.prompt.isVisible()
    assert form.message.text().startswith("Section F (Special educational provision) does not allow N/A: "
                                          "not evidenced is 0, not N/A")
    assert form.current_criterion() == "F2" and "F2" not in form.state.ratings
    # where N/A is allowed a reason is required: an empty answer is refused, and so is the rating
    form.select_criterion("X3")
    press(qtbot, form, Qt.Key.Key_N)
    qtbot.keyClick(form.prompt_edit, Qt.Key.Key_Return)
    assert form.prompt.isVisible() and "Say why X3 does not apply" in form.slot.hint.text()
    qtbot.keyClick(form.prompt_edit, Qt.Key.Key_Escape)
    assert not form.prompt.isVisible() and form.view.hasFocus()
    # "no needs identified" only where the section accepts it
    press(qtbot, form, Qt.Key.Key_X)
    assert "Section X cannot be marked" in form.message.text()
    assert form.flush()
    stored = load_audit(db, audit_id)
    assert stored.ratings == {} and stored.no_needs == []


def test_keys_over_the_maximum_and_read_only_audits_change_nothing(qtbot, db, area):
    audit_id = new_audit(db, ratings={"A1": 2})
    audit_edit.set_status(db, audit_id, "submitted")
    form = open_with_enter(qtbot, area, audit_id)
    press(qtbot, form, Qt.Key.Key_3)
    assert "submitted" in form.message.text() and form.state.ratings == {"A1": 2}
    assert area.page.reopen_button.isVisible() and not area.page.submit_button.isVisible()
    area.page.reopen()
    assert load_audit(db, audit_id).status == "draft"
    press(qtbot, form, Qt.Key.Key_7)
    assert form.message.text() == "A1 is rated 0 to 3." and form.state.ratings == {"A1": 2}


def test_submitting_with_criteria_unrated_asks_first(qtbot, db, area, dialogs):
    audit_id = new_audit(db)
    form = open_with_enter(qtbot, area, audit_id)
    press(qtbot, form, Qt.Key.Key_2)
    press(qtbot, form, Qt.Key.Key_Return, CTRL)
    assert "57 criteria are not rated" in dialogs.shown[-1][1]
    assert load_audit(db, audit_id).status == "draft"  # answered No
    assert form.current_criterion() == "A2"  # taken to the first unrated one
    dialogs.answers["question"] = QMessageBox.StandardButton.Yes
    press(qtbot, form, Qt.Key.Key_Return, CTRL)
    assert load_audit(db, audit_id).status == "submitted"


def test_blind_moderation_hides_the_original_until_complete(qtbot, db, area, dialogs):
    fw = default_framework()
    original = {c.id: 1 for s in fw.sections for c in s.criteria}
    audit_id = new_audit(db, ratings=original, comments={"F2": "No hours given"})
    audit_edit.set_status(db, audit_id, "submitted")
    before = load_audit(db, audit_id)
    form = open_with_enter(qtbot, area, audit_id)
    page = area.page

    page.moderate_button.click()
    dialog = page.dialog
    assert dialog.blind_check.isChecked()  # blind by default
    qtbot.keyClicks(dialog.moderator_edit, "Ayesha Rahman")
    qtbot.keyClick(dialog.moderator_edit, Qt.Key.Key_Return)

    assert page.mode == "moderating"
    assert form.state.ratings == {} and form.state.comments == {}  # nothing of the original shown
    assert not form.tabs.isTabVisible(1)  # nor its improvement actions
    assert "blind" in page.subtitle.text() and before.grade not in page.subtitle.text()
    row_text = form.model.data(form.model.index(form.model.row_of["F2"]))
    assert "not rated" in row_text and "No hours given" not in row_text

    while form.current_criterion() != "ADV-SC4":
        press(qtbot, form, Qt.Key.Key_3)
    press(qtbot, form, Qt.Key.Key_3)
    moderated_grade = form.state.result.grade
    dialogs.answers["question"] = QMessageBox.StandardButton.Yes
    press(qtbot, form, Qt.Key.Key_Return, CTRL)  # complete the moderation

    after = load_audit(db, audit_id)
    assert after.status == "moderated" and after.moderation.status == "complete"
    assert after.reported_grade == moderated_grade == after.moderation.grade
    assert after.grade == before.grade and after.ratings == before.ratings  # the original is kept
    assert page.mode == "moderated"
    comparison = page.stack.currentWidget()
    assert comparison.original_chip.text() == before.grade
    assert comparison.moderated_chip.text() == moderated_grade
    f2 = next(r for r in comparison.model.rows if r[1][0].startswith("F2 "))
    assert f2[1][1:] == ("1 \u00b7 Partly met", "3 \u00b7 Exemplary", "differs by 2")


def test_a_moderator_cannot_be_the_auditor(qtbot, db, area):
    audit_id = new_audit(db, ratings={"A1": 2})
    audit_edit.set_status(db, audit_id, "submitted")
    open_with_enter(qtbot, area, audit_id)
    area.page.moderate_button.click()
    dialog = area.page.dialog
    dialog.moderator_edit.clear()
    qtbot.keyClicks(dialog.moderator_edit, "sam okafor")
    qtbot.keyClick(dialog.moderator_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and "someone other than the auditor" in dialog.problem.text()
    assert load_audit(db, audit_id).moderation is None
    dialog.reject()


def test_improvement_actions_are_listed_and_edited(qtbot, db, area):
    audit_id = new_audit(db, ratings={"F2": 0})
    form = open_with_enter(qtbot, area, audit_id)
    model = form.actions_model
    f2 = next(r for r, a in enumerate(model.rows) if a.criterion_id == "F2")
    assert model.setData(model.index(f2, 2), "SEND team manager")
    assert model.setData(model.index(f2, 4), "done")
    action = next(a for a in load_audit(db, audit_id).actions if a.criterion_id == "F2")
    assert (action.owner_type, action.status, action.edited) == ("SEND team manager", "done", True)
    # the list follows the ratings once saved: rating F2 "met" keeps the edited action, drops others
    form.select_criterion("A1")
    press(qtbot, form, Qt.Key.Key_2)
    assert form.flush()
    assert form.tabs.tabText(1) == f"Improvement actions ({len(load_audit(db, audit_id).actions)})"


def test_the_forms_models_pass_qt_model_tester(qtbot, qtmodeltester, db, area):
    audit_id = new_audit(db, ratings={"A1": 0, "F2": 1, "H1a": "na"}, na_reasons={"H1a": "No H1 provision"},
                         no_needs=["D"])
    form = open_with_enter(qtbot, area, audit_id)
    for model in (form.model, form.grade_panel.sections_model, form.actions_model):
        qtmodeltester.check(model)


def test_the_windows_own_undo_shortcut_does_not_take_the_forms_keys(qtbot, db):
    """The main window binds Ctrl+Z to the Plan's undo stack; while scoring, Ctrl+Z is the form's."""
    from PySide6.QtGui import QAction, QKeySequence

    from send_desktop.ui.audits_area import AuditsArea

    audit_id = new_audit(db)
    window = QWidget()
    qtbot.addWidget(window)
    plan_undo = QAction("Undo", window)
    plan_undo.setShortcut(QKeySequence("Ctrl+Z"))
    plan_undo.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    fired = []
    plan_undo.triggered.connect(lambda: fired.append(True))
    window.addAction(plan_undo)
    area = AuditsArea(db)
    QVBoxLayout(window).addWidget(area)
    window.resize(1300, 820)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    form = open_with_enter(qtbot, area, audit_id)
    form.view.setFocus()
    qtbot.waitUntil(form.view.hasFocus)
    press(qtbot, form, Qt.Key.Key_2)
    press(qtbot, form, Qt.Key.Key_Z, CTRL)
    assert fired == [] and form.state.ratings == {}


def test_details_are_changed_from_the_keyboard(qtbot, db, area):
    audit_id = new_audit(db)
    open_with_enter(qtbot, area, audit_id)
    area.page.details_button.click()
    dialog = area.page.dialog
    dialog.ref_edit.selectAll()
    qtbot.keyClicks(dialog.ref_edit, "HD-104513")
    qtbot.keyClick(dialog.ref_edit, Qt.Key.Key_Return)
    stored = load_audit(db, audit_id)
    assert stored.plan_ref == "HD-104513" and stored.team == "Dales North" and stored.plan_issue_date is None
    assert area.page.title.text() == "HD-104513"


def test_a_file_opened_read_only_shows_the_scoring_and_changes_nothing(qtbot, db, db_path):
    from send_desktop.storage.database import open_database
    from send_desktop.ui.audits_area import AuditsArea

    audit_id = new_audit(db, ratings={"A1": 2})
    viewer = open_database(db_path, user="Viewer", read_only=True)
    try:
        area = AuditsArea(viewer)
        qtbot.addWidget(area)
        area.resize(1300, 820)
        area.show()
        qtbot.waitExposed(area)
        assert not area.list_view.new_button.isEnabled() and not area.list_view.delete_button.isEnabled()
        form = open_with_enter(qtbot, area, audit_id)
        press(qtbot, form, Qt.Key.Key_3)
        assert "read-only" in form.message.text() and form.state.ratings == {"A1": 2}
        assert not area.page.submit_button.isEnabled()
        press(qtbot, form, Qt.Key.Key_Escape)
    finally:
        viewer.close()
    assert load_audit(db, audit_id).ratings == {"A1": 2}


def test_letters_the_form_does_not_use_do_nothing(qtbot, db, area):
    form = open_with_enter(qtbot, area, new_audit(db))
    form.select_criterion("A3")
    for key in (Qt.Key.Key_F, Qt.Key.Key_B, Qt.Key.Key_K):  # no jump to F1, B1 or K1 by first letter
        press(qtbot, form, key)
    assert form.current_criterion() == "A3" and form.state.ratings == {}
