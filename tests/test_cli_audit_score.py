"""`send-desktop audit-score FRAMEWORK.json AUDIT.json`: the contract, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "send_desktop", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=60)


def test_the_documented_example_scores_as_documented():
    done = run("audit-score", EXAMPLES / "default-framework.json", EXAMPLES / "audit.json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result == json.loads((EXAMPLES / "audit-result.json").read_text(encoding="utf-8"))
    assert result["banded_grade"] == "Good" and result["caps"] == ["statutory"]
    assert result["grade"] == "Requires improvement"
    assert result["sections"]["G"] == {"score": None, "grade": "N/A"}  # C has no needs


def test_the_worked_example_of_the_issue(tmp_path):
    # One criterion a section, its maximum chosen so that value / max gives the issue's section
    # scores: A 11/12 = 91.7, B 5/6 = 83.3, C 1/1 = 100, F 1/4 = 25, ...; G and J are N/A.
    shape = {"A": (8, 12, 11), "B": (15, 6, 5), "C": (5, 1, 1), "D": (5, 6, 5), "E": (15, 6, 5), "F": (20, 4, 1),
             "G": (5, 1, "na"), "H": (5, 6, 5), "I": (3, 1, 1), "J": (2, 1, "na"), "K": (3, 1, 1), "X": (14, 6, 5)}
    framework = {"name": "worked example", "sections": [
        {"code": code, "weight": weight, "na_allowed": value == "na", "criteria": [
            {"id": f"{code}1", "text": f"section {code}", "max": maximum}]}
        for code, (weight, maximum, value) in shape.items()]}
    ratings = {f"{code}1": value for code, (_w, _m, value) in shape.items()}
    (tmp_path / "f.json").write_text(json.dumps(framework))
    (tmp_path / "a.json").write_text(json.dumps({"ratings": ratings}))
    done = run("audit-score", tmp_path / "f.json", tmp_path / "a.json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    scores = {code: s["score"] for code, s in result["sections"].items()}
    assert scores == {"A": 91.7, "B": 83.3, "C": 100.0, "D": 83.3, "E": 83.3, "F": 25.0, "G": None, "H": 83.3,
                      "I": 100.0, "J": None, "K": 100.0, "X": 83.3}
    # (8x91.67 + 15x83.33 + 5x100 + 5x83.33 + 15x83.33 + 20x25 + 5x83.33 + 3x100 + 3x100 + 14x83.33) / 93
    # = 6833.3 / 93 = 73.48, banded Good; F is Inadequate, so f_inadequate caps it.
    assert result["score"] == 73.5 and result["banded_grade"] == "Good"
    assert result["caps"] == ["f_inadequate"] and result["grade"] == "Requires improvement"


@pytest.mark.parametrize("audit, message", [
    ("{not json", "not valid JSON"),
    ('{"ratings": {"ZZ9": 2}}', "criterion 'ZZ9'"),
    ('{"ratings": {"A1": 9}}', "rating 9"),
    ('{"ratings": {}, "colour": 1}', "unknown key 'colour'"),
])
def test_bad_input_exits_2_with_one_line_naming_the_file(tmp_path, audit, message):
    path = tmp_path / "audit.json"
    path.write_text(audit)
    done = run("audit-score", EXAMPLES / "default-framework.json", path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "audit.json" in lines[0] and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_framework_file_is_bad_input(tmp_path):
    done = run("audit-score", tmp_path / "nope.json", EXAMPLES / "audit.json")
    assert done.returncode == 2 and "nope.json" in done.stderr
