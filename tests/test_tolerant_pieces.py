"""The shared pieces of reading officers' own workbooks (send_desktop.xlsx.tolerant), one by one."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color

from send_desktop.core.scales import PRESETS
from send_desktop.xlsx.tolerant import values as V
from send_desktop.xlsx.tolerant.grid import GridBook
from send_desktop.xlsx.tolerant.headers import ColumnMapping, find_header, match_field, signature
from send_desktop.xlsx.tolerant.names import NameMerger, name_key
from send_desktop.xlsx.tolerant.scales import StatusReader, detect_scale, hue_name


@pytest.mark.parametrize("header, field", [
    ("Ref", "ref"), ("Ref.", "ref"), ("REF", "ref"), ("Action No.", "ref"), ("Action no", "ref"),
    ("Actions \u2013 what we will do", "text"), ("Actions - What we will do", "text"), ("Action", "text"),
    ("Workstream and lead officers", "workstream"), ("Workstream & lead officers", "workstream"),
    ("Lead Officer(s)", "leads"), ("Responsible officer", "leads"),
    ("Timescale", "timescale"), ("Timescales", "timescale"), ("Due", "due"), ("Due date", "due"),
    ("RAG", "status"), ("Status", "status"), ("Status (RAG)", "status"), ("RAG rating", "status"),
    ("Success criteria / Key results", "success_criteria"), ("Progress update", "narrative"),
    ("Date updated", None), ("Partner", None), ("", None),
])
def test_plan_columns_are_known_by_their_variants(header, field):
    assert match_field("plan", header) == field


def test_risk_columns_have_their_own_vocabulary():
    assert match_field("risks", "Risk Owner") == "owner"
    assert match_field("risks", "Likelihood (1-5)") == "likelihood"
    assert match_field("risks", "Impact (1-5)") == "impact"
    assert match_field("kpis", "National average") == "national"


def test_the_header_is_found_below_title_and_key_rows():
    rows = [["Priority Action Plan tracker", "", ""], ["Key: Red delayed, Amber on track", "", ""], [],
            ["Ref.", "Actions \u2013 what we will do", "Timescale", "Notes"], ["1.1.1", "Do it", "Sept 2025", ""]]
    h = find_header(rows, "plan")
    assert h.row == 3 and h.columns == {0: "ref", 1: "text", 2: "timescale", 3: "narrative"}
    assert h.header_of("timescale") == "Timescale"
    assert find_header([["Item", "What"], ["1", "x"]], "plan") is None


def test_a_mapping_names_what_the_vocabulary_does_not_and_the_signature_ignores_spelling():
    rows = [["Item", "What", "Colour", "Extra"], ["1.1.1", "Do it", "Green", ""]]
    m = ColumnMapping.from_dict("plan", {"Item": "ref", "What": "text", "Colour": "status", "Extra": None})
    h = find_header(rows, "plan", m)
    assert h.columns == {0: "ref", 1: "text", 2: "status"} and h.unassigned() == []
    assert signature(["Ref.", "Actions \u2013 what we will do"]) == signature(["ref", "ACTIONS - what we will do", ""])
    assert signature(["Ref", "Action"]) != signature(["Ref", "Status"])
    with pytest.raises(ValueError):
        ColumnMapping.from_dict("plan", {"Item": "colour"})


@pytest.mark.parametrize("value", [None, "", "  ", "TBC", "tbc", "N/A", "n/a", "-", "\u2013", "To be confirmed"])
def test_placeholders_are_blank(value):
    assert V.is_placeholder(value) and V.value_text(value) == "" and V.to_date(value) is None


def test_numbers_written_as_text():
    assert V.to_number("84.7%") == 84.7
    assert V.to_number("Good 27%") == 27
    assert V.to_number("1,200 plans") == 1200
    assert V.to_number("tbc") is None and V.to_number("Not available") is None
    assert V.to_percent(0.847) == pytest.approx(84.7) and V.to_percent("90%") == 90


@pytest.mark.parametrize("value, due", [
    ("Sept 2025", dt.date(2025, 9, 30)), ("Feb 26", dt.date(2026, 2, 28)), ("31/07/2025", dt.date(2025, 7, 31)),
    (dt.datetime(2025, 7, 31, 0, 0), dt.date(2025, 7, 31)), (45869, dt.date(2025, 7, 31)),
    ("March", dt.date(2026, 3, 31)), ("Ongoing", None), ("Quarterly", None),
])
def test_dates_as_officers_write_them(value, due):
    assert V.to_date(value, today=dt.date(2025, 10, 1)) == due


def test_a_formula_left_in_a_cell_is_never_a_value():
    assert V.text("=SUM(A1:A4)") == "" and V.to_date("=DATE(2025,1,1)") is None


def test_multi_line_cells_become_lists():
    assert V.to_lines("First\nSecond\n\n") == ["First", "Second"]
    assert V.to_lines("<p>One</p> <p>Two &amp; three</p>") == ["One", "Two & three"]
    assert V.to_lines("\u2022 Posts filled \u2022 Backlog falls") == ["Posts filled", "Backlog falls"]
    assert V.to_lines("- a\n- b\n1. c") == ["a", "b", "c"]
    assert V.split_names("J Smith; A Khan / TBC\nj smith") == ["J Smith", "A Khan"]


def test_name_spellings_resolve_to_one():
    spellings = ["EHCP's / Annual Reviews", "EHCPs / Annual Reviews", "EHCP/Annual Review", "ehcps  /annual reviews"]
    assert len({name_key(s) for s in spellings}) == 1
    assert name_key("ND Pathway") != name_key("EHCPs / Annual Reviews")
    m = NameMerger()
    for s in spellings + ["EHCPs / Annual Reviews"]:
        m.add(s, "PAP", 5, "Workstream")
    assert {m.resolve(s) for s in spellings} == {"EHCPs / Annual Reviews"}  # the spelling used most
    (merged,) = m.merged()
    assert merged.name == "EHCPs / Annual Reviews" and len(merged.spellings) == 4 and merged.row == 5
    known = NameMerger(["EHCPs and annual reviews"])
    known.add("EHCP and Annual Review")
    assert known.resolve("EHCP and Annual Review") == "EHCPs and annual reviews"


def test_scales_are_detected_from_the_statuses_and_the_key():
    assert detect_scale(["n/s", "R", "A", "G", "C"]).preset == "ip5"
    assert detect_scale(["Red", "Amber", "Green", "Completed", "On track"]).preset == "pap3"
    assert detect_scale(["R", "A", "G"], legend="GREY (n/s) Action yet to commence\nBLUE (C) signed off").preset \
        == "ip5"
    assert detect_scale(["Red", "Yellow", "Green"]).preset == "brag5"
    assert detect_scale([], fills=["red", "amber", "green"]).preset == "pap3"
    own = detect_scale(["Exploring", "Piloting", "Embedded"])
    assert own.preset is None and [lv.label for lv in own.levels] == ["Exploring", "Piloting", "Embedded"]


def test_statuses_read_as_labels_codes_synonyms_and_colours():
    pap = StatusReader(PRESETS["pap3"].levels, "pap3")
    assert [pap.read(s) for s in ("Amber", "a", "On track", "Completed", "Delayed", "green - done")] == \
        ["Amber", "Amber", "Amber", "Green", "Red", "Green"]
    assert pap.read("Sideways") is None
    ip5 = StatusReader(PRESETS["ip5"].levels)
    assert [ip5.read(s) for s in ("n/s", "C", "Not started", "On track", "Blue")] == \
        ["Not started", "Completed", "Not started", "Green", "Completed"]
    assert pap.from_fill("#ff0000") == "Red" and pap.from_fill("#ffc000") == "Amber"
    assert pap.from_fill("#00b050") == "Green" and pap.from_fill("#ffffff") is None
    assert ip5.from_fill("#0070c0") == "Completed" and ip5.from_fill("#bfbfbf") == "Not started"
    assert hue_name("#92d050") == "green" and hue_name("#ffff00") == "yellow"


def test_the_grid_reports_hidden_rows_and_sheets_formulas_and_fills(tmp_path):
    path = tmp_path / "g.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws["C3"] = "Ref"
    ws["D3"] = "=1+1"
    ws["E4"].fill = PatternFill("solid", fgColor="FFFF0000")
    ws["E5"].fill = PatternFill("solid", fgColor=Color(theme=6, tint=0.4))   # accent3, lighter: green
    ws["E6"] = "Amber"
    ws.merge_cells("C7:F7")
    ws.row_dimensions[6].hidden = True
    wb.create_sheet("Old").sheet_state = "hidden"
    wb.save(path)
    book = GridBook(path)
    assert book.sheet_names == ["Tracker", "Old"] and book.hidden("Old") and not book.hidden("Tracker")
    grid = book.grid("Tracker")
    assert grid.rows[2][2] == "Ref" and grid.rows[2][3] == ""  # a formula never calculated is blank
    assert grid.merged == [(6, 2, 6, 5)]
    scan = book.scan("Tracker", (4,))
    assert scan.hidden_rows == {5}
    assert scan.formulas_without_value == [(2, 3)]
    assert scan.fills[(3, 4)] == "#ff0000" and hue_name(scan.fills[(4, 4)]) == "green"
    book.close()


def test_a_far_away_cell_is_read_without_laying_out_the_whole_sheet(tmp_path):
    """calamine would lay A1:XFD1048576 out densely (17 billion cells) and end the process."""
    path = tmp_path / "far.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.append(["Ref", "Action"])
    ws.append(["1.1.1", "Keep the far cell away"])
    ws["XFD1048576"] = "x"
    wb.save(path)
    book = GridBook(path)
    grid = book.grid("Tracker")
    first = grid.head(2)
    assert first[0][:2] == ["Ref", "Action"] and first[1][:2] == ["1.1.1", "Keep the far cell away"]
    book.close()


def test_placeholders_are_found_however_they_are_typed_and_real_text_is_not():
    from send_desktop.xlsx.tolerant.values import PLACEHOLDERS, is_placeholder

    for p in PLACEHOLDERS:
        for typed in (p, p.upper(), p.title(), f"  {p} ", p.replace(" ", "   "), f"\t{p}\n"):
            assert is_placeholder(typed), typed
    for text in ("Text", "1.1.1", "Officer 2", "Notable", "Tbc later", "ＴＢＣ", "n/a yet", "-x", "x" * 41, "İ"):
        assert not is_placeholder(text), text
    assert is_placeholder("") and is_placeholder("   ") and is_placeholder(None) and not is_placeholder(0)
