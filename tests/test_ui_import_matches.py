"""The import assistant's choices for an officer's own plan workbook: doubtful matches and the scale.

Driven with qtbot on real workbooks (the trackers of test_tolerant_matching) and real databases;
the pages are drawn to /tmp/assistant-match-*.png to be looked at.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from send_desktop.services.plan_dump import dump_plan
from send_desktop.storage.database import open_database
from send_desktop.ui import error_dialog
from send_desktop.ui.import_assistant import PAGE_DONE, PAGE_MAPPING, PAGE_PREVIEW
from tests.test_tolerant_matching import LOOSE_442, officers_tracker, rag_tracker
from tests.assistant_helpers import open_assistant, save_picture, wait_for_check as _wait


def _open(qtbot, db, path):
    return open_assistant(qtbot, db, path, 660)


def _snap(dialog, name: str) -> None:
    save_picture(dialog, f"match-{name}")


@pytest.fixture
def errors(monkeypatch):
    seen = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: seen.append(self.details) or 0)
    return seen


def _by_ref(db) -> dict:
    return {a["ref"]: a for a in dump_plan(db)["actions"]}


def test_doubtful_matches_are_shown_side_by_side_and_merged_only_when_ticked(qtbot, demo_db, tmp_path, errors):
    before = _by_ref(demo_db)
    path = officers_tracker(demo_db, tmp_path / "tracker.xlsx")
    dialog = _open(qtbot, demo_db, path)
    assert dialog.foreign
    dialog.next()
    assert dialog.page() == PAGE_MAPPING and dialog.scale_row.isHidden()  # the plan keeps its scale
    dialog.next()
    _wait(qtbot, dialog)
    assert dialog.page() == PAGE_PREVIEW
    box = dialog.matches_box
    assert box.isVisible() and box.table.rowCount() == 2
    cells = [[box.table.item(r, c).text() for c in range(3)] for r in range(2)]
    assert cells[0][0].startswith("4.4.3") and cells[0][1].startswith("4.4.2  Add a searchable directory")
    assert cells[0][2] == f"{box.matches[0]['similarity']:.0%}"
    assert cells[1][0].startswith("4.5.4") and cells[1][1].startswith("4.5.2")
    assert box.decisions() == {m["key"]: False for m in box.matches}  # doubtful: not merged until ticked
    assert "2 other rows were matched surely" in box.intro.text()
    assert dialog.import_btn.isEnabled()
    _snap(dialog, "1-doubtful")

    key = box.matches[0]["key"]
    box.set_tick(key, True)  # as clicking the tick
    assert box.changed() and not dialog.import_btn.isEnabled()  # check again first
    assert "Your choices changed" in box.state.text() and box.check_btn.isEnabled()
    _snap(dialog, "2-ticked")
    qtbot.mouseClick(box.check_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    merged = {m["ref"]: m["merged"] for m in dialog.report.as_dict()["matches"]}
    assert merged == {"4.1.4": True, "4.1.5": True, "4.4.3": True, "4.5.4": False}
    assert not box.changed() and dialog.import_btn.isEnabled()
    assert "1 of 2 accepted" in box.state.text()
    assert _by_ref(demo_db) == before  # the checks wrote nothing

    qtbot.mouseClick(dialog.import_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.page() == PAGE_DONE
    after = _by_ref(demo_db)
    assert "4.4.2" not in after and after["4.4.3"]["action"] == LOOSE_442
    assert after["4.4.3"]["updates"] == before["4.4.2"]["updates"]
    assert after["4.5.2"] == before["4.5.2"] and "4.5.4" in after
    assert errors == []


def test_accept_all_and_reject_all_check_again_at_once(qtbot, demo_db, tmp_path, errors):
    path = officers_tracker(demo_db, tmp_path / "tracker.xlsx")
    dialog = _open(qtbot, demo_db, path)
    dialog.next()
    dialog.next()
    _wait(qtbot, dialog)
    qtbot.mouseClick(dialog.matches_box.accept_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert all(m["merged"] for m in dialog.report.as_dict()["matches"])
    assert dialog.report.created == 1  # only 4.7.1 is new
    qtbot.mouseClick(dialog.matches_box.reject_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.report.created == 3 and dialog.import_btn.isEnabled()
    assert errors == []


@pytest.fixture
def empty_db(tmp_path):
    database = open_database(tmp_path / "empty.sqlite", create=True, user="Test Auditor")
    yield database
    database.close()


def test_a_new_plans_scale_is_chosen_on_the_columns_page(qtbot, empty_db, tmp_path, errors):
    from tests.test_tolerant_matching import GREEN

    path = rag_tracker(tmp_path / "rag.xlsx", ["Red", "On track", (None, GREEN), "Amber"])
    dialog = _open(qtbot, empty_db, path)
    dialog.next()
    row = dialog.scale_row
    assert dialog.page() == PAGE_MAPPING and row.isVisible()
    qtbot.waitUntil(lambda: not dialog.columns.detecting(), timeout=30_000)  # detected in the background
    assert row.combo.isEnabled() and row.busy.isHidden()
    assert row.combo.itemText(0).startswith("Detected: Priority Action Plan (3 levels) (Red, Amber, Green)")
    assert [row.combo.itemData(i) for i in range(row.combo.count())] == [None, "ip5", "soa3", "brag5"]
    assert "Detected because the statuses used" in row.reason.text()
    _snap(dialog, "3-scale")

    row.choose("soa3")  # no room for Red and Amber apart: the check refuses it and says why
    dialog.next()
    _wait(qtbot, dialog)
    assert dialog.state == "refused" and not dialog.import_btn.isEnabled()
    assert "would merge statuses" in dialog.problems_table.item(0, 4).text()
    _snap(dialog, "4-scale-refused")
    dialog.back()
    row.choose("ip5")
    assert "level by level" in row.reason.text()
    dialog.next()
    _wait(qtbot, dialog)
    assert dialog.report.as_dict()["scale"]["preset"] == "ip5"
    dialog.apply()
    _wait(qtbot, dialog)
    d = dump_plan(empty_db)
    assert d["scale"]["name"] == "Improvement Plan (5 levels)"
    assert [a["status"] for a in d["actions"]] == ["Red", "Amber", "Completed", "Amber"]
    assert errors == []
