"""How long importing 10,000 audits from an audits workbook takes (issue 3, "Scale": under 10 s).

    python bench/bench_audit_import.py [AUDITS] [--keep DIR]

Builds a source database of AUDITS (default 10,000) audits of the default framework, scored as
the demo partnership's are (`services.demo_audits`: provision lagging, about a third of plans
with no health or social care needs; a comment on one audit in five; a pool of scorings is
graded once and dealt out, written with sqlite3 `executemany`), exports them with
`export_audits`, then
imports the workbook into a new database (the central one) and prints:

- the import's phases (reading, checking, comparing, writing) and its total, with the number of
  audits and improvement actions written (every audit graded by apply_grading and recorded in
  the change log; new ones written in bulk by `changelog.insert_logged`, which logs each as the
  ORM hook does);
- re-importing the same workbook (every audit unchanged: the three-way comparison alone);
- a dry run of the first import, for scale.
Wall and CPU time are both printed: on a shared machine the CPU time is the steadier figure.
Exits 1 if the first import is over budget.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BUDGET_S = 10.0
POOL = 2000
TEAMS = [f"Locality {i:02d}" for i in range(8)]


def _scoring(rng: random.Random, fw) -> tuple:
    """An audit scored as the demo partnership's are, half-way through its year of improvement."""
    from send_desktop.services.demo_audits import _ratings

    no_needs = {code for code, p in (("C", 0.3), ("D", 0.4)) if rng.random() < p}
    ratings, reasons = _ratings(rng, fw, rng.gauss(1.9, 0.4), no_needs)
    comments = {"F1": "Provision is not quantified: no hours or staff named."} if rng.random() < 0.2 else {}
    return ratings, reasons, comments, sorted(no_needs), rng.random() < 0.01


def build_source(path: Path, n: int, seed: int = 2025) -> None:
    from send_desktop.audits.grading import grade
    from send_desktop.services.audit_frameworks import ensure_default_framework, load_framework
    from send_desktop.storage.database import open_database

    db = open_database(path, create=True, user="bench")
    fid = ensure_default_framework(db, source="bench")
    fw = load_framework(db, fid)
    db.close()
    rng = random.Random(seed)
    pool = []
    for _ in range(POOL):
        ratings, reasons, comments, no_needs, critical = sc = _scoring(rng, fw)
        r = grade(fw, ratings, no_needs, critical, reasons)
        pool.append((sc, r))
    rows = []
    for i in range(n):
        (ratings, reasons, comments, no_needs, critical), r = pool[rng.randrange(POOL)]
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365))
        rows.append((uuid.uuid4().hex, fid, f"EHC-{i:07d}", "annual review", rng.choice(TEAMS), "KS2",
                     "Autistic spectrum disorder", "Mainstream primary", f"Auditor {rng.randrange(30):02d}",
                     "SEND casework", day.isoformat(), day.strftime("%Y-%m"), "submitted", json.dumps(ratings),
                     json.dumps(reasons), json.dumps(comments), json.dumps(no_needs), int(critical), "",
                     r.score, r.banded_grade, r.grade, r.grade, "2025-12-31 12:00:00.000000", "[]", "{}", "[]"))
    con = sqlite3.connect(path)
    with con:
        con.executemany("INSERT INTO audit (uid, framework_id, plan_ref, plan_type, team, key_stage, primary_need, "
                        "setting_type, auditor, agency, audit_date, month, status, ratings, na_reasons, comments, "
                        "no_needs, critical_concern, notes, score, banded_grade, grade, reported_grade, updated_at, "
                        f"caps, section_results, unmet) VALUES ({','.join('?' * 27)})", rows)
    con.close()


def timed_import(db, book: Path, dry_run: bool = False) -> tuple[float, float, list[tuple[str, float]], object]:
    from send_desktop.xlsx.audit_exchange import import_audits

    phases: list[tuple[str, float]] = []
    start, cpu = time.perf_counter(), time.process_time()
    steps = import_audits(db, book, dry_run=dry_run, source="import bench")
    try:
        while True:
            p = next(steps)
            label = p.message.split(" (")[0].split(",")[0]
            if label.startswith("Reading sheet"):
                label = "Reading"
            if not phases or phases[-1][0] != label:
                phases.append((label, time.perf_counter() - start))
    except StopIteration as stop:
        report = stop.value
    return time.perf_counter() - start, time.process_time() - cpu, phases, report


def _show(title: str, total: float, cpu: float, phases: list[tuple[str, float]]) -> None:
    print(f"{title}: {total:.2f} s ({cpu:.2f} s of CPU time)")
    for (label, at), nxt in zip(phases, [*(p[1] for p in phases[1:]), total]):
        print(f"    {label:<34}{nxt - at:7.2f} s")


def main(argv: list[str]) -> int:
    from send_desktop.core.progress import run_steps
    from send_desktop.services.audit_frameworks import ensure_default_framework
    from send_desktop.storage.database import open_database
    from send_desktop.xlsx.audit_exchange import export_audits

    n = int(argv[0]) if argv and argv[0].isdigit() else 10_000
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    folder = keep or Path(tempfile.mkdtemp(prefix="bench-audit-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    source, book = folder / "auditor.sqlite", folder / "audits.xlsx"
    if not book.exists():
        source.unlink(missing_ok=True)
        start = time.perf_counter()
        build_source(source, n)
        db = open_database(source, user="bench")
        run_steps(export_audits(db, book))
        db.close()
        print(f"export of {n:,} audits: {time.perf_counter() - start:.1f} s (setup, not timed against the budget), "
              f"{book.stat().st_size / 1e6:.1f} MB")
    results = {}
    for label, dry in (("dry run", True), ("import", False), ("re-import, all unchanged", False)):
        target = folder / "central.sqlite"
        if label != "re-import, all unchanged":
            for f in folder.glob("central.sqlite*"):
                f.unlink()
            db = open_database(target, create=True, user="bench")
            ensure_default_framework(db, source="bench")
        else:
            db = open_database(target, user="bench")
        total, cpu, phases, report = timed_import(db, book, dry_run=dry)
        with db.reading() as con:
            audits, actions = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                               for t in ("audit", "audit_action"))
        db.close()
        _show(f"{label} ({report.created:,} created, {report.unchanged:,} unchanged; database now holds {audits:,} "
              f"audits, {actions:,} actions)", total, cpu, phases)
        results[label] = total
    print(f"budget: {BUDGET_S:.0f} s for the import; measured {results['import']:.2f} s")
    return 0 if results["import"] <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
