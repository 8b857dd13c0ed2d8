"""The KPI workbook: `export_kpis` and `import_kpis`, the `send_desktop.exchange` contracts.

The export is in `kpi_xlsx_export`; the import reads the workbook (`kpi_xlsx_read`), then, inside
one write transaction, works out every change and refuses the whole file on any problem
(`kpi_xlsx_apply.resolve`), backs the database up and writes (`apply`), and commits. A dry run
does the same writes and rolls them back, so it reports exactly what a real run would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import ReadOnlyError
from send_desktop.xlsx.book_reader import refuse
from send_desktop.xlsx.kpi_xlsx_export import export_kpis
from send_desktop.xlsx.plan_import import ImportReport

__all__ = ["KpiImportReport", "export_kpis", "import_kpis"]


@dataclass
class KpiImportReport(ImportReport):
    kind: str = "kpis"
    #: values, targets and comparators created, updated or removed: {"value": {"created": 3, ...}}
    other: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self) -> str:
        def n(count, word):
            return f"{count} {word}{'' if count == 1 else 's'}"

        would = "would be " if self.dry_run else ""
        text = (f"{self.file or 'The workbook'}: {n(self.created, 'KPI')} {would}created, {self.updated} "
                f"{would}updated, {self.unchanged} unchanged.")
        parts = [f"{n(c[op], kind)} {would}{op}" for kind, c in self.other.items()
                 for op in ("created", "updated", "removed") if c.get(op)]
        if parts:
            text += f" In all, {', '.join(parts)}."
        if self.warnings:
            text += f" {n(len(self.warnings), 'warning')}, the first: {self.warnings[0]}."
        if self.dry_run:
            text += " This was a dry run: nothing was changed."
        return text


class _DryRun(Exception):
    """Raised at the end of a dry run so the session rolls back everything it wrote."""


def import_kpis(db, path: Path, dry_run: bool = False, source: str = "") -> Generator[Progress, None, KpiImportReport]:
    """Import a workbook written by `export_kpis` (and edited since); see the module docstring."""
    from send_desktop.services.kpi_read import load_kpis
    from send_desktop.storage.database import backup_file
    from send_desktop.xlsx.kpi_xlsx_apply import apply, resolve
    from send_desktop.xlsx.kpi_xlsx_read import read_kpi_book

    path = Path(path)
    if db.read_only and not dry_run:
        raise ReadOnlyError(db.read_only_message())
    yield Progress(0, 0, f"Reading {path.name}")
    book = yield from read_kpi_book(path)
    report = KpiImportReport(file=path.name, dry_run=dry_run)
    try:
        with db.session(source or f"import {path.name}") as s:
            s.connection()  # the write lock, now: nothing else may change the KPIs under us
            yield Progress(0, 0, "Checking the workbook against the KPIs")
            # The session holds the lock and has written nothing, so the plain reader sees what it sees.
            cs = resolve(book, load_kpis(db))
            # People fix a workbook sheet by sheet, top to bottom: the problems are listed so.
            order = ("Definitions", "Values", "Targets", "Comparators")
            problems = sorted(book.problems + cs.problems, key=lambda p: (
                order.index(p.sheet) if p.sheet in order else len(order), p.row or 0))
            if problems:
                raise refuse(path.name, problems)
            report.created, report.updated, report.unchanged = cs.counts()
            report.warnings = list(cs.warnings)
            report.other = cs.other_counts()
            if not dry_run and cs.size():
                backup_file(db.path, "before-import")
            if not (dry_run and db.read_only):  # a read-only file cannot take even rolled-back writes
                yield from apply(s, cs)
            if dry_run:
                raise _DryRun()
    except _DryRun:
        pass
    yield Progress(1, 1, "Done")
    return report
