"""The risk register workbook's layout, and reading it back into plain rows.

One definition serves both directions, as `layout` does for the plan: `risk_xlsx` writes the
headers, widths and hidden id columns from these sheets and the import finds the same columns
with them. Likelihood and impact are read as text and checked against the file's matrix by
`risk_xlsx_resolve`, so "7" or "high" gets a message naming the matrix's range and the cell.
Score, band, trend and last-reviewed columns are for reading: the import never takes them
(the score is always likelihood × impact).

The Key and Lists sheets are written for people and drop-downs and are not read back; the
matrix travels as JSON on the About sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.book_reader import Book, read_layout_book

LAYOUT_NAME = "send-desktop risk register workbook"
Column = L.Column


def _level(key: str, header: str, width: float = 10) -> Column:
    return Column(key, header, width, L.TEXT)


def _shown(key: str, header: str, width: float, kind: str = L.TEXT) -> Column:
    """A column written for reading and never imported."""
    return Column(key, header, width, kind, required=False)


def _optional(key: str, header: str, width: float, kind: str = L.LONG) -> Column:
    """A column the import uses when present and leaves alone when an officer removed it."""
    return Column(key, header, width, kind, required=False)


REGISTER = L.SheetLayout("Register", (
    Column("ref", "Ref", 7, L.REF),
    Column("title", "Risk", 42, L.LONG),
    Column("category", "Category", 16),
    Column("owner", "Owner", 20),
    Column("status", "Status", 11),
    _level("likelihood", "Likelihood"),
    _level("impact", "Impact", 8),
    _shown("score", "Score", 7),
    _shown("band", "Band", 10),
    _shown("trend", "Trend since last review", 13),
    _level("inherent_likelihood", "Inherent likelihood"),
    _level("inherent_impact", "Inherent impact", 9),
    _shown("inherent_score", "Inherent score", 9),
    _level("target_likelihood", "Target likelihood"),
    _level("target_impact", "Target impact", 9),
    _shown("target_score", "Target score", 9),
    _optional("target_date", "Target date", 12, L.DATE),
    _optional("review_frequency", "Review frequency", 12, L.TEXT),
    _shown("last_review", "Last reviewed", 12, L.DATE),
    _optional("next_review", "Next review", 12, L.DATE),
    _optional("cause", "Cause", 34),
    _optional("event", "Event", 34),
    _optional("effect", "Effect", 34),
    _optional("controls", "Existing controls", 40, L.LINES),
    _optional("assurance", "Sources of assurance", 34, L.LINES),
    _optional("gaps_in_control", "Gaps in control", 28),
    _optional("gaps_in_assurance", "Gaps in assurance", 28),
    _optional("priorities", "Linked priorities", 11, L.TEXT),
    _optional("actions", "Linked actions", 16, L.TEXT),
    _optional("action_uids", "Linked action ids", 34, L.TEXT),  # hidden by the export
    L.uid_column("uid", "Risk"),
), title_row=True, required=True)

MITIGATIONS = L.SheetLayout("Mitigations", (
    Column("risk_ref", "Risk ref", 9, L.REF),
    Column("text", "Further mitigation", 60, L.LONG),
    Column("owner", "Owner", 22),
    Column("due", "Due", 12, L.DATE),
    Column("status", "Status", 12),
    L.uid_column("risk_uid", "Risk"),
    L.uid_column("uid", "Mitigation"),
))

HISTORY = L.SheetLayout("History", (
    Column("risk_ref", "Risk ref", 9, L.REF),
    Column("date", "Date", 12, L.DATE),
    _level("likelihood", "Likelihood"),
    _level("impact", "Impact", 8),
    _shown("score", "Score", 7),
    _shown("band", "Band", 10),
    Column("note", "Note", 60, L.LONG),
    Column("assessor", "Assessor", 22),
    L.uid_column("risk_uid", "Risk"),
    L.uid_column("uid", "Assessment"),
))

CATEGORIES = L.SheetLayout("Categories", (
    Column("name", "Category", 24),
    Column("appetite", "Appetite (highest acceptable score)", 20, L.TEXT),
    L.uid_column("uid", "Category"),
))

#: Read back, in the order they appear in the workbook (Key and Lists sit between Categories and About).
SHEETS = (REGISTER, MITIGATIONS, HISTORY, CATEGORIES, L.ABOUT)
KEY_SHEET, LISTS_SHEET = "Key", "Lists"

#: Columns holding a likelihood or impact, for drop-downs; and the score columns they make.
LEVEL_COLUMNS = {REGISTER.name: ("likelihood", "impact", "inherent_likelihood", "inherent_impact",
                                 "target_likelihood", "target_impact"),
                 HISTORY.name: ("likelihood", "impact")}
SCORES = {REGISTER.name: (("score", "likelihood", "impact", "band"),
                          ("inherent_score", "inherent_likelihood", "inherent_impact", None),
                          ("target_score", "target_likelihood", "target_impact", None)),
          HISTORY.name: (("score", "likelihood", "impact", "band"),)}

ABOUT_LAYOUT = "Layout"
ABOUT_MATRIX = "Risk matrix"
ABOUT_NOTES = (
    "Edit the Register, Mitigations, History and Categories sheets, then import the workbook back "
    "into send-desktop.",
    "Score and Band are worked out from Likelihood \u00d7 Impact (see the Key sheet); they are never read "
    "back, so change the likelihood or impact instead.",
    "A changed Likelihood or Impact on the Register is recorded as a review dated the day of the import. "
    "To record a review with its own date, add a row to the History sheet.",
    "Do not edit the hidden id columns: they link each row to its record. Leave them blank on rows you add.",
    "Rows removed from this workbook are not deleted from the register.",
    "Linked priorities and actions: references separated by semicolons, such as 2; 3 or 2.4.1; 3.2.2.",
    "Status is open, escalated or closed. Review frequency is monthly, bi-monthly, quarterly, "
    "6-monthly or annual.",
)


def read_risk_book(path: Path) -> Generator[Progress, None, Book]:
    """The sheets of this layout that are present, converted; cell problems in `book.problems`.
    Opening and refusing broken files is `book_reader`'s, as is reading each sheet."""
    return (yield from read_layout_book(path, SHEETS, "a risk register workbook"))
