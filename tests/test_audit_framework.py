"""The framework format (FRAMEWORK.json): the default framework as the issue describes it, every
key checked, defaults filled in, and the documented example kept equal to what ships."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from send_desktop.audits.default_framework import default_framework, framework_json_text
from send_desktop.audits.framework import framework_from_json, framework_to_json
from send_desktop.errors import BadInputError

ROOT = Path(__file__).resolve().parents[1]


def minimal(**top):
    return {"name": "Ours", "sections": [{"code": "A", "weight": 1, "criteria": [{"id": "A1", "text": "Views"}]}],
            **top}


def test_the_default_framework_has_the_sections_and_weights_the_issue_gives():
    fw = default_framework()
    weights = {s.code: s.weight for s in fw.sections}
    assert {k: weights[k] for k in "ABCDEFGHIJKX"} == {"A": 8, "B": 15, "C": 5, "D": 5, "E": 15, "F": 20, "G": 5,
                                                       "H": 5, "I": 3, "J": 2, "K": 3, "X": 14}
    advices = [s for s in fw.sections if s.code.startswith("ADV-")]
    assert sorted(s.code for s in advices) == ["ADV-ED", "ADV-EP", "ADV-HEALTH", "ADV-SC"]
    assert all(s.weight == 0 for s in advices)
    # Education and psychology advice is needed for every plan; health and social care advice may
    # state that there are no needs.
    assert [s.code for s in advices if s.accepts_no_needs] == ["ADV-HEALTH", "ADV-SC"]
    assert fw.section("C").paired_with == "G" and fw.section("D").paired_with == "H"
    h_ids = [c.id for c in fw.section("H").criteria]
    assert any(i.startswith("H1") for i in h_ids) and any(i.startswith("H2") for i in h_ids)
    roles = {c.no_needs_role for code in "CD" for c in fw.section(code).criteria}
    assert roles == {"statement", "needs_dependent"}  # C and D say explicitly when there are no needs
    assert all(c.guidance and c.action_template for s in fw.sections for c in s.criteria)
    assert any(c.statutory for s in fw.sections for c in s.criteria)
    f_text = " ".join(c.text + c.guidance for c in fw.section("F").criteria).lower()
    assert "how often" in f_text and "access to" in f_text  # quantified provision, no vague words


def test_the_documented_example_is_what_ships():
    shipped = (ROOT / "resources" / "frameworks" / "default-framework.json").read_text(encoding="utf-8")
    example = (ROOT / "docs" / "examples" / "default-framework.json").read_text(encoding="utf-8")
    assert example == shipped == framework_json_text(default_framework())


def test_written_out_and_read_back_it_is_the_same_framework():
    fw = default_framework()
    assert framework_from_json(json.loads(json.dumps(framework_to_json(fw)))) == fw


def test_missing_keys_take_the_defaults():
    fw = framework_from_json(minimal())
    assert fw.max_default == 3 and fw.min_applicable_weight_pct == 60
    assert [(b.grade, b.min) for b in fw.bands] == [("Outstanding", 83.3), ("Good", 66.7),
                                                   ("Requires improvement", 33.3), ("Inadequate", 0)]
    c = fw.sections[0].criteria[0]
    assert (c.max, c.weight, c.statutory, c.critical, c.no_needs_role) == (3, 1, False, False, "none")
    assert fw.rules.statutory is not None and fw.rules.critical is not None


def test_a_rule_left_out_of_a_given_rules_object_is_off():
    fw = framework_from_json(minimal(rules={"critical": {"grade": "Inadequate"}}))
    assert fw.rules.statutory is None and fw.rules.two_inadequate is None and fw.rules.critical is not None


@pytest.mark.parametrize("change, message", [
    (lambda f: f.update(colour="red"), "unknown key 'colour'"),
    (lambda f: f["sections"][0].update(weight="heavy"), "'weight' must be a number"),
    (lambda f: f["sections"][0].update(weight=-1), "must be at least 0"),
    (lambda f: f["sections"][0]["criteria"][0].update(no_needs_role="maybe"), "no_needs_role"),
    (lambda f: f["sections"][0]["criteria"][0].pop("text"), "'text' is missing"),
    (lambda f: f.update(bands=[{"grade": "Good", "min": 50}, {"grade": "Poor", "min": 60}]), "out of order"),
    (lambda f: f.update(bands=[{"grade": "Good", "min": 50}]), "must have min 0"),
    (lambda f: f.update(bands=[{"grade": "N/A", "min": 0}]), "kept for sections"),
    (lambda f: f["sections"].append(copy.deepcopy(f["sections"][0])), "A"),
    (lambda f: f.update(rules={"statutory": {"cap": "Awful"}}), "Awful"),
    (lambda f: f.update(min_applicable_weight_pct=120), "between 0 and 100"),
])
def test_every_mistake_is_refused_naming_where_it_is(change, message):
    definition = minimal()
    change(definition)
    with pytest.raises(BadInputError, match=message):
        framework_from_json(definition)
