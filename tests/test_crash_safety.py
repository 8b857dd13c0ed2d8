"""Killing the process half-way through a migration or an import leaves the file as it was.

Real subprocesses are frozen at a named checkpoint inside the transaction
(core/testhooks.py) and killed with SIGKILL; the file is then compared row for row.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import db_contents

from send_desktop.storage.database import read_revision

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")]


contents = db_contents


def run_until_checkpoint(args: list[str], checkpoint: str, tmp_path: Path, home: Path) -> None:
    marker = tmp_path / f"{checkpoint}.reached"
    env = dict(os.environ, SEND_DESKTOP_HOLD_AT=checkpoint, SEND_DESKTOP_HOLD_FILE=str(marker),
               SEND_DESKTOP_HOME=str(home), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"process ended before the checkpoint: {proc.returncode}\n{out.decode()}\n{err.decode()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("checkpoint never reached")
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL


def test_kill_during_migration_leaves_the_old_file(tmp_path, _user_home):
    sample = ROOT / "db" / "samples" / "schema-0001.sqlite"
    path = tmp_path / "old.sqlite"
    shutil.copyfile(sample, path)
    before = contents(path)

    run_until_checkpoint(
        ["-c", f"from send_desktop.storage.database import open_database; open_database(r'{path}', user='x')"],
        "migration", tmp_path, _user_home,
    )

    assert read_revision(path) == "0001"
    assert contents(path) == before
    # and the next open migrates it properly
    from send_desktop.storage.database import HEAD, open_database

    open_database(path, user="x").close()
    assert read_revision(path) == HEAD


def test_kill_during_import_leaves_the_database_unchanged(demo_db_path, tmp_path, _user_home):
    import openpyxl

    from send_desktop.core.progress import run_steps
    from send_desktop.storage.database import open_database
    from send_desktop.xlsx.plan_export import export_plan

    workbook = tmp_path / "returned.xlsx"
    db = open_database(demo_db_path, user="x")
    run_steps(export_plan(db, workbook))
    db.close()

    # an officer's week of edits: every action's wording changed, and new rows added
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Plan"]
    header_row = next(r for r in range(1, 10) if any(c.value == "Ref" for c in ws[r]))
    headers = {c.value: c.column for c in ws[header_row]}
    text_col = next(col for name, col in headers.items() if name and str(name).startswith("Actions"))
    last = ws.max_row
    for r in range(header_row + 1, last + 1):
        if ws.cell(r, headers["Ref"]).value:
            ws.cell(r, text_col).value = f"Revised wording {r}"
    wb.save(workbook)
    before = contents(demo_db_path)

    run_until_checkpoint(["-m", "send_desktop", "import", str(demo_db_path), str(workbook)],
                         "import", tmp_path, _user_home)

    assert contents(demo_db_path) == before
