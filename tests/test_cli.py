"""The command line: same services, JSON for other tools, exit code 2 and one line for bad input."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from send_desktop.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_empty_then_check(tmp_path, capsys):
    path = tmp_path / "new.sqlite"
    code, out, _ = run(capsys, "init", path, "--scale", "ip5", "--title", "Our plan")
    assert code == 0 and path.exists()
    code, out, _ = run(capsys, "check", path, "--json")
    report = json.loads(out)
    assert code == 0
    assert report["schema"] == report["schema_head"] and report["integrity"] == "ok"
    assert report["counts"]["plans"] == 1 and report["counts"]["actions"] == 0
    code, out, _ = run(capsys, "dump", path, "--kind", "plan")
    dumped = json.loads(out)
    assert [lv["code"] for lv in dumped["scale"]["levels"]] == ["n/s", "R", "A", "G", "C"]
    assert [lv["complete"] for lv in dumped["scale"]["levels"]] == [False, False, False, False, True]


def test_init_demo_and_dump_shape(tmp_path, capsys):
    path = tmp_path / "demo.sqlite"
    assert run(capsys, "init", path, "--demo")[0] == 0
    code, out, _ = run(capsys, "dump", path, "--kind", "plan")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"scale", "priorities", "outcomes", "actions"}
    assert set(data["scale"]) == {"name", "levels"}
    assert len(data["priorities"]) == 5 and set(data["priorities"][0]) == {"ref", "statement"}
    assert 30 <= len(data["outcomes"]) <= 40
    assert 70 <= len(data["actions"]) <= 90
    action = data["actions"][0]
    assert set(action) == {"ref", "action", "workstream", "leads", "timescale", "due", "status",
                           "success_criteria", "updates"}
    assert set(action["updates"][0]) == {"date", "status", "narrative", "author"}
    labels = {lv["label"] for lv in data["scale"]["levels"]}
    assert all(a["status"] in labels for a in data["actions"])
    refs = [a["ref"] for a in data["actions"]]
    assert len(refs) - len(set(refs)) == 1  # the demo keeps one duplicated reference, as real plans do


def test_init_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "x.sqlite"
    run(capsys, "init", path)
    code, _, err = run(capsys, "init", path)
    assert code == 2 and "already exists" in err and err.count("\n") == 1


@pytest.mark.parametrize("args, needle", [
    (["dump", "{missing}", "--kind", "plan"], "does not exist"),
    (["check", "{notdb}"], "not a send-desktop database"),
    (["dump", "{db}", "--kind", "spaceships"], "invalid choice"),
    (["export", "{db}"], "required"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, args, needle):
    notdb = tmp_path / "notes.sqlite"
    notdb.write_text("hello" * 500)
    db = tmp_path / "ok.sqlite"
    run(capsys, "init", db)
    args = [a.format(missing=tmp_path / "missing.sqlite", notdb=notdb, db=db) for a in args]
    code, _, err = run(capsys, *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    last = err.strip()
    assert needle in last and last.startswith("send-desktop:")
    assert "Traceback" not in err


def test_newer_database_exits_2_and_names_the_file(tmp_path, capsys):
    path = tmp_path / "future.sqlite"
    run(capsys, "init", path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    code, _, err = run(capsys, "dump", path, "--kind", "plan")
    assert code == 2 and "future.sqlite" in err and "newer version" in err


def test_real_process_exit_codes(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    path = tmp_path / "p.sqlite"
    ok = subprocess.run([sys.executable, "-m", "send_desktop", "init", str(path)], env=env,
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([sys.executable, "-m", "send_desktop", "check", str(tmp_path / "none.sqlite")],
                         env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and "none.sqlite" in bad.stderr
