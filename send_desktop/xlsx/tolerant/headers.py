"""Finding the header row of an officer's sheet and which field each column holds.

Each kind has a vocabulary: its fields and the header texts officers give them ("Ref", "Ref.",
"Action No."). Headers are compared normalised (`norm`): case, punctuation, dashes, "&" and
spacing do not matter, and a trailing part in brackets ("Likelihood (1-5)") may be left off.
What the vocabulary does not know, the user assigns in a `ColumnMapping`; a mapping is stored
against the sheet's header signature (`signature`) and offered the next time the same layout
arrives.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field

_PUNCT = re.compile(r"[^0-9a-z]+")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def norm(value) -> str:
    """Header text compared without case, punctuation, dashes or spacing ("Ref." == "ref")."""
    text = str(value or "").casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(_PUNCT.sub(" ", text).split())


def loose(value) -> str:
    """`norm` without the parts in brackets: "Likelihood (1-5)" -> "likelihood"."""
    return norm(_BRACKETS.sub(" ", str(value or "")))


_GROUPS = {
    "current": ("current", "residual", "net", "current residual", "post mitigation", "after controls",
                "revised", "current risk", "residual risk"),
    "inherent": ("inherent", "initial", "gross", "original", "pre mitigation", "before controls",
                 "inherent risk", "initial risk", "unmitigated"),
    "target": ("target", "tolerable", "desired", "target risk", "future"),
}
_LEVEL_WORDS = {
    "likelihood": ("likelihood", "l", "probability", "p", "likelihood 1 5"),
    "impact": ("impact", "i", "severity", "consequence", "c", "impact 1 5"),
    "score": ("score", "rating", "risk score", "l x i", "lxi", "total", "risk rating", "rag"),
}


def _levels(group: str, what: str) -> tuple[str, ...]:
    """The headers of a likelihood, impact or score column of one group ("Residual Impact",
    "Likelihood (inherent)", "Inherent L"); the current group's also without a group word."""
    words = _LEVEL_WORDS[what]
    out = list(words) if group == "current" else []
    for g in _GROUPS[group]:
        out += [f"{g} {w}" for w in words] + [f"{w} {g}" for w in words]
    return tuple(out)


