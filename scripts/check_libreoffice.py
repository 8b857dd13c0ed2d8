"""Do the workbooks send-desktop writes open cleanly in LibreOffice? Exit 0 when they all do.

    python scripts/check_libreoffice.py [--keep FOLDER]

Makes the demo database in a temporary folder, types text that looks like a formula
('=HYPERLINK(...)', '+1 ...', '-x', '@SUM(...)') into some plan actions and risks through a
workbook import, exports every kind (`exchange.EXPORTERS`, and the meeting pack's workbook), and
has Debian's LibreOffice (`soffice --headless --convert-to csv`, every sheet) convert them all in
one run. It fails when LibreOffice reports an error or writes no sheet for a workbook, when a
cell it computed is an error (#NAME?, Err:502, ...), or when the formula-like text does not come
back as that text (a spreadsheet evaluating it would show "click" or a number).

LibreOffice is not part of the project's set-up (it is large): install it to run this
(`apt-get install libreoffice-calc-nogui`). tests/test_libreoffice.py runs it when it is there.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

FORMULA_LIKE = ['=HYPERLINK("http://example.invalid/x","click")', "+1 more visit", "-x", "@SUM(A1:A2)"]
#: kind -> (sheet, header of a text column) where FORMULA_LIKE is typed in
TYPED_INTO = {"plan": ("Plan", "Actions – what we will do"), "risks": ("Register", "Risk")}
ERRORS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")
# every sheet (the last field, -1), UTF-8 (76), comma-separated, double quotes
CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _type_formula_like(db, kind: str, folder: Path) -> None:
    import openpyxl

    from send_desktop.core.progress import run_steps
    from send_desktop.exchange import exporter, importer

    sheet, header = TYPED_INTO[kind]
    path = folder / f"typed-{kind}.xlsx"
    run_steps(exporter(kind)(db, path))
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    where = next((c.row, c.column) for row in ws.iter_rows(max_row=5) for c in row if c.value == header)
    texts = iter(FORMULA_LIKE)
    for r in range(where[0] + 1, ws.max_row + 1):
        cell = ws.cell(r, where[1])
        if cell.value:
            text = next(texts, None)
            if text is None:
                break
            cell.value, cell.data_type, cell.quotePrefix = text, "s", True
    wb.save(path)
    run_steps(importer(kind)(db, path))
    path.unlink()


def export_all(folder: Path) -> list[Path]:
    """The demo database with formula-like text typed in, and every kind exported from it."""
    from send_desktop.core.progress import run_steps
    from send_desktop.exchange import EXPORTERS, exporter
    from send_desktop.pack.pack_xlsx import export_pack_xlsx
    from send_desktop.services.demo import load_demo
    from send_desktop.storage.database import open_database

    db = open_database(folder / "demo.sqlite", create=True, user="LibreOffice check")
    try:
        load_demo(db)
        for kind in TYPED_INTO:
            _type_formula_like(db, kind, folder)
        out = []
        for kind in EXPORTERS:
            path = folder / f"{kind}.xlsx"
            run_steps(exporter(kind)(db, path))
            out.append(path)
        path = folder / "pack.xlsx"
        run_steps(export_pack_xlsx(db, path, dt.date.today()))
        out.append(path)
        return out
    finally:
        db.close()


def convert(program: str, workbooks: list[Path], folder: Path) -> tuple[int, str]:
    """LibreOffice converts every sheet of every workbook to CSV in `folder`, in one run."""
    profile = folder / "profile"
    command = [program, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", CSV_FILTER, "--outdir", str(folder), *map(str, workbooks)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600,
                          env={k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"})
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def check(folder: Path, program: str | None = None) -> list[str]:
    """Problems found (none when every workbook opens cleanly); the work is done in `folder`."""
    program = program or soffice()
    if program is None:
        return ["LibreOffice (soffice) is not installed"]
    workbooks = export_all(folder)
    csv_folder = folder / "csv"
    csv_folder.mkdir()
    code, output = convert(program, workbooks, csv_folder)
    problems = []
    if code != 0:
        problems.append(f"soffice exited with {code}: {output[-500:]}")
    if "error" in output.lower():
        problems.append(f"soffice reported: {output[-500:]}")
    texts: set[str] = set()
    for book in workbooks:
        sheets = sorted(csv_folder.glob(f"{book.stem}-*.csv")) or sorted(csv_folder.glob(f"{book.stem}.csv"))
        if not sheets:
            problems.append(f"{book.name}: LibreOffice wrote no sheet of it")
        for sheet in sheets:
            with sheet.open(newline="", encoding="utf-8") as fh:
                for number, row in enumerate(csv.reader(fh), 1):
                    for value in row:
                        texts.add(value)
                        if value.startswith(ERRORS):
                            problems.append(f"{sheet.name}, row {number}: LibreOffice computed {value!r}")
    for text in FORMULA_LIKE:
        if text not in texts:
            problems.append(f"the text {text!r} did not come back from LibreOffice as that text")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in this (new) folder and leave it there")
    args = parser.parse_args(argv)
    if soffice() is None:
        print("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)", file=sys.stderr)
        return 2
    if args.keep:
        args.keep.mkdir(parents=True)
        folder, cleanup = args.keep, None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="send-desktop-lo-")
        folder = Path(cleanup.name)
    try:
        problems = check(folder)
    finally:
        if cleanup:
            cleanup.cleanup()
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("Every exported workbook opens cleanly in LibreOffice.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
