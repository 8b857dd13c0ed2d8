"""Board meetings on a real SQLite file: numbering, carry-forward, overdue flags, the tracker's
filters, the standing agenda, and bad input that changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from tests.helpers import db_contents

from send_desktop.errors import UserError
from send_desktop.services import meeting_actions as A
from send_desktop.services import meetings as M
from send_desktop.services import meeting_read as R
from send_desktop.services.demo_meetings import load_demo_meetings
from send_desktop.services.meeting_dump import dump_actions, dump_meetings
from send_desktop.storage.database import open_database

TODAY = dt.date(2026, 11, 1)  # as conftest's DEMO_TODAY


@pytest.fixture(scope="module")
def _meetings_template(_demo_template, tmp_path_factory):
    """The demo partnership with its year of meetings, built once for the module."""
    path = tmp_path_factory.mktemp("meetings") / "demo.sqlite"
    shutil.copyfile(_demo_template, path)
    database = open_database(path, user="Demo")
    load_demo_meetings(database, today=TODAY)
    database.close()
    return path


@pytest.fixture
def demo(_meetings_template, tmp_path):
    path = tmp_path / "meetings.sqlite"
    shutil.copyfile(_meetings_template, path)
    database = open_database(path, user="Test Auditor")
    yield database
    database.close()


@pytest.fixture
def boards(db):
    """Two boards: the Improvement Board meeting in June, July and August, the Operations Group in June."""
    ib = M.add_board(db, "Improvement Board")
    for name, role in (("Helen Marchbank", "Independent Chair"), ("Tom Ashdown", "Assistant Director"),
                       ("Kevin Drury", "Head of Performance")):
        M.add_member(db, ib, name, role, "Harwick and Dales Council")
    ops = M.add_board(db, "Operations Group")
    M.add_member(db, ops, "Priya Raman", "Co-chair", "Harwick and Dales Council")
    ids = {"ib": ib, "ops": ops}
    for key, board, when in (("jun", ib, dt.datetime(2026, 6, 2, 10)), ("jul", ib, dt.datetime(2026, 7, 7, 10)),
                             ("aug", ib, dt.datetime(2026, 8, 4, 10)), ("ops_jun", ops, dt.datetime(2026, 6, 24, 14))):
        ids[key] = M.create_meeting(db, board, when, place="County Hall" if key == "jun" else None,
                                    chair="Helen Marchbank" if key == "jun" else None)
    return ids


def numbers(db, meeting_id):
    return [a.number for a in R.tracker(db, meeting_id=meeting_id)]


# -- numbering ------------------------------------------------------------------------------------

def test_actions_are_numbered_per_meeting_after_the_highest_number(db, boards):
    first = [A.add_action(db, boards["jun"], f"Action {i}") for i in range(3)]
    assert numbers(db, boards["jun"]) == [1, 2, 3]
    A.add_action(db, boards["jul"], "Another meeting's first")
    assert numbers(db, boards["jul"]) == [1]
    A.delete_action(db, first[1])  # a number once minuted is never given to another action
    A.add_action(db, boards["jun"], "After the gap")
    assert numbers(db, boards["jun"]) == [1, 3, 4]
    A.add_action(db, boards["jun"], "Given its number", number=2)
    assert numbers(db, boards["jun"]) == [1, 2, 3, 4]


def test_a_number_already_used_at_the_meeting_is_refused(db, db_path, boards):
    A.add_action(db, boards["jun"], "One")
    two = A.add_action(db, boards["jun"], "Two")
    before = db_contents(db_path)
    with pytest.raises(UserError, match="already has an action 1"):
        A.add_action(db, boards["jun"], "Clash", number=1)
    with pytest.raises(UserError, match="already has an action 1"):
        A.update_action(db, two, {"number": 1})
    assert db_contents(db_path) == before


# -- carry forward --------------------------------------------------------------------------------

def test_open_actions_carry_forward_to_later_meetings_of_the_same_board_only(db, boards):
    open_one = A.add_action(db, boards["jun"], "Still open", owner="Tom Ashdown")
    started = A.add_action(db, boards["jun"], "Started", status="in progress")
    A.add_action(db, boards["jun"], "Done", status="closed")
    A.add_action(db, boards["jun"], "Overtaken", status="superseded")
    A.add_action(db, boards["ops_jun"], "Another board's", owner="Priya Raman")
    july = A.add_action(db, boards["jul"], "Raised in July")

    def arising(key):
        return [a.text for a in R.matters_arising(db, boards[key], today=TODAY)]

    assert arising("jun") == []
    assert arising("jul") == ["Still open", "Started"]
    assert arising("aug") == ["Still open", "Started", "Raised in July"]
    assert [a.id for a in R.matters_arising(db, boards["aug"], today=TODAY)] == [open_one, started, july]
    # Closed anywhere is closed everywhere: nothing is copied forward.
    A.set_status(db, open_one, "closed", note="Reported to the board", date=dt.date(2026, 7, 7))
    assert arising("jul") == ["Started"] and arising("aug") == ["Started", "Raised in July"]
    # A meeting made later picks up what is outstanding, without any step of its own.
    september = M.create_meeting(db, boards["ib"], dt.datetime(2026, 9, 1, 10))
    assert [a.text for a in R.load_meeting(db, september, today=TODAY).matters_arising] == ["Started", "Raised in July"]
    assert R.matters_arising(db, boards["ops_jun"], today=TODAY) == []


# -- overdue --------------------------------------------------------------------------------------

@pytest.mark.parametrize("due, status, overdue", [
    (TODAY - dt.timedelta(days=1), "open", True),
    (TODAY - dt.timedelta(days=30), "in progress", True),
    (TODAY, "open", False),  # the due day itself is still in time
    (TODAY - dt.timedelta(days=1), "closed", False),
    (TODAY - dt.timedelta(days=1), "superseded", False),
    (None, "open", False),
])
def test_overdue_means_due_passed_and_still_outstanding(db, boards, due, status, overdue):
    A.add_action(db, boards["jun"], "Something", due_date=due, status=status)
    (row,) = R.tracker(db, today=TODAY)
    assert row.overdue is overdue
    assert len(R.tracker(db, overdue_only=True, today=TODAY)) == int(overdue)


# -- the tracker ----------------------------------------------------------------------------------

def test_tracker_filters_by_owner_status_overdue_and_board(db, boards):
    late = TODAY - dt.timedelta(days=10)
    A.add_action(db, boards["jun"], "Dashboard", owner="Kevin Drury", due_date=late)
    A.add_action(db, boards["jul"], "Survey", owner="Kevin Drury", status="in progress", due_date=TODAY)
    A.add_action(db, boards["jul"], "Report", owner="Tom Ashdown", status="closed", due_date=late)
    A.add_action(db, boards["ops_jun"], "Funding", owner="Priya Raman", due_date=late)
    A.add_action(db, boards["ops_jun"], "Wildcards", owner="100% Kevin_")

    def texts(**filters):
        return [a.text for a in R.tracker(db, today=TODAY, **filters)]

    assert texts() == ["Dashboard", "Funding", "Wildcards", "Survey", "Report"]
    assert texts(owner="kevin") == ["Dashboard", "Wildcards", "Survey"]
    assert texts(owner="100%") == ["Wildcards"] and texts(owner="n_") == ["Wildcards"]  # not SQL wildcards
    assert texts(statuses=R.OUTSTANDING) == ["Dashboard", "Funding", "Wildcards", "Survey"]
    assert texts(statuses=("closed",)) == ["Report"] and texts(statuses=()) == []
    assert texts(overdue_only=True) == ["Dashboard", "Funding"]
    assert texts(board_id=boards["ops"]) == ["Funding", "Wildcards"]
    assert texts(owner="Kevin", overdue_only=True, board_id=boards["ib"]) == ["Dashboard"]
    survey = R.tracker(db, owner="Kevin", statuses=("in progress",), today=TODAY)[0]
    assert (survey.board, survey.meeting_date, survey.number) == ("Improvement Board", dt.date(2026, 7, 7), 1)


def test_the_tracker_shows_each_actions_latest_update(db, boards):
    action = A.add_action(db, boards["jun"], "Dashboard")
    A.add_update(db, action, "Second, though added first", date=dt.date(2026, 7, 1))
    A.add_update(db, action, "First", date=dt.date(2026, 6, 20))
    A.add_update(db, action, "Closed it", date=dt.date(2026, 7, 1), status="closed")
    (row,) = R.tracker(db, today=TODAY)
    assert (row.updated_on, row.latest_update, row.status) == (dt.date(2026, 7, 1), "Closed it", "closed")
    assert [u.text for u in R.action_updates(db, action)] == ["First", "Second, though added first", "Closed it"]


# -- the standing agenda, attendance and minutes --------------------------------------------------

def test_a_new_meeting_has_the_standing_agenda_and_the_boards_members(db, boards):
    snap = R.load_meeting(db, boards["jul"], today=TODAY)
    assert [i.title for i in snap.agenda] == [title for title, _ in M.STANDING_AGENDA]
    assert all(i.standing for i in snap.agenda) and len(snap.agenda) == 10
    assert [(a.name, a.kind) for a in snap.attendance] == [
        ("Helen Marchbank", "present"), ("Tom Ashdown", "present"), ("Kevin Drury", "present")]
    # Place and chair follow from the board's last meeting when not given.
    assert (snap.meeting.place, snap.meeting.chair, snap.meeting.status) == ("County Hall", "Helen Marchbank",
                                                                              "planned")
    assert R.load_meeting(db, boards["ops_jun"]).meeting.place == ""  # another board's meetings do not count


def test_attendance_agenda_order_challenges_and_decisions(db, boards):
    meeting = boards["jul"]
    snap = R.load_meeting(db, meeting)
    tom = next(a for a in snap.attendance if a.name == "Tom Ashdown")
    M.update_attendance(db, tom.id, {"kind": "Apologies"})
    deputy = M.add_attendee(db, meeting, "Gareth Pennington", "deputising", deputising_for="Tom Ashdown")
    M.add_attendee(db, meeting, "Kevin Drury", "in attendance")
    aob = snap.agenda[8]
    assert M.move_agenda_item(db, aob.id, 2) == 8
    item = snap.agenda[2]
    challenge = M.add_challenge(db, item.id, "Helen Marchbank", "How are we hearing from young people?")
    M.record_response(db, challenge, "Jordan Fairclough", "  Sessions in school time.\r\n  ")
    M.add_decision(db, item.id, "The board agreed the survey questions.")
    M.add_decision(db, item.id, "A second decision.")
    after = R.load_meeting(db, meeting)
    assert [i.title for i in after.agenda][:4] == [snap.agenda[0].title, snap.agenda[1].title, aob.title, item.title]
    assert [i.position for i in after.agenda] == list(range(10))
    kinds = {a.name: (a.kind, a.deputising_for) for a in after.attendance}
    assert kinds["Tom Ashdown"] == ("apologies", "") and kinds["Gareth Pennington"] == ("deputising", "Tom Ashdown")
    assert next(a for a in after.attendance if a.id == deputy).position == 3
    minuted = next(i for i in after.agenda if i.id == item.id)
    assert [(c.challenger, c.responder, c.response) for c in minuted.challenges] == [
        ("Helen Marchbank", "Jordan Fairclough", "Sessions in school time.")]
    assert minuted.decisions == ("The board agreed the survey questions.", "A second decision.")
    with db.reading() as con:
        logged = con.execute("SELECT DISTINCT entity FROM change_log WHERE source = 'window'").fetchall()
    assert {"attendance", "agenda_item", "challenge"} <= {r[0] for r in logged}


def test_links_and_the_forward_plan(demo):
    snap = R.load_meeting(demo, R.list_meetings(demo)[0].id)
    targets = R.link_targets(demo)
    priority, plan_action = targets["priority"][0], targets["plan action"][3]
    M.set_agenda_links(demo, snap.agenda[4].id, [("priority", priority[0])])
    action = A.add_action(demo, snap.meeting.id, "Linked")
    A.set_links(demo, action, [("plan action", plan_action[0]), ("plan action", plan_action[0])])
    with demo.reading() as con:
        links = R.action_links(con, [action])[action]
    assert [(link.kind, link.ref) for link in links] == [("plan action", plan_action[2])]
    assert [link.label for link in R.load_meeting(demo, snap.meeting.id).agenda[4].links] == [f"Priority {priority[2]}"]
    A.set_links(demo, action, [])
    with pytest.raises(UserError, match="Cannot link to a priority"):
        A.set_links(demo, action, [("priority", priority[0])])
    item = A.add_forward_item(demo, snap.meeting.board_id, "Deep dive: transport", kind="Deep dive", for_month="2027-02")
    row = next(f for f in R.forward_plan(demo) if f.id == item)
    assert (row.kind, row.for_month, row.status) == ("deep dive", "2027-02", "requested")


# -- bad input ------------------------------------------------------------------------------------

def test_bad_input_is_explained_and_changes_nothing(db, db_path, boards):
    action = A.add_action(db, boards["jun"], "Something")
    before = db_contents(db_path)
    tom = next(a for a in R.load_meeting(db, boards["jun"]).attendance if a.name == "Tom Ashdown")
    bad = [
        (lambda: A.add_action(db, boards["jun"], "   "), "The action is empty"),
        (lambda: A.add_action(db, boards["jun"], "x", status="done"), "'done' is not an action status"),
        (lambda: A.update_action(db, action, {"status": "finished"}), "not an action status"),
        (lambda: A.add_update(db, action, "Soon", date=TODAY + dt.timedelta(days=800)), "more than a year ahead"),
        (lambda: A.add_update(db, action, ""), "The update is empty"),
        (lambda: A.add_action(db, 9999, "x"), "no longer exists"),
        (lambda: M.add_attendee(db, boards["jun"], "Ann Other", "late"), "not a kind of attendance"),
        (lambda: M.add_attendee(db, boards["jun"], "Ann Other", "deputising"), "deputising for"),
        (lambda: M.update_attendance(db, tom.id, {"kind": "deputising"}), "deputising for"),
        (lambda: M.update_meeting(db, boards["jun"], {"status": "cancelled"}), "not a meeting status"),
        (lambda: M.create_meeting(db, 9999, dt.datetime(2026, 9, 1, 10)), "no longer exists"),
        (lambda: M.create_meeting(db, boards["ib"], dt.date(2026, 9, 1)), "date and a start time"),
        (lambda: M.add_board(db, " improvement   board "), "already a board"),
        (lambda: M.add_challenge(db, 9999, "Helen", "Why?"), "no longer exists"),
        (lambda: A.add_forward_item(db, boards["ib"], "Report", for_month="March"), "not a month"),
        (lambda: A.add_forward_item(db, boards["ib"], "Report", for_meeting_id=boards["ops_jun"]), "its own board"),
    ]
    for call, message in bad:
        with pytest.raises(UserError, match=message):
            call()
    assert db_contents(db_path) == before


# -- dumps and the demo ---------------------------------------------------------------------------

def test_dumps_have_the_documented_shape(db, boards):
    action = A.add_action(db, boards["jun"], "Dashboard", owner="Kevin Drury", due_date=dt.date(2026, 7, 1))
    A.add_update(db, action, "Started", date=dt.date(2026, 6, 20), author="Kevin Drury")
    (dumped,) = dump_actions(db)
    assert dumped == {"meeting_date": "2026-06-02", "number": 1, "text": "Dashboard", "owner": "Kevin Drury",
                      "due": "2026-07-01", "status": "open",
                      "updates": [{"date": "2026-06-20", "text": "Started", "author": "Kevin Drury"}], "links": []}
    meetings = dump_meetings(db)
    assert [m["starts_at"] for m in meetings] == ["2026-06-02T10:00", "2026-06-24T14:00", "2026-07-07T10:00",
                                                   "2026-08-04T10:00"]
    assert set(meetings[0]) == {"board", "starts_at", "place", "online", "chair", "status", "attendance", "agenda",
                                "actions"}
    assert set(meetings[0]["agenda"][0]) == {"title", "presenter", "papers", "standing", "notes", "decisions",
                                             "links", "challenges"}
    json.dumps(meetings)  # JSON-ready as it is


def test_the_demo_year_tells_a_true_story(demo):
    meetings = R.list_meetings(demo)
    assert len(meetings) == 26 and {m.board for m in meetings} == {"SEND Improvement Board", "SEND Operations Group"}
    assert sorted(m.status for m in meetings).count("planned") == 2
    assert {m.status for m in meetings} == {"planned", "held", "minutes approved"}
    actions = R.tracker(demo, today=TODAY)
    statuses = {s: sum(a.status == s for a in actions) for s in R.ACTION_STATUSES}
    assert statuses["superseded"] == 1 and statuses["closed"] > statuses["open"] > 0 and statuses["in progress"] > 0
    assert any(a.overdue for a in actions)
    carried = [a for a in actions if a.status in R.OUTSTANDING and (TODAY - a.meeting_date).days > 90]
    assert carried, "some actions have been carried forward for months"
    dumped = dump_actions(demo)
    assert any(d["links"] and d["links"][0]["kind"] == "plan action" for d in dumped)
    assert all(d["updates"] for d in dumped if d["status"] in ("closed", "superseded"))
    minutes = dump_meetings(demo)
    held = [m for m in minutes if m["status"] != "planned"]
    assert all(any(i["challenges"] for i in m["agenda"]) for m in held)
    assert all(any(a["kind"] == "apologies" for a in m["attendance"]) for m in held)
    assert any(a["kind"] == "deputising" and a["deputising_for"] for m in held for a in m["attendance"])
    assert any(i["decisions"] for m in held for i in m["agenda"])
    assert {f.status for f in R.forward_plan(demo)} >= {"done", "scheduled", "requested"}
    assert load_demo_meetings(demo, today=TODAY) == 0  # a second call adds nothing


def test_deleting_a_meeting_logs_every_record_it_takes_with_it(demo):
    meeting = next(m for m in R.list_meetings(demo) if m.actions)
    snap = R.load_meeting(demo, meeting.id)
    M.delete_meeting(demo, meeting.id)
    with demo.reading() as con:
        deleted = dict(con.execute("SELECT entity, count(*) FROM change_log WHERE op = 'delete' GROUP BY entity"))
        left = con.execute("SELECT count(*) FROM meeting_action WHERE meeting_id = ?", (meeting.id,)).fetchone()[0]
    assert deleted["meeting"] == 1 and deleted["agenda_item"] == len(snap.agenda)
    assert deleted["meeting_action"] == len(snap.actions) and deleted["attendance"] == len(snap.attendance)
    assert deleted.get("challenge", 0) == sum(len(i.challenges) for i in snap.agenda) and left == 0
