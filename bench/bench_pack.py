"""The meeting pack and the dashboard on the demo partnership (issue 7's scale).

    python bench/bench_pack.py [-n 3]

Makes the demo database in a temporary folder, then times:
- the pack for the demo's latest held meeting (draft, the whole PDF written): target under 5 s;
- the dashboard opening to its first screen drawn (cards out of sight draw when scrolled to):
  after the window's warm-up has imported matplotlib, as a person meets it, and in a fresh
  process with matplotlib's import included: target under 1 s.
Prints medians of `n` runs, the page count and the number of charts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DASHBOARD = r'''
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, sys.argv[2])
from send_desktop.ui.app import make_application
from send_desktop.storage.database import open_database
app = make_application()
db = open_database(sys.argv[1], user="bench")
if sys.argv[3] == "warmed":  # what the window's warm-up thread has done by the time a person clicks
    import matplotlib.backends.backend_agg, matplotlib.figure, matplotlib.ticker
t1 = time.perf_counter()
from send_desktop.ui.dashboard_view import DashboardView
view = DashboardView(db)
view.resize(1340, 900)
view.show()
app.processEvents()
t2 = time.perf_counter()
drawn = sum(1 for c in view.cards.values() if getattr(getattr(c, "canvas", None), "needs_drawing", True) is False)
for card in view.cards.values():
    canvas = getattr(card, "canvas", None)
    if canvas is not None and canvas.needs_drawing:
        canvas.draw()
t3 = time.perf_counter()
print(f"{t2 - t1:.4f} {t3 - t1:.4f} {len(view.cards)} {drawn}")
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        tmp = Path(tmp)
        os.environ["SEND_DESKTOP_HOME"] = str(tmp / "home")
        from send_desktop.core.progress import run_steps
        from send_desktop.pack.build import make_pack
        from send_desktop.services.demo import load_demo
        from send_desktop.services.meeting_read import list_meetings
        from send_desktop.storage.database import open_database

        path = tmp / "demo.sqlite"
        db = open_database(path, create=True, user="bench")
        load_demo(db)
        day = max(m.starts_at for m in list_meetings(db) if m.status != "planned").date()
        times, result = [], None
        for n in range(args.n):
            start = time.perf_counter()
            result = run_steps(make_pack(db, tmp / f"pack{n}.pdf", day))
            times.append(time.perf_counter() - start)
        db.close()
        charts = sum(1 for line in (tmp / "pack0.pdf").read_bytes().split(b"\n") if b"/Subtype /Image" in line)
        print(f"pack for {day}: {result.pages} pages, {charts} charts; median {statistics.median(times):.2f} s "
              f"(runs {' '.join(f'{t:.2f}' for t in times)}; target 5 s)")

        script = tmp / "dash.py"
        script.write_text(DASHBOARD, encoding="utf-8")
        for mode, what in (("warmed", "after the window's warm-up has loaded matplotlib (as a person meets it)"),
                           ("cold", "in a fresh process, matplotlib's import included")):
            first, whole = [], []
            for _ in range(args.n):
                done = subprocess.run([sys.executable, str(script), str(path), str(ROOT), mode], capture_output=True,
                                      text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
                if done.returncode:
                    print(done.stderr)
                    return 1
                painted, everything, cards, drawn = done.stdout.split()
                first.append(float(painted))
                whole.append(float(everything))
            print(f"dashboard {what}: shown with its visible cards ({drawn} of {cards}) drawn, median "
                  f"{statistics.median(first):.2f} s (runs {' '.join(f'{t:.2f}' for t in first)}; target 1 s); "
                  f"all {cards} cards drawn {statistics.median(whole):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
