"""Deterministic demo content: a fictional SEND Priority Action Plan as plain dicts.

``demo_plan()`` builds the "Harwick and Dales SEND Priority Action Plan
2025-27" for a made-up local area partnership: 5 priorities (3 areas for
priority action, 2 areas for improvement), 5 workstreams, 35 outcomes,
80 hand-written actions and a year of dated RAG updates per action.

The plan is deliberately as dirty as real ones: one action reference appears
twice (``2.5.3``), some actions have no lead (TBC), and timescales are free
text in mixed forms ("July 2025", "Sep-25", "Feb 26", "Q3 2025",
"31/07/2025", "Quarterly", "TBC" ...).

The plan is anchored to ``today`` so that it always looks about 18 months
into its life: every dated timescale is moved by whole years (keeping its
written form) so that the timescales run from about 15 months before
``today`` to 12 months after it, and each action's RAG history follows its
due date - most actions due more than a month ago were completed around
then, a handful are genuinely overdue and Red, actions due soon are mostly
Amber, and ongoing or TBC actions mostly Amber.

Asking for more than 80 actions adds generated outcomes and actions that
continue each priority's numbering; asking for fewer keeps the first *n*
actions (all 35 base outcomes are kept as the plan's skeleton).

Standard library only; no Qt, no database. Everything is fictional.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import random
import re
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

# The anchored plan's timescales run over these months relative to today's
# month (inclusive): about 15 months back to 12 months ahead.
WINDOW_MONTHS_BEFORE = 15
WINDOW_MONTHS_AFTER = 12


# --------------------------------------------------------------------------
# Plan structure
# --------------------------------------------------------------------------
def _base_plan(today: _dt.date) -> tuple[list[dict], list[dict], list[str],
                                          list[_dt.date | None]]:
    """Outcomes, actions, action topics and due dates from the hand-written tables.

    Timescales are anchored to ``today`` (see ``_anchor_timescale``).
    """
    outcomes: list[dict] = []
    actions: list[dict] = []
    topics: list[str] = []
    dues: list[_dt.date | None] = []
    slots = iter(_base_slots())
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
                when, due = _anchor_timescale(when, today, next(slots))
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
                dues.append(due)
    return outcomes, actions, topics, dues


# --------------------------------------------------------------------------
# Timescales
# --------------------------------------------------------------------------
_MONTH_TOKENS = {name.lower(): i for i, name in enumerate(_MONTHS) if name}
_MONTH_TOKENS.update({name.lower(): i for i, name in enumerate(_ABBR3) if name})
_MONTH_TOKENS["sept"] = 9

# The written forms the plan uses, each with its year (and day) as groups so a
# shifted date can be written back in exactly the same form.
_DATED_FORMS = (
    re.compile(r"^(?:End of )?(?P<mon>[A-Za-z]+)[ -](?P<y>\d{4})$"),  # July 2025, Sept 2025
    re.compile(r"^(?P<mon>[A-Za-z]{3})[ -](?P<y>\d{2})$"),  # Sep-25, Feb 26
    re.compile(r"^Q(?P<q>[1-4]) (?P<y>\d{4})$"),  # Q3 2025 (calendar quarter)
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),  # 31/07/2025
)


def _read_timescale(text: str) -> tuple[re.Match[str], _dt.date] | None:
    """The match and the due date of a timescale in one of ``_DATED_FORMS``."""
    for pattern in _DATED_FORMS:
        m = pattern.match(text)
        if not m:
            continue
        g = m.groupdict()
        year = int(g["y"]) + (2000 if len(g["y"]) == 2 else 0)
        if g.get("mon"):
            month = _MONTH_TOKENS.get(g["mon"].lower())
            if month is None:
                return None
        else:
            month = int(g["q"]) * 3 if g.get("q") else int(g["m"])
        if not 1 <= month <= 12:
            return None
        last = calendar.monthrange(year, month)[1]
        day = int(g["d"]) if g.get("d") else last
        if not 1 <= day <= last:
            return None
        return m, _dt.date(year, month, day)
    return None


def _shift_years(m: re.Match[str], due: _dt.date, years: int) -> tuple[str, _dt.date]:
    """Rewrite a matched timescale ``years`` later, in the same written form."""
    text = m.string
    year = due.year + years
    last = calendar.monthrange(year, due.month)[1]
    if due.day == calendar.monthrange(due.year, due.month)[1]:
        day = last  # 28/02/2025 -> 29/02/2028: the plan means the month end
    else:
        day = min(due.day, last)  # 29/02/2028 -> 28/02/2029
    new_due = _dt.date(year, due.month, day)
    spans = [(m.span("y"), f"{year % 100:02d}" if len(m["y"]) == 2 else str(year))]
    if m.re.groupindex.get("d"):
        spans.append((m.span("d"), f"{day:0{len(m['d'])}d}"))
    for (start, end), value in sorted(spans, reverse=True):
        text = text[:start] + value + text[end:]
    return text, new_due


def _month_index(d: _dt.date) -> int:
    return d.year * 12 + d.month - 1


def _base_slots() -> list[float | None]:
    """Where each hand-written timescale sits among those naming the same month.

    For every base action (in plan order) a number in (0, 1): the position of
    its date among the base timescales that fall in the same calendar month
    (ordered by date, then plan order), or ``None`` when it names no date.
    Computed once from the tables, so it never depends on ``n_actions``.
    """
    global _BASE_SLOTS
    if _BASE_SLOTS is None:
        read = [_read_timescale(a[3]) for p in _PRIORITY_REFS for _o, acts in T.PLAN[p] for a in acts]
        groups: dict[int, list[tuple[_dt.date, int]]] = {}
        for pos, r in enumerate(read):
            if r:
                groups.setdefault(r[1].month, []).append((r[1], pos))
        slots: list[float | None] = [None] * len(read)
        for members in groups.values():
            members.sort()
            for rank, (_due, pos) in enumerate(members):
                slots[pos] = (rank + 0.5) / len(members)
        _BASE_SLOTS = slots
    return _BASE_SLOTS


_BASE_SLOTS: list[float | None] | None = None


def _anchor_timescale(text: str, today: _dt.date, slot: float | None) -> tuple[str, _dt.date | None]:
    """Move a hand-written timescale by whole years into the plan's window.

    The window runs from ``WINDOW_MONTHS_BEFORE`` months before ``today``'s
    month to ``WINDOW_MONTHS_AFTER`` months after it, so every calendar month
    occurs there two or three times.  Timescales naming the same month are
    shared out over those occurrences in their original order (``slot``, see
    ``_base_slots``): the earliest go to the first year, the latest to the
    last, so the plan's dates spread over the whole window.  The text keeps
    its written form.  Undated timescales ("Ongoing", "TBC" ...) are
    returned unchanged.
    """
    read = _read_timescale(text)
    if read is None:
        return text, None
    m, due = read
    t = _month_index(today)
    lo, hi = t - WINDOW_MONTHS_BEFORE, t + WINDOW_MONTHS_AFTER
    idx = _month_index(due)
    first = idx + 12 * -((idx - lo) // 12)  # the earliest same-month index >= lo
    places = list(range(first, hi + 1, 12))
    pick = places[min(int((slot if slot is not None else 0.5) * len(places)), len(places) - 1)]
    return _shift_years(m, due, (pick - idx) // 12)


def _timescale(rng: random.Random, today: _dt.date) -> tuple[str, _dt.date | None]:
    """A free-text timescale in the plan's window around ``today``, mixed forms."""
    if rng.random() < 0.1:
        return rng.choice(("Quarterly", "Ongoing", "TBC", "Monthly", "Termly", "Quarterly")), None
    idx = rng.randint(_month_index(today) - WINDOW_MONTHS_BEFORE,
                      _month_index(today) + WINDOW_MONTHS_AFTER)
    year, month = divmod(idx, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    due = _dt.date(year, month, last)
    r = rng.random()
    if r < 0.45:
        return f"{_MONTHS[month]} {year}", due
    if r < 0.57:
        return f"{_ABBR_SHORT[month]} {year}", due
    if r < 0.69:
        return f"{_ABBR3[month]}-{year % 100:02d}", due
    if r < 0.79:
        return f"{_ABBR3[month]} {year % 100:02d}", due
    if r < 0.87:  # the calendar quarter this month falls in (ending inside the window)
        q_month = (month - 1) // 3 * 3 + 3
        if idx + q_month - month > _month_index(today) + WINDOW_MONTHS_AFTER:
            q_month -= 3
            if q_month == 0:
                year, q_month = year - 1, 12
        return f"Q{q_month // 3} {year}", _dt.date(year, q_month, calendar.monthrange(year, q_month)[1])
    if r < 0.95:
        return f"{last:02d}/{month:02d}/{year}", due
    return f"End of {_MONTHS[month]} {year}", due


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
                   actions: list[dict], topics: list[str], dues: list[_dt.date | None],
                   today: _dt.date) -> None:
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
            when, due = _timescale(rng, today)
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
            dues.append(due)
            n_extra -= 1


