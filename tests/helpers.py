"""Small shared test helpers (fixtures live in conftest.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def db_contents(path: Path) -> list[str]:
    """Every schema statement and row of a database file, as SQL text: equal lists mean equal
    databases. Read-only, so looking never changes what is looked at."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


#: Real workbooks from other projects' test suites and public-sector publications, broken and
#: hostile ones included (see its SOURCES.md for where each came from and its licence). Kept in
#: the repository so the tests need nothing outside it.
CORPUS = Path(__file__).parent / "data" / "xlsx-corpus"
