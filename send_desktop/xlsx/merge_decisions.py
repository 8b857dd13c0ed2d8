"""Conflicts one by one: what each is called, what is shown of it, and the user's decision on it.

The rules (see `merge` for what a conflict is):

- a conflict is named by a stable key, (entity, record uid, field): the table, the uid of the row
  the workbook holds it on (a KPI's uid for its values, targets and comparators, with the period or
  comparator after the field: "text@2025-26") and the field as the database names it. The same
  field of the same record in the same workbook gets the same key in the dry run and the real run,
  so a decision made on one is read by the other;
- `Conflict` carries what people are shown: the record, the field's label (its column header),
  the value exported (base), the database's now (mine) and the workbook's (theirs), as text, and
  the sheet, row and column the workbook holds it in;
- a decision is "mine" (keep the database's value), "theirs" (take the workbook's) or
  ("edit", text): a value typed by the user. An edited value is put into the workbook as read, in
  the conflict's cell, before anything is worked out, so it passes through exactly the rules any
  value of that column does (the cell's reader here, then the kind's resolver: a status must be a
  level of the scale, a score must be on the matrix); one that fails refuses the whole import with
  its sheet, row and column, like a bad cell. Only a field with a cell can be edited (`editable`):
  not a status update, a KPI's value cells, or a record removed in the workbook;
- conflicts without a decision are settled by the strategy (`merge.check_strategy`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from send_desktop.errors import Problem, UserError

CHOICES = ("mine", "theirs", "edit")

#: a database field -> the column key it is read from, where the two are named differently
COLUMN_OF = {"due_date": "due", "workstream_id": "workstream", "category_id": "category", "priority_id": "priority",
             "current_likelihood": "likelihood", "current_impact": "impact", "level_id": "status"}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Conflict:
    """One field changed both in the workbook and in the database since the export."""

    entity: str
    uid: str
    field: str
    record: str          # "action 1.2.3", as people name the record
    label: str           # the field as the workbook heads it ("Due"), else its name
    base: str | None     # as exported; None: blank
    mine: str | None     # the database's now
    theirs: str | None   # the workbook's
    sheet: str = ""
    row: int | None = None
    column: str = ""
    editable: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.entity, self.uid, self.field)

    def as_dict(self) -> dict:
        return asdict(self)


def shown(value) -> str | None:
    """A logged value as people read it: dates as dd/mm/yyyy, blank as None."""
    if value is None or value == "":
        return None
    text = str(value)
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
        except ValueError:
            return text
    return text


def check_decisions(decisions) -> dict:
    """`decisions` as {key: "mine" | "theirs" | ("edit", text)}, or a `UserError` naming what is wrong."""
    out: dict = {}
    for key, choice in (decisions or {}).items():
        if not (isinstance(key, tuple) and len(key) == 3 and all(isinstance(k, str) for k in key)):
            raise UserError(f"{key!r} does not name a conflict: give (entity, uid, field)")
        key = (key[0], key[1].lower(), key[2])
        if isinstance(choice, (tuple, list)) and len(choice) == 2 and choice[0] == "edit":
            out[key] = ("edit", "" if choice[1] is None else str(choice[1]))
        elif choice in ("mine", "theirs"):
            out[key] = choice
        else:
            raise UserError(f"'{choice}' is not a decision on a conflict; give mine, theirs or edit with a value.")
    return out


def decisions_from_list(items, name: str = "the decisions") -> dict:
    """The decisions of a JSON list of {"entity", "uid", "field", "choice", "value"} (`--decisions`),
    as `check_decisions` takes them; a `UserError` naming the item that is wrong."""
    if not isinstance(items, list):
        raise UserError(f'{name}: give a list of {{"entity", "uid", "field", "choice", "value"}}')
    out: dict = {}
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k)
                                                 for k in ("entity", "uid", "field", "choice")):
            raise UserError(f'{name}: item {n} needs "entity", "uid", "field" and "choice"')
        choice = item["choice"]
        if choice not in CHOICES:
            raise UserError(f"{name}: item {n}: '{choice}' is not a choice; give mine, theirs or edit")
        if choice == "edit" and "value" not in item:
            raise UserError(f'{name}: item {n}: "edit" needs a "value"')
        key = (item["entity"], item["uid"].lower(), item["field"])
        out[key] = ("edit", item["value"]) if choice == "edit" else choice
    return check_decisions(out)


def edits(decisions: dict) -> dict:
    return {key: choice[1] for key, choice in decisions.items() if isinstance(choice, tuple)}


def place_edits(book, decisions: dict, locate, typed_over: dict | None = None) -> list[Problem]:
    """Put each edited value into `book` (as read) in its conflict's cell, read by that column's
    reader; the problems of values that cannot be (a bad date), or of fields without a cell.
    `typed_over` gets, by key, the workbook's own value each replaced, as people read it."""
    from send_desktop.xlsx import layout as L

    problems = []
    cell = getattr(locate, "cell", None)
    for (entity, uid, fld), text in edits(decisions).items():
        found = cell(uid, fld) if cell is not None else None
        if found is None:
            problems.append(Problem(f"the {fld.replace('_', ' ')} of the {entity.replace('_', ' ')} with id {uid} "
                                    "cannot be typed in here; keep mine or take theirs for it"))
            continue
        sheet, row, column = found
        if typed_over is not None:
            old = row.get(column.key)
            typed_over[(entity, uid, fld)] = shown("; ".join(old) if isinstance(old, list) else L.text(old))
        try:
            row[column.key] = L.READERS.get(column.kind, L.text)(text)
        except L.CellError as exc:
            problems.append(Problem(f"the value typed for {column.header} cannot be used: {exc}", sheet,
                                    row.get("_row"), column.header))
    return problems


def no_decisions(decisions, what: str) -> None:
    """For the imports without field conflicts (`what`: "audit workbooks compare whole audits"):
    decisions given there would be left unread, so they are refused."""
    if decisions:
        raise UserError(f"Decisions on single fields are not read here: {what}.")
