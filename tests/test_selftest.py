"""`send-desktop check --self-test`, in this process and as the command users run."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from send_desktop.selftest import self_test

ROOT = Path(__file__).resolve().parent.parent
STEPS = ["ok migrate", "ok write", "ok read", "ok change log", "ok window", "ok charts, PDF and workbooks"]


def test_self_test_passes_in_process_and_leaves_the_environment_alone(qapp):
    home = os.environ["SEND_DESKTOP_HOME"]
    out = io.StringIO()
    assert self_test(out) == 0, out.getvalue()
    lines = out.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines[:-1]] == STEPS and lines[-1] == "self-test passed"
    assert os.environ["SEND_DESKTOP_HOME"] == home
    assert not list(Path(home).glob("data/*.sqlite"))  # everything happened in the temporary folder


def test_self_test_reports_a_failing_step(monkeypatch):
    from send_desktop.services import plan_edit

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(plan_edit, "add_outcome", broken)
    out = io.StringIO()
    assert self_test(out) == 1
    assert out.getvalue().splitlines()[:1] == ["ok migrate"]
    assert "FAILED write" in out.getvalue() and "the disk is on fire" in out.getvalue()


@pytest.mark.slow
def test_self_test_from_the_command_line(tmp_path):
    env = {**os.environ, "SEND_DESKTOP_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test chooses offscreen itself when nothing is set
    done = subprocess.run([sys.executable, "-m", "send_desktop", "check", "--self-test"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [line.split(" (")[0] for line in done.stdout.splitlines()] == STEPS + ["self-test passed"]
