"""Which criterion or section of the framework an audit tracker's column rates, and its ratings.

An officer's tracker, or a commercial audit tool's export, heads its rating columns in many
ways. A column is matched to a criterion of the framework the audits are scored under:

- by the criterion's code, however it is written: "A1", "A.1", "a 1", "A1 - Views recorded",
  "Q A1", "Section A Q1", "Section A - 1", or "Q1" under a banner cell "Section A ..." above
  the header (merged or not);
- else by the criterion's wording, compared loosely (case, punctuation and spacing do not
  matter; a header cut short after 25 characters, or differing by a few letters, still matches).

A column headed by a section ("Section B", "B - Special educational needs", or the section's
title) rates the section as a whole: each of its criteria takes that rating, unless a column of
its own rates it. A header that looks like a code the framework does not have ("A9") is a
problem, so a rating column is never silently left out.

Ratings are the framework's numbers (0 to the criterion's maximum) or the words of its scale:
on the 0-3 scale "Not met", "Partly met", "Met", "Exemplary"; on a 0-1 scale "Not met", "Met"
(or "No", "Yes"). "Not evidenced" and a blank are not evidenced (graded as 0); "N/A" is not
applicable, where the section allows it. A given overall grade is compared with the words of the
framework's bands ("RI" is "Requires improvement").

`find_header` finds the header row (the first naming a plan reference and at least one other
detail or rating column, or a layout with a remembered mapping) and what each column holds;
`given_mapping` reads a mapping given as {"column header": field}, where a criterion may be
given bare ("A1") or as "criterion:A1", a section as "section:B".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from send_desktop.audits.framework import NOT_GRADED, Framework
from send_desktop.errors import BadInputError, Problem
from send_desktop.xlsx.tolerant.headers import IGNORE, ColumnMapping, Header, cell_text, columns_of, norm, signature

KIND = "audits"
DETAILS = ("plan_ref", "audit_date", "auditor", "team", "plan_type", "plan_issue_date", "key_stage", "primary_need",
           "setting_type", "agency", "status", "no_needs", "critical_concern", "notes")
NA = "na"
NOT_EVIDENCED = ("not evidenced", "no evidence", "not seen", "ne", "not rated", "not assessed")
_NA_WORDS = ("n a", "na", "not applicable", "n app")
#: The words of the 0-3 scale (issue 3), and their common variants.
WORDS_3 = {"not met": 0, "unmet": 0, "partly met": 1, "partially met": 1, "partly": 1, "partial": 1,
           "met": 2, "exemplary": 3, "exceeded": 3, "exceeds": 3}
WORDS_1 = {"not met": 0, "unmet": 0, "no": 0, "met": 1, "yes": 1}
_LEADING_NUMBER = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(?:[-:=/(]\s*|\s+|$)(.*)$")
_CODE_SHAPE = re.compile(r"(?:[a-z]{1,3}|adv[a-z]{1,8})\d{1,2}[a-z]?")
_SECTION_Q = re.compile(r"^section ([a-z0-9]+(?: [a-z]+)?) (?:q|question|criterion|item|no )?(\d{1,2}[a-z]?)(?: |$)")
_LEAD_WORDS = {"q", "question", "criterion", "criteria", "item"}
_SHORT_Q = re.compile(r"^(?:q|question|criterion|item|no)? ?(\d{1,2}[a-z]?)(?: |$)")


def code_key(code: str) -> str:
    """A criterion id or section code as compared: "ADV-ED1" and "adv ed 1" are "adved1"."""
    return norm(code).replace(" ", "")


@dataclass(frozen=True)
class Target:
    """What a column rates: ("criterion", id) or ("section", code)."""

    kind: str
    code: str

    @property
    def field(self) -> str:
        return f"{self.kind}:{self.code}"

    @classmethod
    def of(cls, fld: str | None) -> "Target | None":
        if fld and ":" in fld and fld.split(":", 1)[0] in ("criterion", "section"):
            kind, code = fld.split(":", 1)
            return cls(kind, code)
        return None


class CriteriaIndex:
    """A framework's criteria and sections by code and by wording, to name a column's target."""

    def __init__(self, fw: Framework):
        self.fw = fw
        self.criteria = {code_key(c.id): c.id for s in fw.sections for c in s.criteria}
        self.sections = {code_key(s.code): s.code for s in fw.sections}
        self.wording = {norm(c.text): c.id for s in fw.sections for c in s.criteria}
        self.titles = {norm(s.title): s.code for s in fw.sections}
        self.max = {c.id: c.max for s in fw.sections for c in s.criteria}
        self.section_of = {c.id: s.code for s in fw.sections for c in s.criteria}
        self.members = {s.code: [c.id for c in s.criteria] for s in fw.sections}

    def target(self, header: str, banner: str = "") -> Target | None:
        """The criterion or section `header` rates (`banner`: the text above it), None if neither."""
        n = norm(header)
        if not n:
            return None
        found = self._by_code(n)
        if found is None and banner:
            section = self._section_in(norm(banner))
            m = _SHORT_Q.match(n)
            if section and m:
                found = self._criterion(section + m.group(1))
        return found or self._by_words(n)

    def unknown_code(self, header: str) -> bool:
        """Whether `header` looks like a criterion code ("A9", "Section A Q9") this framework lacks."""
        n = norm(header)
        tokens = [t for t in n.split() if t not in _LEAD_WORDS]
        if not tokens:
            return False
        return bool(_CODE_SHAPE.fullmatch(tokens[0]) or (len(tokens) > 1 and _CODE_SHAPE.fullmatch(
            tokens[0] + tokens[1]))) or bool(_SECTION_Q.match(n))

    def _criterion(self, key: str) -> Target | None:
        cid = self.criteria.get(code_key(key))
        return Target("criterion", cid) if cid else None

    def _section_in(self, text: str) -> str | None:
        """The section code a banner names: "Section A ...", "A - Views ...", or a title."""
        m = re.match(r"^(?:section )?([a-z0-9]+(?: [a-z]+)?)", text)
        if text.startswith("section ") and m:
            for size in (2, 1):
                key = "".join(m.group(1).split()[:size])
                if key in self.sections:
                    return self.sections[key]
        first = text.split()[0] if text else ""
        if first in self.sections and (text == first or self._title_after(text, first)):
            return self.sections[first]
        return self.titles.get(text)

    def _title_after(self, text: str, code: str) -> bool:
        return norm(self.fw.section(self.sections[code]).title).startswith(text[len(code):].strip()[:12])

    def _by_code(self, n: str) -> Target | None:
        m = _SECTION_Q.match(n)
        if m:  # "Section A Q9" names a criterion, or nothing: never the whole section
            return self._criterion(m.group(1) + m.group(2))
        tokens = n.split()
        if tokens and tokens[0] in _LEAD_WORDS:
            tokens = tokens[1:]
        for size in (3, 2, 1):  # "adv ed 1", "a 1", "a1": the longest run of words that is a code
            if len(tokens) >= size:
                found = self._criterion("".join(tokens[:size]))
                if found:
                    return found
        section = self._section_in(n)
        if section is not None:
            return Target("section", section)
        return None

    def _by_words(self, n: str) -> Target | None:
        if n in self.wording:
            return Target("criterion", self.wording[n])
        if len(n) >= 25:
            starts = {cid for text, cid in self.wording.items() if text.startswith(n) or n.startswith(text)}
            if len(starts) == 1:
                return Target("criterion", starts.pop())
        if len(n) < 20:
            return None
        scored = sorted(((difflib.SequenceMatcher(None, n, text).ratio(), cid) for text, cid in self.wording.items()),
                        reverse=True)
        if scored and scored[0][0] >= 0.85 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.05):
            return Target("criterion", scored[0][1])
        return None


class RatingError(ValueError):
    """A cell that is not a rating of its criterion; the message is for the report."""


def rating_words(maximum: int) -> dict[str, int]:
    return WORDS_3 if maximum == 3 else WORDS_1 if maximum == 1 else {}


def read_rating(value, maximum: int):
    """A rating cell as the engine takes it: None (not evidenced), 0..maximum, or "na"."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RatingError(f"'{value}' is not a rating; {_allowed(maximum)}")
    if isinstance(value, (int, float)):
        return _number(value, maximum)
    n = norm(value)
    if not n or n in NOT_EVIDENCED or n in ("tbc", "tbd", "blank", "none", "nil"):
        return None
    if n in _NA_WORDS:
        return NA
    words = rating_words(maximum)
    if n in words:
        return words[n]
    m = _LEADING_NUMBER.match(str(value))
    if m:  # "2", "2 - Met", "3 (exemplary)"
        number = _number(float(m.group(1)), maximum)
        said = norm(m.group(2).strip(" )"))
        if said and said in words and words[said] != number:
            raise RatingError(f"'{str(value).strip()[:40]}' gives {number} but says '{m.group(2).strip(' )')}'")
        return number
    raise RatingError(f"'{str(value).strip()[:40]}' is not a rating; {_allowed(maximum)}")


