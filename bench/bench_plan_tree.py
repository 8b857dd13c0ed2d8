"""How long the Plan area takes to show a big plan: 500 actions with 12 updates each.

    QT_QPA_PLATFORM=offscreen python bench/bench_plan_tree.py

Prints the median of 5 runs of each step. The budget is 0.3 s for load_plan + model + first
paint (`reload to first paint` includes load_plan and the model; the view is at 1400x850).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RUNS = 5
BUDGET = 0.3


def median_time(step, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-plan-"))
    os.environ.setdefault("SEND_DESKTOP_HOME", str(work / "home"))

    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from send_desktop.services.demo import load_demo
    from send_desktop.services.plan_read import load_plan
    from send_desktop.storage.database import open_database
    from send_desktop.ui.plan_tree_model import ACTION, PlanFilter, PlanTreeModel
    from send_desktop.ui.plan_view import PlanView

    app = QApplication.instance() or QApplication(sys.argv)
    db = open_database(work / "bench.sqlite", create=True, user="Bench")
    from send_desktop.core.demo_content import demo_plan

    times = []
    for _ in range(3):  # the generator alone (no database): tests and benchmarks make plans of any size
        start = time.perf_counter()
        demo_plan(500, 12)
        times.append(time.perf_counter() - start)
    print(f"demo_plan(500 actions, 12 updates), generated in memory: best {min(times) * 1000:.0f} ms")
    start = time.perf_counter()
    load_demo(db, n_actions=500, updates_per_action=12)
    print(f"building the plan (once): {time.perf_counter() - start:.2f} s")

    snapshot = load_plan(db)
    print(f"plan: {len(snapshot.actions())} actions, {sum(len(a.updates) for a in snapshot.actions())} updates, "
          f"{len(snapshot.outcomes())} outcomes, {len(snapshot.priorities)} priorities")

    model = PlanTreeModel()
    stack = QUndoStack()
    view = PlanView(db, stack)
    view.resize(1400, 850)
    view.show()
    app.processEvents()
    view.plan_changed((ACTION, snapshot.actions()[250].id))  # an action selected, as a user would have

    def first_paint():
        view.reload()
        app.processEvents()
        view.grab()

    results = {
        "load_plan": median_time(lambda: load_plan(db)),
        "model build (set_snapshot)": median_time(lambda: model.set_snapshot(snapshot)),
        "filter rebuild (text + overdue)": median_time(
            lambda: (model.set_filter(PlanFilter(text="annual review", overdue_only=True)),
                     model.set_filter(PlanFilter()))) / 2,
        "PlanView reload to first paint": median_time(first_paint),
    }
    for name, seconds in results.items():
        print(f"{name:34s} {seconds * 1000:8.1f} ms")
    total = results["PlanView reload to first paint"]
    verdict = "within" if total < BUDGET else "OVER"
    print(f"reload to first paint is {verdict} the {BUDGET * 1000:.0f} ms budget")
    db.close()
    return 0 if total < BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
