"""Reading a framework workbook (or a FRAMEWORK.json) into the FRAMEWORK.json definition.

Why the import checks row by row: `framework_from_json` is the one judge of a framework, but it
stops at the first problem and speaks of JSON keys. So each row is first judged on its own (a
criterion inside a one-criterion framework, a section beside a dummy one), which finds every
problem of a cell and names its sheet, row and column; the whole definition is judged last, for
what only the whole can show (an id used twice, a pair naming a missing section, a rule naming
an unknown grade). Anything wrong: `BadInputError` with every problem.

The conventions (a blank Max takes the default maximum, and so on) are in `framework_xlsx`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Generator

from send_desktop.audits.framework import framework_from_json
from send_desktop.core.progress import Progress
from send_desktop.errors import BadInputError, Problem
from send_desktop.xlsx import audit_exchange_book as B
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.book_reader import refuse
from send_desktop.xlsx.framework_xlsx import ABOUT_ITEMS, BANDS, CRITERIA, RULES, SECTIONS

_WHERE_KEY = re.compile(r"^(?P<where>.*?): '(?P<key>[a-z_]+)' (?P<rest>.*)$", re.S)
#: What a piece is judged beside when it is judged alone: one section, rules off.
_ALONE = {"sections": [{"code": "\0", "criteria": [{"id": "\0", "text": "-"}]}], "rules": {}}


class _Rows(dict):
    """(sheet, value) -> the row where a code, id, grade or rule first stands; ("twice", sheet, value)
    -> where it stands again, which is the row to change."""

    def note(self, sheet: str, value: str, row: int) -> None:
        if (sheet, value) in self:
            self.setdefault(("twice", sheet, value), row)
        else:
            self[sheet, value] = row


class _Cells:
    """Converts the cells of one sheet and collects their problems with sheet, row and column."""

    def __init__(self, table: B.Table, layout: L.SheetLayout, problems: list[Problem], rows: _Rows):
        self.table, self.layout, self.problems, self.rows = table, layout, problems, rows
        self.index = {c.key: table.index(c.header) for c in layout.columns}
        for col in layout.columns:
            if col.required and self.index[col.key] is None:
                problems.append(Problem(f"the column '{col.header}' is missing", table.sheet, table.header_row,
                                        col.header))

    def problem(self, row: int | None, key: str, message: str) -> None:
        header = next((c.header for c in self.layout.columns if c.key == key), "")
        self.problems.append(Problem(message, self.layout.name, row, header))

    def text(self, values, key: str) -> str:
        return L.text(B.cell(values, self.index[key]))

    def number(self, values, key: str):
        """A number as typed (int or float); text that is not one is passed on for the judge to name."""
        value = B.cell(values, self.index[key])
        if isinstance(value, str):
            raw = value.strip()
            try:
                return int(raw) if re.fullmatch(r"[+-]?\d+", raw) else float(raw) if raw else None
            except ValueError:
                return raw
        if isinstance(value, float) and value.is_integer():  # as openpyxl reads a whole number back
            return int(value)
        return value

    def put_flag(self, obj: dict, values, row: int, key: str) -> None:
        try:
            obj[key] = L.boolean(B.cell(values, self.index[key]))
        except L.CellError as exc:
            self.problem(row, key, str(exc))

    def judge(self, definition: dict, row: int | None) -> None:
        """Judge a piece; a problem with a key of this sheet names its column."""
        try:
            framework_from_json(definition)
        except BadInputError as exc:
            m = _WHERE_KEY.match(exc.message)
            if m and m["key"] in self.index:
                self.problem(row, m["key"], m["rest"])
            else:
                self.problem(row, "", exc.message)


def _put(obj: dict, key: str, value) -> None:
    if value is not None and value != "":
        obj[key] = value


def _about(about: dict, cells: _Cells) -> dict:
    top: dict = {}
    for key, label in ABOUT_ITEMS:
        value = about.get(L.header_key(label))
        if isinstance(value, str):
            value = value.strip()
            if key not in ("name", "version") and re.fullmatch(r"\d+(\.\d+)?", value):
                value = float(value) if "." in value else int(value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        _put(top, key, value)
    try:
        framework_from_json({**top, **_ALONE})
    except BadInputError as exc:
        m = _WHERE_KEY.match(exc.message)
        label = dict(ABOUT_ITEMS).get(m["key"]) if m else None
        cells.problems.append(Problem(f"{label}: {m['rest']}" if label else exc.message, L.ABOUT.name,
                                      cells.rows.get((L.ABOUT.name, label)), "Value" if label else ""))
    return top


def _sections(cells: _Cells) -> list[dict]:
    out = []
    for row, values in cells.table.rows:
        s = {"code": cells.text(values, "code")}
        _put(s, "title", cells.text(values, "title"))
        _put(s, "weight", cells.number(values, "weight"))
        cells.put_flag(s, values, row, "na_allowed")
        # Judged beside a dummy section: the weights of all sections together must not be 0.
        cells.judge({"sections": [{**s, "criteria": [{"id": "\0\0", "text": "-"}]}, *_ALONE["sections"]],
                     "rules": {}}, row)
        s["paired_with"] = cells.text(values, "paired_with") or None
        cells.rows.note(SECTIONS.name, s["code"], row)
        out.append({**s, "criteria": []})
    return out


def _criteria(cells: _Cells, sections: list[dict], max_default) -> None:
    by_code = {s["code"]: s for s in sections}
    top = {"max_default": max_default} if isinstance(max_default, int) and max_default >= 1 else {}
    for row, values in cells.table.rows:
        code = cells.text(values, "section")
        c = {"id": cells.text(values, "id"), "text": cells.text(values, "text")}
        for key in ("guidance", "no_needs_role", "action_template", "owner_type"):
            _put(c, key, cells.text(values, key))
        for key in ("max", "weight"):
            _put(c, key, cells.number(values, key))
        for key in ("statutory", "critical"):
            cells.put_flag(c, values, row, key)
        cells.judge({**top, "sections": [{"code": "\0", "criteria": [c]}], "rules": {}}, row)
        cells.rows.note(CRITERIA.name, c["id"], row)
        if code in by_code:
            by_code[code]["criteria"].append(c)
        else:
            cells.problem(row, "section", f"there is no section '{code}' on the Sections sheet" if code
                          else "give the code of the criterion's section")
    for s in sections:
        if not s["criteria"]:
            cells.problems.append(Problem(f"section '{s['code']}' has no criteria on the Criteria sheet",
                                          SECTIONS.name, cells.rows.get((SECTIONS.name, s["code"])), "Code"))


def _bands(cells: _Cells) -> list[dict]:
    bands = []
    for row, values in cells.table.rows:
        bands.append({"grade": cells.text(values, "grade")})
        _put(bands[-1], "min", cells.number(values, "min"))
        cells.rows.note(BANDS.name, bands[-1]["grade"], row)
    try:
        framework_from_json({"bands": bands, **_ALONE})
    except BadInputError as exc:
        m = re.search(r"bands\[(\d+)\]", exc.message)
        named = re.search(r"'([^']+)'", exc.message)
        row = cells.table.rows[int(m[1])][0] if m else cells.rows.get((BANDS.name, named[1])) if named else None
        cells.problems.append(Problem(exc.message, BANDS.name, row))
    return bands


def _rules(cells: _Cells) -> dict:
    rules: dict = {}
    for row, values in cells.table.rows:
        name = cells.text(values, "rule")
        if (RULES.name, name) in cells.rows:
            cells.problem(row, "rule", f"the rule '{name}' is listed twice (row {cells.rows[RULES.name, name]})")
            continue
        cells.rows.note(RULES.name, name, row)
        on: dict = {}
        cells.put_flag(on, values, row, "on")
        if not name:
            cells.problem(row, "rule", "give the rule's name")
        if not on.get("on") or not name:
            continue
        grade, at_least = cells.text(values, "grade"), cells.text(values, "section_grade")
        listed = [p.strip() for p in re.split(r"[;,]", cells.text(values, "sections")) if p.strip()]
        if name in ("statutory", "critical"):
            rules[name] = {"cap" if name == "statutory" else "grade": grade} if grade else {}
        elif name == "two_inadequate":
            rules[name] = {}
            _put(rules[name], "count", cells.number(values, "count"))
            _put(rules[name], "grade", grade)
        elif name == "outstanding_requires":
            required = {}
            for part in listed:
                code, colon, need = (x.strip() for x in part.partition(":"))
                if not colon or not code or not need:
                    cells.problem(row, "sections", f"'{part}' is not written as CODE: GRADE (e.g. F: Outstanding)")
                required[code] = need
            rules[name] = {"all_sections_at_least": at_least or None, "sections": required}
        else:
            rules.setdefault("section_caps", []).append({"name": name, "sections": listed})
            _put(rules["section_caps"][-1], "if_grade", at_least)
            _put(rules["section_caps"][-1], "cap", grade)
    return rules


_WHOLE = ((r"^section code '(.+?)' is used twice", SECTIONS, "Code"),
          (r"^criterion id '(.+?)' is used twice", CRITERIA, "Id"),
          (r"^section '(.+?)': (?:'paired_with'|paired section)", SECTIONS, "Paired with"),
          (r"^(sections):", SECTIONS, ""), (r"^(bands)", BANDS, ""))


def _locate(message: str, rows: _Rows, rules: dict) -> Problem:
    """Where on the sheets a problem `framework_from_json` found in the whole definition lies."""
    for pattern, layout, column in _WHOLE:
        if m := re.match(pattern, message):
            row = rows.get(("twice", layout.name, m[1]), rows.get((layout.name, m[1])))
            return Problem(message, layout.name, row, column)
    if m := re.match(r"^rules\.(\w+)(?:\[(\d+)\]| '(.+?)')?", message):
        name = m[1]
        if name == "section_caps":
            name = m[3] or (rules["section_caps"][int(m[2])]["name"] if m[2] else "")
        return Problem(message, RULES.name, rows.get((RULES.name, name)))
    return Problem(message)


def read_framework_workbook(path: Path) -> Generator[Progress, None, dict]:
    """The FRAMEWORK.json definition a framework workbook holds; BadInputError with every problem."""
    path = Path(path)
    problems: list[Problem] = []
    rows = _Rows()
    cells: dict[str, _Cells] = {}
    with B.ValueBook(path) as wb:
        for layout in (SECTIONS, CRITERIA, BANDS, RULES):
            title = B.find_sheet(wb, layout.name)
            if title is None:
                if layout is not RULES:  # without a Rules sheet, the default rules
                    problems.append(Problem(f"the workbook has no sheet named '{layout.name}', so it is not a "
                                            f"framework workbook", layout.name))
                continue
            wanted = {L.header_key(c.header) for c in layout.columns}
            table = yield from B.read_table(wb, title, lambda cols: len(wanted & set(cols)) * (
                len(wanted & set(cols)) >= 2), path.name)
            if table is None:
                problems.append(Problem(f"no header row found (expected columns such as "
                                        f"{', '.join(repr(c.header) for c in layout.columns[:3])})", title))
            else:
                cells[layout.name] = _Cells(table, layout, problems, rows)
        about = yield from B.read_about(wb, path.name)
    if problems:
        raise refuse(path.name, problems)
    top = _about(about, cells[SECTIONS.name])
    sections = _sections(cells[SECTIONS.name])
    _criteria(cells[CRITERIA.name], sections, top.get("max_default"))
    definition = {**top, "bands": _bands(cells[BANDS.name]), "sections": sections}
    if RULES.name in cells:
        definition["rules"] = _rules(cells[RULES.name])
    if problems:
        raise refuse(path.name, problems)
    try:
        framework_from_json(definition)
    except BadInputError as exc:
        raise refuse(path.name, [_locate(exc.message, rows, definition.get("rules", {}))]) from None
    return definition


def read_framework_json(path: Path) -> dict:
    """A FRAMEWORK.json file's definition, judged whole; `BadInputError` naming the file."""
    try:
        obj = json.loads(path.read_bytes()[:20_000_001].decode("utf-8-sig"))  # far beyond any framework
        framework_from_json(obj)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno}: {exc.msg})" if isinstance(exc, json.JSONDecodeError) else ""
        raise BadInputError(f"{path.name}: not valid JSON{where}, so not a FRAMEWORK.json",
                            [Problem(f"not valid JSON{where}")]) from None
    except BadInputError as exc:
        raise BadInputError(f"{path.name}: {exc.message}", [Problem(exc.message)]) from None
    except OSError as exc:
        raise BadInputError(f"{path.name}: the file cannot be read ({exc.strerror or exc})") from None
    return obj
