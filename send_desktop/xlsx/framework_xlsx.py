"""An audit framework as a workbook a council can key its own criteria into, and back; also JSON.

Sheets: Sections, Criteria, Bands, Rules and About (the framework's name, version, default
maximum and coverage guard are About items). The import builds the FRAMEWORK.json definition
from them and saves it with `save_framework`, so editing a version that audits use makes a new
version and every audit keeps the rules it was scored under.

The workbook is read, and checked row by row, by `framework_xlsx_read`. Anything wrong:
`BadInputError` with every problem, and nothing is saved.

Conventions: a blank Max takes the default maximum, a blank Weight 1, a blank role "none"; a
rule switched off (On = No) is left out of the definition; a workbook without a Rules sheet
takes the default rules. Text cells are trimmed, as everywhere officers type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Generator

from send_desktop.audits.default_framework import default_framework, framework_json_text
from send_desktop.audits.framework import (NO_NEEDS_ROLES, Framework, default_rules, framework_from_json,
                                           framework_to_json)
from send_desktop.core.progress import Progress
from send_desktop.xlsx import audit_exchange_book as B
from send_desktop.xlsx import layout as L
from send_desktop.xlsx import sheets as S
from send_desktop.xlsx import workbook_io as W

LAYOUT_NAME = "send-desktop audit framework"
C = L.Column
SECTIONS = L.SheetLayout("Sections", (
    C("code", "Code", 12), C("title", "Title", 44, L.LONG), C("weight", "Weight", 9),
    C("na_allowed", "N/A allowed", 11), C("paired_with", "Paired with", 12)))
CRITERIA = L.SheetLayout("Criteria", (
    C("section", "Section", 12), C("id", "Id", 13), C("text", "Criterion", 50, L.LONG),
    C("guidance", "What good looks like", 50, L.LONG), C("max", "Max", 6), C("weight", "Weight", 8),
    C("statutory", "Statutory", 10), C("critical", "Critical", 9), C("no_needs_role", "No-needs role", 17),
    C("action_template", "Improvement action template", 45, L.LONG), C("owner_type", "Owner type", 18)))
BANDS = L.SheetLayout("Bands", (C("grade", "Grade", 26), C("min", "Minimum score", 15)))
RULES = L.SheetLayout("Rules", (
    C("rule", "Rule", 22), C("on", "On", 7), C("sections", "Sections", 20), C("section_grade", "Section grade", 22),
    C("grade", "Cap or grade", 22), C("count", "Count", 8), C("about", "What it does", 70, L.LONG, required=False)))
ABOUT_ITEMS = (("name", "Framework name"), ("version", "Version"), ("max_default", "Default maximum"),
               ("min_applicable_weight_pct", "Minimum applicable weight %"))
RULE_TEXT = {
    "statutory": "Any statutory criterion rated 0: the grade is at most 'Cap or grade'.",
    "two_inadequate": "'Count' or more applicable sections graded as the lowest band: the grade becomes "
                      "'Cap or grade'.",
    "outstanding_requires": "The top grade needs every applicable section at least 'Section grade' (blank: no such "
                            "need) and each section listed in 'Sections' (as F: Outstanding; B: Good) at that grade; "
                            "otherwise the grade is at most the second band.",
    "critical": "A critical concern flagged on the audit (or a critical criterion rated 0): the grade becomes "
                "'Cap or grade'.",
}
SECTION_CAP_TEXT = "Any section in 'Sections' graded 'Section grade' or lower: the grade is at most 'Cap or grade'."
NOTES = (
    "Key in your own sections, criteria, bands and rules, then import this workbook (File > Import framework, or "
    "send-desktop import DB FILE --kind framework). Every problem is listed with its sheet, row and column.",
    "Changing a framework that audits already use saves it as a new version: every audit keeps the rules it was "
    "scored under.",
    "Paired with: written on a needs section, naming its provision section (C with G, D with H).",
    "No-needs role: statement (still scored when no needs are identified), needs_dependent (N/A then) or none.",
    "Rules: On = No switches a rule off. Other rows than statutory, two_inadequate, outstanding_requires and critical "
    "are section caps; add or remove them freely.",
)


# -- export ---------------------------------------------------------------------------------------


def _framework(db, framework_id: int | None) -> Framework:
    from send_desktop.services.audit_frameworks import current_framework_id, load_framework

    framework_id = framework_id or current_framework_id(db)
    return load_framework(db, framework_id) if framework_id else default_framework()


def _yes(flag) -> str:
    return "Yes" if flag else "No"


def _rule_rows(fw: Framework) -> list[list]:
    """Every rule with its settings; one that is off shows its default settings, to switch on."""
    on, d = fw.rules, default_rules({s.code for s in fw.sections})
    two, out = on.two_inadequate or d.two_inadequate, on.outstanding_requires or d.outstanding_requires
    return [
        ["statutory", _yes(on.statutory), None, None, (on.statutory or d.statutory).cap, None, RULE_TEXT["statutory"]],
        *([c.name, _yes(on.section_caps), ", ".join(c.sections), c.if_grade, c.cap, None, SECTION_CAP_TEXT]
          for c in on.section_caps or d.section_caps),
        ["two_inadequate", _yes(on.two_inadequate), None, None, two.grade, two.count, RULE_TEXT["two_inadequate"]],
        ["outstanding_requires", _yes(on.outstanding_requires), "; ".join(f"{c}: {g}" for c, g in out.sections),
         out.all_sections_at_least, None, None, RULE_TEXT["outstanding_requires"]],
        ["critical", _yes(on.critical), None, None, (on.critical or d.critical).grade, None, RULE_TEXT["critical"]],
    ]


def export_framework(db, path: Path, framework_id: int | None = None) -> Generator[Progress, None, Path]:
    """Write a stored framework version (default: the current one) as a workbook to key into."""
    path = W.check_target(path)
    fw = _framework(db, framework_id)
    yield Progress(0, 5, "Preparing the workbook")
    sheets = {
        SECTIONS.name: [[s.code, s.title, s.weight, _yes(s.na_allowed), s.paired_with] for s in fw.sections],
        CRITERIA.name: [[s.code, c.id, c.text, c.guidance, c.max, c.weight, _yes(c.statutory), _yes(c.critical),
                         c.no_needs_role, c.action_template, c.owner_type] for s in fw.sections for c in s.criteria],
        BANDS.name: [[b.grade, b.min] for b in fw.bands],
        RULES.name: _rule_rows(fw),
        L.ABOUT.name: S.about_rows(db, [["Layout", LAYOUT_NAME], *([label, getattr(fw, key)]
                                                                    for key, label in ABOUT_ITEMS)], NOTES),
    }
    wb = S.new_workbook()
    for n, layout in enumerate((SECTIONS, CRITERIA, BANDS, RULES, L.ABOUT)):
        ws = yield from S.add_sheet(wb, layout, sheets[layout.name])
        rows = len(sheets[layout.name])
        for key in {"Sections": ("na_allowed",), "Criteria": ("statutory", "critical"), "Rules": ("on",)}.get(
                layout.name, ()):
            S.list_rule(ws, layout, key, B.YES_NO, rows, "Yes or No")
        if layout is CRITERIA:
            S.list_rule(ws, layout, "no_needs_role", NO_NEEDS_ROLES, rows, "No-needs role")
        yield Progress(n + 1, 5, f"Writing sheet '{layout.name}'")
    return W.save_workbook(wb, path)


def export_framework_json(db, path: Path, framework_id: int | None = None) -> Generator[Progress, None, Path]:
    """Write a stored framework version (default: the current one) as FRAMEWORK.json."""
    fw = _framework(db, framework_id)
    yield Progress(0, 1, "Writing the framework")
    return W.save_atomically(path, lambda tmp: tmp.write_text(framework_json_text(fw), encoding="utf-8"))


# -- import ---------------------------------------------------------------------------------------

def import_framework(db, path: Path, dry_run: bool = False, source: str = "", strategy: str | None = None,
                     delete_missing: bool = False,
                     decisions: dict | None = None) -> Generator[Progress, None, B.ExchangeReport]:
    """Import a framework workbook (or a FRAMEWORK.json) as a stored version; see the module notes.
    `strategy`, `decisions` and `delete_missing` are accepted like every importer's: a framework version is
    saved whole (a used one as a new version), so it has no conflicts and no rows to delete."""
    from send_desktop.services.audit_frameworks import save_framework
    from send_desktop.xlsx.framework_xlsx_read import read_framework_json, read_framework_workbook
    from send_desktop.xlsx.merge_decisions import no_decisions

    no_decisions(decisions, "a framework version is saved whole")
    path = Path(path)
    W.check_writable(db, dry_run)
    yield Progress(0, 0, f"Reading {path.name}")
    if path.suffix.lower() == ".json":
        definition = read_framework_json(path)
    else:
        definition = yield from read_framework_workbook(path)
    canonical = framework_to_json(framework_from_json(definition))
    name, version = canonical["name"], str(canonical["version"])
    report = B.ExchangeReport(kind="framework", noun="framework", file=path.name, dry_run=dry_run)
    with db.reading() as con:
        row = con.execute("SELECT id, definition, current, (SELECT count(*) FROM audit WHERE framework_id=f.id) "
                          "FROM audit_framework f WHERE name=? AND version=?", (name, version)).fetchone()
    same, current, used = bool(row) and json.loads(row[1]) == canonical, bool(row and row[2]), bool(row and row[3])
    # An unused version changes in place; one that audits use gets a new version (save_framework).
    report.unchanged, report.updated, report.created = int(same), int(bool(row) and not same and not used), int(
        not row or (used and not same))
    if report.created and used:
        report.warnings.append(f"audits are scored under '{name}' version {version}, so the changes are saved as a "
                               f"new version; those audits keep the version they were scored under")
    if same and not current:
        report.warnings.append(f"'{name}' version {version} becomes the framework new audits are scored under")
    if not dry_run and not (same and current):
        W.backup_before_import(db)
        batch = W.new_batch(path, report)
        batch.counts = {k: v for k, v in report.as_dict().items() if isinstance(v, int)}
        db.import_batch = batch  # its session is one import in the change log (see Database.session)
        try:
            save_framework(db, definition, source=W.import_source(source, path))
        finally:
            db.import_batch = None
    yield Progress(1, 1, "Done")
    return report
