"""Rating scales: the four presets, a plan's own scale, and changing scale without losing history."""

from __future__ import annotations

import datetime as dt

import pytest

from send_desktop.core.scales import PRESETS, LevelSpec, text_colour_for, validate_levels
from send_desktop.errors import UserError
from send_desktop.services import plan_edit, plan_setup
from send_desktop.services.plan_dump import dump_plan
from send_desktop.services.plan_read import load_plan


def test_presets_match_the_domain():
    assert [lv.code for lv in PRESETS["pap3"].levels] == ["R", "A", "G"]
    assert [lv.code for lv in PRESETS["ip5"].levels] == ["n/s", "R", "A", "G", "C"]
    assert [lv.label for lv in PRESETS["soa3"].levels] == ["Planned", "Underway", "Completed"]
    assert [lv.label for lv in PRESETS["brag5"].levels] == ["Red", "Amber", "Yellow", "Green", "Blue"]
    for spec in PRESETS.values():
        assert validate_levels(list(spec.levels)) == []
        assert any(lv.complete for lv in spec.levels)


@pytest.mark.parametrize("levels, problem", [
    ([], "at least one level"),
    ([LevelSpec("R", "Red", "", "#ff0000"), LevelSpec("r", "Rouge", "", "#ff0000", True)], "codes must be different"),
    ([LevelSpec("R", "Red", "", "red", True)], "not #rrggbb"),
    ([LevelSpec("R", "Red", "", "#ff0000")], "must count as complete"),
    ([LevelSpec("", "Red", "", "#ff0000", True)], "needs a code"),
])
def test_bad_scales_are_explained(levels, problem):
    assert any(problem in p for p in validate_levels(levels))


def test_label_text_stays_readable_on_its_colour():
    assert text_colour_for("#f2d43d") == "#000000"  # yellow
    assert text_colour_for("#1f5fa8") == "#ffffff"  # blue


def test_changing_scale_maps_the_whole_history(db):
    snap = load_plan(db)
    p = plan_edit.add_priority(db, snap.plan_id, statement="x")
    o = plan_edit.add_outcome(db, p, text="y")
    a = plan_edit.add_action(db, o, text="z")
    old = {lv.code: lv for lv in snap.scale.levels}
    plan_edit.add_update(db, a, date=dt.date(2025, 1, 1), level_id=old["R"].id, narrative="late")
    plan_edit.add_update(db, a, date=dt.date(2025, 2, 1), level_id=old["G"].id, narrative="done")

    ip5 = PRESETS["ip5"]
    plan_setup.change_plan_scale(db, snap.plan_id, ip5, {old["R"].id: 1, old["A"].id: 2, old["G"].id: 4})

    data = dump_plan(db)
    assert data["scale"]["name"] == ip5.name
    assert [u["status"] for u in data["actions"][0]["updates"]] == ["Red", "Completed"]
    assert data["actions"][0]["status"] == "Completed"


def test_a_custom_scale_with_problems_is_refused_and_nothing_changes(db):
    before = dump_plan(db)
    bad = plan_setup.spec_from_levels("Ours", [LevelSpec("X", "Only", "", "#123456", False)])
    with pytest.raises(UserError, match="must count as complete"):
        plan_setup.change_plan_scale(db, load_plan(db).plan_id, bad, {})
    assert dump_plan(db) == before


def test_scale_dialog_builds_a_custom_scale_and_maps_levels(qtbot, db):
    from send_desktop.ui.scale_dialog import ScaleDialog

    current = load_plan(db).scale
    dialog = ScaleDialog(current)
    qtbot.addWidget(dialog)
    dialog.preset.setCurrentIndex(dialog.preset.findData("brag5"))
    assert [lv.code for lv in dialog.levels()] == ["R", "A", "Y", "G", "B"]
    mapping = dialog.mapping()
    by_code = {lv.code: lv.id for lv in current.levels}
    assert mapping[by_code["R"]] == 0 and mapping[by_code["A"]] == 1 and mapping[by_code["G"]] == 3
    # breaking the scale disables OK and says why
    dialog.table.item(0, 0).setText("A")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert "different" in dialog.problems.text()


def test_window_changes_the_plan_scale_after_a_backup(qtbot, demo_db_path, monkeypatch):
    """Edit > Rating Scale…: choose BRAG, confirm; history is re-rated, a backup exists, and the
    change log records the re-pointed updates."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    from send_desktop.storage.database import open_database
    from send_desktop.ui import scale_dialog
    from send_desktop.ui.main_window import MainWindow

    def choose_brag(self):
        self.preset.setCurrentIndex(self.preset.findData("brag5"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(scale_dialog.ScaleDialog, "exec", choose_brag)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_database(open_database(demo_db_path, user="Test Auditor"))
    before = dump_plan(window.db)

    assert window.scale_act.isEnabled()
    window.scale_act.trigger()

    after = dump_plan(window.db)
    assert [lv["label"] for lv in after["scale"]["levels"]] == ["Red", "Amber", "Yellow", "Green", "Blue"]
    old_to_new = {"Red": "Red", "Amber": "Amber", "Green": "Green"}
    assert [[u["status"] for u in a["updates"]] for a in after["actions"]] == \
        [[old_to_new[u["status"]] for u in a["updates"]] for a in before["actions"]]
    assert list((demo_db_path.parent / "backups").glob("*before-scale-change*.sqlite"))
    assert window.plan_view.snapshot.scale.name == after["scale"]["name"]
    window.close_database()


def test_default_mapping_keeps_completed_work_completed():
    from send_desktop.core.scales import PRESETS
    from send_desktop.services.plan_read import Level
    from send_desktop.ui.scale_dialog import default_mapping

    pap = [Level(i + 1, lv.code, lv.label, lv.meaning, lv.colour, lv.complete, i)
           for i, lv in enumerate(PRESETS["pap3"].levels)]
    ip5 = list(PRESETS["ip5"].levels)
    mapping = default_mapping(pap, ip5)
    assert [ip5[mapping[lv.id]].code for lv in pap] == ["R", "A", "C"]  # Green (done) -> Completed
