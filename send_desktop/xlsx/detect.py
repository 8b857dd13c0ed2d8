"""What kind of workbook a file is, so `import` needs no `--kind` when it can tell.

In order, the first that answers:

1. a FRAMEWORK.json is a framework;
2. the application's own exports say so: the About sheet's "Layout" item names the layout each
   exporter writes ("send-desktop plan workbook", "send-desktop risk register workbook", ...);
3. the application's sheet names (Plan with Key; Register; Definitions; Audits with Base; Sections
   with Criteria; an Actions sheet beside Updates without a Plan sheet);
4. a foreign workbook, by the words of its header row (looked for in the first rows of each visible
   sheet): "Likelihood" and "Impact" are a risk register; "Target" with "Comparator" or a measure
   a KPI table; a plan reference with an audit date, an auditor or three criterion or section
   columns ("A1", "Section B Q2") an officer's audit tracker; a plan reference with a primary need
   a caseload list; an action with a meeting date (or "action log" in its title) an action log;
   an action with a timescale, a RAG or a status an action plan.

`detect_kind` returns the kind, or None when it cannot tell; a file that is not a workbook is
refused with `BadInputError` as every import refuses it.
"""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

#: About sheet "Layout" values -> kind (None: written by the application, not an import).
LAYOUTS = {
    "send-desktop plan workbook": "plan",
    "send-desktop risk register workbook": "risks",
    "send-desktop kpi workbook": "kpis",
    "send-desktop action log": "actions",
    "send-desktop audits workbook": "audits",
    "send-desktop audit framework": "framework",
}
HEADER_ROWS = 30
MAX_COLUMNS = 64


#: A header rating a criterion or section of an audit framework: "a1", "a 1 views", "section b q2", "section c"
#: (one letter: cells below the header are in the set too, and "KS3" or "Y6" must not count).
_CRITERION = re.compile(r"^(?:(?:q|criterion) )?(?:section [a-z]\b|(?![y])[a-z] ?\d{1,2}[a-z]?\b)")


def _key(text) -> str:
    return " ".join(re.sub(r"[^0-9a-z%]+", " ", str(text).casefold()).split())


def _words(headers: set[str]) -> str:
    return " | ".join(sorted(headers))


def kind_from_headers(headers: set[str]) -> str | None:
    """A foreign workbook's kind from the cells of its header rows (keys as `_key` makes them)."""
    def has(*words: str) -> bool:
        return any(any(re.search(rf"\b{w}\b", h) for w in words) for h in headers)

    if has("likelihood") and has("impact"):
        return "risks"
    if has("target", "targets") and (has("comparator", "comparators", "statistical neighbours", "national")
                                     or has("measure", "kpi", "indicator")):
        return "kpis"
    plan_ref = has("plan ref", "plan reference", "ehcp ref", "ehcp reference", "ehc plan", "ehcp no", "ehcp number")
    if plan_ref and (has("audit date", "date of audit", "date audited", "auditor", "audited by")
                     or sum(1 for h in headers if _CRITERION.match(h)) >= 3):
        return "audits"
    if plan_ref and has("primary need", "need", "team", "locality", "key stage"):
        return "caseload"
    if headers & {"action", "actions", "action agreed", "agreed action", "action required"} and (
            headers & {"meeting date", "date of meeting", "date raised", "raised", "meeting", "date agreed"}
            or any(h.startswith("action log") or h.endswith("action log") for h in headers)):
        return "actions"
    if has("action", "actions", "action no") and has("timescale", "rag", "status", "due", "deadline"):
        return "plan"
    return None


def detect_kind(path: Path) -> str | None:
    """The kind of the workbook at `path` (see the module docstring), None when it cannot tell."""
    from send_desktop.xlsx.book_reader import open_workbook

    path = Path(path)
    if path.suffix.lower() == ".json":
        return "framework"
    wb = open_workbook(path)
    try:
        names = {_key(n): n for n in wb.sheetnames}
        about = names.get("about")
        if about is not None:
            for row in islice(wb[about].iter_rows(values_only=True, max_col=2), 50):
                if row and len(row) > 1 and _key(row[0] or "") == "layout":
                    kind = LAYOUTS.get(str(row[1] or "").strip().casefold())
                    if kind:
                        return kind
        has = names.__contains__
        if has("plan") and has("key"):
            return "plan"
        if has("register"):
            return "risks"
        if has("definitions"):
            return "kpis"
        if has("audits") and has("base"):
            return "audits"
        if has("sections") and has("criteria"):
            return "framework"
        if has("actions") and has("updates") and not has("plan"):
            return "actions"
        for name in wb.sheetnames:
            ws = wb[name]
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            headers: set[str] = set()
            for row in islice(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS), HEADER_ROWS):
                headers.update(_key(v) for v in row if isinstance(v, str) and v.strip() and len(v) < 80)
            kind = kind_from_headers(headers)
            if kind:
                return kind
        return None
    finally:
        wb.close()
