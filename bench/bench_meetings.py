"""How fast the Meetings area is over ten years of three boards: 360 monthly meetings, 5,000
actions with 15,000 updates.

    QT_QPA_PLATFORM=offscreen python bench/bench_meetings.py

Prints the median of 5 runs of each step. Budgets (issue 5): the action tracker shows in under
0.3 s (query, model and first paint of the tracker at 1440x900, all 5,000 actions); carrying
forward into a new meeting under 0.1 s (making the meeting from the standing agenda with its
members, then reading its matters arising). The file is filled with plain sqlite3 executemany:
the benchmark measures reading and the one-meeting write, not the filling.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RUNS = 5
BOARDS = ("SEND Improvement Board", "SEND Operations Group", "Preparing for Adulthood Board")
YEARS = 10
ACTIONS = 5000
UPDATES_PER_ACTION = 3
TODAY = dt.date(2026, 11, 1)
OWNERS = ("Helen Marchbank", "Priya Raman", "Dr Fiona Okafor", "Tom Ashdown", "Kevin Drury", "Beth Soulsby",
          "Naomi Whitlock", "Sunita Chowdhury", "Owen Castellan", "Carl Redfern", "Lucy Hartnell", "Aisha Barlow")


def median_time(step, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def uid() -> str:
    return uuid.uuid4().hex


def stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.000000")  # SQLAlchemy's SQLite DateTime form


def fill(path: Path) -> None:
    """Boards, members, meetings with the standing agenda and attendance, actions and updates."""
    from send_desktop.services.meetings import STANDING_AGENDA

    rng = random.Random(5)
    con = sqlite3.connect(path)
    con.execute("BEGIN")
    con.executemany("INSERT INTO board (id, uid, name, position) VALUES (?, ?, ?, ?)",
                    [(i + 1, uid(), name, i) for i, name in enumerate(BOARDS)])
    con.executemany("INSERT INTO board_member (uid, board_id, name, role, organisation, position) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(uid(), b + 1, name, "Member", "Harwick and Dales Council", i)
                     for b in range(len(BOARDS)) for i, name in enumerate(OWNERS)])
    meetings, agenda, attendance = [], [], []
    first = dt.date(TODAY.year - YEARS, TODAY.month, 1)
    for month in range(YEARS * 12):
        year, mon = first.year + (first.month - 1 + month) // 12, (first.month - 1 + month) % 12 + 1
        for b in range(len(BOARDS)):
            meeting_id = len(meetings) + 1
            starts = dt.datetime(year, mon, 3 + 7 * b, 10)
            meetings.append((meeting_id, uid(), b + 1, stamp(starts), "County Hall", 0, OWNERS[0],
                             "minutes approved"))
            agenda += [(uid(), meeting_id, i, title, "", papers, 1, "Notes of the item.", "")
                       for i, (title, papers) in enumerate(STANDING_AGENDA)]
            attendance += [(uid(), meeting_id, name, "Member", "Council", "apologies" if rng.random() < 0.15
                            else "present", "", i) for i, name in enumerate(OWNERS)]
    con.executemany("INSERT INTO meeting (id, uid, board_id, starts_at, place, online, chair, status) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", meetings)
    con.executemany("INSERT INTO agenda_item (uid, meeting_id, position, title, presenter, papers, standing, notes, "
                    "decisions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", agenda)
    con.executemany("INSERT INTO attendance (uid, meeting_id, name, role, organisation, kind, deputising_for, "
                    "position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", attendance)
    actions, updates, numbers = [], [], {}
    for action_id in range(1, ACTIONS + 1):
        meeting_id = rng.randrange(1, len(meetings) + 1)
        held = dt.datetime.fromisoformat(meetings[meeting_id - 1][3]).date()
        numbers[meeting_id] = number = numbers.get(meeting_id, 0) + 1
        age = (TODAY - held).days
        status = "closed" if rng.random() < min(0.97, age / 200) else rng.choice(("open", "in progress"))
        status = "superseded" if status == "closed" and rng.random() < 0.03 else status
        due = held + dt.timedelta(days=rng.choice((28, 56, 84)))
        actions.append((action_id, uid(), meeting_id, number, f"Action {action_id}: bring the report to the board",
                        rng.choice(OWNERS), due.isoformat(), status))
        updates += [(uid(), action_id, (held + dt.timedelta(days=20 * (k + 1))).isoformat(),
                     f"Update {k + 1} on action {action_id}", "Naomi Whitlock") for k in range(UPDATES_PER_ACTION)]
    con.executemany("INSERT INTO meeting_action (id, uid, meeting_id, number, text, owner, due_date, status) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", actions)
    con.executemany("INSERT INTO meeting_action_update (uid, action_id, date, text, author) VALUES (?, ?, ?, ?, ?)",
                    updates)
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-meetings-"))
    os.environ.setdefault("SEND_DESKTOP_HOME", str(work / "home"))

    from PySide6.QtWidgets import QApplication

    from send_desktop.services import meetings as M
    from send_desktop.services.meeting_read import OUTSTANDING, load_meeting, matters_arising, tracker
    from send_desktop.services.plan_setup import new_plan
    from send_desktop.storage.database import open_database
    from send_desktop.ui.meeting_tracker import ActionTracker

    app = QApplication.instance() or QApplication(sys.argv)
    path = work / "bench.sqlite"
    db = open_database(path, create=True, user="Bench")
    new_plan(db, "Bench plan", "pap3")
    db.close()
    start = time.perf_counter()
    fill(path)
    print(f"filling the file (once): {time.perf_counter() - start:.2f} s")
    db = open_database(path, user="Bench")
    everything = tracker(db, today=TODAY)
    with db.reading() as con:
        meetings = con.execute("SELECT count(*) FROM meeting").fetchone()[0]
    print(f"{meetings} meetings of {len(BOARDS)} boards, {len(everything)} actions "
          f"({sum(a.status in OUTSTANDING for a in everything)} outstanding, {sum(a.overdue for a in everything)} "
          f"overdue), {len(everything) * UPDATES_PER_ACTION} updates")

    view = ActionTracker()
    view.today = TODAY
    view.resize(1440, 900)
    view.show()
    view.set_database(db)
    app.processEvents()

    def tracker_shows(status_index: int):
        def step():
            view.status.blockSignals(True)
            view.status.setCurrentIndex(status_index)
            view.status.blockSignals(False)
            view.reload()
            app.processEvents()
            view.grab()
        return step

    board_id = 1
    last = dt.datetime(TODAY.year, TODAY.month, 3, 10)
    made = []

    def carry_forward():
        when = last + dt.timedelta(days=1 + len(made))
        made.append(M.create_meeting(db, board_id, when, source="bench"))
        matters_arising(db, made[-1], today=TODAY)

    M.create_meeting(db, 2, last + dt.timedelta(days=400), source="bench")  # the ORM warmed up, as in the window
    results = {
        "tracker query, all 5,000": median_time(lambda: tracker(db, today=TODAY)),
        "tracker query, outstanding": median_time(lambda: tracker(db, statuses=OUTSTANDING, today=TODAY)),
        "tracker query, owner + overdue": median_time(
            lambda: tracker(db, owner="kevin", overdue_only=True, today=TODAY)),
        "tracker query, one board": median_time(lambda: tracker(db, board_id=2, today=TODAY)),
        "tracker shows, all (query to paint)": median_time(tracker_shows(1)),
        "tracker shows, outstanding": median_time(tracker_shows(0)),
        "carry forward: new meeting + arising": median_time(carry_forward),
        "  of which matters arising read": median_time(lambda: matters_arising(db, made[-1], today=TODAY)),
        "whole meeting read (load_meeting)": median_time(lambda: load_meeting(db, made[-1], today=TODAY)),
    }
    for name, seconds in results.items():
        print(f"{name:40s} {seconds * 1000:8.1f} ms")
    print(f"matters arising at the new meeting: {len(matters_arising(db, made[-1], today=TODAY))} actions")
    ok = True
    for name, budget in (("tracker shows, all (query to paint)", 0.3), ("carry forward: new meeting + arising", 0.1)):
        within = results[name] < budget
        ok &= within
        print(f"{name}: {'within' if within else 'OVER'} the {budget * 1000:.0f} ms budget")
    db.close()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
