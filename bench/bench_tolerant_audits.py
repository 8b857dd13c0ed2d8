"""Reading officers' own audit trackers and caseload lists: import times.

1. An audit tracker of AUDITS rows (default 10,000): a title, a merged banner, a header of plan
   reference, a name column (never read), audit date as text, auditor, locality spelt two ways,
   plan type, then 40 criterion columns headed by code in several spellings ("A1", "A.2",
   "B3 - ...", "Section C Q1"), rated with words and numbers and some N/A, and an overall grade.
   Times: preview, dry run, import into a new database (every audit graded), and a re-import
   (every audit matched, nothing changed).
2. A caseload list of PLANS rows (default 100,000): titles, a name and a DOB column, dates as
   text and as dates, key stages as numbers, teams spelt two ways. Times: dry run and import.

    python bench/bench_tolerant_audits.py [AUDITS] [PLANS]

Workbooks are written with openpyxl's write-only mode (not timed). Figures are wall-clock
seconds on whatever else the machine is doing: on a shared machine they are noisy, compare
figures from one run.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = ["Not met", "Partly met", "Met", "Exemplary", 2, 3, 1, "2"]
TEAMS = ["North Locality", "north locality", "South Locality", "East Locality", "West locality"]


def _criteria(n: int = 40) -> list[tuple[str, str]]:
    """(header, criterion id) for the first `n` criteria of the default framework, in mixed spellings."""
    from send_desktop.audits.default_framework import default_framework

    out = []
    for s in default_framework().sections:
        for i, c in enumerate(s.criteria, 1):
            if len(out) >= n:
                return out
            spelling = len(out) % 4
            header = (c.id if spelling == 0 else f"{c.id[0]}.{c.id[1:]}" if spelling == 1 and c.id[1:].isdigit()
                      else f"{c.id} - {c.text[:30]}" if spelling == 2 else f"Section {s.code} Q{i}"
                      if c.id == f"{s.code}{i}" else c.id)
            out.append((header, c.id))
    return out


def write_tracker(path: Path, rows: int) -> None:
    import openpyxl

    from send_desktop.audits.default_framework import default_framework

    fw = default_framework()
    na_ok = {c.id for s in fw.sections if s.na_allowed for c in s.criteria}
    crits = _criteria()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Audit tracker")
    ws.append(["Harbourside EHCP audit tracker"])
    ws.append(["Ratings: 0 Not met, 1 Partly met, 2 Met, 3 Exemplary"])
    ws.append(["Plan ref", "Child name", "Date of audit", "Auditor", "Locality", "Plan type",
               *[h for h, _ in crits], "Overall grade"])
    start = dt.date(2024, 4, 1)
    for n in range(rows):
        day = start + dt.timedelta(days=n % 500)
        ratings = [("N/A" if cid in na_ok and n % 7 == 0 else WORDS[(n + j) % len(WORDS)])
                   for j, (_, cid) in enumerate(crits)]
        ws.append([f"EHCP-{n:06d}", f"Child {n}", day.strftime("%d/%m/%Y"), f"Auditor {n % 12}", TEAMS[n % 5],
                   "Annual review" if n % 3 else "New", *ratings, "Good"])
    wb.save(path)


def write_caseload(path: Path, rows: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Caseload")
    ws.append(["Open EHC plans"])
    ws.append(["Source: case management system"])
    ws.append([])
    ws.append(["EHCP ref", "Child's name", "DOB", "Locality", "KS", "Primary need", "Setting", "Date issued"])
    for n in range(rows):
        issued = "Sept 2025" if n % 5 == 0 else dt.date(2015, 1, 1) + dt.timedelta(days=n % 3650)
        ws.append([f"HB-{n:07d}", f"Child {n}", dt.date(2012, 1, 1), TEAMS[n % 5], n % 5 + 1, "SEMH",
                   "Mainstream" if n % 2 else "mainstream", issued])
    wb.save(path)


def timed(label: str, fn):
    t = time.perf_counter()
    out = fn()
    print(f"  {label:<34}{time.perf_counter() - t:8.2f} s", flush=True)
    return out


def main(argv: list[str]) -> int:
    from send_desktop.core.progress import run_steps
    from send_desktop.storage.database import open_database
    from send_desktop.xlsx.audit_exchange import import_audits
    from send_desktop.xlsx.audit_foreign_preview import preview_audits
    from send_desktop.xlsx.caseload_import import import_caseload

    audits = int(argv[0]) if argv else 10_000
    plans = int(argv[1]) if len(argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        tracker = Path(tmp) / "tracker.xlsx"
        write_tracker(tracker, audits)
        print(f"Audit tracker: {audits:,} rows x {len(_criteria())} criterion columns "
              f"({tracker.stat().st_size / 1e6:.1f} MB)")
        db = open_database(Path(tmp) / "audits.sqlite", create=True, user="Bench")
        preview = timed("preview", lambda: preview_audits(tracker, db))
        assert len(preview.sheets[0].mapping.fields) >= 45, preview.sheets[0].mapping
        dry = timed("dry run", lambda: run_steps(import_audits(db, tracker, dry_run=True)))
        report = timed("import (graded, new database)", lambda: run_steps(import_audits(db, tracker)))
        assert dry.created == report.created == audits, (dry.created, report.created)
        again = timed("re-import (all matched, unchanged)", lambda: run_steps(import_audits(db, tracker)))
        assert again.unchanged == audits, again.summary()
        db.close()

        caseload = Path(tmp) / "caseload.xlsx"
        write_caseload(caseload, plans)
        print(f"Caseload list: {plans:,} rows ({caseload.stat().st_size / 1e6:.1f} MB)")
        cdb = open_database(Path(tmp) / "caseload.sqlite", create=True, user="Bench")
        dry = timed("dry run", lambda: run_steps(import_caseload(cdb, caseload, dry_run=True)))
        report = timed("import", lambda: run_steps(import_caseload(cdb, caseload)))
        assert dry.created == report.created == plans, (dry.created, report.created)
        cdb.close()
    print("Wall-clock figures on a shared machine: noisy; compare figures from one run.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
