"""Matching workbook rows to records by wording: time and accuracy, alone and in a plan import.

1. `tolerant.similar.match` on N records against the same N texts reworded (a word or two
   dropped, one replaced, one misspelt, the order shuffled), in shuffled order: the seconds
   taken, and how many rows were paired with their own record surely, doubtfully or wrongly.
   The words are drawn from the demo plan's action texts, so they are as alike as a plan's are.
2. The worst case in a plan import: a plan of N actions, then a dry run of a workbook in which
   every action was renumbered and reworded (no reference matches, so every row is compared by
   wording), against a dry run of the workbook as it was exported (every row matched by
   reference).

    python bench/bench_text_matching.py            # 1,000 and 5,000
    python bench/bench_text_matching.py 2000       # one size

Figures are wall-clock seconds on whatever else the machine is doing: read them as rough.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def demo_words() -> list[str]:
    import re

    from send_desktop.services.demo import load_demo
    from send_desktop.services.plan_dump import dump_plan
    from send_desktop.storage.database import open_database

    db = open_database(Path(tempfile.mkdtemp()) / "demo.sqlite", create=True, user="Bench")
    load_demo(db)
    texts = [a["action"] for a in dump_plan(db)["actions"]]
    db.close()
    return [w for t in texts for w in re.findall(r"[A-Za-z][a-z'-]+", t)]


def texts(n: int, words: list[str], rng: random.Random) -> list[str]:
    return [" ".join(rng.choice(words) for _ in range(rng.randint(10, 18))) + f" by {rng.randint(1, 28)} March"
            for _ in range(n)]


def reword(text: str, words: list[str], rng: random.Random) -> str:
    ws = text.split()
    for _ in range(rng.randint(1, 2)):
        ws.pop(rng.randrange(len(ws)))
    ws[rng.randrange(len(ws))] = rng.choice(words)
    i = rng.randrange(len(ws))
    if len(ws[i]) > 5:
        ws[i] = ws[i][:2] + ws[i][3:]  # a letter left out
    j = rng.randrange(len(ws) - 1)
    ws[j], ws[j + 1] = ws[j + 1], ws[j]
    return " ".join(ws)


def bench_match(n: int, words: list[str]) -> str:
    from send_desktop.xlsx.tolerant.similar import match

    rng = random.Random(n)
    records = list(enumerate(texts(n, words, rng)))
    rows = [(i, reword(t, words, rng)) for i, t in records]
    rng.shuffle(rows)
    t = time.perf_counter()
    found = match(rows, records)
    took = time.perf_counter() - t
    right = [m for m in found if m.row == m.record]
    sure = sum(m.sure for m in right)
    wrong = len(found) - len(right)
    wrong_sure = sum(m.sure for m in found if m.row != m.record)
    return (f"match {n:>6,} x {n:,}: {took:6.2f} s; own record {len(right):,} ({sure:,} sure, "
            f"{len(right) - sure:,} doubtful), another record {wrong:,} ({wrong_sure:,} of them sure), "
            f"no record {n - len(found):,}")


def write(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Tracker")
    ws.append(["Own tracker, rebuilt by hand"])
    ws.append(["Ref", "Action", "RAG"])
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def bench_import(n: int, words: list[str]) -> str:
    from send_desktop.core.progress import run_steps
    from send_desktop.storage.database import open_database
    from send_desktop.xlsx.plan_import import import_plan

    rng = random.Random(n)
    tmp = Path(tempfile.mkdtemp())
    plan = texts(n, words, rng)
    refs = [(1 + i // 400, 1 + i // 20 % 20, 1 + i % 20) for i in range(n)]
    first = write(tmp / "first.xlsx", [("%d.%d.%d" % r, t, "Amber") for r, t in zip(refs, plan)])
    moved = write(tmp / "moved.xlsx", [("%d.%d.%d" % (p, o, a + 100), reword(t, words, rng), "Amber")
                                       for (p, o, a), t in zip(refs, plan)])
    db = open_database(tmp / "plan.sqlite", create=True, user="Bench")
    run_steps(import_plan(db, first))
    t = time.perf_counter()
    same = run_steps(import_plan(db, first, dry_run=True))
    t_same = time.perf_counter() - t
    t = time.perf_counter()
    report = run_steps(import_plan(db, moved, dry_run=True))
    t_moved = time.perf_counter() - t
    db.close()
    assert same.updated == 0 and same.created == 0
    sure = sum(1 for m in report.matches if m["sure"])
    return (f"plan of {n:>6,}: dry run of the same workbook {t_same:6.2f} s; every row renumbered and reworded "
            f"{t_moved:6.2f} s ({len(report.matches):,} matched by wording, {sure:,} surely)")


def main(argv: list[str]) -> None:
    words = demo_words()
    for n in [int(a) for a in argv] or [1_000, 5_000]:
        print(bench_match(n, words), flush=True)
        print(bench_import(n, words), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
