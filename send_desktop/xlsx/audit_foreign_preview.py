"""What the import assistant's Columns page needs for audits from elsewhere.

`is_foreign(path)` tells an officer's tracker from the application's own audits workbook;
`preview_audits` gives, per sheet, the header found, the field or criterion of each column and
the first rows, as `plan_foreign_read.preview_plan` does for plans (the same `Preview` and
`SheetPreview`); `AUDIT_FIELDS` and `field_labels(db)` are the choices a column may be given.
A column that looks like children's names is shown as not imported, and its cells are never
shown: the preview leaves them blank.
"""

from __future__ import annotations

from pathlib import Path

from send_desktop.errors import BadInputError
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.audit_exchange_layout import AUDITS, LAYOUT_NAME
from send_desktop.xlsx.audit_foreign_columns import KIND, CriteriaIndex, find_header, given_mapping
from send_desktop.xlsx.audit_foreign_read import current_framework
from send_desktop.xlsx.caseload_read import name_columns
from send_desktop.xlsx.plan_foreign_read import Preview
from send_desktop.xlsx.tolerant.grid import GridBook

#: The detail fields a column may hold, with the words the assistant shows for them.
AUDIT_FIELDS = {
    "plan_ref": "Plan reference", "audit_date": "Audit date", "auditor": "Auditor", "team": "Team or locality",
    "plan_type": "Plan type", "plan_issue_date": "Plan issue date", "key_stage": "Key stage",
    "primary_need": "Primary need", "setting_type": "Setting type", "agency": "Agency", "status": "Audit status",
    "no_needs": "Sections with no needs identified", "critical_concern": "Critical concern", "notes": "Notes",
    "overall_grade": "Overall grade (compared, never taken)",
}


def field_labels(db=None) -> dict[str, str]:
    """Every field a column may hold: the details, then each criterion and each section of the
    framework audits are scored under ("criterion:A1", "section:B": every criterion of B)."""
    _, fw = current_framework(db)
    out = dict(AUDIT_FIELDS)
    for s in fw.sections:
        for c in s.criteria:
            text = c.text if len(c.text) <= 60 else c.text[:57].rstrip() + "..."
            out[f"criterion:{c.id}"] = f"{c.id}: {text}"
    for s in fw.sections:
        out[f"section:{s.code}"] = f"Section {s.code} as a whole: {s.title}"
    return out


def is_foreign(path: Path) -> bool:
    """Whether `path` is not an audits workbook the application wrote (its About sheet names the
    layout, or an Audits sheet has a "Framework version" column)."""
    try:
        book = GridBook(Path(path))
    except BadInputError:
        return False  # let the application's own reader refuse it with its message
    try:
        names = {L.header_key(n): n for n in book.sheet_names}
        about = names.get("about")
        if about is not None:
            for values in book.grid(about).head(50):
                if len(values) > 1 and L.header_key(values[0]) == "layout" and \
                        L.header_key(values[1]) == L.header_key(LAYOUT_NAME):
                    return False
        audits = names.get(L.header_key(AUDITS))
        if audits is not None:
            head = book.grid(audits).head(10)
            if any(L.header_key(v) == "framework version" for values in head for v in values if isinstance(v, str)):
                return False
        return True
    except Exception:  # noqa: BLE001 - a sheet calamine cannot read: the reader says why
        return False
    finally:
        book.close()


def preview_audits(path: Path, db=None, mapping=None, rows: int = 10) -> Preview:
    """Per sheet: the header row found, the field of each column (a remembered mapping for this
    layout when `db` has one) and the first `rows` rows, name columns blanked."""
    from send_desktop.xlsx.tolerant.mappings import saved_mappings
    from send_desktop.xlsx.tolerant.table import preview_book

    _, fw = current_framework(db)
    index = CriteriaIndex(fw)
    mapping = given_mapping(mapping, index)
    saved = saved_mappings(db, KIND) if mapping is None else {}

    def find(grid):
        found = find_header(grid, grid.head(200), index, mapping, saved)
        return None if found is None else found[0]

    return preview_book(path, find, rows, blank=name_columns)
