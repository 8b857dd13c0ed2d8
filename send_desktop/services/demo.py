"""Loading the fictional demo partnership into a database, at any size (tests and benchmarks)."""

from __future__ import annotations

import datetime as dt

from send_desktop.core.demo_content import demo_plan
from send_desktop.core.timescale import parse_timescale
from send_desktop.services.plan_setup import create_plan
from send_desktop.storage.models import Action, Outcome, Person, Priority, StatusUpdate, Workstream


def load_plan_dict(session, data: dict) -> int:
    """Write a plan given as plain dicts (the demo_content shape) inside an open session."""
    plan = create_plan(session, data["title"], data.get("scale", "pap3"))
    levels = {lv.code: lv.id for lv in plan.scale.levels}
    people = {}
    for p in data["people"]:
        person = Person(name=p["name"], role=p.get("role", ""), organisation=p.get("organisation", ""))
        session.add(person)
        people[p["name"]] = person

    def person(name):
        if name not in people:
            people[name] = Person(name=name, role="", organisation="")
            session.add(people[name])
        return people[name]

    workstreams = {}
    for i, w in enumerate(data["workstreams"]):
        ws = Workstream(plan_id=plan.id, name=w["name"], areas_of_focus="\n".join(w.get("areas_of_focus", [])),
                        position=i, leads=[person(n) for n in w.get("leads", [])])
        session.add(ws)
        workstreams[w["name"]] = ws
    session.flush()

    priorities = {}
    for i, p in enumerate(data["priorities"]):
        pr = Priority(plan_id=plan.id, ref=p["ref"], kind=p.get("kind", "area for priority action"),
                      statement=p["statement"], workstream_id=workstreams[p["workstream"]].id
                      if p.get("workstream") in workstreams else None,
                      evidence_of_impact="\n".join(p.get("evidence_of_impact", [])),
                      difference_for_cyp="\n".join(p.get("difference_for_cyp", [])), position=i)
        session.add(pr)
        priorities[p["ref"]] = pr
    session.flush()

    outcomes, counters = {}, {}
    for o in data["outcomes"]:
        pr = priorities[o["priority_ref"]]
        pos = counters[pr.ref] = counters.get(pr.ref, -1) + 1
        oc = Outcome(priority_id=pr.id, ref=o["ref"], text=o["text"], position=pos)
        session.add(oc)
        outcomes[o["ref"]] = oc
    session.flush()

    actions = []
    counters = {}
    for a in data["actions"]:
        oc = outcomes[a["outcome_ref"]]
        pos = counters[oc.ref] = counters.get(oc.ref, -1) + 1
        act = Action(outcome_id=oc.id, ref=a["ref"], text=a["text"],
                     workstream_id=workstreams[a["workstream"]].id if a.get("workstream") in workstreams else None,
                     timescale=a.get("timescale", ""), due_date=parse_timescale(a.get("timescale", "")),
                     success_criteria="\n".join(a.get("success_criteria", [])), position=pos,
                     leads=[person(n) for n in a.get("leads", [])])
        session.add(act)
        actions.append(act)
    session.flush()

    session.add_all(
        StatusUpdate(action_id=actions[u["action_index"]].id, date=u["date"], level_id=levels.get(u["status"]),
                     narrative=u.get("narrative", ""), evidence=u.get("evidence", ""), author=u.get("author", ""))
        for u in data["updates"]
    )
    session.flush()
    return plan.id


def load_demo(db, n_actions: int = 80, updates_per_action: int = 12, today: dt.date | None = None,
              seed: int = 2025, audit_months: int = 12) -> int:
    """The demo partnership: its plan and, unless `audit_months` is 0, a caseload with that many
    months of EHCP audits, the risk register, the KPIs and a year of board meetings (in that
    order: the meetings link to the risks and KPIs). Returns the plan's id."""
    data = demo_plan(n_actions=n_actions, updates_per_action=updates_per_action, seed=seed, today=today)
    with db.session("demo data") as s:
        plan_id = load_plan_dict(s, data)
    if audit_months:
        from send_desktop.services.demo_audits import load_demo_audits
        from send_desktop.services.demo_kpis import load_demo_kpis
        from send_desktop.services.demo_meetings import load_demo_meetings
        from send_desktop.services.demo_risks import load_demo_risks

        load_demo_audits(db, today=today, months=audit_months, seed=seed)
        load_demo_risks(db, today=today, seed=seed)
        load_demo_kpis(db, today=today, seed=seed)
        load_demo_meetings(db, today=today, seed=seed)
    return plan_id
