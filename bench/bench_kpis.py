"""How long the KPIs area and the KPI workbook take with a big set: 200 KPIs with 120 periods each.

    QT_QPA_PLATFORM=offscreen python bench/bench_kpis.py

Prints the median of 5 runs of each step (3 for the workbook). Budgets (issue 4): the KPI table
shows in under 0.3 s (`reload to first paint`: load_kpis, the model and a paint of the view at
1400x900) and the export takes under 2 s. The import of the unchanged workbook and one chart are
measured too, without a budget.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

KPIS, PERIODS = 200, 120
TABLE_BUDGET, EXPORT_BUDGET = 0.3, 2.0


CPU: dict[str, float] = {}  # processor time of each step, beside the wall time: steadier on a busy machine


def median_time(step, runs: int = 5, name: str = "") -> float:
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[name] = statistics.median(cpu)
    return statistics.median(times)


def build(db) -> None:
    """200 monthly KPIs over ten years, with yearly targets, two comparators and some values in words.
    Rows go in with one bulk insert: this is a fixture for timing, not user data, so it skips the
    change log that every real write goes through."""
    from sqlalchemy import insert

    from send_desktop.core.kpi_values import parse_value
    from send_desktop.core.periods import month, parse_period
    from send_desktop.storage.models import Kpi, KpiComparator, KpiTarget, KpiValue, new_uid

    rng = random.Random(4)
    months = [month(2016, 4).shifted(i) for i in range(PERIODS)]
    years = sorted({f"{p.start.year - (p.start.month < 4)}/{(p.start.year - (p.start.month < 4) + 1) % 100:02d}"
                    for p in months})
    kpis, values, targets, comparators = [], [], [], []
    for k in range(1, KPIS + 1):
        unit = ("%", "count", "weeks")[k % 3]
        kpis.append(dict(id=k, uid=new_uid(), ref=f"{k // 10 + 1}{'abcdefghij'[k % 10]}", measure=f"Measure {k}",
                         officer="Head of Performance", frequency="monthly", unit=unit,
                         direction="higher" if k % 2 else "lower", priority_id=None, tolerance=None, notes="",
                         position=k))
        level = rng.uniform(20, 80)
        for p in months:
            level = min(100, max(0, level + rng.gauss(0.1, 2)))
            text = rng.choice(("tbc", "Not available")) if rng.random() < 0.03 else \
                (f"{level:.1f}%" if unit == "%" else f"{round(level * 10):,}" if unit == "count" else
                 f"{round(level)} weeks")
            v = parse_value(text)
            values.append(dict(uid=new_uid(), kpi_id=k, period=p.text, period_end=p.end, text=v.text, number=v.number))
        for y in years:
            v = parse_value("75%" if unit == "%" else "500" if unit == "count" else "40 weeks")
            targets.append(dict(uid=new_uid(), kpi_id=k, period=y, period_end=parse_period(y).end, text=v.text,
                                number=v.number))
        for name in ("National", "Statistical neighbours"):
            comparators.append(dict(uid=new_uid(), kpi_id=k, name=name, text="60%", number=60.0,
                                    as_at=dt.date(2025, 3, 31), source="bench"))
    with db.session("bench") as s:
        for model, rows in ((Kpi, kpis), (KpiValue, values), (KpiTarget, targets), (KpiComparator, comparators)):
            s.execute(insert(model), rows)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-kpis-"))
    os.environ.setdefault("SEND_DESKTOP_HOME", str(work / "home"))

    from PySide6.QtWidgets import QApplication

    from send_desktop.core.progress import run_steps
    from send_desktop.services.kpi_dump import dump_kpis
    from send_desktop.services.kpi_read import load_kpis
    from send_desktop.storage.database import open_database
    from send_desktop.ui.kpi_table_model import KpiTableModel
    from send_desktop.ui.kpi_view import KpiView
    from send_desktop.xlsx.kpi_xlsx import export_kpis, import_kpis

    app = QApplication.instance() or QApplication(sys.argv)
    db = open_database(work / "bench.sqlite", create=True, user="Bench")
    start = time.perf_counter()
    build(db)
    snap = load_kpis(db)
    print(f"building the KPI set (once): {time.perf_counter() - start:.2f} s; {len(snap.kpis)} KPIs, "
          f"{sum(len(k.values) for k in snap.kpis):,} values, {len(snap.periods)} periods")

    model = KpiTableModel()
    view = KpiView(db)
    view.resize(1400, 900)
    view.show()
    app.processEvents()
    view.select_kpi(snap.kpis[100].id)  # a KPI selected, as a user would have

    def first_paint():
        view.reload()
        app.processEvents()
        view.grab()

    start = time.perf_counter()
    view.chart.redraw()
    view.chart.canvas.draw()
    first_chart = time.perf_counter() - start

    def chart():
        view.chart.redraw()
        view.chart.canvas.draw()

    out = work / "kpis.xlsx"
    steps = {
        "load_kpis": (lambda: load_kpis(db), 5),
        "model build (set_snapshot)": (lambda: model.set_snapshot(snap), 5),
        "KpiView reload to first paint": (first_paint, 5),
        "chart of one KPI (drawn)": (chart, 5),
        "dump_kpis": (lambda: dump_kpis(db), 5),
        "export_kpis": (lambda: run_steps(export_kpis(db, out)), 3),
        "import_kpis, unchanged workbook": (lambda: run_steps(import_kpis(db, out)), 3),
    }
    results = {name: median_time(step, runs, name) for name, (step, runs) in steps.items()}
    print(f"{'step':34s} {'wall':>8s}    {'cpu':>8s}")
    print(f"{'first chart (imports matplotlib)':34s} {first_chart * 1000:8.1f} ms")
    for name, seconds in results.items():
        print(f"{name:34s} {seconds * 1000:8.1f} ms {CPU[name] * 1000:8.1f} ms")
    table, export = results["KpiView reload to first paint"], results["export_kpis"]
    print(f"reload to first paint is {'within' if table < TABLE_BUDGET else 'OVER'} the "
          f"{TABLE_BUDGET * 1000:.0f} ms budget; export is {'within' if export < EXPORT_BUDGET else 'OVER'} "
          f"the {EXPORT_BUDGET:.0f} s budget ({out.stat().st_size / 1e6:.1f} MB)")
    db.close()
    return 0 if table < TABLE_BUDGET and export < EXPORT_BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
