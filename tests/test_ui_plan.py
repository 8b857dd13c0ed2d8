"""The Plan area on the real demo database, driven with qtbot like a person would."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from send_desktop.services.plan_read import load_plan
from send_desktop.storage.models import ChangeLog
from send_desktop.ui.plan_tree_model import ACTION, OUTCOME, PRIORITY, PlanFilter, PlanTreeModel

DEMO_TODAY = dt.date(2026, 11, 1)  # as in conftest: overdue flags do not drift with the calendar


@pytest.fixture
def stack():
    return QUndoStack()


@pytest.fixture
def make_view(qtbot, stack):
    from send_desktop.ui.plan_view import PlanView

    def make(db):
        view = PlanView(db, stack)
        view.today = DEMO_TODAY
        view.reload()
        qtbot.addWidget(view)
        view.resize(1400, 850)
        view.show()
        qtbot.waitExposed(view)
        view.activateWindow()
        qtbot.waitUntil(view.isActiveWindow)
        return view
    return make


@pytest.fixture
def view(make_view, demo_db):
    return make_view(demo_db)


def snapshot(db):
    return load_plan(db, today=DEMO_TODAY)


def select_item(view, key):
    view.plan_changed(key)
    assert view.current_key() == key


def busy_action(db):
    """An action with several updates and a sibling after it in its outcome."""
    snap = snapshot(db)
    return next(a for o in snap.outcomes() for a in o.actions[:-1] if len(a.updates) > 3)


# -- the model -----------------------------------------------------------------------------

def test_model_passes_qt_model_tester(qapp, qtmodeltester, demo_db):
    model = PlanTreeModel()
    model.set_snapshot(snapshot(demo_db))
    qtmodeltester.check(model)
    model.set_filter(PlanFilter(text="annual review", overdue_only=True))
    qtmodeltester.check(model)


def _all_indexes(model, parent=None):
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        for col in range(model.columnCount(parent)):
            index = model.index(row, col, parent)
            yield index
            if col == 0:
                yield from _all_indexes(model, index)


def test_what_a_view_draws_matches_data_for_every_cell(qapp, demo_db):
    """What Qt's delegate makes of each cell (it asks through `multiData`) is what `data` says."""
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    model = PlanTreeModel()
    model.set_snapshot(snapshot(demo_db))
    delegate = QStyledItemDelegate()
    cells = list(_all_indexes(model))
    assert len(cells) == 8 * (5 + 35 + 80)
    shown_icons = 0
    for index in cells:
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, index)
        assert option.text == index.data(Qt.ItemDataRole.DisplayRole)
        font = index.data(Qt.ItemDataRole.FontRole)
        assert option.font.bold() == bool(font is not None and font.bold())
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        if background is not None:
            assert option.backgroundBrush.color() == background
        shown_icons += not option.icon.isNull()
        assert option.icon.isNull() == (index.data(Qt.ItemDataRole.DecorationRole) is None)
    assert shown_icons >= 80  # every action's status swatch


def test_model_flags_duplicates_and_overdue(qapp, demo_db):
    from send_desktop.ui.plan_tree_model import COL_DUE, COL_REF, COL_STATUS

    snap = snapshot(demo_db)
    model = PlanTreeModel()
    model.set_snapshot(snap)
    dupe = next(a for a in snap.actions() if a.duplicate_ref)
    index = model.index_for_key((ACTION, dupe.id), COL_REF)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == f"Reference {dupe.ref} is used twice"
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    late = next(a for a in snap.actions() if a.overdue)
    due = model.index_for_key((ACTION, late.id), COL_DUE)
    assert due.data().startswith("\u26a0")  # a shape, not only red
    assert due.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Overdue")
    assert "Overdue" in due.data(Qt.ItemDataRole.ToolTipRole)
    status = model.index_for_key((ACTION, late.id), COL_STATUS)
    assert status.data() == late.level.label  # the label, never the colour alone
    assert status.data(Qt.ItemDataRole.DecorationRole) is not None


# -- filters -------------------------------------------------------------------------------

