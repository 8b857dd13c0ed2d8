"""Reading what the audit report counts: one read transaction, one pass over the audits in range.

Why one pass in Python rather than a GROUP BY per figure: an audit row carries about 1.5 KB of
JSON (ratings, section results), so every query that touches the table costs a scan of it
(about 100 ms per 100,000 audits), and SQLite 3.40's `json_each` over the section results took
1.7 s for 100,000 audits against 0.7 s for `json.loads` row by row (bench/bench_audit_report.py).
So the audits in range are read once, with only the columns the report needs, and counted here;
moderation pairs, improvement actions, drafts and the caseload are small indexed queries in
the same transaction, so every figure describes the same moment of the file.

What is counted (the report's docstring says it for people):

- audits that are submitted or moderated, dated in the range; drafts are counted apart and
  left out of everything else (a draft's grade is provisional: unrated criteria count as 0);
- the grade is `reported_grade` (the moderated grade once a moderation is complete);
- section results and criteria below "met" are the first auditor's scoring as stored on the
  audit, the scoring that raised the improvement actions (a moderation stores no list of
  criteria below "met", and the original scoring is kept as it was);
- `na` and `no_needs` are counted per framework version, so the report can work out in how many
  audits each criterion applied without expanding every rating of every audit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

from send_desktop.audits.stats import GRADES, NOT_GRADED

COUNTED_STATUSES = ("submitted", "moderated")
#: The cuts of the report: audit column -> label.
CUT_COLUMNS = {"team": "Team", "agency": "Agency", "plan_type": "Plan type", "key_stage": "Key stage",
               "primary_need": "Primary need", "setting_type": "Setting"}
GOOD_OR_BETTER = frozenset(GRADES[GRADES.index("Good"):])
_GRADED = frozenset(GRADES)


@dataclass
class Counts:
    """Raw counts for one date range, before any percentage is worked out."""

    monthly: Counter = field(default_factory=Counter)  # (month, framework id, grade) -> audits
    cuts: dict = field(default_factory=dict)  # column -> {value: [graded audits, good or better]}
    sections: dict = field(default_factory=dict)  # code -> [applicable, Σ score in tenths, good or better]
    unmet: Counter = field(default_factory=Counter)  # criterion id -> audits where it was below met
    no_needs: Counter = field(default_factory=Counter)  # (framework id, no_needs JSON) -> audits
    na: Counter = field(default_factory=Counter)  # (framework id, no_needs JSON, criterion id) -> rated N/A
    other_grades: Counter = field(default_factory=Counter)  # a grade outside the four (own band names)
    first_day: str | None = None  # earliest and latest audit date counted (ISO text)
    last_day: str | None = None
    file_first_day: str | None = None  # earliest and latest audit date in the whole file, drafts included
    file_last_day: str | None = None
    drafts: int = 0
    #: (audit id, plan ref, audit date, auditor, moderator, auditor's grade, moderated grade)
    moderation: list = field(default_factory=list)
    actions: dict = field(default_factory=dict)  # section code -> (open, done, open and past due)
    caseload: int = 0
    frameworks: dict = field(default_factory=dict)  # id -> (name, version)


def _range(date_from: dt.date | None, date_to: dt.date | None, prefix: str = "") -> tuple[str, list]:
    clauses, params = [], []
    if date_from is not None:
        clauses.append(f"{prefix}audit_date >= ?")
        params.append(date_from.isoformat())
    if date_to is not None:
        clauses.append(f"{prefix}audit_date <= ?")
        params.append(date_to.isoformat())
    return "".join(f" AND {c}" for c in clauses), params


def read_counts(db, date_from: dt.date | None = None, date_to: dt.date | None = None,
                as_of: dt.date | None = None) -> Counts:
    """Everything the report needs, counted in one read transaction. `as_of` dates "past due"."""
    counted = "status IN (%s)" % ", ".join(f"'{s}'" for s in COUNTED_STATUSES)
    where, params = _range(date_from, date_to)
    a_where, a_params = _range(date_from, date_to, "a.")
    out = Counts(cuts={column: {} for column in CUT_COLUMNS})
    with db.reading() as con:
        out.frameworks = {r[0]: (r[1], r[2]) for r in con.execute("SELECT id, name, version FROM audit_framework")}
        rows = con.execute(
            f"SELECT audit_date, month, framework_id, reported_grade, section_results, unmet, no_needs, "
            f"CASE WHEN instr(ratings, '\"na\"') THEN ratings END, {', '.join(CUT_COLUMNS)} "
            f"FROM audit WHERE {counted}{where}", params)
        _count_audits(rows, out)
        out.drafts = con.execute(f"SELECT count(*) FROM audit WHERE status = 'draft'{where}", params).fetchone()[0]
        out.moderation = con.execute(
            f"SELECT a.id, a.plan_ref, a.audit_date, a.auditor, m.moderator, a.grade, m.grade "
            f"FROM moderation m JOIN audit a ON a.id = m.audit_id "
            f"WHERE m.status = 'complete' AND a.{counted}{a_where} ORDER BY a.audit_date, a.id", a_params).fetchall()
        for section, opened, done, past_due in con.execute(
                f"SELECT x.section_code, sum(x.status = 'open'), sum(x.status = 'done'), "
                f"sum(x.status = 'open' AND x.due_date < ?) "
                f"FROM audit_action x JOIN audit a ON a.id = x.audit_id WHERE a.{counted}{a_where} "
                f"GROUP BY x.section_code", [(as_of or dt.date.today()).isoformat(), *a_params]):
            out.actions[section] = (opened, done, past_due)
        out.caseload = con.execute("SELECT count(*) FROM caseload_plan").fetchone()[0]
        out.file_first_day, out.file_last_day = con.execute(
            "SELECT min(audit_date), max(audit_date) FROM audit").fetchone()
    return out


_SPACE = " \t\r\n"


def na_keys(text: str) -> list[str]:
    """The criterion ids rated "na" in a ratings object (JSON text), without building the object.

    Parsing every audit's ratings to find its few N/A ratings was the report's largest cost. In
    JSON text with no backslash every quote is a delimiter, so the token `"na"` is a string, and it
    is a value exactly when the previous non-space character is a colon; the key is the string
    before that colon. Text with a backslash (an escaped character somewhere) is parsed properly.
    """
    if "\\" in text:
        return [cid for cid, value in json.loads(text).items() if value == "na"]
    out = []
    i = text.find('"na"')
    while i >= 0:
        j = i - 1
        while text[j] in _SPACE:
            j -= 1
        if text[j] == ":":
            j -= 1
            while text[j] in _SPACE:
                j -= 1
            out.append(text[text.rfind('"', 0, j) + 1:j])
        i = text.find('"na"', i + 4)
    return out


def _count_audits(rows, out: Counts) -> None:
    """The one pass. Kept flat and local-variable heavy: it runs once per audit (100,000 of them)."""
    loads = json.loads
    good_set, graded_set = GOOD_OR_BETTER, _GRADED
    monthly, sections, unmet, no_needs, na, other = (out.monthly, out.sections, out.unmet, out.no_needs, out.na,
                                                     out.other_grades)
    cut_tables = list(out.cuts.values())
    first = last = None
    for day, month, fw_id, grade, section_text, unmet_text, no_needs_text, ratings_text, *cut_values in rows:
        if first is None or day < first:
            first = day
        if last is None or day > last:
            last = day
        monthly[month, fw_id, grade] += 1
        no_needs[fw_id, no_needs_text] += 1
        if unmet_text and unmet_text != "[]":
            unmet.update(loads(unmet_text))
        if ratings_text:  # only audits with an N/A rating carry their ratings here
            for cid in na_keys(ratings_text):
                na[fw_id, no_needs_text, cid] += 1
        graded = grade in graded_set
        good = grade in good_set
        if not graded and grade != NOT_GRADED:
            other[grade] += 1
        for table, value in zip(cut_tables, cut_values):
            cell = table.get(value)
            if cell is None:
                cell = table[value] = [0, 0]
            if graded:
                cell[0] += 1
                cell[1] += good
        if graded and section_text:
            for code, (score, section_grade) in loads(section_text).items():
                if score is None:
                    continue  # the section was N/A in this audit
                cell = sections.get(code)
                if cell is None:
                    cell = sections[code] = [0, 0, 0]
                cell[0] += 1
                cell[1] += round(score * 10)  # stored to one decimal: tenths add up exactly
                cell[2] += section_grade in good_set
    out.first_day, out.last_day = first, last