#: kind -> field -> header texts (compared with `norm`). The first field listing a text wins.
VOCABULARY: dict[str, dict[str, tuple[str, ...]]] = {
    "plan": {
        "ref": ("ref", "ref.", "reference", "action ref", "action reference", "action no", "action no.",
                "action number", "no", "no.", "number", "#", "id", "action id"),
        "text": ("actions \u2013 what we will do", "actions - what we will do", "what we will do", "action",
                 "actions", "action description", "description", "activity", "activities", "task",
                 "key actions", "planned action", "planned actions"),
        "workstream": ("workstream and lead officers", "workstream", "work stream", "workstreams", "theme",
                       "strand", "workstream lead", "sub group", "subgroup"),
        "leads": ("lead officer", "lead officers", "lead", "leads", "responsible officer", "responsible",
                  "owner", "action owner", "lead person", "who", "accountable officer", "responsible lead"),
        "timescale": ("timescale", "timescales", "timeline", "target date", "by when", "deadline",
                      "completion date", "target completion date", "when", "date due"),
        "due": ("due", "due date", "date"),
        "status": ("rag", "status", "rag status", "rag rating", "rating", "progress rating", "current status",
                   "rag rating status", "progress status", "brag", "brag status"),
        "success_criteria": ("success criteria / key results", "success criteria", "key results",
                             "measures of success", "success measures", "expected outcomes", "expected outcome",
                             "impact", "evidence of impact", "outcome measures", "milestones"),
        "narrative": ("progress update", "update", "latest update", "progress", "commentary", "comments",
                      "progress commentary", "progress to date", "narrative", "notes", "latest narrative"),
        "priority_ref": ("priority ref", "priority no", "priority number"),
        "priority": ("priority", "priority area", "area for priority action", "area for improvement"),
        "outcome_ref": ("outcome ref", "outcome no", "outcome number"),
        "outcome": ("outcome", "outcomes", "sub theme", "sub-theme", "objective"),
    },
    "risks": {
        "ref": ("ref", "ref.", "risk ref", "risk no", "risk no.", "risk number", "risk id", "id", "no", "no.",
                "#", "risk reference"),
        "title": ("risk", "risk title", "title", "risk name", "short title", "risk summary"),
        "description": ("risk description", "description", "description of risk", "risk detail",
                        "risk description cause event effect"),
        "cause": ("cause", "causes", "risk cause", "source of risk"),
        "event": ("event", "risk event"),
        "effect": ("effect", "effects", "consequences", "impact on", "effect impact"),
        "owner": ("risk owner", "owner", "lead", "responsible officer", "risk lead", "accountable officer"),
        "category": ("category", "risk category", "type", "risk type", "theme", "area"),
        "status": ("status", "risk status", "open closed", "open closed live"),
        "likelihood": _levels("current", "likelihood"),
        "impact": _levels("current", "impact"),
        "score": _levels("current", "score"),
        "inherent_likelihood": _levels("inherent", "likelihood"),
        "inherent_impact": _levels("inherent", "impact"),
        "inherent_score": _levels("inherent", "score"),
        "target_likelihood": _levels("target", "likelihood"),
        "target_impact": _levels("target", "impact"),
        "target_score": _levels("target", "score"),
        "controls": ("existing controls", "controls", "current controls", "controls in place",
                     "key controls", "mitigating controls", "existing controls and mitigations"),
        "mitigations": ("further mitigations", "mitigation", "mitigations", "further actions", "actions",
                        "further mitigating actions", "mitigating actions", "actions to reduce risk",
                        "planned actions", "further action required", "treatment", "risk treatment"),
        "assurance": ("sources of assurance", "assurance", "assurances"),
        "review_date": ("review date", "next review", "next review date", "date of next review",
                        "date of review", "review by"),
        "target_date": ("target date", "date to reach target", "target achieved by"),
        "review_frequency": ("review frequency", "frequency of review", "review cycle"),
        "trend": ("trend", "direction of travel", "movement"),
    },
    "kpis": {
        "ref": ("ref", "ref.", "kpi ref", "kpi no", "kpi no.", "kpi number", "indicator ref", "no", "no.", "#",
                "measure ref", "id"),
        "measure": ("measure", "kpi", "indicator", "performance indicator", "description", "kpi description",
                    "measure description", "performance measure", "kpi measure", "metric"),
        "owner": ("responsible officer", "owner", "lead", "responsible", "lead officer", "kpi owner",
                  "data owner"),
        "frequency": ("frequency", "reporting frequency", "how often", "reported"),
        "unit": ("unit", "units", "measure type", "unit of measure"),
        "direction": ("better when", "polarity", "good is", "direction", "higher or lower is better"),
        "latest": ("latest performance", "latest", "current", "current performance", "actual", "value",
                   "latest value", "latest data", "latest position", "current position", "performance"),
        "period": ("period", "latest period", "as at", "data period", "period covered", "reporting period"),
        "target": ("target", "targets", "current target", "target value"),
        "neighbours": ("stat neighbours average", "statistical neighbours", "stat neighbours",
                       "statistical neighbour average", "statistical neighbours average", "sn average", "sn"),
        "national": ("national average", "national", "england", "england average"),
        "regional": ("regional average", "regional", "region", "regional benchmark"),
        "notes": ("notes", "comments", "commentary", "narrative"),
    },
    "actions": {
        "ref": ("ref", "ref.", "action no", "action no.", "action number", "no", "no.", "#", "action ref",
                "number", "item"),
        "text": ("action", "actions", "action agreed", "description", "action required", "agreed action",
                 "action description"),
        "owner": ("owner", "action owner", "lead", "responsible", "who", "by whom", "lead officer",
                  "responsible officer", "assigned to"),
        "due": ("due", "due date", "deadline", "by when", "target date", "date due", "timescale",
                "completion date"),
        "status": ("status", "rag", "open closed", "rag status", "progress status"),
        "update": ("update", "progress", "comments", "notes", "latest update", "progress update",
                   "update comments", "outcome", "commentary"),
        "meeting_date": ("meeting date", "date of meeting", "date raised", "raised", "meeting", "date",
                         "date agreed", "date added", "raised on"),
        "board": ("board", "group", "forum", "committee", "meeting name", "raised at"),
    },
    # One audit a row of an officer's tracker or a commercial tool's export. Its criterion and
    # section columns are not vocabulary (they come from the framework): see `FIELD_PATTERNS`.
    "audits": {
        "plan_ref": ("plan ref", "plan reference", "ehcp ref", "ehcp reference", "ehcp no", "ehcp number",
                     "ehc plan ref", "ehc plan number", "case ref", "case reference", "case number", "plan id",
                     "reference", "ref", "ref no"),
        "audit_date": ("audit date", "date of audit", "date audited", "audited on", "date audit completed",
                       "audit completed", "date completed", "date"),
        "auditor": ("auditor", "audited by", "auditor name", "reviewer", "reviewed by", "quality assurer",
                    "completed by", "qa officer"),
        "team": ("team", "locality", "area", "casework team", "case team", "send team", "team locality"),
        "plan_type": ("plan type", "type of plan", "audit type", "type of audit", "plan stage", "type"),
        "plan_issue_date": ("plan issue date", "issue date", "date issued", "date of issue", "date plan issued",
                            "ehcp issue date", "date finalised"),
        "key_stage": ("key stage", "ks", "keystage", "current key stage"),
        "primary_need": ("primary need", "primary sen need", "primary send need", "primary type of need",
                         "main need", "type of need"),
        "setting_type": ("setting type", "setting", "type of setting", "school type", "placement type",
                         "placement"),
        "agency": ("agency", "auditing agency", "service", "organisation"),
        "status": ("audit status", "status"),
        "no_needs": ("no needs identified", "no needs", "sections with no needs"),
        "critical_concern": ("critical concern", "critical concerns", "concern flagged", "critical"),
        "notes": ("notes", "comments", "overall comments", "auditor comments", "summary", "feedback",
                  "general comments"),
        "overall_grade": ("overall grade", "grade", "overall rating", "overall judgement", "judgement",
                          "audit grade", "final grade", "overall quality", "quality grade", "audit outcome"),
    },
    "caseload": {
        "plan_ref": ("plan ref", "plan reference", "plan ref no", "plan no", "plan number", "plan id", "ehcp ref",
                     "ehcp reference", "ehcp ref no", "ehcp no", "ehcp number", "ehcp id", "ehc ref",
                     "ehc plan ref", "ehc plan reference", "ehc plan number", "reference", "ref", "ref no",
                     "case ref", "case reference", "case number", "case no", "case id"),
        "team": ("team", "locality", "area", "team locality", "locality team", "casework team", "case team",
                 "send team", "area team", "team name"),
        "key_stage": ("key stage", "ks", "keystage", "key stage ks", "ncy key stage", "current key stage"),
        "primary_need": ("primary need", "primary sen need", "primary send need", "primary need type",
                         "primary sen type", "primary type of need", "main need", "need", "type of need",
                         "sen need"),
        "setting_type": ("setting", "setting type", "type of setting", "school type", "placement type",
                         "placement", "provision type", "setting category", "establishment type"),
        "issue_date": ("issue date", "date issued", "plan issue date", "ehcp issue date", "ehc plan issue date",
                       "date of issue", "issued", "issued date", "date plan issued", "date ehcp issued",
                       "date finalised", "final plan date"),
    },
}

