"""Reading an officer's own plan tracker: preview and import times, and peak memory.

Writes a council-style tracker (two title rows, a merged banner row per priority and per
outcome, a header row of 20 columns, action rows with text dates, RAG words and a few
status cells shown only by their fill) with openpyxl's write-only mode, then times
`preview_plan` and a dry-run and a real `import_plan` into a new database.

    python bench/bench_tolerant_import.py            # 10,000 and 100,000 rows
    python bench/bench_tolerant_import.py 10000      # one size

Peak memory is the process's peak resident set (resource.getrusage), measured in a fresh
child process for each size so that one size does not inflate the next. Then the plan the import
made (as many actions, each with the status update its RAG cell gave it) is exported with
`export_plan`, in a process of its own, and the import is run once more alone in a fresh process:
its peak for each size, and between sizes the memory each further row costs, show whether the
import's memory stays flat as the rows grow.

    python bench/bench_tolerant_import.py 10000 30000 100000 200000   # memory against size

The machine is shared (two cores, other work running): figures vary by a third from run to run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADERS = ["Ref", "Actions \u2013 what we will do", "Workstream and lead officers", "Lead officer", "Timescale",
           "RAG", "Success criteria / Key results", "Progress update", "Evidence", "Date updated",
           "Partner", "Budget", "Risk", "Notes", "Cost centre", "Directorate", "District", "Theme",
           "Review", "Comments"]
WORKSTREAMS = ["EHCPs / Annual Reviews", "EHCP's / Annual Reviews", "Leadership and partnership",
               "ND Pathway", "Working Together"]
STATUSES = ["Red", "Amber", "Green", "On track", "Completed", "Delayed", ""]
MONTHS = ["Sept 2025", "Feb 26", "31/07/2025", "March 2026", "Ongoing", "TBC"]


def write_tracker(path: Path, rows: int) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("PAP tracker")
    bold = Font(bold=True)
    fills = [PatternFill("solid", fgColor=c) for c in ("FFFF0000", "FFFFC000", "FF00B050")]

    def cell(value, **style):
        c = WriteOnlyCell(ws, value)
        for k, v in style.items():
            setattr(c, k, v)
        return c

    ws.append([cell("Local Area SEND Priority Action Plan \u2014 tracker", font=bold)])
    ws.append(["Key: Red delayed; Amber on track; Green completed"])
    ws.append(HEADERS)
    line = 3
    merges = []
    per_outcome = 20
    n = 0
    p = 0
    while n < rows:
        p += 1
        line += 1
        ws.append([cell(f"{p}. Priority {p}: leaders improve the service area {p}", font=bold)])
        merges.append(f"A{line}:T{line}")
        for o in range(1, 6):
            if n >= rows:
                break
            line += 1
            ws.append([f"{p}.{o}", f"Outcome: children and families see improvement {p}.{o}"])
            for a in range(1, per_outcome + 1):
                if n >= rows:
                    break
                line += 1
                n += 1
                status = STATUSES[n % len(STATUSES)]
                rag = cell(None, fill=fills[n % 3]) if not status else status
                ws.append([f"{p}.{o}.{a}", f"Deliver improvement step {n} for outcome {p}.{o}",
                           WORKSTREAMS[n % len(WORKSTREAMS)], f"Officer {n % 40}", MONTHS[n % len(MONTHS)],
                           rag, f"First measure {n}\nSecond measure {n}", f"Progress note {n}", "Minutes",
                           "01/10/2025", "ICB", "\u00a31,000", "Low", "", "CC1", "Education", "North",
                           "Inclusion", "Monthly", ""])
    for ref in merges:
        ws.merged_cells.add(ref) if hasattr(ws, "merged_cells") else None
    wb.save(path)


def measure(book: Path, rows: int) -> dict:
    import resource

    from send_desktop.core.progress import run_steps
    from send_desktop.storage.database import open_database
    from send_desktop.xlsx.plan_foreign import preview_plan
    from send_desktop.xlsx.plan_import import import_plan

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    preview = preview_plan(book)
    t_preview = time.perf_counter() - t
    assert preview.sheets and preview.sheets[0].header_row == 3, preview
    after_preview = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    db = open_database(book.with_suffix(".sqlite"), create=True, user="Bench")
    t = time.perf_counter()
    dry = run_steps(import_plan(db, book, dry_run=True))
    t_dry = time.perf_counter() - t
    t = time.perf_counter()
    report = run_steps(import_plan(db, book))
    t_import = time.perf_counter() - t
    db.close()
    assert report.created == rows == dry.created, (report.created, rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": rows, "preview_s": round(t_preview, 2), "dry_run_s": round(t_dry, 2),
            "import_s": round(t_import, 2), "base_mb": round(base), "preview_peak_mb": round(after_preview),
            "peak_rss_mb": round(peak), "file_mb": round(book.stat().st_size / 1e6, 1)}


def measure_one_import(book: Path) -> dict:
    """One real import into a new database, alone in its process: the peak memory an officer's
    import of this size needs (the figure that must stay flat as the rows grow)."""
    import resource

    from send_desktop.core.progress import run_steps
    from send_desktop.storage.database import open_database
    from send_desktop.xlsx.plan_import import import_plan

    db_path = book.with_name(book.stem + "-alone.sqlite")
    db = open_database(db_path, create=True, user="Bench")
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    report = run_steps(import_plan(db, book))
    took = time.perf_counter() - t
    db.close()
    for p in db_path.parent.glob(db_path.name + "*"):
        p.unlink()
    return {"alone_s": round(took, 2), "alone_created": report.created, "alone_base_mb": round(base),
            "alone_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def measure_export(db_path: Path) -> dict:
    """The plan export of the database the import made (its actions, and a status update each)."""
    import resource

    from send_desktop.core.progress import run_steps
    from send_desktop.storage.database import open_database
    from send_desktop.xlsx.plan_export import export_plan

    db = open_database(db_path, user="Bench")
    out = db_path.with_name(db_path.stem + "-export.xlsx")
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    run_steps(export_plan(db, out))
    took = time.perf_counter() - t
    db.close()
    return {"export_s": round(took, 2), "export_base_mb": round(base),
            "export_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "export_file_mb": round(out.stat().st_size / 1e6, 1)}


def _child(*args: str) -> str:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(out.stderr)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--write":
        write_tracker(Path(argv[2]), int(argv[1]))
        return
    if argv and argv[0] == "--measure":
        print(json.dumps(measure(Path(argv[2]), int(argv[1]))))
        return
    if argv and argv[0] == "--alone":
        print(json.dumps(measure_one_import(Path(argv[1]))))
        return
    if argv and argv[0] == "--export":
        print(json.dumps(measure_export(Path(argv[1]))))
        return
    tmp = Path(tempfile.mkdtemp())
    peaks: list[tuple[int, int]] = []
    for rows in [int(a) for a in argv] or [10_000, 100_000]:
        book = tmp / f"tracker-{rows}.xlsx"
        t = time.perf_counter()
        _child("--write", str(rows), str(book))  # in its own process: its memory is not counted
        written = time.perf_counter() - t
        r = json.loads(_child("--measure", str(rows), str(book)))
        print(f"{r['rows']:>7,} rows ({r['file_mb']} MB): preview {r['preview_s']:.2f} s, dry run "
              f"{r['dry_run_s']:.2f} s, import {r['import_s']:.2f} s; peak memory {r['preview_peak_mb']} MB "
              f"after the preview, {r['peak_rss_mb']} MB after the import ({r['base_mb']} MB at start; "
              f"writing the file took {written:.1f} s)")
        a = json.loads(_child("--alone", str(book)))
        print(f"{'':>7} the import alone in a fresh process: {a['alone_s']:.2f} s, peak memory "
              f"{a['alone_peak_mb']} MB ({a['alone_base_mb']} MB at start)")
        peaks.append((rows, a["alone_peak_mb"]))
        e = json.loads(_child("--export", str(book.with_suffix(".sqlite"))))  # a process of its own
        print(f"{'':>7} export of those {r['rows']:,} actions (and their status updates): {e['export_s']:.2f} s, "
              f"{e['export_file_mb']} MB; peak memory {e['export_peak_mb']} MB ({e['export_base_mb']} MB at start)")

    for (n0, m0), (n1, m1) in zip(peaks, peaks[1:]):  # what each further row costs: flat is near 0
        print(f"from {n0:,} to {n1:,} rows the import alone needs {m1 - m0:+} MB, "
              f"{(m1 - m0) * 1024 / max(1, n1 - n0):.2f} KB a further row")


if __name__ == "__main__":
    main(sys.argv[1:])
