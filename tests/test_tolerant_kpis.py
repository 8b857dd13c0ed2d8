"""Officers' own KPI tables: a council scorecard built with openpyxl, read into the KPIs.

The scorecard has a title and a note above the header, a merged banner row, period columns
headed as councils head them ("2023/24", "Q1 24/25", "Sep-25", an Excel date, "March 2024"), a
Latest column with its own Period column, a plain Target, comparators (statistical neighbours,
national with its year, regional), values typed as text ("84.7%", "tbc", "Good 27%") and numbers
Excel shows as percentages, a formula never calculated, a hidden row, an owner spelt two ways.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from send_desktop.cli import main
from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError
from send_desktop.services.kpi_dump import dump_kpis
from send_desktop.storage.database import open_database
from send_desktop.xlsx.detect import detect_kind
from send_desktop.xlsx.kpi_foreign import is_foreign
from send_desktop.xlsx.kpi_xlsx import export_kpis, import_kpis
from tests.helpers import db_contents

SHEET = "Scorecard"
HEADER = ["Ref", "Measure", "Responsible officer", "Frequency", "2023/24", "Q1 24/25", "Sep-25",
          dt.datetime(2025, 10, 1), "Latest", "Period", "Target", "Stat neighbours", "National average 2023/24",
          "Regional"]


def scorecard(path: Path, change=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["Harbourside SEND performance scorecard"])
    ws.merge_cells("A1:N1")
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Figures as reported to the SEND Partnership Board; RAG is against the target"])
    ws.append([])
    ws.append(HEADER)                                                                               # row 4
    ws["H4"].number_format = "mmm-yy"
    ws.append(["Timeliness of EHC plans"])                                                          # row 5
    ws.merge_cells("A5:N5")
    ws.append(["1c", "New EHC plans issued within 20 weeks (excluding exceptions)", "Head of SEND", "Monthly",
               "48.2%", 0.512, "tbc", 0.6, "61.5%", "Nov 2025", "65%", "55.1%", "46.4%", "Good 52%"])  # row 6
    for cell in ("F6", "H6"):
        ws[cell].number_format = "0.0%"
    ws.append(["2b (i)", "Annual reviews completed within 12 months", "head of SEND", "Quarterly", 312, 340,
               None, None, "N/A", "", "400", 380, None, None])                                       # row 7
    ws.append(["3a", "Average weeks from request to decision to assess", "Inclusion Manager", "Monthly",
               "6.5 weeks", "6 weeks", "=E8", "5.5 weeks", "5 weeks", "Nov 2025", "6 weeks", "", "", ""])  # row 8
    ws.append(["4", "Complaints about SEND upheld", "Inclusion Manager", "Annually", 14, None, None, None,
               "", "", "", "", "", ""])                                                             # row 9 hidden
    ws.row_dimensions[9].hidden = True
    if change:
        change(ws)
    wb.save(path)
    return path


@pytest.fixture
def kpi_db(tmp_path):
    database = open_database(tmp_path / "kpis.sqlite", create=True, user="Test Auditor")
    yield database
    database.close()


def do_import(db, path, **kw):
    return run_steps(import_kpis(db, path, source=f"import {Path(path).name}", **kw))


def find(warnings, text):
    found = [w for w in warnings if text in w["message"]]
    assert found, f"no warning with {text!r} in {[w['message'] for w in warnings]}"
    return found[0]


def test_a_council_scorecard_is_read_dry_run_then_imported(kpi_db, tmp_path):
    path = scorecard(tmp_path / "scorecard.xlsx")
    assert is_foreign(path) and detect_kind(path) == "kpis"
    before = db_contents(kpi_db.path)
    dry = do_import(kpi_db, path, dry_run=True)
    assert dry.created == 4 and dry.as_dict()["errors"] == []
    assert db_contents(kpi_db.path) == before

    report = do_import(kpi_db, path)
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    kpis = {k["ref"]: k for k in dump_kpis(kpi_db)}
    assert list(kpis) == ["1c", "2b (i)", "3a", "4"]
    k1 = kpis["1c"]
    assert (k1["unit"], k1["frequency"]) == ("%", "monthly")
    assert [(v["period"], v["text"], v["number"]) for v in k1["values"]] == [
        ("2023/24", "48.2%", 48.2), ("Q1 2024/25", "51.2%", 51.2), ("2025-09", "tbc", None),
        ("2025-10", "60%", 60.0), ("2025-11", "61.5%", 61.5)]
    assert [(t["period"], t["text"]) for t in k1["targets"]] == [("2025-11", "65%")]  # from the latest period
    assert [(c["name"], c["text"], c["number"], c["as_at"]) for c in k1["comparators"]] == [
        ("Statistical neighbours", "55.1%", 55.1, None), ("National", "46.4%", 46.4, "2024-03-31"),
        ("Regional", "Good 52%", 52.0, None)]
    k2 = kpis["2b (i)"]
    assert (k2["unit"], k2["frequency"]) == ("count", "quarterly")
    assert [(v["period"], v["text"]) for v in k2["values"]] == [("2023/24", "312"), ("Q1 2024/25", "340")]
    assert [(t["period"], t["text"]) for t in k2["targets"]] == [("Q1 2024/25", "400")]  # the row's latest value
    k3 = kpis["3a"]
    assert k3["unit"] == "weeks" and [v["text"] for v in k3["values"]] == [
        "6.5 weeks", "6 weeks", "5.5 weeks", "5 weeks"]  # the formula with no saved value was blank
    assert kpis["4"]["frequency"] == "annual" and kpis["4"]["unit"] == "count"

    w = report.as_dict()["warnings"]
    assert find(w, "not a KPI, so not imported: 'Timeliness of EHC plans'")["row"] == 5
    formula = find(w, "a formula with no saved value")
    assert (formula["sheet"], formula["row"], formula["column"]) == (SHEET, 8, "Sep-25")
    assert find(w, "hidden row")["row"] == 9
    assert not [x for x in w if "columns not imported" in x["message"]]  # the period columns are read

    again = do_import(kpi_db, path)  # the same file again changes nothing
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert {k["ref"]: k for k in dump_kpis(kpi_db)} == kpis


def test_a_new_month_adds_values_to_the_kpis_it_matches(kpi_db, tmp_path):
    do_import(kpi_db, scorecard(tmp_path / "scorecard.xlsx"))

    def december(ws):
        ws["O4"] = "Dec 2025"
        ws["O6"] = "63%"
        ws["O8"] = "4.5 weeks"

    report = do_import(kpi_db, scorecard(tmp_path / "december.xlsx", december))
    assert (report.created, report.updated, report.unchanged) == (0, 2, 2)
    kpis = {k["ref"]: k for k in dump_kpis(kpi_db)}
    assert kpis["1c"]["values"][-1] == {"period": "2025-12", "text": "63%", "number": 63.0}
    assert kpis["3a"]["unit"] == "weeks"


@pytest.mark.parametrize("change, row, column, needle", [
    (lambda ws: ws.__setitem__("E6", "184%"), 6, "2023/24", "'184%' is not a percentage between 0 and 100"),
    (lambda ws: ws.__setitem__("J6", "Smarch 2025"), 6, "Period", "Smarch 2025"),
    (lambda ws: ws.__setitem__("D7", "Fortnightly"), 7, "Frequency", "'Fortnightly' is not a frequency"),
    (lambda ws: ws.__setitem__("B8", None), 8, "Measure", "A KPI needs a measure"),
])
def test_a_wrong_value_refuses_the_file_naming_the_cell(kpi_db, tmp_path, change, row, column, needle):
    do_import(kpi_db, scorecard(tmp_path / "scorecard.xlsx"))
    before = db_contents(kpi_db.path)
    with pytest.raises(BadInputError) as caught:
        do_import(kpi_db, scorecard(tmp_path / "bad.xlsx", change))
    found = [p for p in caught.value.problems if needle in p.message]
    assert found, [p.message for p in caught.value.problems]
    assert (found[0].sheet, found[0].row, found[0].column) == (SHEET, row, column)
    assert db_contents(kpi_db.path) == before


def test_our_own_export_still_goes_through_the_exact_layout(kpi_db, tmp_path):
    do_import(kpi_db, scorecard(tmp_path / "scorecard.xlsx"))
    out = run_steps(export_kpis(kpi_db, tmp_path / "export.xlsx"))
    assert not is_foreign(out)
    report = do_import(kpi_db, out)
    assert (report.created, report.updated) == (0, 0)


def test_the_command_line_takes_a_mapping_for_a_kpi_table(kpi_db, tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Code", "Indicator name", "Mar 2025", "Apr 2025"])
    ws.append(["K1", "Children with an EHCP in mainstream schools", "41%", "42%"])
    wb.save(tmp_path / "odd.xlsx")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Code": "ref", "Indicator name": "measure"}))
    kpi_db.close()
    db = str(tmp_path / "kpis.sqlite")
    assert main(["import", db, str(tmp_path / "odd.xlsx"), "--kind", "kpis", "--mapping", str(mapping),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "kpis" and out["created"] == 1
    database = open_database(tmp_path / "kpis.sqlite", user="t")
    try:
        assert [v["text"] for v in dump_kpis(database)[0]["values"]] == ["41%", "42%"]
    finally:
        database.close()