def _number(value: float, maximum: int) -> int:
    if float(value).is_integer() and 0 <= value <= maximum:
        return int(value)
    shown = int(value) if float(value).is_integer() else value
    raise RatingError(f"{shown} is out of range; {_allowed(maximum)}")


def _allowed(maximum: int) -> str:
    words = rating_words(maximum)
    named = {}
    for word, v in words.items():
        named.setdefault(v, word)
    listed = f" ({', '.join(named[v].capitalize() for v in sorted(named))})" if named else ""
    return f"use 0 to {maximum}{listed}, Not evidenced or N/A"


_GRADE_SHORT = {"ri": "requires improvement", "req improvement": "requires improvement",
                "requires improvements": "requires improvement", "ng": "not graded"}


def grade_named(given: str, fw: Framework) -> str | None:
    """The framework's grade a given overall grade names ("RI" -> "Requires improvement"), None if none."""
    n = norm(given)
    n = _GRADE_SHORT.get(n, n)
    for g in (*fw.grades, NOT_GRADED):
        if norm(g) == n:
            return g
    return None


# -- the header row --------------------------------------------------------------------------------


def given_mapping(data: ColumnMapping | dict | None, index: CriteriaIndex) -> ColumnMapping | None:
    """A mapping as given ({"column header": field}); a criterion id or "Section B" may be given bare."""
    if data is None or isinstance(data, ColumnMapping):
        return data
    if not isinstance(data, dict):
        raise BadInputError('the column mapping is not usable: a column mapping is a JSON object of "column '
                            'header": "field"')
    fixed = {}
    for header, fld in data.items():
        text = str(fld or "")
        target = Target.of(text) or (index.target(text) if text and ":" not in text and text != IGNORE
                                     and text not in DETAILS and text != "overall_grade" else None)
        if target is not None:
            known = index.criteria if target.kind == "criterion" else index.sections
            if code_key(target.code) not in known:
                raise BadInputError(f"the column mapping is not usable: '{text}' is not a {target.kind} of the "
                                    f"framework '{index.fw.name}'", [Problem(f"'{text}' is not a {target.kind}")])
            target = Target(target.kind, known[code_key(target.code)])
        fixed[header] = target.field if target is not None else fld
    try:
        return ColumnMapping.from_dict(KIND, fixed)
    except ValueError as exc:
        raise BadInputError(f"the column mapping is not usable: {exc}", [Problem(str(exc))]) from None


