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
    `choices`, and the matches, the scale and any problem with the choices are put there.

    The rows stay where the reading left them (mostly on disk, `row_spill`): one pass over them
    gathers what needs every row (the statuses, the names, the refs), and the book's Plan rows
    are a `_PlanRows` that finishes each row (its status, its names, its match to the plan) as the
    resolution reads it, so the rows are never all in memory at once."""
    from send_desktop.xlsx.plan_scale import choose_scale

    choices = choices if choices is not None else Choices()
    warnings = list(fp.warnings)
    headers = {s.name: s.header for s in fp.sheets}

    header_of = functools.lru_cache(maxsize=None)(lambda sheet, fld: headers[sheet].header_of(fld) if fld else "")

    def where_at(internal: int, fld=""):
        sheet, excel_row = fp.where[internal]
        return sheet, excel_row, header_of(sheet, fld)

    def where(row, fld=""):
        return where_at(row["_row"], fld)

    plan_by_ref = defaultdict(list)
    actions = list(state.snap.actions()) if state.snap is not None else []
    for a in actions:
        plan_by_ref[normalise_ref(a.ref)].append(a)
    survey = _Survey(plan_by_ref)
    rows = survey.rows(fp.rows())
    scale = choose_scale(rows, fp.legend, state.snap, choices.scale, where)
    for _ in rows:  # the rows the scale did not need to see (a plan's own scale needs none)
        pass
    reader, detected = scale.reader, scale.used
    choices.scale_info, choices.problems = scale.info, list(scale.problems)
    warnings += scale.warnings

    # statuses: a blank cell's fill that is not one of the scale's colours is reported, row by row
    read_status = functools.lru_cache(maxsize=None)(reader.read)
    from_fill = functools.lru_cache(maxsize=None)(reader.from_fill)
    unread = sorted((internal, fill) for fill, at in survey.fills.items() if not from_fill(fill) for internal in at)
    for internal, fill in unread:
        warnings.append(Problem(f"the status cell is blank and its colour ({fill}) is not one of the scale's, "
                                "so no status was read", *where_at(internal, "status")))
    # names
    known_ws, known_people = _existing_names(state)
    wsm, pm = NameMerger(known_ws), NameMerger(known_people)
    leads_in = {s.name: "leads" if "leads" in s.header.columns.values() else "workstream" for s in fp.sheets}
    for merger, used, fld in ((wsm, survey.uses[0], lambda internal: "workstream"),
                              (pm, survey.uses[1], lambda internal: leads_in[fp.where[internal][0]])):
        for n, (times, internal) in used.items():
            merger.add(n, *where_at(internal, fld(internal)), times=times)
    ws_name, person_name = (functools.lru_cache(maxsize=None)(m.resolve) for m in (wsm, pm))  # all added now
    for what, merger in (("workstream", wsm), ("person", pm)):
        for m in merger.merged():
            spelt = ", ".join(f"'{s}'" for s in m.spellings)
            warnings.append(Problem(f"the {what} names {spelt} were taken as one {what}: '{m.name}'",
                                    m.sheet, m.row, m.column))
    # duplicates: kept and flagged
    for ref, first in survey.first_at.items():
        more = survey.more_at.get(ref)
        if more:
            same = [first] + more
            places = "; ".join(f"sheet '{s}' row {r}" for s, r in (fp.where[x] for x in same))
            warnings.append(Problem(f"the ref {ref} is on {len(same)} rows ({places}); each is kept as its own "
                                    "action", *where_at(first, "ref")))
    survey.first_at, survey.more_at = {}, {}  # the resolution counts the refs again, as it reads them
    assign: dict[int, object] = {}  # row -> the action of the plan it updates
    warnings += _match_actions(fp, survey.same_ref, plan_by_ref, actions, assign, choices,
                               lambda row: fp.where[row["_row"]])

    def finish(row: dict) -> dict:
        raw = row["status_raw"]
        if raw:
            row["status"] = read_status(raw) or raw
        elif row["status_fill"]:
            row["status"] = from_fill(row["status_fill"]) or ""
        row["workstream"] = ws_name(row["workstream"]) if row["workstream"] else ""
        row["leads"] = list(dict.fromkeys(person_name(n) for n in row["leads"]))
        a = assign.get(row["_row"]) if assign else None
        if a is not None:
            row["action_uid"] = a.uid
            _keep_plan_values(row, a)
        return row

    book = Book(fp.file)
    present = {"priority_ref", "priority", "outcome_ref", "outcome", "ref", "text", "workstream", "leads",
               "timescale", "status", "success_criteria", "action_uid", "outcome_uid", "priority_uid"}
    book.sheets[L.PLAN.name] = SheetRows(L.PLAN, _PlanRows(fp, finish, survey.count), present, fp.title)
    # A row that keeps the plan's workstream or leads (`_keep_plan_values`) had none of its own,
    # and the plan's are known: the new names are those of the workbook's cells.
    new_ws = sorted({ws_name(n) for n in survey.uses[0]} - set(known_ws), key=str.casefold)
    if new_ws:
        book.sheets[L.WORKSTREAMS.name] = SheetRows(L.WORKSTREAMS, [
            {"_row": i, "name": n, "leads": [], "areas_of_focus": "", "uid": None} for i, n in enumerate(new_ws, 1)],
            {"name"})
    known_p = {" ".join(n.split()).casefold() for n in known_people}
    new_people = list(dict.fromkeys(p for p in map(person_name, survey.uses[1]) if p.casefold() not in known_p))
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


class _Survey:
    """What `to_book` needs of every row, gathered as the rows go by once (`rows`): the rows whose
    status cell is blank, by its fill; each name with how often it is used and its first row; the
    first row of each ref and the later rows of a repeated one; and, of the rows whose ref the plan
    has, the row and its wording, to pair them with the plan's actions. Rows are kept as their
    internal numbers ("_row"), never as the rows."""

    def __init__(self, plan_by_ref: dict):
        self.plan_by_ref = plan_by_ref
        self.count = 0
        self.fills: dict[str, list[int]] = defaultdict(list)
        self.uses: tuple[dict, dict] = ({}, {})  # name -> [times, first row]: in the order first seen
        self.first_at: dict[str, int] = {}
        self.more_at: dict[str, list[int]] = defaultdict(list)
        self.same_ref: dict[str, list[tuple[int, str]]] = defaultdict(list)  # ref the plan has -> [(row, wording)]

    def rows(self, rows):
        plan_by_ref, fills, (ws_uses, lead_uses) = self.plan_by_ref, self.fills, self.uses
        first_at, more_at = self.first_at, self.more_at
        for row in rows:
            self.count += 1
            internal = row["_row"]
            if not row["status_raw"] and row["status_fill"]:
                fills[row["status_fill"]].append(internal)
            if row["workstream"]:
                _use(ws_uses, row["workstream"], internal)
            for n in row["leads"]:
                _use(lead_uses, n, internal)
            ref = row["ref"]
            if ref:
                if ref in first_at:
                    more_at[ref].append(internal)
                else:
                    first_at[ref] = internal
                if ref in plan_by_ref:
                    self.same_ref[ref].append((internal, row["text"]))
            yield row


class _PlanRows:
    """The book's Plan rows for the resolution: read back sheet by sheet, each finished by `finish`
    as it is reached (see `to_book`). It is read once, in order, as the resolution reads a list."""

    def __init__(self, fp: ForeignPlan, finish, count: int):
        self.fp, self.finish, self.count = fp, finish, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        return map(self.finish, self.fp.rows())


def _use(used: dict, name: str, internal: int) -> None:
    entry = used.get(name)
    if entry is None:
        used[name] = [1, internal]
    else:
        entry[0] += 1


def _match_actions(fp: ForeignPlan, same_ref: dict, plan_by_ref: dict, actions: list, assign: dict,
                   choices: Choices, where) -> list[Problem]:
    """Which action of the plan each row updates, in `assign` (row -> action): by reference, among
    repeated references by wording, then in order; the rows left over by wording (`plan_match`,
    over one more pass of the rows). Fields the workbook lacks keep the plan's values (as each row
    is finished, `to_book`). Returns the warnings of matching by wording."""
    from send_desktop.xlsx.plan_match import match_by_wording

    if not actions:
        return []
    taken = set()
    for ref, same in same_ref.items():
        candidates = list(plan_by_ref.get(ref, []))
        pairs = []
        for internal, text in same:
            key = " ".join(text.split()).casefold()
            a = next((a for a in candidates if " ".join(a.text.split()).casefold() == key), None)
            if a is not None:
                candidates.remove(a)
                pairs.append((internal, a))
        paired = {p[0] for p in pairs}
        for internal, _ in same:
            if candidates and internal not in paired:
                pairs.append((internal, candidates.pop(0)))
        for internal, a in pairs:
            assign[internal] = a
            taken.add(a.uid)
    free = [a for a in actions if a.uid not in taken]
    rows = []
    if free:  # the rows no action took, with what matching by wording reads of them
        rows = [{"_row": row["_row"], "ref": row["ref"], "text": row["text"], "outcome_ref": row["outcome_ref"],
                 "action_uid": None} for row in fp.rows() if row["text"] and row["_row"] not in assign]
    found, warnings = match_by_wording(rows, free, where, choices.matches)
    choices.text_matches = found
    free_by_uid = {a.uid: a for a in free}
    for row in rows:  # a merged row was given its action's uid
        if row["action_uid"] in free_by_uid:
            assign[row["_row"]] = free_by_uid[row["action_uid"]]
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
        book, first = to_book(fp, state, choices)  # its rows are read back from fp's blocks as checked
        yield Progress(0, 0, "Checking the workbook against the plan")
        r = Resolver(book, state, today=today, user=db.user)
        r.kept_of = _narrative  # of each row, only its update is wanted after
        r.tolerant = True
        if W.may_write(db, dry_run) and not choices.problems and book.rows(L.UPDATES) is None:
            # written as it is checked, a part at a time (plan_stream): the file is still refused
            # whole, the transaction rolled back, on any problem
            r.stream = Stream(lambda part: apply_changes(s, part), lambda: W.backup_before_import(db, dry_run),
                              lambda statuses, rows: _annotate(statuses, rows, fp.file))
        try:
            cs = yield from r.steps()
        finally:  # the rows' blocks on disk go as soon as they are checked
            fp.close()
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
