"""The audits workbook's layout, and the one canonical form both sides of an exchange compare.

An audit is compared field by field in its *canonical* form: texts trimmed with line ends and
characters XML cannot hold tidied away (what a workbook cell can carry back), dates as ISO text,
ratings as {criterion id: 0..max or "na"}, the framework as (name, version). The export
computes the fingerprint of each audit's canonical form and keeps it on the hidden Base sheet;
the import computes it again for the workbook row and for the database's copy. Because both
come from the same function, an audit that went out and came back untouched always matches.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from hashlib import blake2b

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from send_desktop.audits.framework import Framework
from send_desktop.xlsx import layout as L

LAYOUT_NAME = "send-desktop audits workbook"
AUDITS, COMMENTS, BASE = "Audits", "Comments", "Base"
NA_TEXT = "N/A"

C = L.Column
#: The columns before the criteria, in order; `key` is the audit field (or a special name).
DETAILS = (
    C("uid", "Audit id", 34, L.UID, required=False),
    C("plan_ref", "Plan ref", 14),
    C("plan_type", "Plan type", 15),
    C("plan_issue_date", "Plan issue date", 12, L.DATE),
    C("team", "Team", 18),
    C("key_stage", "Key stage", 11),
    C("primary_need", "Primary need", 24),
    C("setting_type", "Setting type", 22),
    C("auditor", "Auditor", 20),
    C("agency", "Agency", 18),
    C("audit_date", "Audit date", 12, L.DATE),
    C("status", "Status", 11),
    C("framework", "Framework", 28),
    C("framework_version", "Framework version", 10),
    C("no_needs", "No needs identified", 14),
    C("critical_concern", "Critical concern", 10),
    C("notes", "Notes", 40, L.LONG),
)
#: Worked out by the application; written for reading, never read back.
DERIVED = (C("score", "Score", 8, required=False), C("grade", "Grade", 20, required=False))
COMMENT_COLUMNS = (
    C("uid", "Audit id", 34, L.UID),
    C("plan_ref", "Plan ref", 14, required=False),
    C("audit_date", "Audit date", 12, L.DATE, required=False),
    C("criterion", "Criterion", 12),
    C("na_reason", "N/A reason", 40, L.LONG),
    C("comment", "Comment", 60, L.LONG),
)
BASE_COLUMNS = (C("uid", "Audit id", 34), C("fingerprint", "Fingerprint", 34), C("updated_at", "Updated at", 20))
TEXT_FIELDS = ("plan_ref", "plan_type", "team", "key_stage", "primary_need", "setting_type", "auditor", "agency",
               "status", "notes")
ABOUT_FRAMEWORK = "Framework"
NOTES = (
    "One row per audit. Rate each criterion 0 to its maximum, or N/A where the section allows it (give the reason "
    "on the Comments sheet); a blank is 'not evidenced' and counts as 0.",
    "No needs identified: the codes of the sections or advices marked so, separated by commas (e.g. C, D).",
    "Score and Grade are worked out by send-desktop and are not read back: the database grades every audit itself.",
    "Do not edit the hidden Audit id column or the hidden Base sheet: they let the database match each audit and see "
    "what changed since this workbook was exported. Leave the id blank on rows you add.",
    "An audit changed both here and in the database since the export is reported as a conflict and not imported; "
    "nothing is overwritten. Rows removed from this workbook are not deleted from the database.",
)


def clean(value) -> str:
    """A text as a workbook cell carries it back."""
    return L.text(ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value)


def canonical(a: dict) -> dict:
    """`a` holds the audit fields (DETAIL_FIELDS, status, scoring), `framework` = (name, version)."""
    out = {k: clean(a.get(k)) for k in TEXT_FIELDS}
    for key in ("plan_issue_date", "audit_date"):
        out[key] = a[key].isoformat() if a.get(key) else None
    out["framework"] = [a["framework"][0], str(a["framework"][1])]
    out["no_needs"] = sorted(set(a.get("no_needs") or ()))
    out["critical_concern"] = bool(a.get("critical_concern"))
    out["ratings"] = {k: v for k, v in (a.get("ratings") or {}).items() if v is not None}
    for key in ("na_reasons", "comments"):
        texts = ((k, clean(v)) for k, v in (a.get(key) or {}).items())
        out[key] = {k: v for k, v in texts if v}
    return out


def fingerprint(canon: dict) -> str:
    text = json.dumps(canon, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def differences(a: dict, b: dict) -> list[str]:
    """The fields (and criteria) in which two canonical audits differ, for people to read."""
    out = []
    for key in a:
        if a[key] == b.get(key):
            continue
        if key in ("ratings", "na_reasons", "comments"):
            ids = sorted(k for k in {**a[key], **b[key]} if a[key].get(k) != b[key].get(k))
            label = {"ratings": "rating", "na_reasons": "N/A reason", "comments": "comment"}[key]
            out.append(f"{label}{'s' if len(ids) > 1 else ''} {', '.join(ids)}")
        else:
            out.append(key.replace("_", " "))
    return out


def grading_check(fw: Framework) -> str:
    """A short fingerprint of what decides a grade (not the wording), so two databases can tell
    whether their copies of one framework version grade alike."""
    shape = {"bands": [(b.grade, b.min) for b in fw.bands], "pct": fw.min_applicable_weight_pct,
             "rules": repr(fw.rules),
             "sections": [(s.code, s.weight, s.na_allowed, s.paired_with,
                           [(c.id, c.max, c.weight, c.statutory, c.critical, c.no_needs_role) for c in s.criteria])
                          for s in fw.sections]}
    return blake2b(json.dumps(shape, default=str).encode(), digest_size=6).hexdigest()


def framework_label(name: str, version: str) -> str:
    return f"'{name}' version {version}"


# -- reading cells --------------------------------------------------------------------------------

_NA = {"n/a", "na", "n.a.", "not applicable"}


def rating(value, maximum: int):
    """A criterion cell: None (blank, not evidenced), 0..maximum, or "na"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise L.CellError(f"'{L.text(value)}' is not a rating")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        raw = value.strip()
        if not raw:
            return None
        if raw.casefold() in _NA:
            return "na"
        if not re.fullmatch(r"\d+", raw):
            raise L.CellError(f"'{raw[:40]}' is not a rating; use 0 to {maximum} or N/A")
        value = int(raw)
    if not isinstance(value, int) or not 0 <= value <= maximum:
        raise L.CellError(f"{L.text(value)} is out of range; use 0 to {maximum} or N/A")
    return value


def codes(value) -> list[str]:
    return sorted({p for p in re.split(r"[,;\s]+", L.text(value)) if p})


def choice(value, allowed: tuple[str, ...], what: str, default: str | None = None) -> str:
    raw = L.text(value)
    if not raw and default is not None:
        return default
    for option in allowed:
        if L.header_key(option) == L.header_key(raw):
            return option
    raise L.CellError(f"'{raw[:40]}' is not a {what}; use one of: {', '.join(allowed)}")


def stamp(value) -> dt.datetime | None:
    """The Base sheet's "Updated at": written as ISO text, so no spreadsheet turns it into a date."""
    try:
        return dt.datetime.fromisoformat(L.text(value)) if value else None
    except ValueError:
        return None
