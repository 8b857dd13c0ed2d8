"""How the risk register performs at the size of a large region's register.

Builds 1,000 risks with 24 monthly reviews each (and two mitigations each) in a temporary
folder, in one ORM session, then prints the median of several runs for:

- load: `load_register` (the snapshot every reader uses);
- table: load, filter and the register area showing its table, to the end of the first paint;
- heat map: building the heat map's data and drawing it (matplotlib already imported);
- export: the workbook, and re-importing it unchanged.

Targets (issue 4): the table shows in under 0.3 s, the heat map draws in under 0.5 s, the export
takes under 2 s.

    QT_QPA_PLATFORM=offscreen python bench/bench_risks.py [--risks 1000] [--reviews 24] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
TODAY = dt.date(2026, 11, 1)


def _median(label: str, times: list[float], target: float | None = None) -> None:
    med = statistics.median(times)
    verdict = "" if target is None else ("   ok" if med < target else f"   OVER the {target:.1f} s target")
    print(f"{label:<36}{med:8.3f} s   (runs: {', '.join(f'{t:.3f}' for t in times)}){verdict}")


def calibrate() -> float:
    """A fixed pure-Python workload, timed at the start and the end: when it and the figures
    disagree with an earlier run, the machine was busy (the load average is printed too)."""
    t = time.perf_counter()
    sum(i * i for i in range(3_000_000))
    return time.perf_counter() - t


def build(db, n_risks: int, n_reviews: int) -> None:
    from send_desktop.core.risk_matrix import add_months, next_review_date
    from send_desktop.storage.models import Risk, RiskAssessment, RiskCategory, RiskMitigation

    rng = random.Random(7)
    owners = [f"Owner {i:02d}" for i in range(40)]
    with db.session("bench") as s:
        cats = [RiskCategory(name=n, appetite=a, position=i) for i, (n, a) in
                enumerate((("Regulatory", 9), ("Financial", 12), ("Reputational", 9), ("Harm to children", 8),
                           ("Operational", 12)))]
        s.add_all(cats)
        s.flush()
        first = add_months(TODAY, -n_reviews)
        for n in range(n_risks):
            lk, im = rng.randint(1, 5), rng.randint(1, 5)
            risk = Risk(ref=f"R{n + 1:04d}", title=f"Risk number {n + 1} about service capacity and waiting times",
                        cause="Demand outstrips capacity.", event="Children wait.", effect="Needs go unmet.",
                        category_id=cats[n % 5].id, owner=owners[n % 40], controls="Weekly tracking\nMonthly report",
                        assurance="Board report", gaps_in_control="", gaps_in_assurance="",
                        inherent_likelihood=5, inherent_impact=im, current_likelihood=lk, current_impact=im,
                        target_likelihood=2, target_impact=2, review_frequency="monthly",
                        status="escalated" if n % 50 == 0 else "open", position=n)
            for k in range(n_reviews):
                lk = max(1, min(5, lk + rng.choice((-1, 0, 0, 0, 1))))
                risk.assessments.append(RiskAssessment(date=add_months(first, k + 1).replace(day=10), likelihood=lk,
                                                       impact=im, note="Reviewed.", assessor=owners[k % 40]))
            risk.current_likelihood = lk
            risk.next_review = next_review_date(risk.assessments[-1].date, "monthly")
            for m in range(2):
                risk.mitigations.append(RiskMitigation(text=f"Mitigation {m + 1}", owner=owners[(n + m) % 40],
                                                       due_date=TODAY, status="planned", position=m))
            s.add(risk)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--risks", type=int, default=1000)
    parser.add_argument("--reviews", type=int, default=24)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    before = calibrate()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["SEND_DESKTOP_HOME"] = str(folder / "home")
        from PySide6.QtWidgets import QApplication

        from send_desktop.core.progress import run_steps
        from send_desktop.services.plan_setup import new_plan
        from send_desktop.services.risk_read import filter_risks, load_register
        from send_desktop.storage.database import open_database
        from send_desktop.xlsx.risk_xlsx import export_risks, import_risks

        app = QApplication.instance() or QApplication([])
        db = open_database(folder / "risks.sqlite", create=True, user="bench")
        new_plan(db, "Bench plan", "pap3")
        started = time.perf_counter()
        build(db, args.risks, args.reviews)
        print(f"{args.risks} risks x {args.reviews} reviews built in {time.perf_counter() - started:.2f} s")

        loads = [0.0] * args.runs
        for i in range(args.runs):
            t = time.perf_counter()
            reg = load_register(db, today=TODAY)
            loads[i] = time.perf_counter() - t
        _median("load_register", loads)

        from send_desktop.ui.risk_view import RiskRegisterView

        tables = []
        for _ in range(args.runs):
            t = time.perf_counter()
            view = RiskRegisterView(db)
            view.today = TODAY
            view.resize(1400, 850)
            view.show()
            view.table.viewport().repaint()  # the first paint of the table, before the charts load
            tables.append(time.perf_counter() - t)
            view.close()
            view.deleteLater()
            app.processEvents()
        _median("register table shown", tables, 0.3)

        view = RiskRegisterView(db)
        view.today = TODAY
        view.resize(1400, 850)
        view.show()
        t = time.perf_counter()
        heat_map = view.heat_map  # imports matplotlib, once
        heat_map.grab()
        print(f"{'first heat map (matplotlib import)':<36}{time.perf_counter() - t:8.3f} s")
        draws = []
        flt = view.filter_bar.current_filter()
        for _ in range(args.runs):
            t = time.perf_counter()
            heat_map.set_data(reg.matrix, filter_risks(reg, flt))
            heat_map.draw()
            draws.append(time.perf_counter() - t)
        _median("heat map draw", draws, 0.5)
        t = time.perf_counter()
        view.history_chart.set_risk(reg.matrix, reg.risks[0], TODAY)
        view.history_chart.draw()
        print(f"{'history chart draw':<36}{time.perf_counter() - t:8.3f} s")
        view.close()

        workbook = folder / "risks.xlsx"
        exports, imports = [], []
        for _ in range(max(2, args.runs // 2)):
            t = time.perf_counter()
            run_steps(export_risks(db, workbook, today=TODAY))
            exports.append(time.perf_counter() - t)
        _median("export", exports, 2.0)
        print(f"{'workbook size':<36}{workbook.stat().st_size / 1024:8.0f} KB")
        for _ in range(2):
            t = time.perf_counter()
            report = run_steps(import_risks(db, workbook, today=TODAY))
            imports.append(time.perf_counter() - t)
            assert report.created == report.updated == 0, report.summary()
        _median("re-import unchanged", imports)
        db.close()
    print(f"{'calibration (start, end)':<36}{before:8.3f} s, {calibrate():.3f} s   "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