#: Fields a kind takes besides its vocabulary's, which no vocabulary can list: an audit's columns
#: rate a criterion or a section of the framework the database holds ("criterion:A1", "section:B").
FIELD_PATTERNS: dict[str, re.Pattern] = {
    "audits": re.compile(r"(?:criterion|section):[A-Za-z0-9][A-Za-z0-9._-]{0,39}"),
}

#: The words a user picks from when assigning a column; None means "not imported".
IGNORE = "ignore"


#: Known header texts a longer header may begin with ("Status (RAG)", "RAG - Sept", "Timescale for
#: completion"). Generic words ("date", "no", "update") are left out: "Date updated" is not a due date.
_PREFIXES = {"ref", "reference", "rag", "status", "rag status", "timescale", "workstream", "success criteria",
             "likelihood", "impact", "target", "deadline", "due date", "target date", "lead officer",
             "lead officers", "responsible officer", "risk owner", "action owner", "brag", "latest", "national",
             "national average", "regional", "regional average", "statistical neighbours", "stat neighbours",
             "england", "england average"}


@functools.lru_cache(maxsize=None)
def _index(kind: str) -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    looser: dict[str, str] = {}
    for fld, texts in VOCABULARY[kind].items():
        for t in texts:
            exact.setdefault(norm(t), fld)
            looser.setdefault(loose(t), fld)
    return exact, looser


def match_field(kind: str, header) -> str | None:
    """The field a header names in the kind's vocabulary, or None."""
    if not isinstance(header, str) or not header.strip():
        return None
    exact, looser = _index(kind)
    n = norm(header)
    if n in exact:
        return exact[n]
    lo = loose(header)
    if lo in looser:
        return looser[lo]
    # "Status (RAG)", "RAG - Sept" and the like: the longest known text the header begins with
    best = None
    for text, fld in exact.items():
        if text in _PREFIXES and (lo == text or lo.startswith(text + " ")) and (best is None or len(text) > len(best[0])):
            best = (text, fld)
    return best[1] if best else None


def signature(headers) -> str:
    """The layout's signature: a hash of its normalised, non-blank header texts in order."""
    texts = [norm(h) for h in headers if norm(h)]
    return hashlib.sha1("|".join(texts).encode()).hexdigest()[:20]


def is_field(kind: str, fld: str) -> bool:
    """Whether `fld` is a field of `kind`: in its vocabulary, or of the form `FIELD_PATTERNS` gives."""
    pattern = FIELD_PATTERNS.get(kind)
    return fld in VOCABULARY[kind] or bool(pattern and pattern.fullmatch(fld))


