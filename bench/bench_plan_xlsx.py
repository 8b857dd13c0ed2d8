"""How long the plan's spreadsheet round trip takes at the size of a large board's plan.

Builds a plan of 500 actions with 12 updates each in a temporary folder and prints the median
of 3 runs for: export, re-import of the unchanged export into the same database, and import
into a new, empty database. Targets: export under 1 s, each import under 2 s.

    python bench/bench_plan_xlsx.py [--actions 500] [--updates 12] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _median(label: str, times: list[float]) -> None:
    print(f"{label:<34}{statistics.median(times):8.3f} s   (runs: {', '.join(f'{t:.3f}' for t in times)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=500)
    parser.add_argument("--updates", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["SEND_DESKTOP_HOME"] = str(folder / "home")
        from send_desktop.core.progress import run_steps
        from send_desktop.services.demo import load_demo
        from send_desktop.storage.database import open_database
        from send_desktop.xlsx.plan_export import export_plan
        from send_desktop.xlsx.plan_import import import_plan

        db = open_database(folder / "plan.sqlite", create=True, user="bench")
        started = time.perf_counter()
        load_demo(db, n_actions=args.actions, updates_per_action=args.updates)
        print(f"plan of {args.actions} actions x {args.updates} updates built in "
              f"{time.perf_counter() - started:.2f} s")
        workbook = folder / "plan.xlsx"

        exports, reimports, fresh = [], [], []
        for run in range(args.runs):
            t = time.perf_counter()
            run_steps(export_plan(db, workbook))
            exports.append(time.perf_counter() - t)

            t = time.perf_counter()
            report = run_steps(import_plan(db, workbook))
            reimports.append(time.perf_counter() - t)
            assert report.created == report.updated == 0, report.summary()

            new_db = open_database(folder / f"new-{run}.sqlite", create=True, user="bench")
            t = time.perf_counter()
            report = run_steps(import_plan(new_db, workbook))
            fresh.append(time.perf_counter() - t)
            new_db.close()
        db.close()
        print(f"workbook: {workbook.stat().st_size / 1024:.0f} KB")
        _median("export", exports)
        _median("re-import unchanged (same db)", reimports)
        _median("import into a new db", fresh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
