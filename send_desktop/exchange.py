"""Which workbook kinds can be exported and imported, and the function that does each.

The command line (`export --kind`, `import --kind`) and the window's File menu use this one
table, so a kind is added in one place. Functions are named as "module:function" and imported
when used: the table costs nothing at start-up.

Contracts:
- an exporter is `export(db, path) -> Steps[None]`: a generator yielding `Progress`, which writes
  the workbook atomically (a temporary file renamed into place);
- `dump(db)` returns the records of a kind as JSON-ready lists and dicts;
- an importer is `import_(db, path, dry_run=False, source="", strategy=None, delete_missing=False,
  decisions=None) -> Steps[report]`, where the report has `as_dict()` (exactly `{"kind", "created",
  "updated", "unchanged", "conflicts", "errors", "warnings"}`, conflicts a count; an officer's own
  plan workbook adds "matches" and "scale", see `plan_import.ImportReport`), `summary()` (one
  paragraph for people) and `conflict_details` (`merge_decisions.Conflict`s; the command line's
  JSON adds them as "conflict_details" when there are any). Bad input raises `BadInputError` with its problems and
  changes nothing; a real import backs the database up first, is one transaction and one batch in
  the change log (`services.import_undo` undoes it). Fields changed both in the workbook and in the
  database since the export (`xlsx.merge`) are decided one by one by `decisions` ({(entity, uid,
  field): "mine" | "theirs" | ("edit", value)}, plan, risks, KPIs and action log; the other kinds
  refuse them), the rest by `strategy` ("theirs", "mine", "fail"; None: the kind's default, "fail"
  but for audits, which keep the database's copy and list it); records whose rows were deleted from
  the workbook are warnings, and deleted only with `delete_missing`.
- `xlsx.detect.detect_kind(path)` tells the kind of a workbook when `--kind` is left out.
"""

from __future__ import annotations

from importlib import import_module

EXPORTERS: dict[str, str] = {
    "plan": "send_desktop.xlsx.plan_export:export_plan",
    "audits": "send_desktop.xlsx.audit_exchange:export_audits",
    "framework": "send_desktop.xlsx.framework_xlsx:export_framework",
    "audit-report": "send_desktop.reports.audit_report_xlsx:export_audit_report",
    "risks": "send_desktop.xlsx.risk_xlsx:export_risks",
    "kpis": "send_desktop.xlsx.kpi_xlsx:export_kpis",
    "actions": "send_desktop.xlsx.action_log_xlsx:export_actions",
}

IMPORTERS: dict[str, str] = {
    "plan": "send_desktop.xlsx.plan_import:import_plan",
    "audits": "send_desktop.xlsx.audit_exchange:import_audits",
    "framework": "send_desktop.xlsx.framework_xlsx:import_framework",
    "caseload": "send_desktop.xlsx.caseload_import:import_caseload",
    "risks": "send_desktop.xlsx.risk_xlsx:import_risks",
    "kpis": "send_desktop.xlsx.kpi_xlsx:import_kpis",
    "actions": "send_desktop.xlsx.action_log_xlsx:import_actions",
}

#: `dump --kind`: `dump(db) -> JSON-ready data`, the records for other tools.
DUMPERS: dict[str, str] = {
    "plan": "send_desktop.services.plan_dump:dump_plan",
    "risks": "send_desktop.services.risk_dump:dump_risks",
    "kpis": "send_desktop.services.kpi_dump:dump_kpis",
    "meetings": "send_desktop.services.meeting_dump:dump_meetings",
    "actions": "send_desktop.services.meeting_dump:dump_actions",
}


def _load(spec: str):
    module, name = spec.split(":")
    return getattr(import_module(module), name)


def exporter(kind: str):
    return _load(EXPORTERS[kind])


def importer(kind: str):
    return _load(IMPORTERS[kind])


def dumper(kind: str):
    return _load(DUMPERS[kind])