def _words_match(snap, action, needle):
    outcome = next(o for o in snap.outcomes() if o.id == action.outcome_id)
    priority = next(p for p in snap.priorities if p.id == outcome.priority_id)
    words = [action.ref, action.text, *action.success_criteria, *action.leads,
             outcome.ref, outcome.text, priority.ref, priority.statement]
    return any(needle in w.casefold() for w in words)


def test_filters_show_the_expected_actions(view, demo_db):
    snap = snapshot(demo_db)
    actions = snap.actions()
    bar = view.filter_bar
    total = len(actions)
    assert view.model.visible_action_count() == total
    assert bar.count_label.text() == f"{total} of {total} actions"

    ws = snap.workstreams[1]
    bar.workstream_combo.setCurrentIndex(bar.workstream_combo.findData(ws.id))
    expected = sum(a.workstream_id == ws.id for a in actions)
    assert 0 < view.model.visible_action_count() == expected < total
    assert bar.count_label.text() == f"{expected} of {total} actions"

    bar.overdue_check.setChecked(True)
    expected = sum(a.workstream_id == ws.id and a.overdue for a in actions)
    assert view.model.visible_action_count() == expected
    bar.clear()

    red = next(lv for lv in snap.scale.levels if lv.label == "Red")
    bar.status_combo.setCurrentIndex(bar.status_combo.findData(red.id))
    assert view.model.visible_action_count() == sum(bool(a.level and a.level.id == red.id) for a in actions)
    bar.clear()

    bar.overdue_check.setChecked(True)
    assert view.model.visible_action_count() == sum(a.overdue for a in actions) > 0
    bar.clear()

    lead = actions[0].leads[0]
    bar.lead_combo.setCurrentIndex(bar.lead_combo.findData(lead))
    assert view.model.visible_action_count() == sum(lead in a.leads for a in actions)
    bar.clear()

    needle = "Annual Review"
    bar.search_edit.setText(needle)
    expected = sum(_words_match(snap, a, needle.casefold()) for a in actions)
    assert 0 < view.model.visible_action_count() == expected < total
    bar.clear()
    assert view.model.visible_action_count() == total


def test_filtered_tree_keeps_the_parents_of_matches(qapp, demo_db, qtmodeltester):
    snap = snapshot(demo_db)
    target = snap.actions()[-1]
    model = PlanTreeModel()
    model.set_snapshot(snap)
    model.set_filter(PlanFilter(text=target.text[:40]))
    index = model.index_for_key((ACTION, target.id))
    assert index.isValid()
    assert model.key(index.parent())[0] == OUTCOME
    assert model.key(index.parent().parent())[0] == PRIORITY
    qtmodeltester.check(model)


# -- editing in the detail pane --------------------------------------------------------------

def test_editing_the_timescale_writes_the_db_and_the_change_log_and_undoes(view, demo_db, stack, qtbot):
    action = busy_action(demo_db)
    select_item(view, (ACTION, action.id))
    edit = view.detail.action_form.timescale_edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    qtbot.keyClicks(edit, "July 2027")
    assert view.detail.action_form.due_label.text() == "Due 31 Jul 2027"  # live, before committing
    assert snapshot(demo_db).action(action.id).timescale == action.timescale  # nothing written yet

    view.tree.setFocus()  # focus out commits
    qtbot.waitUntil(lambda: not edit.hasFocus())
    after = snapshot(demo_db).action(action.id)
    assert (after.timescale, after.due_date) == ("July 2027", dt.date(2027, 7, 31))
    with demo_db.session() as s:
        row = s.scalars(select(ChangeLog).where(ChangeLog.entity == "action", ChangeLog.entity_id == action.id,
                                                ChangeLog.field == "timescale")).one()
    assert (row.old, row.new, row.user) == (action.timescale, "July 2027", "Test Auditor")
    assert stack.count() == 1 and stack.undoText() == f"Edit {action.ref} timescale"
    assert view.current_key() == (ACTION, action.id)

    stack.undo()
    assert snapshot(demo_db).action(action.id).timescale == action.timescale
    assert edit.text() == action.timescale
    stack.redo()
    assert snapshot(demo_db).action(action.id).timescale == "July 2027"


