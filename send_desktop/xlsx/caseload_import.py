"""Importing the caseload list, the open plans each month's audit sample is drawn from.

Caseload lists come out of case-management systems and council spreadsheets, so the reader is
forgiving about shape: the header may sit below title rows (it is looked for in the first 30
rows of each sheet, and the first sheet with a plan reference column is used), headers come in
many spellings ("EHCP ref", "Locality", "KS", "Setting", "Date issued" ...; see `HEADERS`), and
columns it does not know are ignored. It is strict about content: a row with data but no plan
reference, or an impossible date, refuses the file (sheet, row and column named, nothing
changed); a plan listed twice is kept once, from its first row, with a warning.

It never imports children's names. The caseload is pseudonymous (plan references only), so a
column whose header looks like a name or a date of birth ("Name", "Child", "Forename",
"Surname", "DOB" ...) is left out, and the report warns that it was not imported.

Plans on the list are added or brought up to date (`services.caseload.apply_caseload`), in one
transaction, after a backup. Plans no longer on it are never removed silently: each is listed as a
warning, and removed only when asked (`delete_missing`, the command line's `--delete-missing`), so
the list then replaces the caseload. The import is one batch in the change log, undoable as a whole.
`strategy` and `decisions` are accepted like every importer's; a caseload list has no base to conflict
with, so decisions on fields are refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.services.caseload import FIELDS
from send_desktop.errors import Problem
from send_desktop.xlsx import audit_exchange_book as B
from send_desktop.xlsx import layout as L
from send_desktop.xlsx import workbook_io as W
from send_desktop.xlsx.book_reader import refuse

HEADER_SEARCH = 30
HEADERS = {
    "plan_ref": ("plan ref", "plan reference", "plan ref no", "plan no", "plan number", "plan id", "ehcp ref",
                 "ehcp reference", "ehcp ref no", "ehcp no", "ehcp number", "ehcp id", "ehc ref", "ehc plan ref",
                 "ehc plan reference", "ehc plan number", "reference", "ref", "ref no", "case ref", "case reference",
                 "case number", "case no", "case id"),
    "team": ("team", "locality", "area", "team locality", "locality team", "casework team", "case team",
             "send team", "area team", "team name"),
    "key_stage": ("key stage", "ks", "keystage", "key stage ks", "ncy key stage", "current key stage"),
    "primary_need": ("primary need", "primary sen need", "primary send need", "primary need type", "primary sen type",
                     "primary type of need", "main need", "need", "type of need", "sen need"),
    "setting_type": ("setting", "setting type", "type of setting", "school type", "placement type", "placement",
                     "provision type", "setting category", "establishment type"),
    "issue_date": ("issue date", "date issued", "plan issue date", "ehcp issue date", "ehc plan issue date",
                   "date of issue", "issued", "issued date", "date plan issued", "date ehcp issued", "date finalised",
                   "final plan date"),
}
_FIELD_OF = {variant: key for key, variants in HEADERS.items() for variant in variants}
_NAME_WORDS = {"name", "names", "forename", "forenames", "surname", "surnames", "firstname", "lastname",
               "given", "dob", "birth", "initials"}
_NAME_HEADERS = {"child", "childs", "child s", "pupil", "student", "learner", "young person", "cyp"}
MAX_REF = 64  # the stored column's width


def _norm(header) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", L.header_key(header)).split())


def looks_like_a_name(header) -> bool:
    norm = _norm(header)
    words = set(norm.split()) | {norm.replace(" ", "")}  # "D.O.B." is "d o b" once its dots are gone
    return norm in _NAME_HEADERS or bool(_NAME_WORDS & words) or "date of birth" in norm


def _fields(headers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for j, header in enumerate(headers):
        key = _FIELD_OF.get(_norm(header))
        if key and key not in found:
            found[key] = j
    return found


def _score(columns: dict[str, int]) -> int:
    found = {_FIELD_OF.get(_norm(h)) for h in columns} - {None}
    return len(found) if "plan_ref" in found else 0


def _read(path: Path) -> Generator[Progress, None, B.Table]:
    with B.ValueBook(path) as wb:
        for title in wb.sheetnames:
            if not wb.is_table(title):
                continue
            table = yield from B.read_table(wb, title, _score, path.name, search=HEADER_SEARCH)
            if table is not None:
                return table
    variants = ", ".join(f"'{v}'" for v in ("Plan ref", "EHCP ref", "Reference"))
    raise refuse(path.name, [Problem(f"no sheet has a plan reference column in its first {HEADER_SEARCH} rows "
                                     f"(a header such as {variants})")])


def read_caseload(path: Path) -> Generator[Progress, None, tuple[list[dict], list[Problem], list[Problem]]]:
    """(rows, problems, warnings): one dict per plan (first row of each reference), problems that
    refuse the file, warnings to report."""
    path = Path(path)
    table = yield from _read(path)
    sheet = table.sheet
    columns = _fields(table.headers)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for j, header in enumerate(table.headers):
        if header and j not in columns.values():
            if looks_like_a_name(header):
                warnings.append(Problem(f"the column '{header}' looks like children's names or dates of birth and "
                                        f"was not imported: the caseload holds plan references only", sheet,
                                        table.header_row, header))
            else:
                warnings.append(Problem(f"the column '{header}' is not used", sheet, table.header_row, header))
    used = list(columns.items())
    rows: list[dict] = []
    first_row: dict[str, int] = {}
    for number, values in table.rows:
        row = {}
        for key, j in used:
            value = values[j] if j < len(values) else None
            if key == "issue_date":
                try:
                    row[key] = L.date(value)
                except L.CellError as exc:
                    problems.append(Problem(str(exc), sheet, number, table.headers[j]))
                    row[key] = None
            else:
                row[key] = L.text(value)
        ref = row.get("plan_ref", "")
        if not ref:
            problems.append(Problem("this row has no plan reference; give each plan its reference (or delete the "
                                    "row)", sheet, number, table.headers[columns["plan_ref"]]))
            continue
        if len(ref) > MAX_REF:
            problems.append(Problem(f"'{ref[:40]}...' is too long for a plan reference (at most {MAX_REF} "
                                    f"characters)", sheet, number, table.headers[columns["plan_ref"]]))
            continue
        if ref in first_row:
            warnings.append(Problem(f"plan {ref} is listed twice (rows {first_row[ref]} and {number}); the first "
                                    f"row is used", sheet, number, table.headers[columns["plan_ref"]]))
            continue
        first_row[ref] = number
        rows.append({k: row.get(k, "" if k != "issue_date" else None) for k in FIELDS})
    if not rows and not problems:
        problems.append(Problem("no plan references found below the header", sheet, table.header_row))
    return rows, problems, warnings


def import_caseload(db, path: Path, dry_run: bool = False, source: str = "", strategy: str | None = None,
                    delete_missing: bool = False,
                    decisions: dict | None = None) -> Generator[Progress, None, B.ExchangeReport]:
    """Bring the caseload up to the list in `path` (.xlsx); see the module notes."""
    from sqlalchemy import select

    from send_desktop.services.caseload import apply_caseload
    from send_desktop.storage.models import CaseloadPlan
    from send_desktop.xlsx import merge as M
    from send_desktop.xlsx.merge_decisions import no_decisions

    if strategy is not None:
        M.check_strategy(strategy)
    no_decisions(decisions, "a caseload list has no export to conflict with")

    path = Path(path)
    W.check_writable(db, dry_run)
    yield Progress(0, 0, f"Reading {path.name}")
    rows, problems, warnings = yield from read_caseload(path)
    if problems:
        raise refuse(path.name, problems)
    report = B.ExchangeReport(kind="caseload", noun="plan", file=path.name, dry_run=dry_run, warnings=list(warnings))

    def work(s):
        W.backup_before_import(db, dry_run)
        yield Progress(0, len(rows), "Updating the caseload")
        listed = {r["plan_ref"] for r in rows}
        gone = [M.Missing(CaseloadPlan, pid, ref, "") for pid, ref in
                s.execute(select(CaseloadPlan.id, CaseloadPlan.plan_ref).order_by(CaseloadPlan.plan_ref))
                if ref not in listed]
        report.warnings += M.missing_warnings(gone, delete_missing)
        report.created, report.updated, report.unchanged, report.removed = apply_caseload(
            s, rows, replace=delete_missing, flush=W.may_write(db, dry_run))
        report.deleted = report.removed

    yield from W.in_one_transaction(db, W.import_source(source, path), dry_run, work, batch=W.new_batch(path, report),
                                    report=report)
    yield Progress(1, 1, "Done")
    return report

