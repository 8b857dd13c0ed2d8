"""The KPI workbook's layout: its sheets and columns, shared by the export and the import.

Built from the same `layout.Column` and `SheetLayout` as the plan workbook, so widths, hidden
id columns and the way cells are read work alike. The Values sheet is the council's wide table
(one row per KPI, one column per period); its period columns are made from the periods the
file holds, and on import any heading that reads as a period is a period column.
"""

from __future__ import annotations

from send_desktop.core.kpi_values import DIRECTIONS, FREQUENCIES, UNITS
from send_desktop.xlsx.layout import DATE, LONG, REF, TEXT, Column, SheetLayout, uid_column

LAYOUT_NAME = "send-desktop KPI workbook"
PERIOD_WIDTH = 11


DEFINITIONS = SheetLayout("Definitions", (
    Column("ref", "Ref", 9, REF),
    Column("measure", "Measure", 52, LONG),
    Column("officer", "Responsible officer", 26),
    Column("frequency", "Frequency", 12),
    Column("unit", "Unit", 8),
    Column("direction", "Better when", 11),
    Column("priority", "Priority", 9, REF, required=False),
    Column("tolerance", "Amber tolerance", 11, TEXT, required=False),
    Column("notes", "Notes", 44, LONG, required=False),
    uid_column("uid", "KPI"),
), title_row=True, required=True)

#: The Values and Targets sheets: the council's wide tables, one row per KPI and one column per
#: period ("Target 18/19 | Target 19/20"), the period columns made from the periods the file holds.
VALUES_NAME, TARGETS_NAME = "Values", "Targets"
WIDE_LEAD = (
    Column("ref", "Ref", 9, REF),
    Column("measure", "Measure", 44, LONG, required=False),
    Column("unit", "Unit", 7, TEXT, required=False),
)
WIDE_UID = uid_column("uid", "KPI")


def wide_layout(name: str, period_labels: list[str]) -> SheetLayout:
    periods = tuple(Column(f"period:{i}", label, PERIOD_WIDTH) for i, label in enumerate(period_labels))
    return SheetLayout(name, WIDE_LEAD + periods + (WIDE_UID,), title_row=True)


COMPARATORS = SheetLayout("Comparators", (
    Column("ref", "Ref", 9, REF),
    Column("measure", "Measure", 44, LONG, required=False),
    Column("name", "Comparator", 24),
    Column("text", "Value", 18),
    Column("as_at", "As at", 12, DATE),
    Column("source", "Source", 40, LONG),
    uid_column("uid", "KPI"),
    uid_column("comparator_uid", "Comparator"),
))

#: For reading only: what the board looks at first. The import ignores it.
SUMMARY = SheetLayout("Summary", (
    Column("ref", "Ref", 9, REF),
    Column("measure", "Measure", 52, LONG),
    Column("latest", "Latest", 16),
    Column("period", "Period", 11),
    Column("target", "Target", 16),
    Column("rag", "RAG", 11),
    Column("comparators", "Against comparators", 40, LONG),
    Column("travel", "Direction of travel", 14),
    Column("reason", "Why this RAG", 60, LONG),
), title_row=True)

KEY_NAME = "Key"
LISTS_NAME = "Lists"  # hidden: the drop-downs' choices

#: Lists sheet columns, in order: header and choices (priority refs are added per file).
LISTS = (("Unit", UNITS), ("Better when", DIRECTIONS), ("Frequency", FREQUENCIES))

ABOUT_LAYOUT = "Layout"
ABOUT_NOTES = (
    "Type values into the Values sheet: one row per KPI, one column per period. Keep each value as the "
    "board would read it (84.7%, Good 27%, 1,322, 12 weeks, tbc, Not available); the number is read "
    "from the words when the workbook is imported.",
    "To add a period, add a column to the Values or Targets sheet headed with the period: a month "
    "(2025-06 or Jun 2025), a quarter (Q3 2025/26), a financial year (2025/26), an academic year "
    "(AY 2024/25) or a calendar year (2024). A target applies to the values whose period it covers.",
    "Clearing a value, target or comparator's value removes it when the workbook is imported. Rows "
    "removed from a sheet are not deleted from the database.",
    "Do not edit the hidden id columns: they link each row to its KPI. Leave them blank on rows you add.",
    "The Summary sheet is for reading; the import does not read it.",
)

KEY_SECTIONS = (
    ("Units", (
        ("%", "A share out of 100, such as plans issued within 20 weeks."),
        ("count", "A number of things, such as EHCPs maintained or complaints."),
        ("weeks", "A length of time in weeks, such as a median wait."),
        ("days", "A length of time in days."),
        ("text", "Reported in words; the board judges it without a RAG rating."),
    )),
    ("Better when", (
        ("higher", "A higher value is better (more plans on time)."),
        ("lower", "A lower value is better (shorter waits, fewer complaints)."),
    )),
    ("Values in words", (
        ("Kept as written", "Every value, target and comparator keeps its words; where they hold a number "
                            "(Good 27%, 1,322, 12 weeks) that number is used for the RAG rating and charts."),
        ("No number", "tbc, Not available, Baseline March 2019 and the like have no number, so they get no "
                      "RAG rating; the reason is given in words."),
    )),
    ("Periods", (
        ("month", "2025-06, or Jun 2025, June 2025, Jun-25"),
        ("quarter", "Q3 2025/26: financial-year quarters, Q1 being April to June"),
        ("financial year", "2025/26, 1 April to 31 March"),
        ("academic year", "AY 2024/25, 1 September to 31 August"),
        ("calendar year", "2024"),
    )),
)

RAG_KEY = (
    ("green", "Green", "The target for the value's period is met."),
    ("amber", "Amber", "Short of the target by no more than the KPI's amber tolerance (in its unit; when "
                       "blank, 5% of the target)."),
    ("red", "Red", "Short of the target by more than the tolerance."),
    (None, "No RAG", "No target for the period, a target or value with no number, or a text measure."),
)
