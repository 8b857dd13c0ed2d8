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
- `FOREIGN`: the kinds whose importer also reads an officer's own workbook (`mapping=` taken by
  the importer): `is_foreign(path) -> bool` (not the application's own layout), `preview(path,
  db=None, mapping=None, rows=10) -> tolerant.table.Preview` (the header found and the field of
  each column, for the import assistant's Columns page), and the kind's fields as people read them,
  in the order the page lists them.
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


FOREIGN: dict[str, tuple[str, str, dict[str, str]]] = {
    "plan": ("send_desktop.xlsx.plan_foreign:is_foreign", "send_desktop.xlsx.plan_foreign:preview_plan", {
        "ref": "Reference", "text": "Action", "workstream": "Workstream", "leads": "Lead(s)",
        "timescale": "Timescale", "due": "Due date", "status": "Status (RAG)", "success_criteria": "Success criteria",
        "narrative": "Progress update", "priority_ref": "Priority reference", "priority": "Priority",
        "outcome_ref": "Outcome reference", "outcome": "Outcome"}),
    "risks": ("send_desktop.xlsx.risk_foreign:is_foreign", "send_desktop.xlsx.risk_foreign:preview", {
        "ref": "Reference", "title": "Risk (title)", "description": "Risk description", "cause": "Cause",
        "event": "Event", "effect": "Effect", "category": "Category", "owner": "Owner", "status": "Status",
        "likelihood": "Current likelihood", "impact": "Current impact", "score": "Current score (checked)",
        "inherent_likelihood": "Inherent likelihood", "inherent_impact": "Inherent impact",
        "inherent_score": "Inherent score (checked)", "target_likelihood": "Target likelihood",
        "target_impact": "Target impact", "target_score": "Target score (checked)", "controls": "Existing controls",
        "mitigations": "Further mitigations", "assurance": "Sources of assurance", "review_date": "Next review",
        "target_date": "Target date", "review_frequency": "Review frequency", "trend": "Trend (not read)"}),
    "kpis": ("send_desktop.xlsx.kpi_foreign:is_foreign", "send_desktop.xlsx.kpi_foreign:preview", {
        "ref": "Reference", "measure": "Measure", "owner": "Responsible officer", "frequency": "Frequency",
        "unit": "Unit", "direction": "Better when", "latest": "Latest value", "period": "Period of the latest value",
        "target": "Target", "neighbours": "Statistical neighbours", "national": "National", "regional": "Regional",
        "notes": "Notes"}),
    "actions": ("send_desktop.xlsx.action_log_foreign:is_foreign", "send_desktop.xlsx.action_log_foreign:preview", {
        "ref": "Number", "meeting_date": "Meeting date", "board": "Board", "text": "Action", "owner": "Owner",
        "due": "Due date", "status": "Status", "update": "Latest update"}),
    "audits": ("send_desktop.xlsx.audit_foreign_preview:is_foreign",
               "send_desktop.xlsx.audit_foreign_preview:preview_audits",
               "send_desktop.xlsx.audit_foreign_preview:field_labels"),
    "caseload": ("send_desktop.xlsx.caseload_import:is_foreign", "send_desktop.xlsx.caseload_import:preview_caseload",
                 "send_desktop.xlsx.caseload_import:CASELOAD_FIELDS"),
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


def foreign(kind: str, db=None):
    """(is_foreign, preview, field labels) of a kind that reads officers' own workbooks, else None.
    The labels may be named as "module:name" instead of given: a dict, or a function
    `labels(db) -> {field: label}` for a kind whose fields depend on the file (audits: the framework's criteria)."""
    if kind not in FOREIGN:
        return None
    is_foreign, preview, labels = FOREIGN[kind]
    if isinstance(labels, str):
        labels = _load(labels)
        labels = labels(db) if callable(labels) else labels
    return _load(is_foreign), _load(preview), labels