# --------------------------------------------------------------------------
# Updates
# --------------------------------------------------------------------------
# Final RAG shares (Green, Amber, Red) by where the due date sits relative to
# today.  Actions due more than a month ago were mostly completed around then;
# the rest are genuinely overdue and Red.
_FINAL_SHARES = {
    "undated": (0.0, 0.85, 0.15),  # ongoing, quarterly, TBC ...: mostly Amber
    "past": (0.78, 0.0, 0.22),  # due more than 30 days ago
    "just": (0.55, 0.30, 0.15),  # due in the last 30 days: many signed off
    "soon": (0.18, 0.67, 0.15),  # due in the next three months
    "mid": (0.08, 0.77, 0.15),  # three to six months ahead
    "far": (0.03, 0.82, 0.15),  # further ahead
}


def _due_band(due: _dt.date | None, today: _dt.date) -> str:
    if due is None:
        return "undated"
    past = (today - due).days
    if past > 30:
        return "past"
    if past > 0:
        return "just"
    return "soon" if -past <= 91 else ("mid" if -past <= 183 else "far")


def _final_statuses(rng: random.Random, dues: list[_dt.date | None], today: _dt.date) -> list[str]:
    """The RAG status each action has reached by ``today``, given its due date.

    Within each band of due dates the statuses are shared out systematically
    (random order, random start) so the plan's mix stays close to
    ``_FINAL_SHARES`` at any size, seed or date.  Among past actions the
    older ones are more likely to be the completed ones: a plan rarely
    carries an action a year overdue.
    """
    bands: dict[str, list[tuple[float, int]]] = {}
    for index, due in enumerate(dues):
        band = _due_band(due, today)
        key = rng.random()
        if band == "past":
            key -= 0.6 * (today - due).days / 365
        bands.setdefault(band, []).append((key, index))
    finals = ["A"] * len(dues)
    for band, keyed in bands.items():
        green, amber, _red = _FINAL_SHARES[band]
        members = [index for _key, index in sorted(keyed)]
        start = rng.random()
        for pos, index in enumerate(members):
            v = (pos + start) / len(members)
            finals[index] = "G" if v < green else ("A" if v < green + amber else "R")
    return finals


