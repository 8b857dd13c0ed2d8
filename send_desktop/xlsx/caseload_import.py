"""Importing the caseload list, the open plans each month's audit sample is drawn from.

Caseload lists come out of case-management systems and council spreadsheets, so the reader
(`caseload_read`, built on the shared tolerant pieces) is forgiving about shape: the header may
sit below title rows (it is looked for in the first 30 rows of each visible sheet, and the first
sheet with a plan reference column is used), headers come in many spellings ("EHCP ref",
"Locality", "KS", "Setting", "Date issued" ...; `tolerant.headers.VOCABULARY["caseload"]`), a
`mapping` ({"column header": field}) names the columns the vocabulary does not know and is
remembered for the layout, dates and numbers are read as officers type them, and team or
setting names written several ways are taken as one. Columns it does not know are reported and
left out. It is strict about content: a row with data but no plan reference, or an impossible
date, refuses the file (sheet, row and column named, nothing changed); a plan listed twice is
kept once, from its first row, with a warning.

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

import datetime as dt
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import Problem
from send_desktop.services.caseload import FIELDS
from send_desktop.xlsx import audit_exchange_book as B
from send_desktop.xlsx import workbook_io as W
from send_desktop.xlsx.book_reader import refuse
from send_desktop.xlsx.caseload_read import (CASELOAD_FIELDS, HEADER_SEARCH, KIND, MAX_REF, is_foreign,
                                             looks_like_a_name, preview_caseload, read_caseload_list)
from send_desktop.xlsx.tolerant.headers import VOCABULARY

__all__ = ["CASELOAD_FIELDS", "HEADERS", "HEADER_SEARCH", "MAX_REF", "import_caseload", "is_foreign",
           "looks_like_a_name", "preview_caseload", "read_caseload"]

HEADERS = VOCABULARY[KIND]


def read_caseload(path: Path, mapping=None, db=None, today: dt.date | None = None
                  ) -> Generator[Progress, None, tuple[list[dict], list[Problem], list[Problem]]]:
    """(rows, problems, warnings): one dict per plan (first row of each reference), problems that
    refuse the file, warnings to report."""
    got = yield from read_caseload_list(path, mapping, db, today)
    return [{k: r[k] for k in FIELDS} for r in got.rows], got.problems, got.warnings


def import_caseload(db, path: Path, dry_run: bool = False, source: str = "", strategy: str | None = None,
                    delete_missing: bool = False, decisions: dict | None = None, mapping: dict | None = None,
                    today: dt.date | None = None) -> Generator[Progress, None, B.ExchangeReport]:
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
    got = yield from read_caseload_list(path, mapping, db, today)
    if got.problems:
        raise refuse(path.name, got.problems)
    rows = got.rows
    report = B.ExchangeReport(kind="caseload", noun="plan", file=path.name, dry_run=dry_run,
                              warnings=list(got.warnings))

    def work(s):
        from send_desktop.xlsx.tolerant.mappings import remember_mapping

        W.backup_before_import(db, dry_run)
        if W.may_write(db, dry_run):  # offered the next time this layout arrives
            remember_mapping(s, KIND, got.header.signature, got.header.mapping)
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

