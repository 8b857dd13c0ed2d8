"""Reading FRAMEWORK.json and AUDIT.json files for `send-desktop audit-score`.

Every problem becomes one `BadInputError` line that starts with the file name, because the command
line promises "exit 2 and one line on stderr naming the file and the problem".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from send_desktop.audits.framework import Framework, framework_from_json
from send_desktop.audits.grading import GradeResult, grade
from send_desktop.errors import BadInputError, UserError

AUDIT_KEYS = ("ratings", "no_needs", "critical_concern", "na_reasons")


@dataclass(frozen=True)
class AuditInput:
    ratings: dict[str, int | str | None]
    no_needs: frozenset[str] = frozenset()
    critical_concern: bool = False
    na_reasons: dict[str, str] = field(default_factory=dict)


def read_json(path: Path) -> Any:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path} does not exist or is not a file.")
    try:
        text = path.read_text(encoding="utf-8-sig")  # tolerate the BOM Windows editors add
    except UnicodeDecodeError:
        raise BadInputError(f"{path}: not UTF-8 text; save it as UTF-8 JSON") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


def load_framework(path: Path) -> Framework:
    obj = read_json(path)
    try:
        return framework_from_json(obj)
    except BadInputError as exc:
        raise BadInputError(f"{path}: {exc.message}") from None


def audit_from_json(obj: Any) -> AuditInput:
    """Check the shape of AUDIT.json; whether ids and values fit the framework is checked by grading."""
    if not isinstance(obj, dict):
        raise BadInputError("the audit must be a JSON object with \"ratings\"")
    unknown = [k for k in obj if k not in AUDIT_KEYS]
    if unknown:
        raise BadInputError(f"unknown key '{unknown[0]}' (allowed: {', '.join(AUDIT_KEYS)})")
    ratings = obj.get("ratings", {})
    if not isinstance(ratings, dict):
        raise BadInputError("'ratings' must be an object of criterion id to rating")
    for cid, value in ratings.items():
        if not (value is None or value == "na" or (type(value) is int)):
            raise BadInputError(f"criterion '{cid}': rating {json.dumps(value)} is not a whole number or \"na\"")
    no_needs = obj.get("no_needs", [])
    if not isinstance(no_needs, list) or not all(isinstance(c, str) for c in no_needs):
        raise BadInputError("'no_needs' must be a list of section codes, e.g. [\"C\"]")
    critical = obj.get("critical_concern", False)
    if not isinstance(critical, bool):
        raise BadInputError("'critical_concern' must be true or false")
    reasons = obj.get("na_reasons", {})
    if not isinstance(reasons, dict) or not all(isinstance(v, str) for v in reasons.values()):
        raise BadInputError("'na_reasons' must be an object of criterion id to text")
    return AuditInput(dict(ratings), frozenset(no_needs), critical, dict(reasons))


def score_audit_file(fw: Framework, path: Path) -> GradeResult:
    """Read AUDIT.json and grade it; problems name the audit file."""
    obj = read_json(path)
    try:
        audit = audit_from_json(obj)
        known = {c.id for s in fw.sections for c in s.criteria}
        unknown = [cid for cid in audit.na_reasons if cid not in known]
        if unknown:
            raise BadInputError(f"'na_reasons': criterion '{unknown[0]}' is not in framework '{fw.name}'")
        return grade(fw, audit.ratings, audit.no_needs, audit.critical_concern, audit.na_reasons)
    except BadInputError as exc:
        raise BadInputError(f"{path}: {exc.message}") from None