def _trajectory(rng: random.Random, dates: list[_dt.date], due: _dt.date | None,
                today: _dt.date, final: str) -> list[str]:
    """A plausible sequence of statuses on ``dates`` (oldest first) ending in ``final``.

    Green comes after Amber (or Red) and never reverts; completion happens
    around the due date (or in the last few months when finished early);
    overdue actions turn Red around their due date.
    """
    u = len(dates)
    if u <= 1:
        return [final] * u
    if final == "G":
        if due is not None and due <= today:  # done around the due date, now and then late
            done = due + _dt.timedelta(days=rng.randint(-30, 50))
        else:  # finished early, in the last few months
            done = today - _dt.timedelta(days=rng.randint(0, 100))
        g_at = next((k for k, d in enumerate(dates) if d >= done), u - 1)
        g_at = min(max(1, g_at), u - 1)
        s = ["A"] * g_at + ["G"] * (u - g_at)
        late = [k for k in range(g_at) if due is not None and dates[k] > due]
        if late and rng.random() < 0.5:  # slipped past the due date before completing
            for k in late:
                s[k] = "R"
        elif g_at > 3 and rng.random() < 0.25:
            if rng.random() < 0.5:  # a slow start, then recovered
                s[0] = "R"
            else:  # one bad month
                s[rng.randint(1, g_at - 2)] = "R"
        return s
    if final == "R":
        if due is not None and due <= today:  # overdue: turned Red around the due date
            slip = due - _dt.timedelta(days=rng.randint(0, 45))
            r_at = next((k for k, d in enumerate(dates) if d >= slip), u - 1)
        elif rng.random() < 0.7:  # at risk of missing a date still ahead
            r_at = rng.randint(max(1, u - 4), u - 1)
        else:  # stuck
            r_at = 0
        s = ["A"] * r_at + ["R"] * (u - r_at)
        if u - r_at > 4 and rng.random() < 0.4:  # a recovery that did not last
            k = rng.randint(r_at + 1, u - 3)
            s[k] = "A"
            if rng.random() < 0.5:
                s[k + 1] = "A"
        elif r_at > 3 and rng.random() < 0.2:  # an earlier bad month
            s[rng.randint(1, r_at - 2)] = "R"
        return s
    if rng.random() < 0.2:  # started late, recovered
        a_at = rng.randint(1, max(1, u // 2))
        return ["R"] * a_at + ["A"] * (u - a_at)
    s = ["A"] * u  # mostly Amber with the odd Red month
    for k in range(1, u - 1):
        if s[k - 1] == "A" and rng.random() < 0.07:
            s[k] = "R"
    return s


_PCT_TARGETS = (40, 60, 75, 80, 85, 90, 95)


class _Fill(dict):
    """Lazy field values for narrative and evidence templates."""

    def __init__(self, rng: random.Random, topic: str, date: _dt.date, status: str,
                 due: _dt.date | None = None):
        super().__init__()
        self.rng, self.topic, self.date, self.status, self.due = rng, topic, date, status, due

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
        elif key == "due":  # the month the action was due, e.g. "July 2026"
            due = self.due or d
            v = f"{_MONTHS[due.month]} {due.year}"
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
    late = fill.due is not None and fill.date > fill.due
    if status == "G":
        if prev == "G":
            openers, details = T.OPEN_STAY_GREEN, T.DETAIL_GREEN_SUSTAINED
        else:
            openers, details = T.OPEN_TO_GREEN, T.DETAIL_GREEN
    elif status == "R":
        if prev == "A":
            openers = T.OPEN_TO_RED_LATE if late else T.OPEN_TO_RED
        else:
            openers = T.OPEN_OVERDUE if late else T.OPEN_RED
        details = T.DETAIL_RED
    else:
        if prev == "R":
            openers = T.OPEN_TO_AMBER
        elif late:
            openers = T.OPEN_AMBER_LATE
        elif fill.due is None:
            openers = T.OPEN_AMBER_ONGOING
        else:
            openers = T.OPEN_AMBER
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
             dues: list[_dt.date | None], ws_leads: dict[str, list[str]], u: int,
             today: _dt.date) -> list[dict]:
    out: list[dict] = []
    if u <= 0:
        return out
    step = 365 / u
    max_jitter = int(min(7, step / 3))
    first_day = today - _dt.timedelta(days=364)
    offsets = [today - _YEAR + _dt.timedelta(days=round((k + 1) * step)) for k in range(u)]
    finals = _final_statuses(rng, dues, today)
    for index, (action, topic, due) in enumerate(zip(actions, topics, dues)):
        dates = []
        for date in offsets:
            if max_jitter:
                date -= _dt.timedelta(days=rng.randint(0, max_jitter))
            dates.append(max(date, first_day))
        statuses = _trajectory(rng, dates, due, today, finals[index])
        authors = action["leads"] or ws_leads[action["workstream"]]
        ref = action["ref"]
        prev = None
        for date, status in zip(dates, statuses):
            fill = _Fill(rng, topic, date, status, due)
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
    Timescales and statuses are anchored to ``today`` (the plan is about 18
    months into its life whatever the date).
    ``updates`` refer to actions by ``action_index`` (position in
    ``actions``) because one action ref is deliberately duplicated.
    """
    if today is None:
        today = _dt.date.today()
    n_actions = max(0, int(n_actions))
    rng = random.Random(seed)

    outcomes, actions, topics, dues = _base_plan(today)
    if n_actions <= len(actions):
        del actions[n_actions:]
        del topics[n_actions:]
        del dues[n_actions:]
    else:
        _extra_actions(rng, n_actions - len(actions), outcomes, actions, topics, dues, today)

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
        "updates": _updates(rng, actions, topics, dues, ws_leads, updates_per_action, today),
    }
