"""An audit framework: sections, criteria, bands and limiting rules, read from and written to JSON.

Councils each keep their own criteria and weights (issue 3), so nothing about grading is
hard-coded: the default framework is just one file in this format (`resources/frameworks/`), and
`docs/audit-formats.md` describes the format for people keying in their own.

Why it is strict: a framework is typed by hand, and a typo that silently changed a grade (a
misspelt key ignored, a cap naming a grade that does not exist, a band out of order) would
undermine the one thing the board must trust. So every problem raises `BadInputError` naming the
key, section or criterion, and unknown keys are refused rather than ignored.

Conventions the issue left open (documented in `docs/audit-formats.md`):

- Missing keys take their defaults; only `sections`, each section's `code` and each criterion's
  `id` and `text` are required. A missing `rules` object means the default rules; inside a given
  `rules` object, a rule left out is off.
- `paired_with` is written on the needs section and names its provision section (C → G, D → H).
- A section accepts "no needs identified" when it has a `paired_with` or any criterion whose
  `no_needs_role` is not "none".
- Numbers keep the type they were given (83.3 stays a float, 8 an int) so a framework written
  back out is the same JSON that was read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from send_desktop.errors import BadInputError

NO_NEEDS_ROLES = ("statement", "needs_dependent", "none")
NOT_GRADED = "Not graded"
NA = "N/A"
RESERVED_GRADES = (NA, NOT_GRADED)
DEFAULT_OWNER = "caseworker"

Number = int | float


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str
    guidance: str = ""
    max: int = 3
    weight: Number = 1
    statutory: bool = False
    critical: bool = False
    no_needs_role: str = "none"
    action_template: str = ""
    owner_type: str = DEFAULT_OWNER


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    weight: Number
    na_allowed: bool
    paired_with: str | None
    criteria: tuple[Criterion, ...]

    @property
    def accepts_no_needs(self) -> bool:
        """Whether an auditor may mark this section (or advice) "no needs identified"."""
        return self.paired_with is not None or any(c.no_needs_role != "none" for c in self.criteria)


@dataclass(frozen=True)
class Band:
    grade: str
    min: Number


@dataclass(frozen=True)
class StatutoryRule:
    cap: str = "Requires improvement"


@dataclass(frozen=True)
class SectionCap:
    name: str
    sections: tuple[str, ...]
    if_grade: str = "Inadequate"
    cap: str = "Requires improvement"


@dataclass(frozen=True)
class TwoInadequateRule:
    count: int = 2
    grade: str = "Inadequate"


@dataclass(frozen=True)
class OutstandingRule:
    all_sections_at_least: str | None = "Good"
    sections: tuple[tuple[str, str], ...] = (("F", "Outstanding"),)


@dataclass(frozen=True)
class CriticalRule:
    grade: str = "Inadequate"


@dataclass(frozen=True)
class Rules:
    """The limiting rules; None (or an empty tuple) means the rule is off."""

    statutory: StatutoryRule | None = None
    section_caps: tuple[SectionCap, ...] = ()
    two_inadequate: TwoInadequateRule | None = None
    outstanding_requires: OutstandingRule | None = None
    critical: CriticalRule | None = None


DEFAULT_BANDS = (Band("Outstanding", 83.3), Band("Good", 66.7), Band("Requires improvement", 33.3),
                 Band("Inadequate", 0))
DEFAULT_RULES = Rules(
    statutory=StatutoryRule(),
    section_caps=(SectionCap("f_inadequate", ("F",)), SectionCap("b_or_e_inadequate", ("B", "E"))),
    two_inadequate=TwoInadequateRule(),
    outstanding_requires=OutstandingRule(),
    critical=CriticalRule(),
)
FIXED_RULE_NAMES = ("statutory", "two_inadequate", "outstanding_requires", "critical")


def default_rules(codes: set[str]) -> Rules:
    """The default rules for a framework with these section codes.

    A default that names a section the framework does not have is left out (a framework without
    an F has no `f_inadequate`), so a council's own sections can rely on the defaults.
    """
    caps = tuple(SectionCap(c.name, tuple(x for x in c.sections if x in codes), c.if_grade, c.cap)
                 for c in DEFAULT_RULES.section_caps if any(x in codes for x in c.sections))
    outstanding = OutstandingRule(OutstandingRule.all_sections_at_least,
                                  tuple((x, g) for x, g in OutstandingRule.sections if x in codes))
    return Rules(DEFAULT_RULES.statutory, caps, DEFAULT_RULES.two_inadequate, outstanding, DEFAULT_RULES.critical)


@dataclass(frozen=True)
class Framework:
    name: str
    version: int | str
    sections: tuple[Section, ...]
    max_default: int = 3
    bands: tuple[Band, ...] = DEFAULT_BANDS
    min_applicable_weight_pct: Number = 60
    rules: Rules = field(default_factory=lambda: DEFAULT_RULES)

    @property
    def grades(self) -> tuple[str, ...]:
        """Grade names best first, as the bands list them."""
        return tuple(b.grade for b in self.bands)

    def section(self, code: str) -> Section:
        for s in self.sections:
            if s.code == code:
                return s
        raise KeyError(code)

    def criterion(self, criterion_id: str) -> tuple[Section, Criterion]:
        for s in self.sections:
            for c in s.criteria:
                if c.id == criterion_id:
                    return s, c
        raise KeyError(criterion_id)


# --- reading ------------------------------------------------------------------------------------


class _Reader:
    """Typed access to one JSON object, with every message saying where the problem is."""

    def __init__(self, obj: Any, where: str, allowed: tuple[str, ...]):
        if not isinstance(obj, dict):
            raise BadInputError(f"{where} must be a JSON object, not {_kind(obj)}")
        unknown = [k for k in obj if k not in allowed]
        if unknown:
            raise BadInputError(f"{where}: unknown key '{unknown[0]}' (allowed: {', '.join(allowed)})")
        self.obj, self.where = obj, where

    def fail(self, key: str, message: str):
        raise BadInputError(f"{self.where}: '{key}' {message}")

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str:
        if key not in self.obj:
            if required:
                self.fail(key, "is missing")
            return default
        value = self.obj[key]
        if not isinstance(value, str):
            self.fail(key, f"must be text, not {_kind(value)}")
        if required and not value.strip():
            self.fail(key, "must not be empty")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.obj.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, not {_kind(value)}")
        return value

    def number(self, key: str, default: Number, *, low: Number = 0, high: Number | None = None) -> Number:
        value = self.obj.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(key, f"must be a number, not {_kind(value)}")
        if value < low or (high is not None and value > high):
            self.fail(key, f"must be between {low} and {high}, not {value}" if high is not None
                      else f"must be at least {low}, not {value}")
        return value

    def whole(self, key: str, default: int, *, low: int = 1) -> int:
        value = self.obj.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"must be a whole number, not {_kind(value)}")
        if value < low:
            self.fail(key, f"must be at least {low}, not {value}")
        return value

    def items(self, key: str, default: list | None = None) -> list:
        if key not in self.obj and default is not None:
            return default
        value = self.obj.get(key)
        if not isinstance(value, list):
            self.fail(key, "is missing" if key not in self.obj else f"must be a list, not {_kind(value)}")
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return {str: f"text '{value}'", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


_TOP_KEYS = ("name", "version", "max_default", "bands", "min_applicable_weight_pct", "sections", "rules")
_SECTION_KEYS = ("code", "title", "weight", "na_allowed", "paired_with", "criteria")
_CRITERION_KEYS = ("id", "text", "guidance", "max", "weight", "statutory", "critical", "no_needs_role",
                   "action_template", "owner_type")
_RULE_KEYS = ("statutory", "section_caps", "two_inadequate", "outstanding_requires", "critical")


def framework_from_json(obj: Any) -> Framework:
    """Build and check a framework from parsed JSON; raises BadInputError naming what is wrong."""
    top = _Reader(obj, "framework", _TOP_KEYS)
    name = top.text("name", "Custom framework")
    version = obj.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, (int, str)) or version == "" or (
            isinstance(version, int) and version < 1):
        top.fail("version", f"must be a whole number from 1 or text, not {_kind(version)}")
    max_default = top.whole("max_default", 3)
    bands = _bands(top)
    pct = top.number("min_applicable_weight_pct", 60, high=100)
    sections = tuple(_section(s, i, max_default) for i, s in enumerate(top.items("sections")))
    if not sections:
        top.fail("sections", "must list at least one section")
    _check_sections(sections)
    grades = tuple(b.grade for b in bands)
    codes = {s.code for s in sections}
    if "rules" in obj:
        rules = _rules(obj["rules"], grades, codes)
        _check_rule_grades(rules, grades)
    else:
        rules = default_rules(codes)
        try:
            _check_rule_grades(rules, grades)
        except BadInputError as exc:
            raise BadInputError(f"{exc.message}; the default rules use the default grade names, so a framework "
                                f"with its own bands must give its own 'rules'") from None
    return Framework(name, version, sections, max_default, bands, pct, rules)


def _bands(top: _Reader) -> tuple[Band, ...]:
    raw = top.items("bands", [{"grade": b.grade, "min": b.min} for b in DEFAULT_BANDS])
    if not raw:
        top.fail("bands", "must list at least one band")
    bands = []
    for i, item in enumerate(raw):
        r = _Reader(item, f"bands[{i}]", ("grade", "min"))
        grade = r.text("grade", required=True)
        if grade in RESERVED_GRADES:
            r.fail("grade", f"cannot be '{grade}': that name is kept for sections and audits without a grade")
        bands.append(Band(grade, r.number("min", 0, high=100)))
    names = [b.grade for b in bands]
    for i, b in enumerate(bands):
        if b.grade in names[:i]:
            raise BadInputError(f"bands: grade '{b.grade}' is listed twice")
        if i and not _dec(b.min) < _dec(bands[i - 1].min):
            raise BadInputError(f"bands: out of order at '{b.grade}' (min {b.min}); list bands best first, "
                                f"each with a lower min than the one before")
    if _dec(bands[-1].min) != 0:
        raise BadInputError(f"bands: the last band ('{bands[-1].grade}') must have min 0 so every score gets a grade")
    return tuple(bands)


def _section(obj: Any, index: int, max_default: int) -> Section:
    where = f"sections[{index}]"
    if isinstance(obj, dict) and isinstance(obj.get("code"), str) and obj["code"].strip():
        where = f"section '{obj['code']}'"
    r = _Reader(obj, where, _SECTION_KEYS)
    code = r.text("code", required=True)
    paired = obj.get("paired_with")
    if paired is not None and (not isinstance(paired, str) or not paired.strip()):
        r.fail("paired_with", "must be a section code or null")
    criteria = tuple(_criterion(c, where, i, max_default) for i, c in enumerate(r.items("criteria")))
    if not criteria:
        r.fail("criteria", "must list at least one criterion")
    return Section(code=code, title=r.text("title", code), weight=r.number("weight", 1),
                   na_allowed=r.flag("na_allowed", False), paired_with=paired, criteria=criteria)


def _criterion(obj: Any, section_where: str, index: int, max_default: int) -> Criterion:
    where = f"{section_where}, criteria[{index}]"
    if isinstance(obj, dict) and isinstance(obj.get("id"), str) and obj["id"].strip():
        where = f"{section_where}, criterion '{obj['id']}'"
    r = _Reader(obj, where, _CRITERION_KEYS)
    role = r.text("no_needs_role", "none")
    if role not in NO_NEEDS_ROLES:
        r.fail("no_needs_role", f"must be one of {', '.join(NO_NEEDS_ROLES)}, not '{role}'")
    return Criterion(
        id=r.text("id", required=True), text=r.text("text", required=True), guidance=r.text("guidance", ""),
        max=r.whole("max", max_default), weight=r.number("weight", 1), statutory=r.flag("statutory", False),
        critical=r.flag("critical", False), no_needs_role=role, action_template=r.text("action_template", ""),
        owner_type=r.text("owner_type", DEFAULT_OWNER),
    )


def _check_sections(sections: tuple[Section, ...]) -> None:
    codes: dict[str, Section] = {}
    ids: dict[str, str] = {}
    for s in sections:
        if s.code in codes:
            raise BadInputError(f"section code '{s.code}' is used twice")
        codes[s.code] = s
        for c in s.criteria:
            if c.id in ids:
                raise BadInputError(f"criterion id '{c.id}' is used twice (sections '{ids[c.id]}' and '{s.code}')")
            ids[c.id] = s.code
    for s in sections:
        if s.paired_with is None:
            continue
        if s.paired_with == s.code:
            raise BadInputError(f"section '{s.code}': 'paired_with' cannot name the section itself")
        if s.paired_with not in codes:
            raise BadInputError(f"section '{s.code}': 'paired_with' names unknown section '{s.paired_with}'")
        if codes[s.paired_with].paired_with is not None:
            raise BadInputError(f"section '{s.code}': paired section '{s.paired_with}' has a pair of its own; "
                                f"write 'paired_with' on the needs section only (C → G, D → H)")
    if sum(_dec(s.weight) for s in sections) <= 0:
        raise BadInputError("sections: at least one section needs a weight above 0, or nothing could be graded")


def _rules(obj: Any, grades: tuple[str, ...], codes: set[str]) -> Rules:
    r = _Reader(obj, "rules", _RULE_KEYS)

    def sub(key: str, allowed: tuple[str, ...]) -> _Reader | None:
        return _Reader(obj[key], f"rules.{key}", allowed) if key in obj and obj[key] is not None else None

    statutory = two = outstanding = critical = None
    if (s := sub("statutory", ("cap",))):
        statutory = StatutoryRule(s.text("cap", StatutoryRule.cap))
    caps = []
    for i, item in enumerate(r.items("section_caps", [])):
        c = _Reader(item, f"rules.section_caps[{i}]", ("name", "sections", "if_grade", "cap"))
        name = c.text("name", required=True)
        if name in FIXED_RULE_NAMES or name in [x.name for x in caps]:
            c.fail("name", f"'{name}' is already the name of another rule")
        caps.append(SectionCap(name, _codes(c, "sections", codes), c.text("if_grade", SectionCap.if_grade),
                               c.text("cap", SectionCap.cap)))
    if (t := sub("two_inadequate", ("count", "grade"))):
        two = TwoInadequateRule(t.whole("count", TwoInadequateRule.count), t.text("grade", TwoInadequateRule.grade))
    if (o := sub("outstanding_requires", ("all_sections_at_least", "sections"))):
        at_least = o.obj.get("all_sections_at_least", OutstandingRule.all_sections_at_least)
        if at_least is not None:
            at_least = o.text("all_sections_at_least")
        required = o.obj.get("sections", {x: g for x, g in OutstandingRule.sections if x in codes})
        if not isinstance(required, dict):
            o.fail("sections", "must be an object of section code to grade, e.g. {\"F\": \"Outstanding\"}")
        for code, grade in required.items():
            if code not in codes:
                o.fail("sections", f"names unknown section '{code}'")
            if not isinstance(grade, str):
                o.fail("sections", f"must give a grade name for section '{code}'")
        outstanding = OutstandingRule(at_least, tuple(required.items()))
    if (c := sub("critical", ("grade",))):
        critical = CriticalRule(c.text("grade", CriticalRule.grade))
    return Rules(statutory, tuple(caps), two, outstanding, critical)


def _codes(r: _Reader, key: str, codes: set[str]) -> tuple[str, ...]:
    value = r.items(key)
    if not value or not all(isinstance(v, str) for v in value):
        r.fail(key, "must list one or more section codes")
    for code in value:
        if code not in codes:
            r.fail(key, f"names unknown section '{code}'")
    return tuple(value)


def _check_rule_grades(rules: Rules, grades: tuple[str, ...]) -> None:
    named: list[tuple[str, str]] = []
    if rules.statutory:
        named.append(("rules.statutory.cap", rules.statutory.cap))
    for cap in rules.section_caps:
        named += [(f"rules.section_caps '{cap.name}' if_grade", cap.if_grade), (f"rules.section_caps '{cap.name}' cap", cap.cap)]
    if rules.two_inadequate:
        named.append(("rules.two_inadequate.grade", rules.two_inadequate.grade))
    if rules.outstanding_requires:
        if rules.outstanding_requires.all_sections_at_least is not None:
            named.append(("rules.outstanding_requires.all_sections_at_least",
                          rules.outstanding_requires.all_sections_at_least))
        named += [(f"rules.outstanding_requires.sections '{code}'", g) for code, g in rules.outstanding_requires.sections]
        if len(grades) < 2:
            raise BadInputError("rules.outstanding_requires needs at least two bands (it caps at the second best)")
    if rules.critical:
        named.append(("rules.critical.grade", rules.critical.grade))
    for where, grade in named:
        if grade not in grades:
            raise BadInputError(f"{where}: unknown grade '{grade}' (the bands are {', '.join(grades)})")


def _dec(x: Number) -> Decimal:
    """A JSON number as the decimal its author wrote (83.3, not 83.299999999999997...)."""
    return Decimal(x) if isinstance(x, int) else Decimal(repr(x))


# --- writing ------------------------------------------------------------------------------------


def framework_to_json(fw: Framework) -> dict:
    """The full JSON form, every key written out, so `framework_from_json` reads it back unchanged."""
    return {
        "name": fw.name,
        "version": fw.version,
        "max_default": fw.max_default,
        "bands": [{"grade": b.grade, "min": b.min} for b in fw.bands],
        "min_applicable_weight_pct": fw.min_applicable_weight_pct,
        "sections": [
            {"code": s.code, "title": s.title, "weight": s.weight, "na_allowed": s.na_allowed,
             "paired_with": s.paired_with,
             "criteria": [{"id": c.id, "text": c.text, "guidance": c.guidance, "max": c.max, "weight": c.weight,
                           "statutory": c.statutory, "critical": c.critical, "no_needs_role": c.no_needs_role,
                           "action_template": c.action_template, "owner_type": c.owner_type}
                          for c in s.criteria]}
            for s in fw.sections
        ],
        "rules": rules_to_json(fw.rules),
    }


def rules_to_json(rules: Rules) -> dict:
    """Only the rules that are on: a rule left out is off."""
    out: dict[str, Any] = {}
    if rules.statutory:
        out["statutory"] = {"cap": rules.statutory.cap}
    if rules.section_caps:
        out["section_caps"] = [{"name": c.name, "sections": list(c.sections), "if_grade": c.if_grade, "cap": c.cap}
                               for c in rules.section_caps]
    if rules.two_inadequate:
        out["two_inadequate"] = {"count": rules.two_inadequate.count, "grade": rules.two_inadequate.grade}
    if rules.outstanding_requires:
        o = rules.outstanding_requires
        out["outstanding_requires"] = {"all_sections_at_least": o.all_sections_at_least, "sections": dict(o.sections)}
    if rules.critical:
        out["critical"] = {"grade": rules.critical.grade}
    return out
