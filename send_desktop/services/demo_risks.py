"""The demo partnership's risk register: 26 risks with a year of monthly reviews.

The risks follow the shape of a partnership's statutory-compliance register (health advice,
clinical officer capacity, waits for therapy and neurodevelopmental assessment, transitions,
tribunals, data), written for the fictional Harwick and Dales partnership. Over the year most
scores ease as mitigations land, a few worsen (tribunal demand, the high-needs budget), two
risks join part-way through (a provider closing its assessment list, children missing
education), one is closed, and a few reviews have slipped so the register shows overdue
reviews. Seeded: the same arguments give the same register. Runs after `demo.load_demo`, in its
own session, and links risks to the demo plan's priorities and actions by reference.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from send_desktop.core.risk_matrix import DEFAULT_MATRIX, add_months, next_review_date

CATEGORIES = (("Harm to children", 8), ("Regulatory", 9), ("Reputational", 9), ("Operational", 12),
              ("Financial", 12))

HARM, REG, REP, OPS, FIN = (c[0] for c in CATEGORIES)

# ref, title, category, owner, inherent (l, i), first (l, i), last (l, i), target (l, i), priorities, actions,
# then a dict of the rest: cause, event, effect, controls, assurance, gaps, mitigations and the odd ones
# out (added: months ago the risk was raised; late: reviews missed; recent: it moved at the latest review;
# status; frequency).
RISKS = (
    ("R01", "Designated clinical officer capacity falls short of what the partnership asks of it", REG,
     "Dr Fiona Okafor", (5, 4), (4, 4), (3, 4), (2, 3), ("1",), ("1.3.2",), dict(
         cause="The ICB funds fewer designated clinical officer hours than an area with 13,000 plans needs.",
         event="The DCO team cannot join every board, workstream, audit and tribunal that asks for it.",
         effect="Health is absent from decisions and quality checks, and the ICB cannot show it meets its duties.",
         controls=["DCO requests triaged weekly against statutory deadlines first",
                   "Deputy DCO post covering the two southern districts"],
         assurance=["Monthly DCO activity return to the SEND Improvement Board"],
         gaps_in_control="No cover when the DCO is on leave.",
         mitigations=[("Business case for a second full-time DCO", "Dr Fiona Okafor", 2, "in progress"),
                      ("Named health leads in each provider to share DCO tasks", "Lucy Hartnell", 4, "planned")])),
    ("R02", "Health advice for needs assessments is not returned within six weeks", REG, "Lucy Hartnell",
     (5, 4), (5, 4), (3, 4), (2, 3), ("2",), ("2.5.1",), dict(
         cause="Requests reach health teams late and by several routes; providers have no tracker of their own.",
         event="Advice arrives after the six-week deadline or is thin on need and provision.",
         effect="Plans are late or weak on health, and families lose confidence in the process.",
         controls=["Single mailbox for advice requests", "Weekly list of advice due in the next fortnight"],
         assurance=["Advice timeliness reported monthly by provider", "Quarterly audit of advice quality"],
         gaps_in_assurance="Quality of advice is not yet measured, only its timeliness.",
         mitigations=[("Agree advice standards with each NHS provider", "Lucy Hartnell", 1, "done"),
                      ("Escalation route to provider directors for overdue advice", "Dr Fiona Okafor", 3,
                       "in progress")])),
    ("R03", "Health is not represented on the panels that decide assessments and plans", OPS, "Lucy Hartnell",
     (4, 3), (4, 3), (2, 3), (1, 3), ("2",), ("2.8.1",), dict(
         cause="Panel dates clash with clinics and no deputy is named.",
         event="Decisions are taken without a health view of the child's needs.",
         effect="Weaker decisions lead to more disagreement, mediation and appeals.",
         controls=["Panel rota shared six weeks ahead with health leads"],
         assurance=["Panel attendance recorded in the minutes and reported quarterly"],
         mitigations=[("Named health deputy for every panel", "Lucy Hartnell", -2, "done")])),
    ("R04", "Early notification of young children who may have SEND is not used to plan services", REG,
     "Dr Imran Siddiqui", (3, 3), (3, 3), (3, 3), (2, 2), (), (), dict(
         cause="Health notifications to the council are sent on paper and not collated.",
         event="Children under five with likely SEND are not known to education until they start school.",
         effect="Support starts late and commissioners plan without early demand figures.",
         controls=["Notification form on the community health record"],
         assurance=["Count of notifications received, reported each quarter"],
         gaps_in_assurance="No check that notifications lead to any action.",
         frequency="quarterly",
         mitigations=[("Electronic notification straight to the early years SEND team", "Kevin Drury", 5,
                       "planned")])),
    ("R05", "Annual reviews go ahead with little health input and are not tracked", HARM, "Gareth Pennington",
     (4, 4), (4, 4), (3, 4), (2, 3), ("2",), ("2.2.1",), dict(
         cause="Schools run reviews without health invitations; the council's system does not record health input.",
         event="Plans roll on for years without health needs being looked at again.",
         effect="Children's health provision drifts from their needs, and amended plans are appealed.",
         controls=["Annual review toolkit for schools", "Dedicated annual review team clearing the backlog"],
         assurance=["Monthly count of reviews overdue, by district"],
         mitigations=[("Health invitation built into the online annual review return", "Naomi Whitlock", 2,
                       "in progress"),
                      ("Clear the backlog of reviews more than 12 months overdue", "Gareth Pennington", 4,
                       "in progress")])),
    ("R06", "Children with plans who move into or out of the area lose continuity of care", HARM,
     "Gareth Pennington", (3, 4), (3, 4), (3, 3), (2, 3), ("2",), (), dict(
         cause="No shared process with neighbouring areas for transferring plans and health provision.",
         event="Provision stops or is duplicated when a family moves.",
         effect="Gaps in therapy or equipment for the child, and complaints to both areas.",
         controls=["Transfer checklist used by case officers"],
         assurance=["Transfers logged and checked at the monthly casework meeting"],
         gaps_in_control="Health providers are not told about transfers in.",
         mitigations=[("Regional transfer protocol with the four neighbouring areas", "Tom Ashdown", 3,
                       "planned")])),
    ("R07", "Final plans are not sent to the health services that must deliver them", OPS, "Naomi Whitlock",
     (4, 3), (4, 3), (1, 3), (1, 3), ("2",), (), dict(
         cause="Final plans were posted to families and schools only.",
         event="Therapists and clinicians do not see what the plan requires of them.",
         effect="Health provision in plans is not delivered, or only after a family complains.",
         controls=["Secure route for sending final plans to named health contacts"],
         assurance=["Monthly sample check that health services received the plan"],
         status="closed",
         mitigations=[("Secure email route to every NHS provider", "Naomi Whitlock", -4, "done")])),
    ("R08", "Health partners cannot respond to mediation and appeals in time", REG, "Dr Fiona Okafor",
     (3, 4), (3, 4), (3, 4), (2, 3), ("2",), ("2.9.2",), dict(
         cause="Providers have no named lead for SEND appeals and no standard response times.",
         event="Health evidence for mediation and tribunal is late or missing.",
         effect="Orders are made that health did not plan for, and legal costs rise.",
         controls=["DCO coordinates all health evidence for tribunals"],
         assurance=["Tribunal outcomes reviewed quarterly with health partners"],
         mitigations=[("Named appeals lead in each NHS provider", "Dr Fiona Okafor", 2, "in progress")])),
    ("R09", "Health data is too patchy to build a joined-up SEND dashboard", OPS, "Kevin Drury",
     (4, 3), (4, 3), (3, 3), (2, 2), ("1",), ("1.4.1", "1.4.2"), dict(
         cause="Providers record SEND differently and no data sharing agreement covers health.",
         event="The board cannot see waits, activity and outcomes across education, health and care.",
         effect="Leaders cannot tell whether services meet need or where to act first.",
         controls=["Interim manual health return each month"],
         assurance=["Data quality notes published with every dashboard"],
         gaps_in_control="The manual return depends on two analysts.",
         mitigations=[("Sign the data sharing agreement with all NHS providers", "Kevin Drury", 1, "in progress"),
                      ("Automate the health feed into the dashboard", "Kevin Drury", 6, "planned")])),
    ("R10", "Children wait too long for speech and language therapy", HARM, "Dr Imran Siddiqui",
     (5, 4), (5, 4), (4, 4), (2, 3), ("3",), (), dict(
         cause="Referrals have risen by a third in two years while therapist posts stayed vacant.",
         event="Children wait more than 18 weeks for assessment and therapy.",
         effect="Communication needs go unmet, affecting learning, behaviour and wellbeing.",
         controls=["Waiting list reviewed fortnightly for urgent cases", "Advice line for schools and parents"],
         assurance=["Waiting times reported monthly to the ICB quality committee"],
         mitigations=[("Recruit four therapists through the international programme", "Dr Imran Siddiqui", 3,
                       "in progress"),
                      ("Speech and language support in every early years setting", "Aisha Barlow", 6,
                       "planned")])),
    ("R11", "Waits for neurodevelopmental assessment keep growing", HARM, "Sunita Chowdhury",
     (5, 5), (5, 5), (5, 4), (3, 3), ("3",), ("3.2.1", "3.2.2"), dict(
         cause="Demand for autism and ADHD assessment is three times what the pathway was funded for.",
         event="Children wait two years or more for an assessment.",
         effect="Families are left without help, and schools wait for a diagnosis before acting.",
         controls=["Waiting list validated, families contacted", "Support offered while waiting, not after"],
         assurance=["Monthly pathway data set to the board"],
         gaps_in_control="No agreed funding beyond March.",
         status="escalated",
         mitigations=[("Extra assessment capacity from independent providers", "Sunita Chowdhury", 2,
                       "in progress"),
                      ("Demand and capacity model to 2028", "Kevin Drury", 4, "in progress")])),
    ("R12", "Wheelchairs and equipment arrive late", HARM, "Dr Fiona Okafor",
     (4, 3), (4, 3), (3, 3), (2, 2), (), (), dict(
         cause="One supplier covers the whole area and has lost staff.",
         event="Children wait months for wheelchairs, seating and equipment.",
         effect="Children miss school or cannot take part fully, and their posture suffers.",
         controls=["Priority list for children whose attendance is affected"],
         assurance=["Supplier performance reviewed at the monthly contract meeting"],
         mitigations=[("Second supplier for standard equipment", "Carl Redfern", 3, "planned")])),
    ("R13", "The Local Offer's health pages are out of date", REP, "Yasmin Hollins",
     (3, 2), (3, 2), (2, 2), (1, 2), ("4",), ("4.4.1",), dict(
         cause="No one in health owns the Local Offer entries.",
         event="Families find wrong contacts, closed services and old waiting times.",
         effect="Trust in the partnership falls and families go without services they could use.",
         controls=["Quarterly prompt to every service owner"],
         assurance=["Parent carer forum spot checks of ten pages a quarter"],
         frequency="quarterly",
         mitigations=[("Named owner and review date on every health entry", "Yasmin Hollins", 2, "in progress")])),
    ("R14", "There is no agreed strategy for moving from children's to adult health services", HARM,
     "Owen Castellan", (4, 4), (4, 4), (4, 3), (2, 3), ("5",), ("5.3.1", "5.3.2"), dict(
         cause="Each provider handles transition its own way; adult services start planning late.",
         event="Young people reach 18 without an adult service ready for them.",
         effect="Care stops at the worst moment and young people end up in crisis or in hospital.",
         controls=["Transition meetings from 16 for young people with complex health needs"],
         assurance=["Transition cases reviewed by the preparing for adulthood group"],
         gaps_in_control="No pathway for young people with autism and no learning disability.",
         mitigations=[("Health transition framework adopted by all providers", "Owen Castellan", 3,
                       "in progress")])),
    ("R15", "Little is known about how young adults aged 18 to 25 fare after transition", OPS, "Owen Castellan",
     (3, 3), (3, 3), (3, 3), (2, 2), ("5",), (), dict(
         cause="Adult services do not record SEND or EHCP status.",
         event="The partnership cannot follow what happens to young adults with plans.",
         effect="Gaps in support for young adults go unnoticed until they lead to complaints.",
         controls=["College and apprenticeship destinations collected each autumn"],
         assurance=["Annual preparing for adulthood report"],
         late=2,
         mitigations=[("Add EHCP status to the adult social care record", "Kevin Drury", 5, "planned")])),
    ("R16", "Joint commissioning rests on short-term deals with no way to settle disputes", FIN, "Carl Redfern",
     (3, 4), (3, 4), (2, 4), (2, 3), ("1",), ("1.6.3",), dict(
         cause="Funding for joint services is agreed year by year and differs across the footprint.",
         event="A dispute over who pays stops or delays a child's provision.",
         effect="Children wait while agencies argue, and costs rise when crises follow.",
         controls=["Joint commissioning group meets monthly"],
         assurance=["Section 75 agreement review each year"],
         mitigations=[("Dispute resolution protocol signed by council and ICB", "Carl Redfern", 2, "in progress"),
                      ("Three-year aligned budget for joint services", "Priya Raman", 8, "planned")])),
    ("R17", "Providers do not understand or record the reasonable adjustments children need", REP, "Lucy Hartnell",
     (3, 3), (3, 3), (3, 3), (2, 2), (), (), dict(
         cause="Little training on the Equality Act duties and no field for adjustments in patient records.",
         event="Children with SEND are offered appointments and settings they cannot use.",
         effect="Missed care, complaints and the chance of legal challenge.",
         controls=["Adjustments flag piloted in community paediatrics"],
         assurance=["Complaints about access reviewed quarterly"],
         late=1,
         mitigations=[("Roll the adjustments flag out to every provider", "Lucy Hartnell", 4, "planned")])),
    ("R18", "Slow progress against the action plan leads to government intervention", REG, "Priya Raman",
     (3, 5), (3, 5), (2, 5), (1, 5), ("1",), ("1.1.1", "1.3.1"), dict(
         cause="The plan relies on recruitment and funding that are not yet secure.",
         event="The monitoring visit finds too little progress.",
         effect="An independent commissioner is appointed and the partnership loses control of its improvement.",
         controls=["Monthly Improvement Board with an independent chair", "Highlight reports from every workstream"],
         assurance=["Quarterly stocktake with DfE and NHS England advisers"],
         status="escalated",
         mitigations=[("Deep dives into any priority rated red two months running", "Naomi Whitlock", 1,
                       "in progress")])),
    ("R19", "Rising mediation and tribunal demand stretches staff and legal budgets", FIN, "Tom Ashdown",
     (4, 4), (4, 4), (5, 4), (3, 3), ("2",), ("2.9.1",), dict(
         cause="More families appeal as waits grow, and most appeals succeed on provision.",
         event="Appeals outstrip the team and the DCO's capacity to respond.",
         effect="Higher legal costs, more costly placements and less time for casework.",
         controls=["Early resolution meeting offered for every appeal"],
         assurance=["Tribunal outcomes and costs reported quarterly"],
         recent=True,
         mitigations=[("Quarterly review of tribunal themes fed back to panels", "Tom Ashdown", 1, "done"),
                      ("Second mediation provider", "Carl Redfern", 3, "planned")])),
    ("R20", "Providers' staff have too little SEND training to meet their duties", OPS, "Lucy Hartnell",
     (3, 3), (3, 3), (2, 3), (2, 2), (), ("2.4.3",), dict(
         cause="No minimum SEND training is set for NHS staff.",
         event="Clinicians write vague advice and miss their part in plans and reviews.",
         effect="Plans lack clear health provision and families repeat their story.",
         controls=["SEND induction module for community health staff"],
         assurance=["Training completion reported quarterly by provider"],
         mitigations=[("Make the SEND module mandatory for children's services staff", "Dr Fiona Okafor", 2,
                       "in progress")])),
    ("R21", "NHS England steps up scrutiny because of weak compliance with its quality framework", REP,
     "Dr Fiona Okafor", (3, 3), (3, 3), (2, 3), (1, 3), ("1",), (), dict(
         cause="Several parts of the NHS England SEND framework are rated red or amber.",
         event="NHS England escalates its oversight of the ICB.",
         effect="Reputational damage and management time diverted to reporting.",
         controls=["Framework self-assessment refreshed every quarter"],
         assurance=["Quarterly assurance meeting with NHS England"],
         frequency="quarterly",
         mitigations=[("Action plan for every red-rated standard", "Dr Fiona Okafor", 2, "in progress")])),
    ("R22", "Co-production is not part of how health services are commissioned", REP, "Carl Redfern",
     (3, 3), (3, 3), (3, 2), (2, 2), ("4",), ("4.2.1",), dict(
         cause="Commissioning cycles leave no time to involve families and young people.",
         event="Services are designed without the people who will use them.",
         effect="Services miss what families need, and the forum loses faith in the partnership.",
         controls=["Co-production charter agreed with the parent carer forum"],
         assurance=["Forum feedback reported to the board each quarter"],
         mitigations=[("Family representative on every commissioning panel", "Carl Redfern", 3, "planned")])),
    ("R23", "The high-needs budget overspends and the deficit grows", FIN, "Priya Raman",
     (5, 4), (4, 4), (5, 4), (4, 3), ("1",), ("1.7.1",), dict(
         cause="Plans grow by about 14% a year and more children are placed in independent schools.",
         event="Spending exceeds the high-needs grant again this year.",
         effect="The cumulative deficit threatens the council's finances and forces cuts elsewhere.",
         controls=["Monthly high-needs forecast to the schools forum"],
         assurance=["Deficit management plan reviewed with the DfE"],
         gaps_in_control="Independent placement costs are set by providers.",
         mitigations=[("Create resourced provision bases in mainstream schools", "Priya Raman", 9, "in progress")])),
    ("R24", "Needs assessments are not finished within 20 weeks", REG, "Gareth Pennington",
     (5, 4), (5, 4), (4, 4), (2, 4), ("2",), ("2.1.1", "2.1.2"), dict(
         cause="Case officer and educational psychology posts are vacant while requests keep rising.",
         event="Most new plans are issued after the 20-week limit.",
         effect="Children wait for support, families complain and the area's timeliness stays low.",
         controls=["Weekly tracking of every open assessment", "Locum educational psychologists"],
         assurance=["Timeliness reported monthly to the board"],
         mitigations=[("Recruit to the full statutory team establishment", "Gareth Pennington", 2, "in progress"),
                      ("Grow the permanent educational psychology service", "Aisha Barlow", 10, "planned")])),
    ("R25", "The main neurodevelopmental provider closes its waiting list to new referrals", HARM,
     "Sunita Chowdhury", (5, 5), (4, 5), (4, 4), (2, 4), ("3",), ("3.1.1",), dict(
         cause="The provider cannot take on more children without more funding.",
         event="New referrals for autism and ADHD assessment are refused.",
         effect="Children have no route to assessment and families turn to private diagnosis.",
         controls=["Referrals held by the single point of access with advice to families"],
         assurance=["Weekly call between the ICB and the provider"],
         added=5, status="escalated",
         mitigations=[("Interim contract with a second assessment provider", "Sunita Chowdhury", 1, "in progress"),
                      ("Letter to every referring school and GP explaining what to do", "Sunita Chowdhury", -3,
                       "done")])),
    ("R26", "Children with SEND are missing from education or on part-time timetables", HARM, "Martin Greaves",
     (4, 4), (3, 4), (4, 4), (2, 3), ("2",), ("2.6.1", "2.6.2"), dict(
         cause="Placements break down and suitable places are not found quickly.",
         event="Children stay at home or on reduced timetables for weeks.",
         effect="Lost learning, isolation and safeguarding risk.",
         controls=["Named list of children missing education, reviewed weekly"],
         assurance=["Monthly report to the board by district"],
         added=4, recent=True,
         mitigations=[("Protocol for alternative education under section 19", "Tom Ashdown", 2, "in progress")])),
)

ASSESSORS = ("Naomi Whitlock", "Eleanor Tuckett")


def _path(rng: random.Random, first: tuple[int, int], last: tuple[int, int], n: int,
          recent: bool = False) -> list[tuple[int, int]]:
    """A review-by-review position from `first` to `last`: one-step moves at random reviews (for
    about a third of risks the latest review is one of them, so the register shows fresh
    movement), and now and then a temporary rise that falls back."""
    steps = [(0, 1 if last[0] > first[0] else -1)] * abs(last[0] - first[0])
    steps += [(1, 1 if last[1] > first[1] else -1)] * abs(last[1] - first[1])
    rng.shuffle(steps)
    at = sorted(rng.sample(range(1, n), min(len(steps), n - 1))) if n > 1 else []
    if at and n - 1 not in at and (recent or rng.random() < 0.35):
        at[-1] = n - 1
    moves = dict(zip(at, steps))
    wobble = rng.randrange(2, n - 2) if n > 5 and rng.random() < 0.3 else None
    out, pos = [], list(first)
    for k in range(n):
        if k in moves:
            axis, sign = moves[k]
            pos[axis] += sign
        lk = pos[0] + (1 if wobble is not None and wobble <= k < wobble + 2 and pos[0] < 5 else 0)
        out.append((lk, pos[1]))
    out[-1] = last
    return out


def _review_days(rng: random.Random, today: dt.date, months: int, late: int) -> list[dt.date]:
    """Board-cycle review dates, one a month up to `today`, leaving out the last `late` ones."""
    start = dt.date(today.year, today.month, 1)
    if today.day < 12:
        start = add_months(start, -1)  # this month's review has not happened yet
    days = [add_months(start, -k).replace(day=9 + rng.randrange(0, 6)) for k in range(months)][::-1]
    days = [d for d in days if d <= today]
    return days[:len(days) - late] if late else days


def load_demo_risks(db, today: dt.date | None = None, seed: int = 2025) -> int:
    """Add the demo categories and risks with a year of reviews; returns the number of risks."""
    from send_desktop.storage.models import Action, Priority, Risk, RiskAssessment, RiskCategory, RiskMitigation

    today = today or dt.date.today()
    rng = random.Random(seed)
    with db.session("demo data") as s:
        cats = {}
        for pos, (name, appetite) in enumerate(CATEGORIES):
            cats[name] = RiskCategory(name=name, appetite=appetite, position=pos)
            s.add(cats[name])
        priorities = {p.ref: p for p in s.scalars(select(Priority).order_by(Priority.id))}
        actions: dict[str, list] = {}
        for a in s.scalars(select(Action).order_by(Action.id)):
            actions.setdefault(a.ref, []).append(a)
        s.flush()
        for pos, (ref, title, cat, owner, inherent, first, last, target, p_refs, a_refs, more) in enumerate(RISKS):
            frequency = more.get("frequency", "monthly")
            days = _review_days(rng, today, more.get("added", 12), more.get("late", 0))
            if frequency == "quarterly":
                days = days[::-3][::-1]
            path = _path(rng, first, last, len(days), more.get("recent", False))
            status = more.get("status", "open")
            risk = Risk(
                ref=ref, title=title, cause=more["cause"], event=more["event"], effect=more["effect"],
                category_id=cats[cat].id, owner=owner, controls="\n".join(more["controls"]),
                assurance="\n".join(more["assurance"]), gaps_in_control=more.get("gaps_in_control", ""),
                gaps_in_assurance=more.get("gaps_in_assurance", ""),
                inherent_likelihood=inherent[0], inherent_impact=inherent[1],
                current_likelihood=path[-1][0], current_impact=path[-1][1],
                target_likelihood=target[0], target_impact=target[1],
                target_date=add_months(today.replace(day=1), 6 + pos % 7) - dt.timedelta(days=1),
                review_frequency=frequency, next_review=next_review_date(days[-1], frequency), status=status,
                position=pos,
                priorities=[priorities[r] for r in p_refs if r in priorities],
                actions=[found[0] for r in a_refs if len(found := actions.get(r, [])) == 1],
            )
            for m_pos, (text, m_owner, due_in, m_status) in enumerate(more["mitigations"]):
                risk.mitigations.append(RiskMitigation(
                    text=text, owner=m_owner, due_date=add_months(today, due_in).replace(day=28),
                    status=m_status, position=m_pos))
            previous = None
            for day, (lk, im) in zip(days, path):
                score = lk * im
                if previous is None:
                    note = "Added to the register." if more.get("added") else "Reviewed; position confirmed."
                elif score != previous:
                    note = (f"Score {'rose' if score > previous else 'fell'} to {score} "
                            f"({DEFAULT_MATRIX.band_for(score).name}).")
                else:
                    note = "Reviewed; no change."
                risk.assessments.append(RiskAssessment(date=day, likelihood=lk, impact=im, note=note,
                                                       assessor=ASSESSORS[rng.randrange(len(ASSESSORS))]))
                previous = score
            s.add(risk)
    return len(RISKS)
