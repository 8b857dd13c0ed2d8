"""What File > Export… offers for each kind, in plain Python: the choices, the file name, what the
workbook will hold, and the steps that write it.

The rules:

- the kinds are `exchange.EXPORTERS`'s, in the order people look for them (`KINDS`);
- options exist where the exporter takes them: audits by a date range and by status (draft,
  submitted, moderated; worked out here into the audits' ids), the audit report by its period
  (from and to, the report page's "last 12 months" to start with); the other kinds are written
  whole, and `contents` says what that is: the sheets and how many rows the main ones get;
- the file name offered is the open file's name, the kind and today's date (the audit report's
  period instead), in the folder last exported to;
- a file that exists is never replaced without asking (the dialog asks); `imported_as` says when
  that file is a workbook imported into this file, so the question can say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from send_desktop.core.progress import Steps

#: (kind, what people call it, the word in a file name)
KINDS = (
    ("plan", "Action plan", "plan"), ("risks", "Risk register", "risk register"), ("kpis", "KPIs", "KPIs"),
    ("actions", "Meeting actions (action log)", "action log"), ("audits", "Audits", "audits"),
    ("framework", "Audit framework", "audit framework"), ("audit-report", "Audit report", "audit report"),
)
AUDIT_STATUSES = ("draft", "submitted", "moderated")


@dataclass
class Options:
    """The choices for a kind: a date range (audits, audit report) and the audits' statuses."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    statuses: tuple[str, ...] = AUDIT_STATUSES
    today: dt.date = field(default_factory=dt.date.today)


def label(kind: str) -> str:
    return next((text for k, text, _ in KINDS if k == kind), kind)


def default_name(db_path: Path, kind: str, options: Options) -> str:
    """ "harbourside risk register 2026-11-01.xlsx"; the audit report is named by its period."""
    word = next((w for k, _, w in KINDS if k == kind), kind)
    stem = Path(db_path).stem
    if kind == "audit-report" and options.date_from and options.date_to:
        return f"{stem} {word} {options.date_from:%Y-%m-%d} to {options.date_to:%Y-%m-%d}.xlsx"
    return f"{stem} {word} {options.today:%Y-%m-%d}.xlsx"


def audit_ids(db, options: Options) -> list[int]:
    """The audits the options choose: dated within the range (either end open) with one of the statuses."""
    clauses, params = [f"status IN ({','.join('?' * len(options.statuses)) or 'NULL'})"], list(options.statuses)
    if options.date_from:
        clauses.append("audit_date >= ?")
        params.append(options.date_from.isoformat())
    if options.date_to:
        clauses.append("audit_date <= ?")
        params.append(options.date_to.isoformat())
    with db.reading() as con:
        return [r[0] for r in con.execute(f"SELECT id FROM audit WHERE {' AND '.join(clauses)} ORDER BY id", params)]


def _counts(db, tables: tuple[str, ...]) -> dict[str, int]:
    with db.reading() as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608 - ours


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (plural or word + 's')}"


def contents(db, kind: str, options: Options) -> tuple[list[str], str]:
    """(the sheets the workbook will have, one sentence on what it holds)."""
    if kind == "plan":
        c = _counts(db, ("action", "status_update", "priority", "outcome", "workstream", "person"))
        return (["Plan", "Updates", "Priorities", "Outcomes", "Workstreams", "People", "Key", "About"],
                f"{_n(c['action'], 'action')} on Plan, {_n(c['status_update'], 'status update')} on Updates, "
                f"{_n(c['priority'], 'priority', 'priorities')}, {_n(c['outcome'], 'outcome')}, "
                f"{_n(c['workstream'], 'workstream')} and {_n(c['person'], 'person', 'people')}.")
    if kind == "risks":
        c = _counts(db, ("risk", "risk_mitigation", "risk_assessment", "risk_category"))
        return (["Register", "Mitigations", "History", "Categories", "Key", "About"],
                f"{_n(c['risk'], 'risk')} on Register, {_n(c['risk_mitigation'], 'further mitigation')}, "
                f"{_n(c['risk_assessment'], 'assessment')} on History and "
                f"{_n(c['risk_category'], 'category', 'categories')}.")
    if kind == "kpis":
        c = _counts(db, ("kpi", "kpi_value", "kpi_target", "kpi_comparator"))
        return (["Summary", "Definitions", "Values", "Targets", "Comparators", "About"],
                f"{_n(c['kpi'], 'KPI')}, with {_n(c['kpi_value'], 'value')}, {_n(c['kpi_target'], 'target')} "
                f"and {_n(c['kpi_comparator'], 'comparator')}.")
    if kind == "actions":
        c = _counts(db, ("meeting_action", "meeting_action_update"))
        return (["Actions", "Updates", "About"],
                f"{_n(c['meeting_action'], 'meeting action')} and {_n(c['meeting_action_update'], 'update')}.")
    if kind == "audits":
        n = len(audit_ids(db, options))
        return (["Audits", "Comments", "About"],
                f"{_n(n, 'audit')} ({', '.join(options.statuses) or 'no status chosen'}"
                f"{_period(options)}), one row each on Audits, with their comments.")
    if kind == "framework":
        with db.reading() as con:
            row = con.execute("SELECT name, version FROM audit_framework WHERE current=1 ORDER BY id DESC "
                              "LIMIT 1").fetchone()
        what = f"the current version, {row[0]} {row[1]}" if row else "the default framework"
        return (["Sections", "Criteria", "Bands", "Rules", "About"], f"The audit framework: {what}.")
    if kind == "audit-report":
        o = Options(options.date_from, options.date_to, ("submitted", "moderated"), options.today)
        n = len(audit_ids(db, o))
        return (["Summary", "Grades", "Sections", "Cuts", "Monthly", "Moderation", "Criteria", "Actions", "About"],
                f"The report's figures for {_n(n, 'submitted or moderated audit')}{_period(options)}.")
    return [], ""


def _period(options: Options) -> str:
    if options.date_from and options.date_to:
        return f", {options.date_from:%d/%m/%Y} to {options.date_to:%d/%m/%Y}"
    if options.date_from:
        return f", from {options.date_from:%d/%m/%Y}"
    if options.date_to:
        return f", up to {options.date_to:%d/%m/%Y}"
    return ", all dates"


def check_options(kind: str, options: Options) -> str:
    """Why the options cannot be used (one line), or ""."""
    if options.date_from and options.date_to and options.date_from > options.date_to:
        return "The first date is after the last; choose a period that runs forwards."
    if kind == "audits" and not options.statuses:
        return "Choose at least one status of audit to export."
    return ""


def imported_as(db, path: Path) -> str:
    """When `path` has the name of a workbook imported into this file: when that was, else ""."""
    with db.reading() as con:
        row = con.execute("SELECT at FROM import_batch WHERE file=? ORDER BY id DESC LIMIT 1",
                          (Path(path).name,)).fetchone()
    return str(row[0])[:16] if row else ""


def export_steps(db, kind: str, path: Path, options: Options) -> Steps:
    """The exporter of `kind` writing `path`, with the options it takes."""
    from send_desktop.exchange import exporter

    if kind == "audits":
        return exporter(kind)(db, path, audit_ids=audit_ids(db, options))
    if kind == "audit-report":
        return exporter(kind)(db, path, options.date_from, options.date_to, as_of=options.today)
    return exporter(kind)(db, path)
