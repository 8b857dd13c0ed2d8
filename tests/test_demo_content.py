"""Tests for the fictional demo plan generator (send_desktop.core.demo_content)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from send_desktop.core import demo_text as T
from send_desktop.core.demo_content import (
    DEMO_DUPLICATED_REF,
    DEMO_PARTNERSHIP,
    demo_plan,
)
from send_desktop.core.timescale import parse_timescale

TODAY = dt.date(2025, 11, 15)
SEEDS_DIR = Path("/work/shared/seeds")
REF_RE = re.compile(r"^[1-5]\.\d+\.\d+$")
OUTCOME_RE = re.compile(r"^[1-5]\.\d+$")
RUN = 12


@pytest.fixture(scope="module")
def plan() -> dict:
    return demo_plan(today=TODAY)


@pytest.fixture(scope="module")
def big_plan() -> dict:
    return demo_plan(500, 12, today=TODAY)


def _duplicates(actions: list[dict]) -> dict[str, int]:
    counts = Counter(a["ref"] for a in actions)
    return {ref: n for ref, n in counts.items() if n > 1}


def test_constant_and_header(plan):
    assert DEMO_PARTNERSHIP == "Harwick and Dales SEND Partnership"
    assert plan["title"] == "Harwick and Dales SEND Priority Action Plan 2025-27"
    assert plan["scale"] == "pap3"


def test_counts(plan):
    assert len(plan["priorities"]) == 5
    assert 30 <= len(plan["outcomes"]) <= 40
    assert len(plan["actions"]) == 80
    assert len(plan["workstreams"]) == 5
    assert 12 <= len(plan["people"]) <= 20
    kinds = Counter(p["kind"] for p in plan["priorities"])
    assert kinds == {"area for priority action": 3, "area for improvement": 2}
    per_priority = Counter(o["priority_ref"] for o in plan["outcomes"])
    assert all(5 <= n <= 9 for n in per_priority.values())
    per_outcome = Counter(a["outcome_ref"] for a in plan["actions"])
    assert all(1 <= n <= 4 for n in per_outcome.values())
    assert set(per_outcome) == {o["ref"] for o in plan["outcomes"]}


def test_priorities_and_workstreams(plan):
    ws_names = {w["name"] for w in plan["workstreams"]}
    people = {p["name"] for p in plan["people"]}
    for w in plan["workstreams"]:
        assert w["leads"] and set(w["leads"]) <= people
        assert len(w["areas_of_focus"]) >= 3
    for p in plan["priorities"]:
        assert p["workstream"] in ws_names
        assert p["statement"].startswith("Leaders") and " should " in p["statement"]
        assert len(p["statement"]) > 250
        assert p["evidence_of_impact"] and p["difference_for_cyp"]
    assert [p["ref"] for p in plan["priorities"]] == ["1", "2", "3", "4", "5"]


def test_exactly_one_duplicate_at_default_size(plan):
    assert _duplicates(plan["actions"]) == {DEMO_DUPLICATED_REF: 2}


def test_refs_shaped_and_outcomes_exist(plan):
    outcome_refs = {o["ref"] for o in plan["outcomes"]}
    assert len(outcome_refs) == len(plan["outcomes"])
    for o in plan["outcomes"]:
        assert OUTCOME_RE.match(o["ref"]) and o["ref"].split(".")[0] == o["priority_ref"]
    for a in plan["actions"]:
        assert REF_RE.match(a["ref"]), a["ref"]
        assert a["outcome_ref"] in outcome_refs
        assert a["ref"].rsplit(".", 1)[0] == a["outcome_ref"]


def test_action_fields_are_dirty_but_plausible(plan):
    ws_names = {w["name"] for w in plan["workstreams"]}
    people = {p["name"] for p in plan["people"]}
    texts = [a["text"] for a in plan["actions"]]
    assert len(set(texts)) == len(texts)
    for a in plan["actions"]:
        assert a["workstream"] in ws_names
        assert 0 <= len(a["leads"]) <= 2 and set(a["leads"]) <= people
        assert 2 <= len(a["success_criteria"]) <= 5
        assert a["timescale"]
        assert "lorem" not in a["text"].lower()
    assert 2 <= sum(1 for a in plan["actions"] if not a["leads"]) <= 10
    timescales = {a["timescale"] for a in plan["actions"]}
    for expected in ("Quarterly", "Ongoing", "TBC"):
        assert expected in timescales
    # the mix of written forms survives anchoring to today
    for form in (r"\d{2}/\d{2}/20\d\d", r"Q[1-4] 20\d\d", r"[A-Z][a-z]{2}-\d\d",
                 r"[A-Z][a-z]{2} \d\d", r"Sept 20\d\d", r"July 20\d\d",
                 r"March 20\d\d", r"December 20\d\d"):
        assert any(re.fullmatch(form, t) for t in timescales), form


def test_determinism():
    a = demo_plan(120, 6, seed=7, today=TODAY)
    b = demo_plan(120, 6, seed=7, today=TODAY)
    c = demo_plan(120, 6, seed=8, today=TODAY)
    assert a == b
    assert a != c


def test_fewer_actions_takes_first_n(plan):
    small = demo_plan(10, 3, today=TODAY)
    assert small["actions"] == plan["actions"][:10]
    assert len(small["updates"]) == 30
    assert demo_plan(0, 12, today=TODAY)["actions"] == []


def test_large_plan_refs(big_plan):
    actions = big_plan["actions"]
    assert len(actions) == 500
    assert _duplicates(actions) == {DEMO_DUPLICATED_REF: 2}
    outcome_refs = {o["ref"] for o in big_plan["outcomes"]}
    assert len(outcome_refs) == len(big_plan["outcomes"])
    for a in actions:
        assert REF_RE.match(a["ref"]), a["ref"]
        assert a["outcome_ref"] in outcome_refs
        assert 2 <= len(a["success_criteria"]) <= 5
        assert "{" not in a["text"] and all("{" not in c for c in a["success_criteria"])
    # generated texts stay varied
    assert len({a["text"] for a in actions}) >= 490
    assert len(big_plan["updates"]) == 500 * 12


def test_updates_ordered_and_within_last_year(plan):
    by_action: dict[int, list[dict]] = {}
    for u in plan["updates"]:
        by_action.setdefault(u["action_index"], []).append(u)
    assert sorted(by_action) == list(range(80))
    year_ago = TODAY - dt.timedelta(days=365)
    for index, ups in by_action.items():
        assert len(ups) == 12
        assert all(u["action_ref"] == plan["actions"][index]["ref"] for u in ups)
        dates = [u["date"] for u in ups]
        assert dates == sorted(dates)
        assert all(isinstance(d, dt.date) and year_ago < d <= TODAY for d in dates)
        assert (dates[-1] - dates[0]).days > 250  # spread over the year


def test_update_statuses_and_authors(plan):
    people = {p["name"] for p in plan["people"]}
    ws_leads = {w["name"]: set(w["leads"]) for w in plan["workstreams"]}
    last: dict[int, str] = {}
    for u in plan["updates"]:
        assert u["status"] in {"R", "A", "G"}
        assert u["author"] in people
        action = plan["actions"][u["action_index"]]
        allowed = set(action["leads"]) or ws_leads[action["workstream"]]
        assert u["author"] in allowed
        assert u["narrative"] and "{" not in u["narrative"] and "{" not in u["evidence"]
        # once Green, stays Green
        if last.get(u["action_index"]) == "G":
            assert u["status"] == "G"
        last[u["action_index"]] = u["status"]
    finals = Counter(last.values())
    assert 0.30 <= finals["G"] / 80 <= 0.60
    assert finals["R"] >= 4
    assert any(u["evidence"] == "" for u in plan["updates"])


# --------------------------------------------------------------------------
# Anchored to today: due dates in a window around today, statuses that follow
# them.
# --------------------------------------------------------------------------
TODAYS = (dt.date(2026, 11, 1), dt.date(2025, 6, 15), TODAY, dt.date(2028, 2, 29),
          dt.date(2028, 6, 15), dt.date(2031, 1, 31))
UNDATED = {"Quarterly", "Ongoing", "TBC", "Monthly", "Termly"}


def _month_shift(today: dt.date, months: int) -> tuple[int, int]:
    year, month = divmod(today.year * 12 + today.month - 1 + months, 12)
    return year, month + 1


def _window(today: dt.date) -> tuple[dt.date, dt.date]:
    """First day of the month 15 months back, last day of the month 12 ahead."""
    y0, m0 = _month_shift(today, -15)
    y1, m1 = _month_shift(today, 12)
    return dt.date(y0, m0, 1), dt.date(y1, m1, calendar.monthrange(y1, m1)[1])


def _finals(p: dict) -> dict[int, str]:
    return {u["action_index"]: u["status"] for u in p["updates"]}


def _by_action(p: dict) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for u in p["updates"]:
        out.setdefault(u["action_index"], []).append(u)
    return out


@pytest.mark.parametrize("today", TODAYS)
@pytest.mark.parametrize("n", [80, 500])
def test_due_dates_span_the_window_around_today(today, n):
    p = demo_plan(n, 1, today=today)
    lo, hi = _window(today)
    dues = []
    for a in p["actions"]:
        due = parse_timescale(a["timescale"])
        if due is None:
            assert a["timescale"] in UNDATED, a["timescale"]
            continue
        assert lo <= due <= hi, (a["timescale"], today)
        dues.append(due)
    assert len(dues) >= 0.8 * n
    # spread over the whole window, not bunched at one end
    assert min(dues) < lo + dt.timedelta(days=92)
    assert max(dues) > hi - dt.timedelta(days=92)
    past = sum(d < today for d in dues) / len(dues)
    assert 0.4 <= past <= 0.7


@pytest.mark.parametrize("today", TODAYS)
def test_hand_written_timescales_move_by_whole_years_in_the_same_form(today):
    originals = [a[3] for p in "12345" for _o, acts in T.PLAN[p] for a in acts]
    actions = demo_plan(today=today)["actions"]
    assert len(actions) == len(originals)
    for original, action in zip(originals, actions):
        new = action["timescale"]
        # same words and punctuation, same number of digits in each place
        assert re.sub(r"\d", "#", new) == re.sub(r"\d", "#", original), (original, new)
        before, after = parse_timescale(original), parse_timescale(new)
        assert (before is None) == (after is None), (original, new)
        if before is None:
            assert new == original
            continue
        assert after.month == before.month, (original, new)
        # a month-end stays a month-end (28/02 -> 29/02 in a leap year)
        if before.day == calendar.monthrange(before.year, before.month)[1]:
            assert after.day == calendar.monthrange(after.year, after.month)[1], (original, new)


def test_leap_years_and_two_digit_years_are_written_correctly():
    # Feb 2029 falls in the window here, so "Feb 26" becomes "Feb 29" (the
    # month February 2029, not the 29th); dd/mm/yyyy dates must be real days.
    today = dt.date(2028, 6, 15)
    timescales = [a["timescale"] for a in demo_plan(500, 1, today=today)["actions"]]
    assert "Feb 29" in timescales
    assert parse_timescale("Feb 29") == dt.date(2029, 2, 28)
    for text in timescales:
        if re.fullmatch(r"\d{2}/\d{2}/\d{4}", text):
            day, month, year = map(int, text.split("/"))
            assert day == calendar.monthrange(year, month)[1], text
            assert parse_timescale(text) == dt.date(year, month, day)
    leap = [t for t in timescales if t.startswith("29/02/")]
    assert all(t.endswith("/2028") for t in leap)


@pytest.mark.parametrize("today", [dt.date(2026, 11, 1), dt.date(2025, 6, 15)])
def test_statuses_follow_due_dates(today):
    p = demo_plan(today=today)
    finals = _finals(p)
    n = len(p["actions"])
    overdue = green = 0
    past: Counter = Counter()
    ahead: Counter = Counter()
    undated: Counter = Counter()
    for index, a in enumerate(p["actions"]):
        due, final = parse_timescale(a["timescale"]), finals[index]
        green += final == "G"
        if due is None:
            undated[final] += 1
        elif due < today:
            overdue += final != "G"
            if (today - due).days > 31:
                past[final] += 1
        else:
            ahead[final] += 1
    assert 0.05 <= overdue / n <= 0.20
    assert 0.30 <= green / n <= 0.60
    # due more than a month ago: mostly complete, the rest Red (not Amber)
    assert 0.70 <= past["G"] / sum(past.values()) <= 0.85
    assert past["A"] == 0
    # due ahead: mostly Amber, some Red, a few already complete
    assert ahead["A"] > 0.6 * sum(ahead.values())
    assert ahead["R"] >= 2 and 1 <= ahead["G"] <= 0.2 * sum(ahead.values())
    # ongoing, quarterly, TBC: mostly Amber, never "complete"
    assert undated["A"] > 0.7 * sum(undated.values()) and undated["G"] == 0


@pytest.mark.parametrize("today", [dt.date(2026, 11, 1), dt.date(2025, 6, 15)])
def test_trajectories_are_plausible(today):
    p = demo_plan(200, 12, today=today)
    for index, ups in _by_action(p).items():
        statuses = [u["status"] for u in ups]
        if "G" not in statuses:
            continue
        g_at = statuses.index("G")
        assert g_at >= 1, statuses  # was Amber (or Red) before completing
        assert set(statuses[g_at:]) == {"G"}, statuses  # never reverts
        due = parse_timescale(p["actions"][index]["timescale"])
        assert due is not None
        done = ups[g_at]["date"]
        if due > today:  # finished early, recently
            assert (today - done).days <= 135
        elif due >= ups[0]["date"]:  # completed around the due date
            assert -45 <= (done - due).days <= 100, (due, done)


def _opener_pattern(*pools: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for pool in pools:
        for opener in pool:
            parts.append(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(opener)))
    return re.compile("^(?:" + "|".join(parts) + ")")


def test_narratives_fit_the_status_and_the_due_date():
    green = _opener_pattern(T.OPEN_TO_GREEN, T.OPEN_STAY_GREEN)
    red = _opener_pattern(T.OPEN_RED, T.OPEN_TO_RED, T.OPEN_OVERDUE, T.OPEN_TO_RED_LATE)
    amber = _opener_pattern(T.OPEN_AMBER, T.OPEN_TO_AMBER, T.OPEN_AMBER_LATE, T.OPEN_AMBER_ONGOING)
    completed = _opener_pattern(T.OPEN_TO_GREEN)
    today = dt.date(2026, 11, 1)
    p = demo_plan(200, 12, today=today)
    for index, ups in _by_action(p).items():
        due = parse_timescale(p["actions"][index]["timescale"])
        prev = None
        for u in ups:
            text, status = u["narrative"], u["status"]
            pattern = {"G": green, "R": red, "A": amber}[status]
            assert pattern.match(text), (status, text)
            if status == "G" and prev != "G":
                assert completed.match(text), text  # the month it was completed
            late = due is not None and u["date"] > due
            if status == "R" and late and prev != "A":
                assert _opener_pattern(T.OPEN_OVERDUE).match(text), text
            if not late:
                assert "overdue" not in text.lower(), text
            prev = status


def test_update_narratives_varied(big_plan):
    narratives = [u["narrative"] for u in big_plan["updates"]]
    assert len(set(narratives)) > 0.8 * len(narratives)
    evidence = {u["evidence"] for u in big_plan["updates"]}
    assert len(evidence) > 200


# --------------------------------------------------------------------------
# Own words: no 12-word run of the seed documents appears in generated text.
# --------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def _plan_strings(p: dict):
    yield p["title"]
    for person in p["people"]:
        yield from person.values()
    for w in p["workstreams"]:
        yield w["name"]
        yield from w["areas_of_focus"]
    for pr in p["priorities"]:
        yield pr["statement"]
        yield from pr["evidence_of_impact"]
        yield from pr["difference_for_cyp"]
    for o in p["outcomes"]:
        yield o["text"]
    for a in p["actions"]:
        yield a["text"]
        yield a["timescale"]
        yield from a["success_criteria"]
    for u in p["updates"]:
        yield u["narrative"]
        yield u["evidence"]


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed documents not available")
def test_no_twelve_word_run_copied_from_seeds(big_plan):
    seed_runs: set[tuple[str, ...]] = set()
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        seed_runs |= _runs(_words(path.read_text(encoding="utf-8", errors="replace")))
    assert seed_runs
    copied = []
    for text in _plan_strings(big_plan):
        hits = _runs(_words(text)) & seed_runs
        if hits:
            copied.append((text[:80], " ".join(sorted(hits)[0])))
    assert not copied, copied[:5]
