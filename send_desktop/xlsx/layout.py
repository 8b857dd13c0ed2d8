"""The plan workbook's layout: its sheets, their columns, and how each kind of cell is read.

One definition serves both directions: `plan_export` writes the headers, widths and hidden id
columns from it and `plan_import` finds and converts the same columns with it, so a renamed
header or an added column cannot drift between the two.

Cells are read forgivingly because officers edit these files by hand: surrounding whitespace is
ignored, Windows line ends become plain ones, numbers typed into text cells become text, and
dates may arrive as real dates, Excel serial numbers or text. What cannot be understood is
reported as a message naming the value, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

LAYOUT_NAME = "send-desktop plan workbook"
DATE_FORMAT = "dd/mm/yyyy"

# Kinds of cell. They decide how the export styles a column and how the import converts it.
TEXT = "text"      # a short value on one line
LONG = "long"      # a paragraph, wrapped
LINES = "lines"    # one item per line in the cell (success criteria, areas of focus)
REF = "ref"        # a reference such as 2.4.1
DATE = "date"      # a real Excel date shown as dd/mm/yyyy
UID = "uid"        # a stable id written by send-desktop, kept in a hidden column
NAMES = "names"    # people's names separated by "; "
STATUS = "status"  # a level of the plan's rating scale, by label


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    kind: str = TEXT
    #: the import refuses a sheet without it; optional columns are shown for reading
    #: (Due, Last update, Latest narrative) or repeated from another sheet.
    required: bool = True

    @property
    def hidden(self) -> bool:
        return self.kind == UID

    @property
    def wrap(self) -> bool:
        return self.kind in (LONG, LINES, NAMES)


@dataclass(frozen=True)
class SheetLayout:
    name: str
    columns: tuple[Column, ...]
    title_row: bool = False  # a title above the header (the Plan sheet)
    required: bool = False   # the import refuses a workbook without this sheet

    @property
    def header_row(self) -> int:
        return 2 if self.title_row else 1

    def position(self, key: str) -> int:
        """1-based column number of a key, as Excel counts."""
        for i, col in enumerate(self.columns, 1):
            if col.key == key:
                return i
        raise KeyError(key)


def uid_column(key: str, what: str) -> Column:
    """A hidden column holding the stable id of a `what` ("Action id")."""
    return Column(key, f"{what} id", 34, UID)


PLAN = SheetLayout("Plan", (
    Column("priority_ref", "Priority ref", 9, REF),
    Column("priority", "Priority", 40, LONG, required=False),
    Column("outcome_ref", "Outcome ref", 9, REF),
    Column("outcome", "Outcome", 40, LONG, required=False),
    Column("ref", "Ref", 9, REF),
    Column("text", "Actions \u2013 what we will do", 50, LONG),
    Column("workstream", "Workstream", 24),
    Column("leads", "Lead officers", 24, NAMES),
    Column("timescale", "Timescale", 14),
    Column("due", "Due", 12, DATE, required=False),
    Column("status", "Status", 12, STATUS),
    Column("last_update", "Last update", 12, DATE, required=False),
    Column("narrative", "Latest narrative", 45, LONG, required=False),
    Column("success_criteria", "Success criteria / key results", 45, LINES),
    uid_column("action_uid", "Action"),
    uid_column("outcome_uid", "Outcome"),
    uid_column("priority_uid", "Priority"),
), title_row=True, required=True)

UPDATES = SheetLayout("Updates", (
    Column("action_ref", "Action ref", 10, REF),
    Column("date", "Date", 12, DATE),
    Column("status", "Status", 12, STATUS),
    Column("narrative", "Narrative", 60, LONG),
    Column("evidence", "Evidence", 40, LONG),
    Column("author", "Author", 22),
    uid_column("action_uid", "Action"),
    uid_column("uid", "Update"),
))

PRIORITIES = SheetLayout("Priorities", (
    Column("ref", "Ref", 9, REF),
    Column("kind", "Kind", 24),
    Column("statement", "Statement", 60, LONG),
    Column("workstream", "Workstream", 28),
    Column("evidence_of_impact", "How we will evidence impact", 50, LINES),
    Column("difference_for_cyp", "Difference for children and young people", 50, LINES),
    uid_column("uid", "Priority"),
))

OUTCOMES = SheetLayout("Outcomes", (
    Column("priority_ref", "Priority ref", 9, REF),
    Column("ref", "Ref", 9, REF),
    Column("text", "Outcome", 80, LONG),
    uid_column("priority_uid", "Priority"),
    uid_column("uid", "Outcome"),
))

WORKSTREAMS = SheetLayout("Workstreams", (
    Column("name", "Name", 40),
    Column("leads", "Leads", 30, NAMES),
    Column("areas_of_focus", "Areas of focus", 60, LINES),
    uid_column("uid", "Workstream"),
))

PEOPLE = SheetLayout("People", (
    Column("name", "Name", 28),
    Column("role", "Role", 40),
    Column("organisation", "Organisation", 40),
    uid_column("uid", "Person"),
))

# Colour and "Counts as complete" are read as text and converted only when the import creates a
# plan from the Key: for an existing plan the Key is for reading, and a typo in it must not
# block an import.
KEY = SheetLayout("Key", (
    Column("code", "Code", 8),
    Column("label", "Label", 16),
    Column("meaning", "Meaning", 40, LONG),
    Column("colour", "Colour", 12),
    Column("complete", "Counts as complete", 12),
))

ABOUT = SheetLayout("About", (Column("item", "Item", 24), Column("value", "Value", 90, LONG)))

#: In the order they appear in the workbook.
SHEETS = (PLAN, UPDATES, PRIORITIES, OUTCOMES, WORKSTREAMS, PEOPLE, KEY, ABOUT)

# Items of the About sheet that the import reads back.
ABOUT_TITLE = "Plan title"
ABOUT_PLAN_UID = "Plan id"
ABOUT_SCALE = "Rating scale"
ABOUT_PRESET = "Rating scale preset"
ABOUT_LAYOUT = "Layout"

ABOUT_NOTES = (
    "Edit the Plan and Updates sheets freely, then import the workbook back into send-desktop.",
    "Do not edit the hidden id columns: they link each row to its record in the plan. "
    "Leave them blank on rows you add, and the import creates new records.",
    "Rows removed from this workbook are not deleted from the plan.",
    "Status: choose a level from the drop-down. A changed status is recorded as a new update "
    "dated the day of the import.",
    "Due is worked out from the Timescale; change the Timescale to move it.",
    "Lead officers and leads: names separated by semicolons.",
)


# -- reading cells ----------------------------------------------------------------------------

_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-"})


def header_key(value) -> str:
    """Header text compared without case, spacing or the kind of dash typed."""
    return " ".join(str(value or "").translate(_DASHES).casefold().split())


def text(value) -> str:
    """A cell as text: numbers typed into text cells keep their digits, line ends normalised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def lines(value) -> str:
    """One item per line, each trimmed, blank lines dropped (how the database stores lists)."""
    return "\n".join(line.strip() for line in text(value).split("\n") if line.strip())