@dataclass
class ColumnMapping:
    """Which field each column of a sheet holds, keyed by the column's header text.

    `fields` maps a header (as written) to a field of the kind, or to `IGNORE`. `source` says
    where the mapping came from: "detected" (the vocabulary), "saved" (remembered for this
    layout), "given" (supplied by the caller)."""

    kind: str
    fields: dict[str, str] = field(default_factory=dict)
    source: str = "detected"

    def assign(self, header: str, fld: str | None) -> None:
        """Assign a column to a field (None or "ignore": not imported)."""
        if fld not in (None, IGNORE) and not is_field(self.kind, fld):
            known = ", ".join(VOCABULARY[self.kind])
            if self.kind in FIELD_PATTERNS:
                known += ", criterion:ID, section:CODE"
            raise ValueError(f"'{fld}' is not a field of {self.kind} (fields: {known}, or {IGNORE})")
        self.fields[header] = fld or IGNORE

    def field_for(self, header) -> str | None:
        """The field of a header; None when unassigned or ignored."""
        n = norm(header)
        for h, f in self.fields.items():
            if norm(h) == n:
                return None if f == IGNORE else f
        return None

    def knows(self, header) -> bool:
        n = norm(header)
        return bool(n) and any(norm(h) == n for h in self.fields)

    def as_json(self) -> str:
        return json.dumps(self.fields, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, kind: str, data: dict, source: str = "given") -> "ColumnMapping":
        """A mapping from {"column header": "field"}; an unknown field is a `ValueError`."""
        if not isinstance(data, dict):
            raise ValueError("a column mapping is a JSON object of \"column header\": \"field\"")
        mapping = cls(kind, {}, source)
        for header, fld in data.items():
            mapping.assign(str(header), None if fld in (None, "") else str(fld))
        return mapping

    def merged_with(self, other: "ColumnMapping | None") -> "ColumnMapping":
        """This mapping completed by `other` (this one wins where both assign a header)."""
        if other is None:
            return self
        out = ColumnMapping(self.kind, dict(other.fields), self.source)
        for h, f in self.fields.items():
            for k in [k for k in out.fields if norm(k) == norm(h)]:
                del out.fields[k]
            out.fields[h] = f
        return out


@dataclass
class Header:
    """The header row found on a sheet: its 0-based index and the field of each column."""

    row: int                      # 0-based row index in the sheet
    texts: list[str]              # header text per column ("" for blank)
    columns: dict[int, str]       # 0-based column -> field
    mapping: ColumnMapping        # the mapping used (detected, saved or given, completed)

    @property
    def signature(self) -> str:
        return signature(self.texts)

    def column_of(self, fld: str) -> int | None:
        return next((c for c, f in self.columns.items() if f == fld), None)

    def header_of(self, fld: str) -> str:
        c = self.column_of(fld)
        return self.texts[c] if c is not None else ""

    def unassigned(self) -> list[str]:
        return [t for c, t in enumerate(self.texts) if t and c not in self.columns
                and not (self.mapping.knows(t) and self.mapping.field_for(t) is None)]


def columns_of(kind: str, texts: list[str], mapping: ColumnMapping | None) -> dict[int, str]:
    """Column -> field for a header row: the mapping first, then the vocabulary; one column a field."""
    out: dict[int, str] = {}
    taken: set[str] = set()
    if mapping is not None:
        for c, t in enumerate(texts):
            if t and mapping.knows(t):
                f = mapping.field_for(t)
                if f and f not in taken:
                    out[c] = f
                    taken.add(f)
    for c, t in enumerate(texts):
        if c in out or not t or (mapping is not None and mapping.knows(t)):
            continue
        f = match_field(kind, t)
        if f and f not in taken:
            out[c] = f
            taken.add(f)
    return out


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def find_header(rows: list[list], kind: str, mapping: ColumnMapping | None = None, search: int = 40,
                needed: tuple[str, ...] = ("ref", "text")) -> Header | None:
    """The header row among the first `search` rows: the one naming most fields (two at least, one of
    `needed` among them). Text above it is title, key or banner."""
    best: tuple[int, int, list[str], dict[int, str]] | None = None
    for i, values in enumerate(rows[:search]):
        texts = [cell_text(v) if isinstance(v, str) else "" for v in values]
        if sum(1 for t in texts if t) < 2:
            continue
        cols = columns_of(kind, texts, mapping)
        fields = set(cols.values())
        if len(fields) >= 2 and fields & set(needed) and (best is None or len(fields) > best[1]):
            best = (i, len(fields), texts, cols)
    if best is None:
        return None
    i, _, texts, cols = best
    used = ColumnMapping(kind, {texts[c]: f for c, f in cols.items()},
                         mapping.source if mapping is not None else "detected")
    if mapping is not None:
        for t in texts:
            if t and mapping.knows(t) and mapping.field_for(t) is None:
                used.fields[t] = IGNORE
    return Header(i, texts, cols, used)
