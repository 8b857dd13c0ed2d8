"""The Meetings area on the demo partnership's year of meetings, driven from the keyboard alone
(qtbot.keyClick / keyClicks to whatever has focus), checked against the database."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from send_desktop.services import meeting_read as R
from send_desktop.ui.meeting_models import ActionModel, AttendanceModel

from tests.test_meetings import _meetings_template, demo  # noqa: F401 - fixtures: the demo year

TODAY = dt.date(2026, 11, 1)
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def area(qtbot, demo):
    from send_desktop.ui.meeting_area import MeetingsArea

    view = MeetingsArea(demo)
    view.today = TODAY
    view.reload()
    view.meeting_list.select_id(held_board_meeting(view).id)  # the meeting just held, being written up
    qtbot.addWidget(view)
    view.resize(1440, 900)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


@pytest.fixture
def shown(monkeypatch):
    """Message boxes are the edge: record what would have been said."""
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: said.append(text))
    return said


def focus():
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focus(), key, modifier)


def type_text(qtbot, text):
    qtbot.keyClicks(focus(), text)


def held_board_meeting(area):
    return next(r for r in area.rows if r.board == "SEND Improvement Board" and r.status == "held")


# -- the models -----------------------------------------------------------------------------------

def test_models_pass_the_qt_model_tester(qtmodeltester, demo):
    actions = ActionModel()
    actions.set_rows(R.tracker(demo, today=TODAY))
    qtmodeltester.check(actions)
    actions.sort(5, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(actions)
    attendance = AttendanceModel()
    attendance.set_rows(R.load_meeting(demo, R.list_meetings(demo)[3].id).attendance)
    qtmodeltester.check(attendance)


# -- capture from the keyboard --------------------------------------------------------------------

def test_a_challenge_a_response_and_an_action_captured_with_the_keyboard_alone(area, demo, qtbot):
    ws = area.workspace
    meeting = held_board_meeting(area)
    area.meeting_list.setFocus()
    while area.meeting_list.current_id() != meeting.id:  # walk the list to the meeting just held
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)  # into its agenda
    assert focus() is ws.agenda
    press(qtbot, Qt.Key.Key_Home)
    for _ in range(5):  # item 6: performance and data
        press(qtbot, Qt.Key.Key_Down)
    item = ws.current_item()
    assert item.title == "Performance and data"
    before = {c.id for c in item.challenges}

    press(qtbot, Qt.Key.Key_C, CTRL_SHIFT)
    assert ws.capture.isVisible() and focus() is ws.capture.who
    type_text(qtbot, "marchb")
    press(qtbot, Qt.Key.Key_Tab)  # takes the suggestion: the chair's whole name
    assert ws.capture.who.text() == "Helen Marchbank" and focus() is ws.capture.text
    type_text(qtbot, "Why has timeliness fallen for a third month?")
    press(qtbot, Qt.Key.Key_Return)  # the last field: saved, and the response is asked for at once
    assert ws.capture.mode == "response" and focus() is ws.capture.who
    type_text(qtbot, "ashd")
    popup = ws.capture.who.completer().popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)  # the suggestions list has the keyboard while it shows
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert ws.capture.who.text() == "Tom Ashdown"
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "Two educational psychologists start in December.")
    press(qtbot, Qt.Key.Key_Return)
    assert not ws.capture.isVisible()

    press(qtbot, Qt.Key.Key_A, CTRL_SHIFT)
    assert ws.capture.mode == "action" and focus() is ws.capture.text
    type_text(qtbot, "Bring the recovery trajectory for 20-week timeliness")
    press(qtbot, Qt.Key.Key_Return)
    assert focus() is ws.capture.owner
    type_text(qtbot, "Kev")
    qtbot.keyClick(ws.capture.owner.completer().popup(), Qt.Key.Key_Down)
    qtbot.keyClick(ws.capture.owner.completer().popup(), Qt.Key.Key_Return)
    assert ws.capture.owner.text() == "Kevin Drury"
    press(qtbot, Qt.Key.Key_Return)
    assert focus() is ws.capture.due
    type_text(qtbot, "1/12/2026")
    press(qtbot, Qt.Key.Key_Return)
    assert not ws.capture.isVisible()

    snap = R.load_meeting(demo, meeting.id, today=TODAY)
    minuted = next(i for i in snap.agenda if i.id == item.id)
    (new,) = [c for c in minuted.challenges if c.id not in before]
    assert (new.challenger, new.challenge) == ("Helen Marchbank", "Why has timeliness fallen for a third month?")
    assert (new.responder, new.response) == ("Tom Ashdown", "Two educational psychologists start in December.")
    action = snap.actions[-1]
    assert (action.number, action.text, action.owner, action.due_date, action.status, action.agenda_item_id) == (
        meeting.actions + 1, "Bring the recovery trajectory for 20-week timeliness", "Kevin Drury",
        dt.date(2026, 12, 1), "open", item.id)
    with demo.reading() as con:
        sources = {r[0] for r in con.execute("SELECT source FROM change_log WHERE entity IN ('challenge', "
                                             "'meeting_action') AND user = 'Test Auditor'")}
    assert sources == {"window"}


def test_the_response_key_answers_the_latest_unanswered_challenge(area, demo, qtbot):
    from send_desktop.services import meetings as M

    ws = area.workspace
    item = ws.current_item()
    answered = M.add_challenge(demo, item.id, "Beth Soulsby", "First", responder="Tom Ashdown", response="Yes")
    waiting = M.add_challenge(demo, item.id, "Beth Soulsby", "Second")
    ws.refresh()
    ws.agenda.setFocus()
    press(qtbot, Qt.Key.Key_R, CTRL_SHIFT)
    assert ws.capture.context == {"challenge_id": waiting}
    type_text(qtbot, "Priya Raman")
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "It is on the next agenda.")
    press(qtbot, Qt.Key.Key_Return)
    challenges = {c.id: c for c in R.load_meeting(demo, ws.meeting_id).agenda[ws.agenda.currentRow()].challenges}
    assert challenges[waiting].response == "It is on the next agenda." and challenges[answered].response == "Yes"


def test_a_refused_entry_is_explained_and_stays_in_the_bar(area, demo, qtbot, shown):
    ws = area.workspace
    ws.agenda.setFocus()
    count = len(R.tracker(demo))
    press(qtbot, Qt.Key.Key_A, CTRL_SHIFT)
    type_text(qtbot, "Something")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "the thirtieth of Febtober")
    press(qtbot, Qt.Key.Key_Return)
    assert shown and "is not a date" in shown[0]
    assert ws.capture.isVisible() and ws.capture.text.toPlainText() == "Something"
    assert len(R.tracker(demo)) == count
    press(qtbot, Qt.Key.Key_Escape)
    assert not ws.capture.isVisible()


def test_matters_arising_are_at_the_top_and_closed_from_the_keyboard(area, demo, qtbot):
    ws = area.workspace
    arising = R.matters_arising(demo, ws.meeting_id, today=TODAY)
    assert arising and [r.id for r in ws.matters_model.rows] == [a.id for a in arising]
    assert "carried forward" in ws.matters_label.text()
    ws.matters.setFocus()
    press(qtbot, Qt.Key.Key_Home)
    first = ws.matters_model.rows[0]
    press(qtbot, Qt.Key.Key_U, CTRL_SHIFT)
    assert ws.capture.mode == "update" and focus() is ws.capture.text
    type_text(qtbot, "Reported at this meeting; done.")
    press(qtbot, Qt.Key.Key_Return)
    assert focus() is ws.capture.status
    type_text(qtbot, "c")  # the combo box jumps to Closed
    press(qtbot, Qt.Key.Key_Return)
    closed = next(a for a in R.tracker(demo, today=TODAY) if a.id == first.id)
    assert (closed.status, closed.latest_update, closed.updated_on) == ("closed", "Reported at this meeting; done.",
                                                                       TODAY)
    assert first.id not in [r.id for r in ws.matters_model.rows]


def test_attendance_and_agenda_order_from_the_keyboard(area, demo, qtbot):
    ws = area.workspace
    ws.tabs.setCurrentIndex(1)
    table = ws.attendance.table
    table.setFocus()
    press(qtbot, Qt.Key.Key_Home)
    press(qtbot, Qt.Key.Key_Down)
    person = ws.attendance.model.rows[1]
    press(qtbot, Qt.Key.Key_A)
    kinds = {a.id: a.kind for a in R.load_meeting(demo, ws.meeting_id).attendance}
    assert kinds[person.id] == "apologies"
    press(qtbot, Qt.Key.Key_D)  # someone deputises for them
    assert focus() is ws.attendance.name
    type_text(qtbot, "Rhiannon Petts")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(a.name == "Rhiannon Petts" for a in R.load_meeting(demo, ws.meeting_id).attendance))
    deputy = next(a for a in R.load_meeting(demo, ws.meeting_id).attendance if a.name == "Rhiannon Petts")
    assert (deputy.kind, deputy.deputising_for) == ("deputising", person.name)

    ws.tabs.setCurrentIndex(0)
    ws.agenda.setFocus()
    press(qtbot, Qt.Key.Key_Home)
    first = ws.current_item().id
    press(qtbot, Qt.Key.Key_Down, CTRL_SHIFT)
    assert [i.id for i in R.load_meeting(demo, ws.meeting_id).agenda].index(first) == 1
    assert ws.current_item().id == first and ws.agenda.currentRow() == 1


# -- the tracker ----------------------------------------------------------------------------------

def test_the_tracker_filters_by_owner_status_board_and_overdue(area, demo, qtbot):
    tracker = area.tracker
    area.tabs.setCurrentIndex(1)

    def ids(**filters):
        return [a.id for a in R.tracker(demo, today=TODAY, **filters)]

    assert [r.id for r in tracker.model.rows] == ids(statuses=R.OUTSTANDING)
    tracker.owner.setFocus()
    type_text(qtbot, "kevin")
    qtbot.waitUntil(lambda: [r.id for r in tracker.model.rows] == ids(owner="kevin", statuses=R.OUTSTANDING))
    press(qtbot, Qt.Key.Key_Escape)  # close the suggestions, keep the text
    tracker.status.setFocus()
    press(qtbot, Qt.Key.Key_Down)  # Open or in progress -> All
    assert [r.id for r in tracker.model.rows] == ids(owner="kevin")
    tracker.board.setFocus()
    press(qtbot, Qt.Key.Key_Down)  # All boards -> the first board
    board = tracker.board.currentData()
    assert board is not None and [r.id for r in tracker.model.rows] == ids(owner="kevin", board_id=board)
    tracker.owner.setFocus()
    tracker.owner.selectAll()
    press(qtbot, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: [r.id for r in tracker.model.rows] == ids(board_id=board))
    tracker.overdue.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    overdue = ids(board_id=board, overdue_only=True)
    assert overdue and [r.id for r in tracker.model.rows] == overdue
    assert all(r.overdue for r in tracker.model.rows) and "overdue" in tracker.count.text()

    tracker.table.setFocus()
    press(qtbot, Qt.Key.Key_Home)
    wanted = tracker.model.rows[0]
    press(qtbot, Qt.Key.Key_Return)  # opens the action in its meeting
    assert area.tabs.currentIndex() == 0 and area.workspace.meeting_id == wanted.meeting_id
    from send_desktop.ui.meeting_tables import current_row

    assert current_row(area.workspace.actions).id == wanted.id