def names(value) -> list[str]:
    """Names separated by semicolons or line breaks, spacing tidied, repeats dropped."""
    out, seen = [], set()
    for part in re.split(r"[;\n]", text(value)):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_D_MON_Y = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot be understood; the message is shown to the user as it is."""


def date(value) -> dt.date | None:
    """A date cell: a real date, an Excel serial, or text as dd/mm/yyyy, yyyy-mm-dd or 1 Mar 2026."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # 1954 to 2119: a serial, not a count typed by mistake
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(f"{value!r} is not a date")
    raw = text(value)
    if not raw:
        return None
    low = raw.casefold()
    try:
        if m := _ISO.fullmatch(low):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.fullmatch(low):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return dt.date(year, int(m[2]), int(m[1]))
        if (m := _D_MON_Y.fullmatch(low)) and m[2][:3] in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2][:3]], int(m[1]))
    except ValueError:
        raise CellError(f"'{raw}' is not a real date") from None
    raise CellError(f"'{raw}' is not a date; write it as dd/mm/yyyy")


_UID = re.compile(r"[0-9a-f]{32}")


def uid(value) -> str | None:
    raw = text(value).lower()
    if not raw:
        return None
    if not _UID.fullmatch(raw):
        raise CellError(f"'{raw[:40]}' is not an id written by send-desktop; "
                        "leave the id blank on rows you add")
    return raw


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).casefold()
    if raw in ("yes", "y", "true", "1", "x", "\u2713", "complete"):
        return True
    if raw in ("no", "n", "false", "0", ""):
        return False
    raise CellError(f"'{text(value)}' is not Yes or No")


def colour(value) -> str:
    raw = text(value)
    hexa = raw.lstrip("#")
    if len(hexa) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in hexa):
        raise CellError(f"'{raw}' is not a colour written as #rrggbb")
    return raw if raw.startswith("#") else f"#{raw}"


#: How the import turns a raw cell value into the value it works with, by kind.
READERS = {TEXT: text, LONG: text, REF: text, STATUS: text, LINES: lines, NAMES: names, DATE: date,
           UID: uid}
