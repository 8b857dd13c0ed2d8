"""The KPI workbook: `export_kpis` and `import_kpis`, the `send_desktop.exchange` contracts.

The export is in `kpi_xlsx_export`; the import follows every import's order of work
(`workbook_io.import_workbook`): it reads the workbook (`kpi_xlsx_read`), then, inside one write
transaction, works out every change and refuses the whole file on any problem
(`kpi_xlsx_apply.resolve`), backs the database up and writes (`apply`), and commits. A dry run
does the same writes and rolls them back, so it reports exactly what a real run would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.xlsx import workbook_io as W
from send_desktop.xlsx.kpi_xlsx_export import export_kpis
from send_desktop.xlsx.plan_import import ImportReport, counted

__all__ = ["KpiImportReport", "export_kpis", "import_kpis"]


@dataclass
class KpiImportReport(ImportReport):
    kind: str = "kpis"
    #: values, targets and comparators created, updated or removed: {"value": {"created": 3, ...}}
    other: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self) -> str:
        would = "would be " if self.dry_run else ""
        text = (f"{self.file or 'The workbook'}: {counted(self.created, 'KPI')} {would}created, {self.updated:,} "
                f"{would}updated, {self.unchanged:,} unchanged.")
        parts = [f"{counted(c[op], kind)} {would}{op}" for kind, c in self.other.items()
                 for op in ("created", "updated", "removed") if c.get(op)]
        if parts:
            text += f" In all, {', '.join(parts)}."
        return text + self.closing()


#: People fix a workbook sheet by sheet, top to bottom: the problems are listed so.
SHEET_ORDER = ("Definitions", "Values", "Targets", "Comparators")


def import_kpis(db, path: Path, dry_run: bool = False, source: str = "", strategy: str | None = None,
                delete_missing: bool = False, mapping: dict | None = None,
                decisions: dict | None = None) -> Generator[Progress, None, KpiImportReport]:
    """Import a workbook written by `export_kpis` (and edited since); see the module docstring.
    `strategy`, `decisions` and `delete_missing`: see `workbook_io.import_workbook`.

    An officer's own KPI table (no Definitions sheet with hidden KPI ids), or any workbook given a
    column `mapping` ({"column header": "field"}), is read by `kpi_foreign` instead."""
    from send_desktop.storage.models import Kpi
    from send_desktop.services.kpi_read import load_kpis
    from send_desktop.xlsx import kpi_foreign
    from send_desktop.xlsx.kpi_xlsx_apply import apply, resolve
    from send_desktop.xlsx.kpi_xlsx_read import read_kpi_book

    if mapping is not None or kpi_foreign.is_foreign(Path(path)):
        from send_desktop.xlsx.merge_decisions import no_decisions

        no_decisions(decisions, "an officer's own workbook has no export to conflict with")
        return (yield from kpi_foreign.import_foreign_kpis(
            db, Path(path), KpiImportReport(file=Path(path).name, dry_run=dry_run), dry_run=dry_run, source=source,
            mapping=mapping))

    def changes(s, book):
        cs = resolve(book, load_kpis(db))
        cs.problems = sorted(book.problems + cs.problems, key=lambda p: (
            SHEET_ORDER.index(p.sheet) if p.sheet in SHEET_ORDER else len(SHEET_ORDER), p.row or 0))
        return cs

    return (yield from W.import_workbook(db, path, KpiImportReport(file=Path(path).name, dry_run=dry_run),
                                         read=read_kpi_book, resolve=changes, apply=apply, source=source,
                                         dry_run=dry_run, checking="Checking the workbook against the KPIs",
                                         strategy=strategy, delete_missing=delete_missing, decisions=decisions,
                                         main=(Kpi, "Definitions")))