def _banner(grid, head: list[list], row: int) -> dict[int, str]:
    """Column -> the text of the row above the header, spread over its merged cells; a "Section ..."
    cell also spreads right up to the next filled cell (banners are often centred, not merged)."""
    if row <= 0:
        return {}
    above = head[row - 1]
    out = {c: cell_text(v) for c, v in enumerate(above) if cell_text(v)}
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= row - 1 <= r1 and c0 in out:
            for c in range(c0, c1 + 1):
                out[c] = out[c0]
    width = max(len(v) for v in head[max(0, row - 1):row + 1])
    carried = ""
    for c in range(width):
        if c in out:
            carried = out[c] if norm(out[c]).startswith("section ") else ""
        elif carried:
            out[c] = carried
    return out


def find_header(grid, head: list[list], index: CriteriaIndex, mapping: ColumnMapping | None,
                saved: dict[str, ColumnMapping]) -> tuple[Header, dict[int, Target]] | None:
    """The header row and what each rating column rates; None when no row names a plan reference."""
    best = None
    for i, values in enumerate(head[:40]):
        texts = [cell_text(v) if isinstance(v, str) else "" for v in values]
        if sum(1 for t in texts if t) < 2:
            continue
        used = mapping if mapping is not None else saved.get(signature(texts))
        cols = columns_of(KIND, texts, used)
        if "plan_ref" not in cols.values():
            continue
        banner = _banner(grid, head, i)
        targets = {c: Target.of(f) for c, f in cols.items() if Target.of(f)}
        for c, t in enumerate(texts):
            if t and c not in cols and not (used is not None and used.knows(t)):
                found = index.target(t, banner.get(c, ""))
                if found is not None:
                    targets[c] = found
        score = len(set(cols.values())) + len(targets)
        if score >= 2 and (best is None or score > best[0]):
            best = (score, i, texts, cols, targets, used)
    if best is None:
        return None
    _, i, texts, cols, targets, used = best
    source = used.source if used is not None else "detected"
    fields = {texts[c]: f for c, f in cols.items() if not Target.of(f)}
    fields.update({texts[c]: t.field for c, t in targets.items()})
    chosen = ColumnMapping(KIND, fields, source)
    if used is not None:
        chosen.fields.update({t: IGNORE for t in texts if t and used.knows(t) and used.field_for(t) is None})
    columns = {c: f for c, f in cols.items() if not Target.of(f)}
    columns.update({c: t.field for c, t in targets.items()})
    return Header(i, texts, columns, chosen), targets
