"""Start-up time: send-desktop opening the demo plan against a bare PySide6 window, side by side.

    python bench/bench_startup.py [-n 7] [--importtime]

Each run is a fresh process timed from the parent (wall time from spawn to exit), alternating
(a) a bare PySide6 script showing a QMainWindow with an 80x8 QTableWidget and
(b) `python -m send_desktop DEMO.sqlite` with SEND_DESKTOP_EXIT_AFTER_PAINT=1,
both quitting right after their window's first paint. Prints the medians, their ratio b/a, and
the median of the ratios within each side-by-side pair, the figure held to the target (1.5 or
less) because it is the steadiest on a shared machine. `--importtime` adds the slowest imports of (b), from `python -X importtime`.
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
TARGET_RATIO = 1.5

BARE = '''
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

def painted():
    import time
    print(f"FIRST_PAINT {time.time():.6f}", flush=True)
    QApplication.quit()

class QuitAfterPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, painted)
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableWidget(80, 8)
for r in range(80):
    for c in range(8):
        table.setItem(r, c, QTableWidgetItem(f"{r}.{c}"))
window.setCentralWidget(table)
window.resize(1400, 850)
quitter = QuitAfterPaint()
window.installEventFilter(quitter)
window.show()
sys.exit(app.exec())
'''


def _timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(spawn to first paint, spawn to exit) in seconds. The child prints the wall-clock time of
    its first paint; process teardown is not part of starting, but the exit time is shown too."""
    start = time.time()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.time() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    painted = [line for line in done.stdout.splitlines() if line.startswith("FIRST_PAINT ")]
    if not painted:
        raise SystemExit(f"{' '.join(cmd)} never reported its first paint:\n{done.stdout}\n{done.stderr}")
    return float(painted[0].split()[1]) - start, elapsed


def _slowest_imports(cmd: list[str], env: dict, top: int = 15) -> list[tuple[int, str]]:
    done = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:]], env=env, capture_output=True,
                          text=True, timeout=120)
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _self, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
            if cumulative.isdigit():
                rows.append((int(cumulative), name))
    return sorted(rows, reverse=True)[:top]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=7, help="runs of each (default 7)")
    parser.add_argument("--importtime", action="store_true", help="show the slowest imports of send-desktop")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "SEND_DESKTOP_HOME": str(tmp / "home"), "QT_QPA_PLATFORM": "offscreen",
               "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               "SEND_DESKTOP_EXIT_AFTER_PAINT": "1"}
        env.pop("PYTHONPROFILEIMPORTTIME", None)
        # An installed application has its bytecode compiled (pip does it); this machine sets
        # PYTHONDONTWRITEBYTECODE, which would make (b) recompile its own modules every start.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "send_desktop")], env=env,
                       check=True)
        subprocess.run([sys.executable, "-c", "from send_desktop import settings; settings.set_user_name('Bench')"],
                       env=env, check=True)
        demo = tmp / "demo.sqlite"
        subprocess.run([sys.executable, "-m", "send_desktop", "init", str(demo), "--demo"], env=env, check=True,
                       capture_output=True)
        bare = tmp / "bare.py"
        bare.write_text(BARE, encoding="utf-8")
        commands = {"a": [sys.executable, str(bare)], "b": [sys.executable, "-m", "send_desktop", str(demo)]}

        for cmd in commands.values():  # warm the disk cache and the .pyc files; not counted
            _timed(cmd, env)
        times: dict[str, list[float]] = {"a": [], "b": []}
        exits: dict[str, list[float]] = {"a": [], "b": []}
        for _ in range(args.n):
            for key, cmd in commands.items():
                painted, ended = _timed(cmd, env)
                times[key].append(painted)
                exits[key].append(ended)

        a, b = statistics.median(times["a"]), statistics.median(times["b"])
        print("spawn to first paint of the main window (its content drawn):")
        print(f"(a) bare PySide6 window, 80x8 table:  median {a * 1000:6.0f} ms  "
              f"runs {' '.join(f'{t * 1000:.0f}' for t in times['a'])}")
        print(f"(b) send-desktop, demo plan shown:   median {b * 1000:6.0f} ms  "
              f"runs {' '.join(f'{t * 1000:.0f}' for t in times['b'])}")
        print(f"ratio b/a: {b / a:.2f} (target {TARGET_RATIO})")
        fa, fb = min(times["a"]), min(times["b"])
        print(f"fastest of each, the least disturbed by a shared machine: (a) {fa * 1000:.0f} ms, "
              f"(b) {fb * 1000:.0f} ms, ratio {fb / fa:.2f}")
        # Each (a) run is followed at once by a (b) run: on a machine whose load comes and goes
        # (and whose page cache is trimmed between runs), the ratio within a pair is steadier
        # than the ratio of two medians.
        pairs = sorted(tb / ta for ta, tb in zip(times["a"], times["b"]))
        paired = statistics.median(pairs)
        print(f"median of the {len(pairs)} side-by-side ratios: {paired:.2f} "
              f"(quartiles {pairs[len(pairs) // 4]:.2f} to {pairs[(3 * len(pairs)) // 4]:.2f})")
        ea, eb = statistics.median(exits["a"]), statistics.median(exits["b"])
        print(f"spawn to process exit, for reference: (a) {ea * 1000:.0f} ms, (b) {eb * 1000:.0f} ms, "
              f"ratio {eb / ea:.2f}")
        if args.importtime:
            print("\nslowest imports of (b), cumulative microseconds:")
            for micros, name in _slowest_imports(commands["b"], env):
                print(f"  {micros:>9,}  {name}")
        return 0 if paired <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