def test_editing_leads_and_criteria_commits_once_each(view, demo_db, stack, qtbot):
    action = busy_action(demo_db)
    select_item(view, (ACTION, action.id))
    form = view.detail.action_form
    form.leads_edit.setFocus()
    form.leads_edit.selectAll()
    qtbot.keyClicks(form.leads_edit, "Ann Lee; Raj Patel")
    qtbot.keyClick(form.leads_edit, Qt.Key.Key_Return)
    form.criteria_edit.setFocus()
    qtbot.waitUntil(form.criteria_edit.hasFocus)
    qtbot.keyClicks(form.criteria_edit, "extra")
    qtbot.keyClick(form.criteria_edit, Qt.Key.Key_Return)  # a new line, not a commit
    assert stack.count() == 1
    view.tree.setFocus()
    qtbot.waitUntil(lambda: stack.count() == 2)
    after = snapshot(demo_db).action(action.id)
    assert after.leads == ("Ann Lee", "Raj Patel")
    assert len(after.success_criteria) == len(action.success_criteria) + 1
    stack.undo()
    stack.undo()
    assert snapshot(demo_db).action(action.id).leads == action.leads


def test_a_refused_edit_is_shown_and_leaves_the_stack_alone(view, demo_db, stack, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    action = busy_action(demo_db)
    select_item(view, (ACTION, action.id))
    ref_edit = view.detail.action_form.ref_edit
    ref_edit.setFocus()
    ref_edit.selectAll()
    qtbot.keyClick(ref_edit, Qt.Key.Key_Delete)
    qtbot.keyClick(ref_edit, Qt.Key.Key_Return)
    assert shown == ["An action needs a reference, such as 2.4.1."]
    assert stack.count() == 0
    assert snapshot(demo_db).action(action.id).ref == action.ref
    assert ref_edit.text() == action.ref  # the pane shows the database again


# -- status updates --------------------------------------------------------------------------

def test_add_update_through_the_dialog_then_undo(view, demo_db, stack, qtbot):
    action = busy_action(demo_db)
    select_item(view, (ACTION, action.id))
    view.add_update_act.trigger()
    dialog = view.update_dialog
    assert dialog.isVisible()
    assert not dialog.ok_button.isEnabled()
    assert "Write what has happened" in dialog.problem_label.text()
    assert dialog.author_edit.text() == "Test Auditor"

    green = next(lv for lv in snapshot(demo_db).scale.levels if lv.label == "Green")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData(green.id))
    dialog.date_edit.setDate(DEMO_TODAY)
    qtbot.keyClicks(dialog.narrative_edit, "Signed off at the November board.")
    qtbot.keyClicks(dialog.evidence_edit, "Board minutes")
    assert dialog.ok_button.isEnabled() and dialog.problem_label.text() == ""
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    after = snapshot(demo_db).action(action.id)
    assert len(after.updates) == len(action.updates) + 1
    assert after.level.id == green.id
    assert after.last_update.narrative == "Signed off at the November board."
    assert after.last_update.author == "Test Auditor"
    form = view.detail.action_form
    assert form.status_chip.text() == "Green"
    assert form.history.toPlainText().startswith("1 Nov 2026")
    assert "Signed off at the November board." in form.history.toPlainText()
    assert stack.undoText() == f"Add update to {action.ref}"

    stack.undo()
    assert len(snapshot(demo_db).action(action.id).updates) == len(action.updates)
    assert "Signed off at the November board." not in form.history.toPlainText()
    stack.redo()
    again = snapshot(demo_db).action(action.id)
    assert again.last_update.id == after.last_update.id  # restored with the same id


def test_update_dialog_refuses_a_date_more_than_a_year_ahead(view, demo_db):
    action = busy_action(demo_db)
    select_item(view, (ACTION, action.id))
    view.add_update_act.trigger()
    dialog = view.update_dialog
    far = dt.date.today() + dt.timedelta(days=800)
    dialog.date_edit.setDate(far)
    assert dialog.date_edit.date().toPython() <= dt.date.today() + dt.timedelta(days=365)
    dialog.reject()


# -- adding, deleting, moving ----------------------------------------------------------------

