"""Reading a Priority Action Plan from an officer's own workbook (not one the application wrote).

`plan_import.import_plan` comes here when the workbook has no hidden id columns. The workbook is
read with the shared tolerant pieces (`xlsx.tolerant`) into the same `Book` the application's
own layout gives, and then goes through the same resolution (`plan_resolve`) and the same order
of work (`workbook_io.import_workbook`): a dry run first, one transaction, a backup, the change
log's source "import <file>". What this module adds:

- the header row is found below title and key rows, its columns named by the vocabulary or by a
  `ColumnMapping` (given, or remembered for this layout and offered by `preview_plan`);
- banner rows, merged or not ("1. Leaders ...", "2.4  Outcome: ..."), give the priority and
  outcome of the action rows below them; a row with no ref and no action, only success criteria
  or an update, continues the action above it (councils split long cells over rows);
- a status is a label, code or synonym of the plan's scale, or the fill of a blank cell; a new
  plan's scale is detected from the statuses and any key or legend, or chosen (`plan_scale`);
- workstream and people names written several ways are merged, and the report says so;
- an action is matched to the plan by its reference, then (for repeated references) by its
  wording; a row whose reference the plan lacks is matched by its wording to an action no row
  took (`plan_match`: a sure match updates it, a doubtful one only when the user accepts it);
  a field the workbook does not have keeps the plan's value; every duplicate reference is kept
  as its own action and reported;
- hidden rows (imported) and hidden sheets (not read), and formulas without a saved value (read
  as blank), are reported with their sheet, row and column;
- from `plan_stream.STREAM_ROWS` rows, what the rows make is written a part at a time as they are
  checked, in the same transaction, so that the records do not pile up (`plan_stream`).

Reading the workbook into rows, and the preview, are in `plan_foreign_read`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generator

from send_desktop.core.gc_pace import no_collections
from send_desktop.core.memory import release_after_job
from send_desktop.core.progress import Progress
from send_desktop.core.refs import normalise_ref
from send_desktop.errors import BadInputError, Problem
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.book_reader import Book, SheetRows
from send_desktop.xlsx.plan_foreign_read import KIND, ForeignPlan, Preview, SheetPreview, forget_refs, preview_plan, \
    read_foreign
from send_desktop.xlsx.tolerant.grid import GridBook
from send_desktop.xlsx.tolerant.headers import ColumnMapping
from send_desktop.xlsx.tolerant.names import NameMerger

__all__ = ["ForeignPlan", "Preview", "SheetPreview", "import_foreign_plan", "is_foreign", "preview_plan",
           "read_foreign", "to_book"]


# -- into the plan -------------------------------------------------------------------------------


def is_foreign(path: Path) -> bool:
    """Whether `path` is not a workbook the application wrote (no Plan sheet with an Action id column)."""
    try:
        book = GridBook(Path(path))
    except BadInputError:
        return False  # let the plan reader refuse it with its own message
    try:
        names = {L.header_key(n): n for n in book.sheet_names}
        title = names.get(L.header_key(L.PLAN.name))
        if title is None:
            return True
        head = book.grid(title).head(10)
        return not any(L.header_key(v) == L.header_key("Action id") for values in head for v in values
                       if isinstance(v, str))
    except Exception:  # noqa: BLE001 - a sheet calamine cannot read: the plan reader says why
        return False
    finally:
        book.close()


@dataclass
class Choices:
    """What the user chose for an officer's workbook (`plan_scale`, `plan_match`), and what the
    import made of it, for the report."""

    scale: str | None = None                 # a scale name of plan_scale.CHOICES; None: detected
    matches: dict | str | None = None        # plan_match decisions; None: only sure matches merge
    text_matches: list = field(default_factory=list)
    scale_info: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _existing_names(state) -> tuple[list[str], list[str]]:
    ws = [w.name for w in state.snap.workstreams] if state.snap else []
    return ws, [p.name for p in state.people]


def to_book(fp: ForeignPlan, state, choices: Choices | None = None) -> tuple[Book, list[Problem]]:
    """The workbook as the plan layout's `Book`, matched to the plan in `state`; and the warnings
    of reading it (to go before the resolution's own). What the user chose is read from
    `choices`, and the matches, the scale and any problem with the choices are put there."""
    from send_desktop.xlsx.plan_scale import choose_scale

    choices = choices if choices is not None else Choices()
    warnings = list(fp.warnings)
    rows = [r for s in fp.sheets for r in s.actions]
    headers = {s.name: s.header for s in fp.sheets}

    header_of = functools.lru_cache(maxsize=None)(lambda sheet, fld: headers[sheet].header_of(fld) if fld else "")

    def where(row, fld=""):
        sheet, excel_row = fp.where[row["_row"]]
        return sheet, excel_row, header_of(sheet, fld)

    scale = choose_scale(rows, fp.legend, state.snap, choices.scale, where)
    reader, detected = scale.reader, scale.used
    choices.scale_info, choices.problems = scale.info, list(scale.problems)
    warnings += scale.warnings

    # statuses
    read_status = functools.lru_cache(maxsize=None)(reader.read)
    for row in rows:
        if row["status_raw"]:
            row["status"] = read_status(row["status_raw"]) or row["status_raw"]
        elif row["status_fill"]:
            label = reader.from_fill(row["status_fill"])
            if label:
                row["status"] = label
            else:
                warnings.append(Problem(f"the status cell is blank and its colour ({row['status_fill']}) is not "
                                        "one of the scale's, so no status was read", *where(row, "status")))
    # names
    known_ws, known_people = _existing_names(state)
    wsm, pm = NameMerger(known_ws), NameMerger(known_people)
    leads_in = {s.name: "leads" if "leads" in s.header.columns.values() else "workstream" for s in fp.sheets}
    uses: tuple[dict, dict] = ({}, {})  # name -> [times, first row]: added once each, in the order first seen
    for row in rows:
        if row["workstream"]:
            _use(uses[0], row["workstream"], row)
        for n in row["leads"]:
            _use(uses[1], n, row)
    for merger, used, fld in ((wsm, uses[0], lambda row: "workstream"),
                              (pm, uses[1], lambda row: leads_in[fp.where[row["_row"]][0]])):
        for n, (times, row) in used.items():
            merger.add(n, *where(row, fld(row)), times=times)
    ws_name, person_name = (functools.lru_cache(maxsize=None)(m.resolve) for m in (wsm, pm))  # all added now
    for row in rows:
        row["workstream"] = ws_name(row["workstream"]) if row["workstream"] else ""
        row["leads"] = list(dict.fromkeys(person_name(n) for n in row["leads"]))
    for what, merger in (("workstream", wsm), ("person", pm)):
        for m in merger.merged():
            spelt = ", ".join(f"'{s}'" for s in m.spellings)
            warnings.append(Problem(f"the {what} names {spelt} were taken as one {what}: '{m.name}'",
                                    m.sheet, m.row, m.column))
    # duplicates: kept and flagged
    by_ref = defaultdict(list)
    for row in rows:
        if row["ref"]:
            by_ref[row["ref"]].append(row)
    for ref, same in by_ref.items():
        if len(same) > 1:
            places = "; ".join(f"sheet '{s}' row {r}" for s, r in (fp.where[x["_row"]] for x in same))
            warnings.append(Problem(f"the ref {ref} is on {len(same)} rows ({places}); each is kept as its own "
                                    "action", *where(same[0], "ref")))
    warnings += _match_actions(rows, by_ref, state, choices, lambda row: fp.where[row["_row"]])

    book = Book(fp.file)
    present = {"priority_ref", "priority", "outcome_ref", "outcome", "ref", "text", "workstream", "leads",
               "timescale", "status", "success_criteria", "action_uid", "outcome_uid", "priority_uid"}
    book.sheets[L.PLAN.name] = SheetRows(L.PLAN, rows, present, fp.title)
    new_ws = sorted({r["workstream"] for r in rows if r["workstream"]} - set(known_ws), key=str.casefold)
    if new_ws:
        book.sheets[L.WORKSTREAMS.name] = SheetRows(L.WORKSTREAMS, [
            {"_row": i, "name": n, "leads": [], "areas_of_focus": "", "uid": None} for i, n in enumerate(new_ws, 1)],
            {"name"})
    known_p = {" ".join(n.split()).casefold() for n in known_people}
    new_people = list(dict.fromkeys(n for r in rows for n in r["leads"] if n.casefold() not in known_p))
    if new_people:
        book.sheets[L.PEOPLE.name] = SheetRows(L.PEOPLE, [
            {"_row": i, "name": n, "role": "", "organisation": "", "uid": None}
            for i, n in enumerate(new_people, 1)], {"name"})
    if detected is not None:
        book.sheets[L.KEY.name] = SheetRows(L.KEY, [
            {"_row": i, "code": lv.code, "label": lv.label, "meaning": lv.meaning, "colour": lv.colour,
             "complete": "yes" if lv.complete else "no"} for i, lv in enumerate(detected.levels, 1)], {"code"})
        book.about = {L.header_key(L.ABOUT_TITLE): fp.title or Path(fp.file).stem,
                      L.header_key(L.ABOUT_SCALE): detected.name,
                      L.header_key(L.ABOUT_PRESET): detected.preset or ""}
        if scale.detected is detected:
            warnings.append(Problem(f"the new plan's rating scale is {detected.name}: {detected.reason}"))
        else:
            warnings.append(Problem(f"the new plan's rating scale is {detected.name}, as chosen (the detected "
                                    f"scale was {scale.detected.name}: {scale.detected.reason})"))
    return book, warnings


def _use(used: dict, name: str, row: dict) -> None:
    entry = used.get(name)
    if entry is None:
        used[name] = [1, row]
    else:
        entry[0] += 1


def _match_actions(rows: list[dict], by_ref: dict, state, choices: Choices, where) -> list[Problem]:
    """Give each row that matches an action of the plan that action's id: by reference, among
    repeated references by wording, then in order; the rows left over by wording (`plan_match`).
    Fields the workbook lacks keep the plan's values. Returns the warnings of matching by wording."""
    from send_desktop.xlsx.plan_match import match_by_wording

    if state.snap is None:
        return []
    actions = list(state.snap.actions())
    plan_by_ref = defaultdict(list)
    for a in actions:
        plan_by_ref[normalise_ref(a.ref)].append(a)
    taken = set()
    for ref, same in by_ref.items():
        candidates = list(plan_by_ref.get(ref, []))
        pairs = []
        for row in same:
            key = " ".join(row["text"].split()).casefold()
            a = next((a for a in candidates if " ".join(a.text.split()).casefold() == key), None)
            if a is not None:
                candidates.remove(a)
                pairs.append((row, a))
        for row in same:
            if candidates and all(row is not p[0] for p in pairs):
                pairs.append((row, candidates.pop(0)))
        for row, a in pairs:
            row["action_uid"] = a.uid
            taken.add(a.uid)
            _keep_plan_values(row, a)
    free = [a for a in actions if a.uid not in taken]
    found, warnings = match_by_wording(rows, free, where, choices.matches)
    choices.text_matches = found
    free_by_uid = {a.uid: a for a in free}
    merged = {m.action_uid for m in found if m.merged}
    for row in rows:
        if row["action_uid"] in merged:
            _keep_plan_values(row, free_by_uid[row["action_uid"]])
    return warnings


def _keep_plan_values(row: dict, a) -> None:
    """A field the workbook has no column for keeps the action's value."""
    present = row["_present"]
    if "text" not in present or not row["text"]:
        row["text"] = a.text
    if "workstream" not in present:
        row["workstream"] = a.workstream or ""
    if "leads" not in present and not ("workstream" in present and row["leads"]):
        row["leads"] = list(a.leads)
    if "timescale" not in present and "due" not in present:
        row["timescale"] = a.timescale or ""
    if "success_criteria" not in present:
        row["success_criteria"] = "\n".join(a.success_criteria)


def remap(problems: list, fp: ForeignPlan) -> list:
    """The resolution's problems, which name the plan layout's sheet and columns, as the workbook's."""
    ours = {c.header: c.key for c in L.PLAN.columns}
    headers = {s.name: s.header for s in fp.sheets}
    out = []
    for p in problems:
        if not isinstance(p, Problem) or p.sheet != L.PLAN.name:
            out.append(p)
            continue
        if p.message.startswith("the ref ") and "kept as separate actions" in p.message:
            continue  # reported with the workbook's own sheets and rows instead
        if p.row in fp.where:
            sheet, row = fp.where[p.row]
        else:
            sheet, row = (fp.sheets[0].name if fp.sheets else ""), None
        key = ours.get(p.column, "")
        column = headers[sheet].header_of({"status": "status"}.get(key, key)) if sheet in headers and key else ""
        out.append(Problem(p.message, sheet, row, column))
    return out


def import_foreign_plan(db, path: Path, report, *, dry_run: bool, source: str, today: dt.date,
                        mapping: dict | ColumnMapping | None, scale: str | None = None,
                        matches: dict | str | list | None = None) -> Generator[Progress, None, object]:
    """`import_plan` for an officer's own workbook: the order of `workbook_io.import_workbook`.
    `scale` chooses a new plan's scale (`plan_scale`); `matches` decides doubtful matches by
    wording (`plan_match`). The report gains the matches and the scale (`ImportReport.matches`)."""
    from send_desktop.xlsx.plan_match import check_decisions
    from send_desktop.xlsx.plan_scale import scale_key
    from send_desktop.xlsx import workbook_io as W
    from send_desktop.xlsx.plan_apply import apply_changes
    from send_desktop.xlsx.plan_import import _state
    from send_desktop.xlsx.plan_resolve import Resolver
    from send_desktop.xlsx.plan_stream import Stream
    from send_desktop.xlsx.tolerant.mappings import remember_mapping

    scale_key(scale)  # a name that is no scale is refused before the file is read
    decisions = check_decisions(matches)
    # The ORM set up before the rows are read, not among them: what it keeps for good would
    # otherwise be scattered through the rows' memory and hold it after they go (a command-line
    # import in a fresh process; the window does this at start).
    if hasattr(db, "prepare_orm"):
        db.prepare_orm()

    def read(p):
        return (yield from read_foreign(p, mapping, db, today))

    def resolve(s, fp):
        state = _state(db, s, "")
        choices = Choices(scale, decisions)
        book, first = to_book(fp, state, choices)
        for sheet in fp.sheets:  # the book holds every row now; each goes once it is resolved
            sheet.actions = []
        yield Progress(0, 0, "Checking the workbook against the plan")
        r = Resolver(book, state, today=today, user=db.user)
        r.consume_rows, r.kept_of = True, _narrative  # of each row, only its update is wanted after
        r.tolerant = True
        if W.may_write(db, dry_run) and not choices.problems and book.rows(L.UPDATES) is None:
            # written as it is checked, a part at a time (plan_stream): the file is still refused
            # whole, the transaction rolled back, on any problem
            r.stream = Stream(lambda part: apply_changes(s, part), lambda: W.backup_before_import(db, dry_run),
                              lambda statuses, rows: _annotate(statuses, rows, fp.file))
        cs = yield from r.steps()
        _annotate(cs.statuses, getattr(r, "plan_rows", []), fp.file)
        r.plan_rows = []
        cs.problems[:] = choices.problems + remap(cs.problems, fp)
        cs.warnings[:] = first + remap(cs.warnings, fp)
        report.matches = [m.as_dict() for m in choices.text_matches]
        report.scale = choices.scale_info
        cs.foreign = fp
        return cs

    def apply(s, cs):
        for sheet in cs.foreign.sheets:  # offered the next time this layout arrives
            remember_mapping(s, KIND, sheet.header.signature, sheet.header.mapping)
        yield from apply_changes(s, cs)

    # An import of 100,000 rows makes millions of small objects that all live until it ends:
    # collecting at all only re-scans them (core.gc_pace).
    try:
        with no_collections():
            return (yield from W.import_workbook(db, path, report, read=read, resolve=resolve, apply=apply,
                                                 source=source, dry_run=dry_run,
                                                 checking="Checking the workbook against the plan"))
    finally:  # what the rows left behind goes back, so a dry run and then the import do not add up
        forget_refs()
        release_after_job(collect=report.created + report.updated + report.unchanged >= LARGE_IMPORT)


#: from this many actions an import ends with a full collection (`core.memory.release_after_job`):
#: some 30 MB back after 100,000 rows, for a pause of about 0.3 s with such a plan open
LARGE_IMPORT = 20_000


def _annotate(statuses: list, plan_rows: list, file: str) -> None:
    """A status update a row's Status cell made takes that row's progress update as its narrative."""
    narratives = {}
    for note, action, level, before in plan_rows:
        if note:
            narratives.setdefault(action, note)  # an action id, or its New record (hashed as itself)
    for new in statuses:
        note = narratives.get(new.values["action_id"])
        if note:
            new.values["narrative"] = f"{note}\n(Status set in {file})"


def _narrative(row: dict) -> str:
    """What the resolution keeps of a Plan row once it has resolved it: its progress update."""
    return row.get("narrative") or ""
