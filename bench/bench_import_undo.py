"""How long undoing a whole import of 10,000 audits takes (issue 6, "the whole import can be undone").

    python bench/bench_import_undo.py [AUDITS] [--keep DIR]

Builds the source database and its audits workbook as `bench_audit_import` does, imports the
workbook into a new (central) database, then undoes that import with `services.import_undo`:
one transaction after a backup, every audit deleted through the ORM (its derived improvement
actions with it) and each delete change-logged with source "undo import ...". Prints the import,
the undo and the check that the central database holds no audit or action afterwards.
Wall and CPU time are both printed: on a shared machine the CPU time is the steadier figure.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str]) -> int:
    from bench_audit_import import build_source, timed_import

    from send_desktop.core.progress import run_steps
    from send_desktop.services.audit_frameworks import ensure_default_framework
    from send_desktop.services.import_undo import imports, undo_import
    from send_desktop.storage.database import open_database
    from send_desktop.xlsx.audit_exchange import export_audits

    n = int(argv[0]) if argv and argv[0].isdigit() else 10_000
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    folder = keep or Path(tempfile.mkdtemp(prefix="bench-import-undo-"))
    folder.mkdir(parents=True, exist_ok=True)
    source, book = folder / "auditor.sqlite", folder / "audits.xlsx"
    if not book.exists():
        source.unlink(missing_ok=True)
        build_source(source, n)
        db = open_database(source, user="bench")
        run_steps(export_audits(db, book))
        db.close()
    central = folder / "central.sqlite"
    for extra in (central, central.with_name(central.name + "-wal"), central.with_name(central.name + "-shm")):
        extra.unlink(missing_ok=True)
    db = open_database(central, create=True, user="bench")
    ensure_default_framework(db, source="bench")
    total, cpu, _, report = timed_import(db, book)
    print(f"import of {report.created:,} audits: {total:.2f} s ({cpu:.2f} s of CPU time)")
    (batch,) = imports(db)
    start, cpu0 = time.perf_counter(), time.process_time()
    done = undo_import(db, batch["id"])
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
    print(f"undo of that import ({done['reverted']:,} changes): {wall:.2f} s ({cpu:.2f} s of CPU time)")
    with db.reading() as con:
        left = con.execute("SELECT (SELECT count(*) FROM audit), (SELECT count(*) FROM audit_action)").fetchone()
    db.close()
    print(f"left after the undo: {left[0]} audits, {left[1]} improvement actions")
    return 0 if left == (0, 0) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