def test_delete_action_after_confirmation_then_undo_restores_it_with_its_updates(view, demo_db, stack, qtbot,
                                                                                monkeypatch):
    asked = []

    def yes(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    action = busy_action(demo_db)
    select_item(view, (ACTION, action.id))
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    assert asked and asked[0].startswith(f"Delete action {action.ref} and its {len(action.updates)} updates?")
    assert snapshot(demo_db).action(action.id) is None
    assert view.current_key() is not None and view.current_key() != (ACTION, action.id)
    assert stack.undoText() == f"Delete action {action.ref}"

    stack.undo()
    back = snapshot(demo_db).action(action.id)
    assert back is not None and back.ref == action.ref and back.leads == action.leads
    assert [u.id for u in back.updates] == [u.id for u in action.updates]
    assert view.current_key() == (ACTION, action.id)


def test_delete_is_not_done_when_the_user_says_no(view, demo_db, stack, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    action = busy_action(demo_db)
    select_item(view, (ACTION, action.id))
    view.delete_act.trigger()
    assert snapshot(demo_db).action(action.id) is not None and stack.count() == 0


def test_insert_adds_an_action_ready_to_type_into(view, demo_db, stack, qtbot):
    outcome = snapshot(demo_db).outcomes()[3]
    select_item(view, (OUTCOME, outcome.id))
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Insert)
    added = snapshot(demo_db).outcomes()[3].actions[-1]
    assert added.ref == f"{outcome.ref}.{len(outcome.actions) + 1}"
    assert view.current_key() == (ACTION, added.id)
    assert view.detail.action_form.text_edit.hasFocus()
    stack.undo()
    assert snapshot(demo_db).action(added.id) is None
    stack.redo()
    assert snapshot(demo_db).action(added.id).ref == added.ref


def _order(db, outcome_id):
    return [a.id for o in snapshot(db).outcomes() if o.id == outcome_id for a in o.actions]


def test_move_down_and_up_within_an_outcome_and_across(view, demo_db, stack):
    snap = snapshot(demo_db)
    outcome = next(o for o in snap.outcomes() if len(o.actions) >= 2)
    first, second = outcome.actions[0], outcome.actions[1]
    select_item(view, (ACTION, first.id))
    view.move_down_act.trigger()
    assert _order(demo_db, outcome.id)[:2] == [second.id, first.id]
    assert view.current_key() == (ACTION, first.id)
    view.move_up_act.trigger()
    assert _order(demo_db, outcome.id)[:2] == [first.id, second.id]
    assert stack.undoText() == f"Move action {first.ref} up"

    outcomes = snap.outcomes()
    pos = outcomes.index(outcome)
    last, following = outcome.actions[-1], outcomes[pos + 1]
    select_item(view, (ACTION, last.id))
    view.move_down_act.trigger()  # across the boundary: first of the next outcome
    assert _order(demo_db, following.id)[0] == last.id
    assert last.id not in _order(demo_db, outcome.id)
    stack.undo()
    assert _order(demo_db, outcome.id) == [a.id for a in outcome.actions]
    assert _order(demo_db, following.id) == [a.id for a in following.actions]

    select_item(view, (ACTION, snap.actions()[0].id))
    assert not view.move_up_act.isEnabled()  # the very top of the plan


# -- keyboard only -----------------------------------------------------------------------------

def test_keyboard_only_select_an_action_and_open_the_update_dialog(view, demo_db, qtbot):
    snap = snapshot(demo_db)
    view.tree.setFocus()
    qtbot.waitUntil(view.tree.hasFocus)
    assert view.current_key() == (PRIORITY, snap.priorities[0].id)
    qtbot.keyClick(view.tree, Qt.Key.Key_Down)
    qtbot.keyClick(view.tree, Qt.Key.Key_Down)
    first = snap.priorities[0].outcomes[0].actions[0]
    assert view.current_key() == (ACTION, first.id)
    assert view.detail.action_form.ref_edit.text() == first.ref
    qtbot.keyClick(view.tree, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    dialog = view.update_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == f"Add update to {first.ref}"
    dialog.reject()
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)  # Enter goes to the action's first field
    assert view.detail.action_form.text_edit.hasFocus()


def test_ctrl_f_focuses_the_search_box(view, qtbot):
    view.tree.setFocus()
    qtbot.waitUntil(view.tree.hasFocus)
    qtbot.keyClick(view.tree, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.filter_bar.search_edit.hasFocus()


# -- read-only files and saved state -----------------------------------------------------------

def test_read_only_database_disables_editing(make_view, demo_db_path, qtbot):
    from send_desktop.storage.database import open_database

    ro = open_database(demo_db_path, user="Test Auditor", read_only=True)
    try:
        view = make_view(ro)
        assert view.banner.isVisible()
        assert view.banner.text().endswith(ro.read_only_message())
        action = snapshot(ro).actions()[0]
        select_item(view, (ACTION, action.id))
        for act in (view.add_action_act, view.add_outcome_act, view.add_priority_act, view.delete_act,
                    view.move_up_act, view.move_down_act, view.add_update_act):
            assert not act.isEnabled(), act.text()
        form = view.detail.action_form
        assert form.timescale_edit.isReadOnly() and form.text_edit.isReadOnly()
        assert not form.add_update_button.isEnabled() and not form.workstream_combo.isEnabled()
        assert view.find_act.isEnabled()
    finally:
        ro.close()


def test_state_round_trip_keeps_filters_and_widths(view, make_view, demo_db):
    view.filter_bar.overdue_check.setChecked(True)
    view.filter_bar.search_edit.setText("board")
    view.tree.header().resizeSection(0, 150)
    state = view.save_state()
    other = make_view(demo_db)
    assert other.restore_state(state)
    assert other.filter_bar.overdue_check.isChecked() and other.filter_bar.search_edit.text() == "board"
    assert other.tree.header().sectionSize(0) == 150
    assert other.model.visible_action_count() == view.model.visible_action_count()
    assert not other.restore_state(b"not json")


def test_clicking_another_row_commits_the_edit_to_the_first(view, demo_db, stack, qtbot):
    snap = snapshot(demo_db)
    first, second = snap.actions()[0], snap.actions()[1]
    select_item(view, (ACTION, first.id))
    edit = view.detail.action_form.timescale_edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    qtbot.keyClicks(edit, "Q4 2026/27")
    rect = view.tree.visualRect(view.model.index_for_key((ACTION, second.id), 1))
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert snapshot(demo_db).action(first.id).timescale == "Q4 2026/27"
    assert snapshot(demo_db).action(second.id).timescale == second.timescale
    assert view.current_key() == (ACTION, second.id)
    assert edit.text() == second.timescale


def test_priority_and_outcome_edits_adds_and_deletes_undo(view, demo_db, stack, qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    snap = snapshot(demo_db)
    priority = snap.priorities[2]
    select_item(view, (PRIORITY, priority.id))
    form = view.detail.priority_form
    assert "actions" in form.summary.text() and "overdue" in form.summary.text()
    form.statement_edit.setFocus()
    qtbot.waitUntil(form.statement_edit.hasFocus)
    form.statement_edit.selectAll()
    qtbot.keyClicks(form.statement_edit, "Leaders should listen.")
    qtbot.keyClick(form.statement_edit, Qt.Key.Key_Return)  # Enter commits a statement
    assert snapshot(demo_db).priorities[2].statement == "Leaders should listen."
    assert stack.undoText() == f"Edit priority {priority.ref} statement"

    view.add_outcome_act.trigger()
    added = snapshot(demo_db).priorities[2].outcomes[-1]
    assert added.ref == f"{priority.ref}.{len(priority.outcomes) + 1}"
    assert view.current_key() == (OUTCOME, added.id)
    view.add_priority_act.trigger()
    assert snapshot(demo_db).priorities[-1].ref == str(len(snap.priorities) + 1)

    outcome = snap.priorities[0].outcomes[0]
    select_item(view, (OUTCOME, outcome.id))
    view.delete_act.trigger()
    assert all(o.id != outcome.id for o in snapshot(demo_db).outcomes())
    for _ in range(4):
        stack.undo()
    after = snapshot(demo_db)
    assert [o.id for o in after.priorities[0].outcomes][0] == outcome.id
    assert len(after.priorities) == len(snap.priorities)
    assert after.priorities[2].statement == priority.statement
    assert len(after.actions()) == len(snap.actions())
