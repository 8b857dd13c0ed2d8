"""A year of board meetings for the fictional demo partnership, so the Meetings area has a true
story to show: the SEND Improvement Board and its Operations Group meeting monthly, members
sending apologies and deputies, minutes with challenge and response, decisions, and actions in
every state (closed on time, carried forward for months, overdue, one superseded), each with
dated updates and links to the demo plan (and to risks and KPIs when the file has them).

Seeded and anchored to `today`: the twelve most recent meetings of each board are held (all but
the latest with approved minutes) and the next one is planned. Everything is fictional.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from send_desktop.services.meetings import STANDING_AGENDA
from send_desktop.storage.models import (
    Action, AgendaItem, AgendaLink, Attendance, Board, BoardMember, Challenge, ForwardPlanItem, Kpi, Meeting,
    MeetingAction, MeetingActionLink, MeetingActionUpdate, Priority, Risk, Workstream,
)

COUNCIL, ICB, PCF = "Harwick and Dales Council", "Harwick and Dales Integrated Care Board", "Harwick and Dales Parent Carer Forum"
TRUST = "Dales Community Health NHS Trust"
IB, OPS = "SEND Improvement Board", "SEND Operations Group"

MEMBERS = {
    IB: (("Helen Marchbank", "Independent Chair", "Independent"),
         ("Cllr Rachel Oduya", "Cabinet Member for Children and Education", COUNCIL),
         ("Priya Raman", "Director of Education and Skills", COUNCIL),
         ("Dr Fiona Okafor", "Associate Director, Children and Young People", ICB),
         ("Tom Ashdown", "Assistant Director, SEND and Inclusion", COUNCIL),
         ("Gwen Attwater", "Director of Public Health", COUNCIL),
         ("Carl Redfern", "Head of Joint Commissioning (Children)", COUNCIL),
         ("Kevin Drury", "Head of Performance and Intelligence", COUNCIL),
         ("Beth Soulsby", "Chair, Parent Carer Forum", PCF),
         ("Ellis Varga", "SEND Young Adviser", "Harwick and Dales Young Advisers"),
         ("Margaret Oyelaran", "Primary headteachers' representative", "Harwick Primary Heads' Forum"),
         ("Simon Tranter", "Secondary headteachers' representative", "Dales Secondary Heads' Association"),
         ("Denise Kowalczyk", "Further education representative", "Dalesford College"),
         ("Dr Imran Siddiqui", "Consultant Community Paediatrician", TRUST),
         ("Lucy Hartnell", "Designated Clinical Officer", ICB),
         ("Martin Greaves", "Designated Social Care Officer", COUNCIL)),
    OPS: (("Priya Raman", "Co-chair; Director of Education and Skills", COUNCIL),
          ("Dr Fiona Okafor", "Co-chair; Associate Director, Children and Young People", ICB),
          ("Tom Ashdown", "Assistant Director, SEND and Inclusion", COUNCIL),
          ("Gareth Pennington", "Head of SEND Statutory Services", COUNCIL),
          ("Aisha Barlow", "Principal Educational Psychologist", COUNCIL),
          ("Sunita Chowdhury", "Neurodevelopmental Pathway Programme Lead", ICB),
          ("Kevin Drury", "Head of Performance and Intelligence", COUNCIL),
          ("Owen Castellan", "Head of Post-16 and Preparing for Adulthood", COUNCIL),
          ("Beth Soulsby", "Chair, Parent Carer Forum", PCF),
          ("Naomi Whitlock", "SEND Partnership Manager", COUNCIL)),
}
#: Regulars who attend without being members: (name, role, organisation).
IN_ATTENDANCE = (("Naomi Whitlock", "SEND Partnership Manager (minutes)", COUNCIL),
                 ("Sanjay Mehta", "SEND Adviser", "Department for Education"),
                 ("Claire Bowden", "Regional SEND Lead", "NHS England"),
                 ("Eleanor Tuckett", "SEND Quality Assurance Auditor", COUNCIL))
#: Who comes in someone's place when they cannot.
DEPUTIES = {"Tom Ashdown": "Gareth Pennington", "Dr Fiona Okafor": "Sunita Chowdhury",
            "Priya Raman": "Owen Castellan", "Gwen Attwater": "Rhiannon Petts", "Carl Redfern": "Yasmin Hollins"}
CHALLENGERS = ("Helen Marchbank", "Cllr Rachel Oduya", "Beth Soulsby", "Sanjay Mehta", "Margaret Oyelaran",
               "Ellis Varga", "Claire Bowden")
OPS_AGENDA = (("Welcome and apologies", ""), ("Actions from the last meeting", "Action tracker"),
              ("Workstream highlight reports", "Highlight reports"), ("Performance dashboard", "Dashboard"),
              ("Risks and issues to escalate", "Risk register"), ("Preparing for the Improvement Board", ""),
              ("Any other business", ""))

# Topics: agenda position on the board's standing agenda, presenter, the plan workstream its
# actions link to, notes, (challenge, who responds, response) pairs, (action, owner) pairs.
TOPICS = {
    "voice": (2, "Jordan Fairclough", "Working together and co-production",
              "The participation groups met in all three localities this month; {n} young people took part.",
              (("How are we hearing from young people who never come to a participation group?", "Jordan Fairclough",
                "Sessions are being run in school time with two special schools and Dalesford College, so the "
                "views of those who do not travel to groups are heard."),
               ("Young people say they have to tell their story to every service. What is changing?", "Tom Ashdown",
                "A 'tell it once' summary is being tried in the annual review pilot from next term.")),
              (("Bring a summary of what young people said in the survey and what changed because of it",
                "Jordan Fairclough"),
               ("Invite two young advisers to present their own report to the board", "Jordan Fairclough"),
               ("Agree with schools how pupils' views are gathered before each annual review", "Margaret Oyelaran"))),
    "parents": (3, "Beth Soulsby", "Working together and co-production",
                "The forum's written report was received. Forum events drew {n} parent carers this month.",
                (("Families still wait weeks for replies from the SEND team. When will that stop?", "Tom Ashdown",
                  "Response standards of five working days for emails are being introduced, with performance "
                  "reported to this board from next quarter."),
                 ("How will families see what has changed because of what they told us?", "Naomi Whitlock",
                  "A 'you said, we did' page will be kept on the Local Offer and updated after each board.")),
                (("Publish a 'you said, we did' update for families on the Local Offer", "Naomi Whitlock"),
                 ("Agree response standards for emails and calls and report against them", "Tom Ashdown"),
                 ("Meet the forum to plan the autumn family events together", "Beth Soulsby"))),
    "plan": (4, "Priya Raman", "Leadership, partnership and joint commissioning",
             "The highlight report was taken as read: {n} plan actions are on track and the exceptions were discussed.",
             (("The tracker is mostly green but families are not feeling a difference. Where is the impact?",
               "Priya Raman", "Each priority in the highlight report will carry an impact section drawn from the "
               "outcomes framework once it is agreed."),
              ("Two joint commissioning actions have been amber for three months. What will unblock them?",
               "Dr Fiona Okafor", "The executives will meet outside the board to agree the funding split.")),
             (("Add an impact section for each priority to the highlight report", "Priya Raman"),
              ("Agree the joint funding split for the stalled commissioning actions", "Carl Redfern"),
              ("Bring the draft outcomes framework for the board to comment on", "Priya Raman"))),
    "performance": (5, "Kevin Drury", "EHCPs and annual reviews",
                    "Open EHCPs stood at {n:,}. {pct}% of new plans were issued within 20 weeks in the month.",
                    (("Timeliness has fallen again. What is the recovery trajectory and when will we see it?",
                      "Tom Ashdown", "Extra educational psychology capacity starts next month and the trajectory "
                      "returns to half of plans within 20 weeks by the spring."),
                     ("The dashboard has no comparison with similar areas. Can that be added?", "Kevin Drury",
                      "Statistical neighbour figures will be added from the next release.")),
                    (("Add statistical neighbour comparisons to the dashboard", "Kevin Drury"),
                     ("Bring the trend in requests for assessment by locality", "Kevin Drury"),
                     ("Report the rolling 20-week figure alongside the monthly one", "Kevin Drury"))),
    "quality": (6, "Eleanor Tuckett", "EHCPs and annual reviews",
                "{n} plans were audited this month; {pct}% were graded good or better.",
                (("Provision in section F is the weakest section again. What is being done?", "Eleanor Tuckett",
                  "Provision is often not specific or quantified; training on writing section F is booked for "
                  "every caseworker this term."),
                 ("Partners are not yet taking part in audits. How will that change?", "Dr Fiona Okafor",
                  "Health and social care have each named two auditors who start next month.")),
                (("Recruit auditors from health and social care partners", "Lucy Hartnell"),
                 ("Report the themes from moderated audits to the Operations Group", "Eleanor Tuckett"),
                 ("Check the quality of health advice in a sample of new plans", "Lucy Hartnell"))),
    "risk": (7, "Naomi Whitlock", "Leadership, partnership and joint commissioning",
             "The risk register was reviewed; {n} risks are above the partnership's appetite.",
             (("Should children missing education be on the register in their own right?", "Naomi Whitlock",
               "Yes. It will be added with its controls and a named owner."),),
             (("Add children missing education to the risk register", "Naomi Whitlock"),
              ("Review the board's terms of reference and membership", "Naomi Whitlock"),
              ("Set out the mitigations for the risk of independent school places rising", "Carl Redfern"))),
    "nd": (None, "Sunita Chowdhury", "Neurodivergent pathway", "",
           (("Waits for an autism assessment are longest in Fellbeck. Why?", "Sunita Chowdhury",
             "One provider closed its list in the spring; the waiting list is being validated and shared."),),
           (("Bring a deep dive on neurodevelopmental waits and support while waiting", "Sunita Chowdhury"),
            ("Publish advice for families on support available before diagnosis", "Dr Imran Siddiqui"))),
    "pfa": (None, "Owen Castellan", "Transitions and preparation for adulthood", "",
            (("Too few plans in Year 9 talk about adult life. How will that improve?", "Owen Castellan",
              "Preparing for adulthood outcomes are now checked at every Year 9 review."),),
            (("Report how many Year 9 reviews included preparing for adulthood outcomes", "Owen Castellan"),)),
}
DECISIONS = ("The board agreed the format of the highlight report.",
             "The board approved the revised terms of reference.",
             "The board agreed to receive the dashboard quarterly in full and monthly by exception.",
             "The board endorsed the communication plan for families.",
             "The board agreed the outcomes framework for consultation.")
#: Progress notes in the order a typical action gathers them; the last moves the due date on.
UPDATES = ("Work has started; a first draft has gone to the Operations Group.",
           "Partners have been asked for their figures; two of four have replied.",
           "Discussed with the parent carer forum; proposals agreed in principle.",
           "Draft ready; it will come to the next meeting.",
           "Delayed by staff absence; a new date has been agreed.")
CLOSED = ("Done and reported back to the board.", "Completed; the paper went out with the board pack.",
          "Complete. Evidence is filed with the highlight report.")
DEEP_DIVES = (  # (title, kind, requested at meeting index, for meeting index, topic)
    ("Communication with families: the plan for the year", "report", 0, 2, "parents"),
    ("Deep dive: neurodevelopmental waits and support while waiting", "deep dive", 1, 3, "nd"),
    ("Deep dive: capital programme and specialist places", "deep dive", 2, 5, "plan"),
    ("The partnership outcomes framework", "decision", 4, 7, "plan"),
    ("Deep dive: preparing for adulthood and post-16 routes", "deep dive", 8, 12, "pfa"),
)


def _meeting_days(today: dt.date, weekday: int, week: int, hour: int):
    """The twelve latest meetings on or before today and the next one: the `week`th `weekday`
    of each month (week -1: the last)."""
    def day_in(year, month):
        first = dt.date(year, month, 1)
        if week > 0:
            return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
        nxt = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return nxt - dt.timedelta(days=(nxt.weekday() - weekday) % 7)

    days = []
    year, month = today.year - 1, today.month
    while len([d for d in days if d <= today]) < 12 or days[-1] <= today:
        days.append(day_in(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    past = [d for d in days if d <= today][-12:]
    return [dt.datetime.combine(d, dt.time(hour)) for d in past + [next(d for d in days if d > today)]]


def _targets(session) -> dict:
    plan_actions: dict[str, list[int]] = {}
    for action_id, ws in session.execute(select(Action.id, Workstream.name).join(
            Workstream, Workstream.id == Action.workstream_id, isouter=True).order_by(Action.position, Action.id)):
        plan_actions.setdefault(ws or "", []).append(action_id)
    return {"plan": plan_actions, "priorities": list(session.scalars(select(Priority.id).order_by(Priority.position))),
            "risks": list(session.scalars(select(Risk.id).order_by(Risk.position, Risk.id))),
            "kpis": list(session.scalars(select(Kpi.id).order_by(Kpi.position, Kpi.id)))}


class _Builder:
    def __init__(self, session, rng: random.Random, today: dt.date):
        self.s, self.rng, self.today = session, rng, today
        self.targets = _targets(session)
        self.superseded = False
        self.tied: list[tuple[MeetingAction, AgendaItem]] = []  # given agenda_item_id once ids exist
        self.raised: list[MeetingAction] = []  # the board's actions so far

    def attendance(self, board: Board, meeting: Meeting, index: int) -> None:
        people = list(board.members)
        away = set(self.rng.sample([m.name for m in people[1:]], self.rng.randint(2, 4)))
        rows = [Attendance(name=m.name, role=m.role, organisation=m.organisation,
                           kind="apologies" if m.name in away else "present", deputising_for="") for m in people]
        for absent in sorted(away & set(DEPUTIES)):
            rows.append(Attendance(name=DEPUTIES[absent], role="", organisation="", kind="deputising",
                                   deputising_for=absent))
        if board.name == IB:
            regulars = IN_ATTENDANCE if index % 3 == 0 else IN_ATTENDANCE[:1] + IN_ATTENDANCE[3:]
            rows += [Attendance(name=n, role=r, organisation=o, kind="in attendance", deputising_for="")
                     for n, r, o in regulars]
        for pos, row in enumerate(rows):
            row.position = pos
        meeting.attendance = rows

    def action(self, meeting: Meeting, item: AgendaItem, text: str, owner: str, workstream: str,
               later: list[dt.datetime]) -> MeetingAction:
        """An action whose story runs over the meetings since: updated at some, closed at one,
        or (about one in seven) stuck and carried forward to today."""
        rng, held = self.rng, meeting.starts_at.date()
        action = MeetingAction(number=len(meeting.actions) + 1, text=text, owner=owner, status="open",
                               due_date=held + dt.timedelta(days=rng.choice((28, 28, 56, 84))))
        stuck, notes = rng.random() < 0.1, 0
        for step, then in enumerate(d for d in later if d.date() <= self.today):
            when = then.date() - dt.timedelta(days=rng.randint(2, 6))
            if not stuck and rng.random() < 0.45 + 0.2 * step:
                action.status = "closed"
                action.updates.append(MeetingActionUpdate(date=when, text=rng.choice(CLOSED), author=owner))
                break
            late = action.due_date < when
            if late or rng.random() < 0.7:
                action.status = "in progress"
                # Running late usually means a new date is agreed; a stuck action just slips.
                text = UPDATES[-1] if late and not stuck and rng.random() < 0.7 else \
                    UPDATES[min(notes + rng.randint(0, 1), len(UPDATES) - 2)]
                notes += 1
                action.updates.append(MeetingActionUpdate(date=when, text=text, author=owner))
                if text == UPDATES[-1]:
                    action.due_date = when + dt.timedelta(days=56)
        plan = self.targets["plan"].get(workstream) or []
        if plan and rng.random() < 0.6:
            action.links.append(MeetingActionLink(plan_action_id=rng.choice(plan)))
        for kind, column in (("risks", "risk_id"), ("kpis", "kpi_id")):
            if self.targets[kind] and rng.random() < 0.2:
                action.links.append(MeetingActionLink(**{column: rng.choice(self.targets[kind])}))
        meeting.actions.append(action)
        self.tied.append((action, item))
        self.raised.append(action)
        return action

    def discuss(self, meeting: Meeting, item: AgendaItem, key: str, index: int, later) -> None:
        """An item's minutes on one topic: a note, a challenge with its response, one or two actions."""
        rng = self.rng
        _position, presenter, workstream, note, pairs, actions = TOPICS[key]
        item.presenter = presenter
        if note and not item.notes:
            item.notes = note.format(n=4650 + 45 * index if key == "performance" else rng.randint(9, 40),
                                     pct=min(75, 31 + 3 * index + rng.randint(-3, 3)))
        challenge, responder, response = rng.choice(pairs)
        item.challenges.append(Challenge(position=len(item.challenges), challenger=rng.choice(CHALLENGERS),
                                         challenge=challenge, responder=responder, response=response))
        live = {a.text for a in self.raised if a.status in ("open", "in progress")}
        fresh = [(text, owner) for text, owner in actions if text not in live]  # never raised twice at once
        for text, owner in rng.sample(fresh, min(len(fresh), rng.randint(1, 2))):
            self.action(meeting, item, text, owner, workstream, later)

    def board_minutes(self, meeting: Meeting, index: int, later, dive_topic: str | None) -> None:
        items = sorted(meeting.agenda, key=lambda i: i.position)
        items[0].notes = "The chair welcomed members and noted the apologies received."
        items[1].notes = "The minutes of the last meeting were agreed as accurate and the action tracker reviewed."
        for key in self.rng.sample(["voice", "parents", "plan", "performance", "quality", "risk"], 4):
            self.discuss(meeting, items[TOPICS[key][0]], key, index, later)
        if dive_topic:  # the deep dive sits before any other business
            items[-3].notes = "The board received the deep dive it asked for and discussed it at length."
            self.discuss(meeting, items[-3], dive_topic, index, later)
        if index % 3 == 1:
            items[4].decisions = DECISIONS[(index // 3) % len(DECISIONS)]
        items[-1].notes = f"The next meeting is on {later[0]:%A %d %B %Y at %H:%M}." if later else ""

    def ops_minutes(self, meeting: Meeting, index: int, later) -> None:
        items = sorted(meeting.agenda, key=lambda i: i.position)
        items[1].notes = "Open actions were reviewed ahead of the Improvement Board."
        self.discuss(meeting, items[2], self.rng.choice(("nd", "pfa", "plan")), index, later)
        self.discuss(meeting, items[3], "performance", index, later)
        items[5].notes = "The group agreed the exceptions to bring to the Improvement Board."

    def supersede(self, actions: list[MeetingAction], replacement: MeetingAction, on: dt.date) -> None:
        """The oldest action still open is overtaken by a later one: the story every tracker has."""
        stale = next((a for a in actions if a.status in ("open", "in progress")), None)
        if stale is not None and not self.superseded:
            self.superseded = True
            stale.status = "superseded"
            stale.updates.append(MeetingActionUpdate(date=on, author="Naomi Whitlock",
                                                     text=f"Superseded by action {replacement.number} of the "
                                                          f"meeting of {on:%d %B %Y}."))


def _board(session, name: str, position: int) -> Board:
    board = Board(name=name, position=position,
                  members=[BoardMember(name=n, role=r, organisation=o, position=i)
                           for i, (n, r, o) in enumerate(MEMBERS[name])])
    session.add(board)
    session.flush()
    return board


def _meeting(board: Board, starts: dt.datetime, index: int, count: int, agenda, today: dt.date, dive) -> Meeting:
    titles = list(agenda)
    if dive:
        titles.insert(len(titles) - 2, (dive[0], ""))
    in_person = board.name == IB and index % 2 == 0
    status = "planned" if starts.date() > today else ("held" if index == count - 2 else "minutes approved")
    return Meeting(board_id=board.id, starts_at=starts, place="County Hall, Harwick" if in_person else "",
                   online=not in_person, chair="Helen Marchbank" if board.name == IB else "Priya Raman", status=status,
                   agenda=[AgendaItem(position=i, title=t, presenter="", papers=p, standing=(t, p) in agenda,
                                      notes="", decisions="") for i, (t, p) in enumerate(titles)])


def load_demo_meetings(db, today: dt.date | None = None, seed: int = 2025) -> int:
    """Add the two boards with a year of meetings each; returns the number of meetings. Does
    nothing (returns 0) when the file already has boards."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    with db.session("demo data") as s:
        if s.scalar(select(Board.id).limit(1)) is not None:
            return 0
        build = _Builder(s, rng, today)
        count = 0
        for position, (name, agenda, days) in enumerate(
                ((IB, STANDING_AGENDA, _meeting_days(today, 1, 1, 10)),
                 (OPS, OPS_AGENDA, _meeting_days(today, 2, -1, 14)))):
            board = _board(s, name, position)
            build.raised = raised = []  # this board's actions, in the order raised
            for index, starts in enumerate(days):
                dive = next((d for d in DEEP_DIVES if d[3] == index), None) if name == IB else None
                meeting = _meeting(board, starts, index, len(days), agenda, today, dive)
                s.add(meeting)
                count += 1
                if meeting.status == "planned":  # as create_meeting makes one: the members listed as present
                    meeting.attendance = [Attendance(name=m.name, role=m.role, organisation=m.organisation,
                                                     kind="present", deputising_for="", position=i)
                                          for i, m in enumerate(board.members)]
                    continue
                build.attendance(board, meeting, index)
                if name == IB:
                    build.board_minutes(meeting, index, days[index + 1:], dive[4] if dive else None)
                else:
                    build.ops_minutes(meeting, index, days[index + 1:])
                if index == 6 and raised and meeting.actions:
                    build.supersede(raised, meeting.actions[-1], starts.date())
        s.flush()
        _finish(s, build, today)
        return count


def _finish(session, build: _Builder, today: dt.date) -> None:
    """What needs ids: actions tied to their agenda items, agenda links, and the forward plan."""
    for action, item in build.tied:
        action.agenda_item_id = item.id
    targets = build.targets
    links = {STANDING_AGENDA[4][0]: [AgendaLink(priority_id=p) for p in targets["priorities"][:2]],
             STANDING_AGENDA[5][0]: [AgendaLink(kpi_id=k) for k in targets["kpis"][:3]],
             STANDING_AGENDA[7][0]: [AgendaLink(risk_id=r) for r in targets["risks"][:2]]}
    boards = {b.name: b for b in session.scalars(select(Board))}
    ib = list(session.scalars(select(Meeting).where(Meeting.board_id == boards[IB].id).order_by(Meeting.starts_at)))
    for meeting in ib:
        for item in meeting.agenda:
            if item.title in links:
                item.links = [AgendaLink(**{c: getattr(link, c) for c in ("priority_id", "risk_id", "kpi_id")})
                              for link in links[item.title]]
    for title, kind, asked, at, topic in DEEP_DIVES:
        session.add(ForwardPlanItem(board_id=boards[IB].id, title=title, kind=kind, owner=TOPICS[topic][1],
                                    requested_at_id=ib[asked].id, for_meeting_id=ib[at].id, for_month="",
                                    status="done" if ib[at].starts_at.date() <= today else "scheduled"))
    first = ib[-1].starts_at.date().replace(day=1)
    later = [(first + dt.timedelta(days=31 * n)).strftime("%Y-%m") for n in (1, 2)]
    for title, kind, owner, for_month, status in (
            ("Results of the annual survey of children, young people and families", "report", "Jordan Fairclough",
             later[0], "requested"),
            ("The needs assessment: SEND chapter", "report", "Gwen Attwater", later[1], "requested"),
            ("Review of alternative provision quality", "deep dive", "Tom Ashdown", "", "dropped")):
        session.add(ForwardPlanItem(board_id=boards[IB].id, title=title, kind=kind, owner=owner,
                                    requested_at_id=ib[-2].id, for_meeting_id=None, for_month=for_month, status=status))
    session.add(ForwardPlanItem(board_id=boards[OPS].id, title="Workstream leads' quarterly review", kind="update",
                                owner="Naomi Whitlock", requested_at_id=None, for_meeting_id=None,
                                for_month=later[0], status="requested"))
