"""Which workbook kinds can be exported and imported, and the function that does each.

The command line (`export --kind`, `import --kind`) and the window's File menu use this one
table, so a kind is added in one place. Functions are named as "module:function" and imported
when used: the table costs nothing at start-up.

Contracts:
- an exporter is `export(db, path) -> Steps[None]`: a generator yielding `Progress`, which writes
  the workbook atomically (a temporary file renamed into place);
- an importer is `import_(db, path, dry_run=False, source="") -> Steps[report]`, where the report
  has `as_dict()` (`{"kind", "created", "updated", "unchanged", "errors", "warnings"}`) and
  `summary()` (one paragraph for people). Bad input raises `BadInputError` with its problems and
  changes nothing; a real import backs the database up first.
"""

from __future__ import annotations

from importlib import import_module

EXPORTERS: dict[str, str] = {
    "plan": "send_desktop.xlsx.plan_export:export_plan",
    "audits": "send_desktop.xlsx.audit_exchange:export_audits",
    "framework": "send_desktop.xlsx.framework_xlsx:export_framework",
    "audit-report": "send_desktop.reports.audit_report_xlsx:export_audit_report",
}

IMPORTERS: dict[str, str] = {
    "plan": "send_desktop.xlsx.plan_import:import_plan",
    "audits": "send_desktop.xlsx.audit_exchange:import_audits",
    "framework": "send_desktop.xlsx.framework_xlsx:import_framework",
    "caseload": "send_desktop.xlsx.caseload_import:import_caseload",
}


def _load(spec: str):
    module, name = spec.split(":")
    return getattr(import_module(module), name)


def exporter(kind: str):
    return _load(EXPORTERS[kind])


def importer(kind: str):
    return _load(IMPORTERS[kind])
