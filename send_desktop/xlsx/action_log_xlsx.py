"""The action log as a workbook officers keep: export, and import of the copy they send back.

The Actions sheet is the layout boards already use (number, meeting date, action, owner, due,
status, the latest update) plus the board, the links and hidden ids; every update is on the
Updates sheet. The import follows every import's order of work (`workbook_io.import_workbook`):
read every sheet, match it against the database inside one write transaction collecting every
problem (`action_log_resolve`, which says how rows find their records), refuse the whole file on
any problem, back up, write through the ORM, commit; a dry run writes and rolls back so it
reports exactly what a real run would. Rows taken out are not deleted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Generator

from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from send_desktop.core.progress import Progress
from send_desktop.services import meeting_read as R
from send_desktop.xlsx import layout as L
from send_desktop.xlsx import sheets as S
from send_desktop.xlsx import workbook_io as W
from send_desktop.xlsx.book_reader import Book, read_layout_book
from send_desktop.xlsx.plan_import import ImportReport

LAYOUT_NAME = "send-desktop action log"
STATUS_LABELS = {s: s.capitalize() for s in R.ACTION_STATUSES}
STATUS_FILLS = {"in progress": "FFE699", "closed": "C6EFCE", "superseded": "D9D9D9"}


@dataclasses.dataclass(frozen=True)
class _HiddenList(L.Column):
    """Several stable ids in one hidden cell (an action's links, in the order of its Links cell)."""

    @property
    def hidden(self) -> bool:
        return True


ACTIONS = L.SheetLayout("Actions", (
    L.Column("number", "No.", 6),
    L.Column("meeting_date", "Meeting date", 13, L.DATE),
    L.Column("text", "Action", 60, L.LONG),
    L.Column("owner", "Owner", 24),
    L.Column("due", "Due", 12, L.DATE),
    L.Column("status", "Status", 13, L.STATUS),
    L.Column("update", "Update", 55, L.LONG, required=False),
    L.Column("updated_on", "Updated", 12, L.DATE, required=False),
    L.Column("board", "Board", 24, required=False),
    L.Column("links", "Links", 26, L.NAMES, required=False),
    L.uid_column("uid", "Action"),
    L.uid_column("meeting_uid", "Meeting"),
    _HiddenList("link_uids", "Link ids", 34, L.NAMES, required=False),
), required=True)

UPDATES = L.SheetLayout("Updates", (
    L.Column("board", "Board", 24, required=False),
    L.Column("meeting_date", "Meeting date", 13, L.DATE),
    L.Column("number", "No.", 6),
    L.Column("date", "Date", 12, L.DATE),
    L.Column("text", "Update", 70, L.LONG),
    L.Column("author", "By", 24),
    L.uid_column("action_uid", "Action"),
    L.uid_column("uid", "Update"),
))

SHEETS = (ACTIONS, UPDATES, L.ABOUT)

NOTES = (
    "One row per action. Edit the owner, due date, status or text, or write the latest news in the "
    "Update column, then import the workbook back into send-desktop.",
    "A new or changed Update becomes a new dated update: dated by the Updated column if you change "
    "it too, otherwise the day of the import. Every update is listed on the Updates sheet.",
    "Status: choose Open, In progress, Closed or Superseded from the drop-down.",
    "New actions: add a row with the meeting date and board, leaving No. blank for the next number "
    "and the hidden id columns empty.",
    "Links name a plan action, risk or KPI by reference, separated by semicolons: "
    "Plan action 2.4.1; Risk R3; KPI K12.",
    "Rows taken out of this workbook are not deleted from the database.",
)


# -- export ---------------------------------------------------------------------------------------

def _link_text(links) -> tuple[str, str]:
    return "; ".join(link.label for link in links), "; ".join(link.target_uid for link in links)


def _rows(db) -> tuple[list[list], list[list]]:
    actions = R.tracker(db)
    with db.reading() as con:
        updates = R.all_updates(con)
        links = R.action_links(con)
    action_rows, update_rows = [], []
    for a in actions:
        labels, uids = _link_text(links.get(a.id, []))
        action_rows.append([a.number, a.meeting_date, a.text, a.owner, a.due_date, STATUS_LABELS[a.status],
                            a.latest_update, a.updated_on, a.board, labels, a.uid, a.meeting_uid, uids])
        update_rows += [[a.board, a.meeting_date, a.number, u.date, u.text, u.author, a.uid, u.uid]
                        for u in updates.get(a.id, [])]
    return action_rows, update_rows


def _about_rows(db, now: dt.datetime) -> list[list]:
    return S.about_rows(db, [["Layout", LAYOUT_NAME]], NOTES, now)


def _status_rules(ws, rows: int) -> None:
    """A status drop-down, status colours, and overdue due dates in red (worked out by Excel
    from TODAY(), so the sheet stays right on the day it is opened)."""
    status, due = (get_column_letter(ACTIONS.position(k)) for k in ("status", "due"))
    last = rows + 1 + S.SPARE_ROWS
    dv = DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="Status",
                        error="Choose Open, In progress, Closed or Superseded.")
    dv.add(f"{status}2:{status}{last}")
    ws.data_validations.append(dv)
    for key, fill in STATUS_FILLS.items():
        ws.conditional_formatting.add(f"{status}2:{status}{last}", CellIsRule(
            operator="equal", formula=[f'"{STATUS_LABELS[key]}"'], fill=PatternFill("solid", start_color=fill,
                                                                                     end_color=fill)))
    ws.conditional_formatting.add(f"{due}2:{due}{last}", FormulaRule(
        formula=[f'AND({due}2<>"",{due}2<TODAY(),OR({status}2="Open",{status}2="In progress"))'],
        font=Font(color="9C0006", bold=True), fill=PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")))


def export_actions(db, path: Path) -> Generator[Progress, None, Path]:
    """Write every meeting action to `path` (.xlsx), oldest meeting first; returns the path."""
    path = W.check_target(path, ".xlsx")
    action_rows, update_rows = _rows(db)
    rows = {ACTIONS.name: action_rows, UPDATES.name: update_rows, L.ABOUT.name: _about_rows(db, dt.datetime.now())}
    total = sum(len(r) for r in rows.values())
    yield Progress(0, total, "Preparing the workbook")
    wb = S.new_workbook()
    sheets = {layout.name: S.prepare_sheet(wb, layout, len(rows[layout.name])) for layout in SHEETS}
    styles = S.Styles(sheets[ACTIONS.name])
    done = 0
    for layout in SHEETS:
        yield from S.fill_sheet(sheets[layout.name], layout, styles, rows[layout.name], done, total)
        done += len(rows[layout.name])
    _status_rules(sheets[ACTIONS.name], len(action_rows))
    yield Progress(total, total, f"Saving {path.name}")
    return W.save_workbook(wb, path)


# -- reading and importing --------------------------------------------------------------------------

def read_log(path: Path) -> Generator[Progress, None, Book]:
    """The workbook's Actions, Updates and About sheets as rows, cell problems collected."""
    return (yield from read_layout_book(path, SHEETS, "an action log"))


def import_actions(db, path: Path, dry_run: bool = False, source: str = "", today: dt.date | None = None,
                   strategy: str | None = None, delete_missing: bool = False,
                   mapping: dict | None = None,
                   decisions: dict | None = None) -> Generator[Progress, None, ImportReport]:
    """Import an action log written by `export_actions` (and edited since); see the module docstring.
    `strategy`, `decisions` and `delete_missing`: see `workbook_io.import_workbook`.

    An officer's own action log (no Actions sheet with hidden action ids), or any workbook given a
    column `mapping` ({"column header": "field"}), is read by `action_log_foreign` instead."""
    from send_desktop.storage.models import MeetingAction
    from send_desktop.services.meeting_actions import apply_log
    from send_desktop.xlsx import action_log_foreign
    from send_desktop.xlsx.action_log_resolve import resolve_log

    if mapping is not None or action_log_foreign.is_foreign(Path(path)):
        from send_desktop.xlsx.merge_decisions import no_decisions

        no_decisions(decisions, "an officer's own workbook has no export to conflict with")
        return (yield from action_log_foreign.import_foreign_actions(
            db, Path(path), ImportReport(kind="actions", file=Path(path).name, dry_run=dry_run), dry_run=dry_run,
            source=source, today=today or dt.date.today(), mapping=mapping))

    def changes(s, book):
        return resolve_log(s, book, today or dt.date.today(), db.user)

    return (yield from W.import_workbook(db, path, ImportReport(kind="actions", file=Path(path).name, dry_run=dry_run),
                                         read=read_log, resolve=changes, apply=apply_log, source=source,
                                         dry_run=dry_run, checking="Checking the workbook against the meetings",
                                         strategy=strategy, delete_missing=delete_missing, decisions=decisions,
                                         main=(MeetingAction, ACTIONS.name)))
