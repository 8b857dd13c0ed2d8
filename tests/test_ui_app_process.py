"""The real start-up path, `send-desktop [DB]`, in a child process (as the start-up bench runs it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args, home: Path, **extra):
    env = {**os.environ, "SEND_DESKTOP_HOME": str(home), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "SEND_DESKTOP_EXIT_AFTER_PAINT": "1", **extra}
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_the_window_starts_paints_and_exits_cleanly(demo_db_path, _user_home):
    done = _run(["-m", "send_desktop", str(demo_db_path)], _user_home)
    assert done.returncode == 0, done.stderr
    from send_desktop import settings

    assert settings.recent_files()[0] == str(demo_db_path.resolve())


@pytest.mark.slow
def test_start_up_does_not_import_heavy_libraries(demo_db_path, _user_home, tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import sys\n"
        "from send_desktop.ui.app import run_gui\n"
        f"code = run_gui({str(demo_db_path)!r})\n"
        "heavy = sorted(m for m in ('matplotlib', 'openpyxl', 'alembic', 'reportlab', 'xlsxwriter',\n"
        "                           'python_calamine', 'numpy') if m in sys.modules)\n"
        "print('heavy:', ','.join(heavy))\n"
        "sys.exit(code)\n")
    done = _run([str(probe)], _user_home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "heavy:"
