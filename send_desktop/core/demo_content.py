"""Deterministic demo content: a fictional SEND Priority Action Plan as plain dicts.

``demo_plan()`` builds the "Harwick and Dales SEND Priority Action Plan
2025-27" for a made-up local area partnership: 5 priorities (3 areas for
priority action, 2 areas for improvement), 5 workstreams, 35 outcomes,
80 hand-written actions and a year of dated RAG updates per action.

The plan is deliberately as dirty as real ones: one action reference appears
twice (``2.5.3``), some actions have no lead (TBC), and timescales are free
text in mixed forms ("July 2025", "Sep-25", "Feb 26", "Q3 2025",
"31/07/2025", "Quarterly", "TBC" ...).

Asking for more than 80 actions adds generated outcomes and actions that
continue each priority's numbering; asking for fewer keeps the first *n*
actions (all 35 base outcomes are kept as the plan's skeleton).

Standard library only; no Qt, no database. Everything is fictional.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import random
from typing import Any

from . import demo_text as T

DEMO_PARTNERSHIP = T.DEMO_PARTNERSHIP
DEMO_PLAN_TITLE = T.PLAN_TITLE
DEMO_SCALE = T.SCALE_KEY
DEMO_DUPLICATED_REF = T.DUPLICATED_REF
BASE_ACTION_COUNT = 80

__all__ = [
    "BASE_ACTION_COUNT",
    "DEMO_DUPLICATED_REF",
    "DEMO_PARTNERSHIP",
    "DEMO_PLAN_TITLE",
    "DEMO_SCALE",
    "demo_plan",
]

_MONTHS = tuple(calendar.month_name)  # "", "January", ...
_ABBR3 = tuple(calendar.month_abbr)  # "", "Jan", ...
_ABBR_SHORT = ("", "Jan", "Feb", "March", "April", "May", "June", "July",
               "Aug", "Sept", "Oct", "Nov", "Dec")
_PRIORITY_REFS = ("1", "2", "3", "4", "5")
_YEAR = _dt.timedelta(days=365)


# --------------------------------------------------------------------------
# Plan structure
# --------------------------------------------------------------------------
def _base_plan() -> tuple[list[dict], list[dict], list[str]]:
    """Outcomes, actions and action topics from the hand-written tables."""
    outcomes: list[dict] = []
    actions: list[dict] = []
    topics: list[str] = []
    for pref in _PRIORITY_REFS:
        for o_no, (otext, acts) in enumerate(T.PLAN[pref], 1):
            oref = f"{pref}.{o_no}"
            outcomes.append({"ref": oref, "priority_ref": pref, "text": otext})
            a_no = 0
            duplicated = False
            for text, ws, leads, when, criteria, topic in acts:
                if not duplicated and a_no and f"{oref}.{a_no}" == T.DUPLICATED_REF:
                    duplicated = True  # the plan's one repeated reference
                else:
                    a_no += 1
                actions.append({
                    "ref": f"{oref}.{a_no}",
                    "outcome_ref": oref,
                    "text": text,
                    "workstream": ws,
                    "leads": list(leads),
                    "timescale": when,
                    "success_criteria": list(criteria),
                })
                topics.append(topic)
    return outcomes, actions, topics


def _timescale(rng: random.Random) -> str:
    """A free-text timescale between March 2025 and March 2027, mixed forms."""
    if rng.random() < 0.1:
        return rng.choice(("Quarterly", "Ongoing", "TBC", "Monthly", "Termly", "Quarterly"))
    idx = rng.randint(0, 24)
    year, month = 2025 + (2 + idx) // 12, (2 + idx) % 12 + 1
    r = rng.random()
    if r < 0.45:
        return f"{_MONTHS[month]} {year}"
    if r < 0.57:
        return f"{_ABBR_SHORT[month]} {year}"
    if r < 0.69:
        return f"{_ABBR3[month]}-{year % 100:02d}"
    if r < 0.79:
        return f"{_ABBR3[month]} {year % 100:02d}"
    if r < 0.87:
        return f"Q{(month - 1) // 3 + 1} {year}"
    if r < 0.95:
        last = calendar.monthrange(year, month)[1]
        return f"{last:02d}/{month:02d}/{year}"
    return f"End of {_MONTHS[month]} {year}"


def _month_between(rng: random.Random, y0: int, m0: int, y1: int, m1: int) -> str:
    idx = rng.randint(y0 * 12 + m0 - 1, y1 * 12 + m1 - 1)
    return f"{_MONTHS[idx % 12 + 1]} {idx // 12}"


def _leads_by_workstream(actions: list[dict]) -> dict[str, list[str]]:
    ws_people: dict[str, list[str]] = {}
    for name, leads, _focus in T.WORKSTREAMS:
        ws_people[name] = list(leads)
    for a in actions:
        pool = ws_people[a["workstream"]]
        for person in a["leads"]:
            if person not in pool:
                pool.append(person)
    return ws_people


def _extra_actions(rng: random.Random, n_extra: int, outcomes: list[dict],
                   actions: list[dict], topics: list[str]) -> None:
    """Append ``n_extra`` generated actions under new outcomes, round-robin by priority."""
    ws_of = {p["ref"]: p["workstream"] for p in T.PRIORITIES}
    ws_names = [w[0] for w in T.WORKSTREAMS]
    people = _leads_by_workstream(actions)
    next_o = {p: sum(1 for o in outcomes if o["priority_ref"] == p) for p in _PRIORITY_REFS}
    combos: dict[str, list[tuple[str, str]]] = {}
    for p in _PRIORITY_REFS:
        pairs = [(a, b) for a in T.EXTRA_OUTCOME_OPENINGS[p] for b in T.EXTRA_OUTCOME_CLOSINGS]
        rng.shuffle(pairs)
        combos[p] = pairs
    seen = {a["text"] for a in actions}
    turn = 0
    while n_extra > 0:
        p = _PRIORITY_REFS[turn % 5]
        pairs = combos[p]
        opening, closing = pairs[(turn // 5) % len(pairs)]
        turn += 1
        next_o[p] += 1
        oref = f"{p}.{next_o[p]}"
        outcomes.append({"ref": oref, "priority_ref": p, "text": f"{opening} {closing}"})
        for a_no in range(1, min(n_extra, rng.randint(1, 4)) + 1):
            for _attempt in range(8):
                obj = rng.choice(T.EXTRA_OBJECTS[p])
                reach = rng.choice(T.EXTRA_REACH).format(district=rng.choice(T.DISTRICTS))
                text = (f"{rng.choice(T.EXTRA_VERBS)} {obj}{reach} "
                        f"{rng.choice(T.EXTRA_PURPOSES[p])}.")
                if text not in seen:
                    break
            seen.add(text)
            ws = ws_of[p] if rng.random() < 0.85 else rng.choice(ws_names)
            r = rng.random()
            n_leads = 0 if r < 0.07 else (1 if r < 0.7 else 2)
            leads = rng.sample(people[ws], n_leads)
            when = _timescale(rng)
            templates = rng.sample(T.EXTRA_CRITERIA[p], rng.randint(2, 4))
            fill = {
                "month": _month_between(rng, 2025, 9, 2027, 3),
                "period": rng.choice(("month", "quarter", "six months")),
                "pct": rng.choice((60, 70, 75, 80, 85, 90, 95)),
                "small": rng.randint(2, 6) * 5,
                "n": rng.randint(3, 30) * 10,
                "score": rng.choice((3, 4)),
            }
            actions.append({
                "ref": f"{oref}.{a_no}",
                "outcome_ref": oref,
                "text": text,
                "workstream": ws,
                "leads": leads,
                "timescale": when,
                "success_criteria": [t.format(**fill) for t in templates],
            })
            topics.append(obj)
            n_extra -= 1


# --------------------------------------------------------------------------
# Updates
# --------------------------------------------------------------------------
def _trajectory(rng: random.Random, u: int) -> list[str]:
    """A plausible sequence of u RAG statuses, oldest first."""
    r = rng.random()
    if u == 1:
        return ["G" if r < 0.25 else ("R" if r < 0.45 else "A")]
    if r < 0.27:  # completes, then stays Green
        start = "A" if rng.random() < 0.8 else "R"
        g_at = rng.randint(max(1, u // 3), u - 1)
        s = [start] * g_at + ["G"] * (u - g_at)
        if start == "R" and g_at > 1:
            for i in range(rng.randint(1, g_at - 1), g_at):
                s[i] = "A"
        elif g_at > 3 and rng.random() < 0.3:
            s[rng.randint(1, g_at - 2)] = "R"
        return s
    if r < 0.42:  # slips to Red and stays there
        r_at = rng.randint(max(1, u // 2), u - 1)
        return ["A"] * r_at + ["R"] * (u - r_at)
    if r < 0.55:  # starts Red, recovers
        a_at = rng.randint(1, max(1, u - 2))
        return ["R"] * a_at + ["A"] * (u - a_at)
    if r < 0.95:  # mostly Amber with the odd Red month
        s = ["A"] * u
        for i in range(1, u):
            if s[i - 1] == "A" and rng.random() < 0.07:
                s[i] = "R"
        return s
    s = ["R"] * u  # stuck
    if u > 3:
        s[rng.randint(1, u - 2)] = "A"
    return s


_PCT_TARGETS = (40, 60, 75, 80, 85, 90, 95)


class _Fill(dict):
    """Lazy field values for narrative and evidence templates."""

    def __init__(self, rng: random.Random, topic: str, date: _dt.date, status: str):
        super().__init__()
        self.rng, self.topic, self.date, self.status = rng, topic, date, status

    def __missing__(self, key: str) -> Any:
        rng, d = self.rng, self.date
        if key == "topic":
            v: Any = self.topic
        elif key == "Topic":
            v = self.topic[:1].upper() + self.topic[1:]
        elif key == "day":
            v = rng.randint(1, d.day)
        elif key == "mon":
            v = _MONTHS[d.month]
        elif key == "next_mon":
            v = _MONTHS[d.month % 12 + 1]
        elif key == "later_mon":
            v = _MONTHS[(d.month + 5) % 12 + 1]
        elif key == "money":
            v = rng.randint(2, 60) * 5
        elif key == "year":
            v = d.year
        elif key == "quarter":  # financial quarter, April to June is Q1
            v = (d.month - 4) % 12 // 3 + 1
        elif key == "fy":
            start = d.year if d.month >= 4 else d.year - 1
            v = f"{start}-{(start + 1) % 100:02d}"
        elif key == "dmy":
            v = f"{rng.randint(1, d.day):02d}/{d.month:02d}/{d.year}"
        elif key in ("pct", "tgt"):
            tgt = rng.choice(_PCT_TARGETS)
            if self.status == "R":
                pct = tgt - rng.randint(8, 30)
            elif self.status == "G":
                pct = tgt + rng.randint(0, 6)
            else:
                pct = tgt - rng.randint(-3, 12)
            self["tgt"], self["pct"] = tgt, max(3, min(100, pct))
            return self[key]
        elif key == "m":
            v = rng.randint(3, 8)
        elif key == "k":
            v = rng.randint(1, self["m"] - 1)
        elif key == "j":
            v = rng.randint(1, 4)
        elif key == "n":
            v = rng.randint(8, 60)
        elif key == "small":
            v = rng.randint(4, 25)
        elif key == "risk":
            v = rng.choice((12, 15, 16, 20))
        elif key == "version":
            v = rng.randint(2, 40)
        elif key == "kpi":
            v = rng.choice(T.KPIS)
        elif key == "team":
            v = rng.choice(T.TEAMS)
        elif key == "provider":
            v = rng.choice(T.PROVIDERS)
        elif key == "dependency":
            v = rng.choice(T.DEPENDENCIES)
        elif key == "who":
            v = rng.choice(T.WHO)
        elif key == "district":
            v = rng.choice(T.DISTRICTS)
        else:
            raise KeyError(key)
        self[key] = v
        return v


def _narrative(rng: random.Random, fill: _Fill, status: str, prev: str | None) -> str:
    if status == "G":
        if prev == "G":
            openers, details = T.OPEN_STAY_GREEN, T.DETAIL_GREEN_SUSTAINED
        else:
            openers, details = T.OPEN_TO_GREEN, T.DETAIL_GREEN
    elif status == "R":
        openers = T.OPEN_TO_RED if prev == "A" else T.OPEN_RED
        details = T.DETAIL_RED
    else:
        openers = T.OPEN_TO_AMBER if prev == "R" else T.OPEN_AMBER
        details = T.DETAIL_AMBER
    opener = rng.choice(openers)
    text = opener.format_map(fill)
    # a generic opener ("On track.") always gets a specific second sentence
    if "{" not in opener or rng.random() < 0.8:
        text += " " + rng.choice(details).format_map(fill)
    return text


def _evidence(rng: random.Random, fill: _Fill, status: str, prev: str | None) -> str:
    completed_now = status == "G" and prev != "G"
    if rng.random() < (0.05 if completed_now else 0.22):
        return ""
    if completed_now and rng.random() < 0.6:
        return rng.choice(T.EVIDENCE_GREEN).format_map(fill)
    return rng.choice(T.EVIDENCE).format_map(fill)


def _updates(rng: random.Random, actions: list[dict], topics: list[str],
             ws_leads: dict[str, list[str]], u: int, today: _dt.date) -> list[dict]:
    out: list[dict] = []
    if u <= 0:
        return out
    step = 365 / u
    max_jitter = int(min(7, step / 3))
    first_day = today - _dt.timedelta(days=364)
    offsets = [today - _YEAR + _dt.timedelta(days=round((k + 1) * step)) for k in range(u)]
    for index, (action, topic) in enumerate(zip(actions, topics)):
        statuses = _trajectory(rng, u)
        authors = action["leads"] or ws_leads[action["workstream"]]
        ref = action["ref"]
        prev = None
        for k, status in enumerate(statuses):
            date = offsets[k]
            if max_jitter:
                date -= _dt.timedelta(days=rng.randint(0, max_jitter))
            if date < first_day:
                date = first_day
            fill = _Fill(rng, topic, date, status)
            out.append({
                "action_ref": ref,
                "action_index": index,
                "date": date,
                "status": status,
                "narrative": _narrative(rng, fill, status, prev),
                "evidence": _evidence(rng, fill, status, prev),
                "author": rng.choice(authors),
            })
            prev = status
    return out


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------
def demo_plan(n_actions: int = BASE_ACTION_COUNT, updates_per_action: int = 12,
              seed: int = 2025, today: _dt.date | None = None) -> dict:
    """Build the fictional Harwick and Dales plan as plain dicts.

    Deterministic for a given (n_actions, updates_per_action, seed, today).
    ``updates`` refer to actions by ``action_index`` (position in
    ``actions``) because one action ref is deliberately duplicated.
    """
    if today is None:
        today = _dt.date.today()
    n_actions = max(0, int(n_actions))
    rng = random.Random(seed)

    outcomes, actions, topics = _base_plan()
    if n_actions <= len(actions):
        del actions[n_actions:]
        del topics[n_actions:]
    else:
        _extra_actions(rng, n_actions - len(actions), outcomes, actions, topics)

    ws_leads = {name: list(leads) for name, leads, _focus in T.WORKSTREAMS}
    return {
        "title": T.PLAN_TITLE,
        "scale": T.SCALE_KEY,
        "people": [{"name": n, "role": r, "organisation": o} for n, r, o in T.PEOPLE],
        "workstreams": [
            {"name": name, "leads": list(leads), "areas_of_focus": list(focus)}
            for name, leads, focus in T.WORKSTREAMS
        ],
        "priorities": [
            {
                "ref": p["ref"],
                "kind": p["kind"],
                "statement": p["statement"],
                "workstream": p["workstream"],
                "evidence_of_impact": list(p["evidence_of_impact"]),
                "difference_for_cyp": list(p["difference_for_cyp"]),
            }
            for p in T.PRIORITIES
        ],
        "outcomes": outcomes,
        "actions": actions,
        "updates": _updates(rng, actions, topics, ws_leads, updates_per_action, today),
    }
