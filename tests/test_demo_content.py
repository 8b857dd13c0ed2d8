"""Tests for the fictional demo plan generator (send_desktop.core.demo_content)."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from send_desktop.core.demo_content import (
    DEMO_DUPLICATED_REF,
    DEMO_PARTNERSHIP,
    demo_plan,
)

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
    for expected in ("Quarterly", "Ongoing", "TBC", "31/07/2025", "Q3 2025",
                     "Sep-25", "Feb 26", "Sept 2025", "July 2025", "March 2026",
                     "December 2026"):
        assert expected in timescales


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
    assert 0.12 <= finals["G"] / 80 <= 0.40
    assert finals["R"] >= 4
    assert any(u["evidence"] == "" for u in plan["updates"])


def test_update_narratives_varied(big_plan):
    narratives = [u["narrative"] for u in big_plan["updates"]]
    assert len(set(narratives)) > 0.8 * len(narratives)
    evidence = {u["evidence"] for u in big_plan["updates"]}
    assert len(evidence) > 200


def test_fast():
    start = time.perf_counter()
    demo_plan(500, 12, today=TODAY)
    assert time.perf_counter() - start < 0.3


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
