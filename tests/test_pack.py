"""The meeting pack: a real PDF from the demo database, read back with poppler's pdftotext; "what
changed since the last meeting" worked out from the last issued pack's snapshot."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from send_desktop.core.progress import run_steps
from send_desktop.pack.build import issued_pdf, last_issued, make_pack
from send_desktop.services import plan_edit
from send_desktop.services.plan_read import load_plan

ROOT = Path(__file__).resolve().parents[1]
FIRST, SECOND = dt.date(2026, 11, 12), dt.date(2026, 12, 10)
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (scripts/setup)")


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pages_of(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def a_meeting_date(db) -> dt.date:
    from send_desktop.services.meeting_read import list_meetings

    held = [m for m in list_meetings(db) if m.status != "planned"]
    return max(m.starts_at for m in held).date()


def test_a_draft_pack_has_its_parts_page_numbers_and_is_not_kept(demo_db, tmp_path):
    out = tmp_path / "draft.pdf"
    day = a_meeting_date(demo_db)
    result = run_steps(make_pack(demo_db, out, day, today=day))
    text = text_of(out)
    pages = pages_of(out)
    assert result.pages == pages > 20
    assert "Draft — not yet issued" in text and "Contents" in text
    assert f"Page 1 of {pages}" not in text  # the cover has no footer
    assert f"Page 2 of {pages}" in text and f"Page {pages} of {pages}" in text
    for part in ("Agenda", "Attendance and apologies", "Minutes of the last meeting", "Matters arising",
                 "The plan at a glance", "Highlight reports", "The risk register", "Risks for the board's attention",
                 "Performance: the KPI dashboard", "Quality assurance: EHCP audits", "Section profile",
                 "The plan tracker", "Forward plan"):
        assert part in text, part
    assert "first issued pack" in text
    assert last_issued(demo_db) is None  # a draft is only a file


def test_the_second_pack_says_what_changed_since_the_first_issued_one(demo_db, tmp_path):
    first = run_steps(make_pack(demo_db, tmp_path / "first.pdf", FIRST, issue=True, today=FIRST,
                                issued_by="Chair"))
    assert first.issued_id is not None and first.version == 1

    snap = load_plan(demo_db, today=FIRST)
    amber = next(lv for lv in snap.scale.levels if lv.label == "Amber")
    green = next(lv for lv in snap.scale.levels if lv.label == "Green")
    moving = next(a for a in snap.actions() if a.level and a.level.id == amber.id)
    plan_edit.add_update(demo_db, moving.id, date=dt.date(2026, 11, 30), level_id=green.id,
                         narrative="Signed off at the operations group", author="Lead")
    outcome = snap.outcomes()[0]
    new_id = plan_edit.add_action(demo_db, outcome.id, text="Publish a family guide to the new panel process")
    new_ref = next(a.ref for a in load_plan(demo_db).actions() if a.id == new_id)

    from send_desktop.services.risks import create_risk

    create_risk(demo_db, title="Home-to-school transport contract ends without a replacement", likelihood=4,
                impact=4, category="Operational", owner="Transport lead", assessed_on=dt.date(2026, 11, 20))

    second = run_steps(make_pack(demo_db, tmp_path / "second.pdf", SECOND, today=SECOND))
    text = " ".join(text_of(tmp_path / "second.pdf").split())
    assert "Since the last pack: 1 new risk" in text
    assert f"measured against the pack issued for {FIRST.isoformat()}" in text
    assert f"{moving.ref} moved from Amber to Green (▲ better)" in text
    assert f"{new_ref} is new" in text
    assert "1 status move, 1 new action, 1 completed" in text
    assert second.issued_id is None


def test_an_issued_pack_reopens_exactly_as_issued(demo_db, tmp_path):
    out = tmp_path / "issued.pdf"
    result = run_steps(make_pack(demo_db, out, FIRST, issue=True, today=FIRST))
    kept = issued_pdf(demo_db, result.issued_id)
    assert kept == out.read_bytes()
    assert hashlib.sha256(kept).hexdigest() == result.sha256
    again = run_steps(make_pack(demo_db, tmp_path / "again.pdf", FIRST, issue=True, today=FIRST))
    assert again.version == 2  # a re-issue for the same meeting is a new version, the first kept
    assert issued_pdf(demo_db, result.issued_id) == kept


def test_the_command_line_writes_the_pack(demo_db_path, tmp_path):
    out = tmp_path / "cli.pdf"
    done = subprocess.run([sys.executable, "-m", "send_desktop", "pack", str(demo_db_path), str(out), "--meeting",
                           SECOND.isoformat(), "--issue"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "issued (version 1" in done.stdout and out.stat().st_size > 10_000
    bad = subprocess.run([sys.executable, "-m", "send_desktop", "pack", str(demo_db_path), str(out), "--meeting",
                          "10/12/2026"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr
