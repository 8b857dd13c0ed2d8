"""Every exported workbook opens cleanly in LibreOffice (scripts/check_libreoffice.py).

LibreOffice is not part of the set-up (it is large), so this runs only where it is installed."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_libreoffice.py"


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
def test_every_export_opens_cleanly_in_libreoffice(tmp_path):
    spec = importlib.util.spec_from_file_location("check_libreoffice", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.check(tmp_path) == []
