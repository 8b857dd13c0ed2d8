"""Reading an officer's own risk register and KPI table: preview and import times.

Writes a council-style register (title rows, a two-row header with merged Inherent / Residual /
Target groups, likelihoods as "4 - Likely" and words, score formulas without saved values,
multi-line mitigations, text review dates) and a KPI table (title rows, twelve period columns,
Latest with its Period, Target and three comparators, values as "84.7%", numbers shown as
percentages, "tbc") with openpyxl's write-only mode, then times the kind's `preview` and a
dry-run and a real import into a new database. Targets: preview < 1 s, import < 2 s at 10,000
rows. The figures are wall-clock times on whatever else the machine is doing: run it twice.

    python bench/bench_tolerant_kinds.py            # 10,000 rows of each
    python bench/bench_tolerant_kinds.py 2000       # another size
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LIKELY = ["1", "2 - Unlikely", "Possible", "4 - Likely", "Almost certain", 3, 4.0]
IMPACT = ["Minor", "3", "Major", 5, "2 - Minor", "Moderate"]
OWNERS = ["Head of SEND", "head of SEND", "Finance Lead", "Head of Commissioning", "Designated Clinical Officer"]
CATEGORIES = ["Statutory duties", "Statutory Duties", "Finance", "Finances", "Sufficiency", "Health"]
PERIODS = ["2023/24", "Q1 24/25", "Q2 24/25", "Q3 24/25", "Q4 24/25", "Apr-25", "May-25", "Jun-25", "Jul-25",
           "Aug-25", "Sep-25", "October 2025"]


def write_register(path: Path, rows: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Risk register")
    ws.append(["Harbourside SEND Partnership \u2014 strategic risk register"])
    ws.append(["Scoring: likelihood x impact"])
    ws.append([None] * 5 + ["Inherent risk", None, None, "Residual risk", None, None, "Target risk"])
    ws.append(["Risk No.", "Risk description", "Category", "Risk owner", "Existing controls", "L", "I", "Score",
               "Likelihood (1-5)", "Impact (1-5)", "Score", "L", "I", "Score", "Further mitigations", "Review date",
               "Status"])
    for n in range(rows):
        r = n + 5
        ws.append([f"R{n + 1}", f"Risk {n + 1}: places or plans fall short in area {n % 97}",
                   CATEGORIES[n % len(CATEGORIES)], OWNERS[n % len(OWNERS)], "Tracker\nMonthly review",
                   LIKELY[(n + 1) % len(LIKELY)], IMPACT[(n + 2) % len(IMPACT)], f"=F{r}*G{r}",
                   LIKELY[n % len(LIKELY)], IMPACT[n % len(IMPACT)], f"=I{r}*J{r}", 1, 2, f"=L{r}*M{r}",
                   f"Mitigation A for {n}\nMitigation B for {n}", "Sept 2025" if n % 2 else "31/12/2025",
                   "Open" if n % 5 else "Live"])
    for cells in ("F3:H3", "I3:K3", "L3:N3"):  # the group titles over their L, I and Score
        ws.merged_cells.add(cells)
    wb.save(path)


def write_kpis(path: Path, rows: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Scorecard")
    ws.append(["Harbourside SEND performance scorecard"])
    ws.append([])
    ws.append(["Ref", "Measure", "Responsible officer", "Frequency", *PERIODS, "Latest", "Period", "Target",
               "Stat neighbours", "National", "Regional"])
    for n in range(rows):
        values = [f"{40 + (n + i) % 50}.{i}%" if (n + i) % 7 else "tbc" for i in range(len(PERIODS))]
        ws.append([f"{n + 1}{'abc'[n % 3]}", f"Measure {n + 1} of timeliness", OWNERS[n % len(OWNERS)], "Monthly",
                   *values, "61.5%", "Nov 2025", "65%", "55.1%", "46.4%", "Good 52%"])
    wb.save(path)


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"  {label:<28}{time.perf_counter() - start:8.2f} s")
    return result


def main(rows: int) -> None:
    from send_desktop.core.progress import run_steps
    from send_desktop.storage.database import open_database
    from send_desktop.xlsx import kpi_foreign, risk_foreign
    from send_desktop.xlsx.kpi_xlsx import import_kpis
    from send_desktop.xlsx.risk_xlsx import import_risks

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, write, preview, importer in (("risk register", write_register, risk_foreign.preview, import_risks),
                                               ("KPI table", write_kpis, kpi_foreign.preview, import_kpis)):
            path = tmp / f"{name.split()[0]}.xlsx"
            write(path, rows)
            print(f"{name}, {rows:,} rows ({path.stat().st_size / 1e6:.1f} MB)")
            db = open_database(tmp / f"{name.split()[0]}.sqlite", create=True, user="bench")
            try:
                timed("preview", lambda: preview(path, db))
                dry = timed("import, dry run", lambda: run_steps(importer(db, path, dry_run=True)))
                real = timed("import", lambda: run_steps(importer(db, path)))
                again = timed("import the same file again", lambda: run_steps(importer(db, path)))
                print(f"  created {real.created:,}, then unchanged {again.unchanged:,} "
                      f"(dry run: {dry.created:,} created)")
            finally:
                db.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
