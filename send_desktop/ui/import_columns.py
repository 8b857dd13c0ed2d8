"""The import assistant's Columns page: how an officer's own workbook's columns are read.

Each column header is listed with the field it is read as, a list of the kind's fields to change
it (or "not imported") and its first values (the kind's `preview`, run again with the edited
mapping; a percentage as Excel shows it); a column the kind reads by its own rules (a KPI table's
period columns) says how. Headers the vocabulary does not know are offered from the first row
that looks like a header (`tolerant.table.guess_preview`), to be assigned by hand.

When the import will create a plan, its rating scale (`import_matches.ScaleRow`): detected from
the statuses of every row (`plan_scale.scale_choice_steps`), which takes a second for a 10,000-row
tracker, so it runs in the background (`worker.run_background`) while the page says so. The page
stays in use meanwhile (Back, Next and Cancel too); a result for another file, kind or mapping
than the one now shown is dropped. A file the scale cannot be detected in says why on the page
(the check on the next page says the same, with where).

The page reads only; nothing is written (a mapping is remembered by the import itself).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from send_desktop.exchange import foreign
from send_desktop.ui import worker
from send_desktop.ui.import_matches import ScaleRow
from send_desktop.ui.widgets import escape_html

log = logging.getLogger(__name__)

NOT_IMPORTED = "not imported"
SAMPLES = 3          # sample values shown per column
SUMMARY_ITEMS = 12   # fields named in the summary line before "and N more"


def read_only_item(text, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setToolTip(tip or item.text())
    return item


def read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
    return table


def first_items(items: list[str]) -> str:
    """The first SUMMARY_ITEMS items, then how many more."""
    shown = ", ".join(items[:SUMMARY_ITEMS])
    return shown + (f" and {len(items) - SUMMARY_ITEMS} more" if len(items) > SUMMARY_ITEMS else "")


class ColumnsPage(QWidget):
    """The Columns page. `load` shows a file's columns; `mapping_edited` and `scale_changed` say
    that what the check would do has changed (a column's field, the new plan's scale)."""

    mapping_edited = Signal()
    scale_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = None
        self.kind: str | None = None
        self.path: Path | None = None
        self.mapping: dict[str, str] | None = None   # header -> field or "ignore", once shown
        self.edited = False                          # whether the user changed a field
        self.preview = None                          # the kind's `tolerant.table.Preview`
        self.scale: str | None = None                # a new plan's scale chosen (None: the detected one)
        self.scale_job: worker.Job | None = None     # the detection running, if one is
        self._scale_for = None                       # what the scale row was last worked out for
        self._ticket = 0                             # which detection's result is still wanted
        self._tab_after: list[QWidget] = []

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = read_only_table(["Column header", "Imported as", "First values"])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.scale_row = ScaleRow()
        self.scale_row.chosen.connect(self._scale_chosen)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addWidget(self.table, 1)
        box.addWidget(self.summary)
        box.addWidget(self.scale_row)

    def reset(self) -> None:
        """Another file or kind: nothing shown is about it (a detection running is stopped)."""
        self.stop_detecting()
        self.mapping = None
        self.edited = False
        self.scale, self._scale_for = None, None

    def load(self, db, kind: str, path: Path, tab_after: list[QWidget] = ()) -> None:
        """Show the columns of `path` read as `kind` (with the mapping edited so far); Tab goes
        down the lists, then to `tab_after` (the dialog's buttons)."""
        self.db, self.kind, self.path = db, kind, path
        self._tab_after = list(tab_after)
        self._load()

    def _load(self) -> None:
        """Run the preview (with the edited mapping once there is one) and show it."""
        from send_desktop.errors import UserError
        from send_desktop.xlsx.tolerant.headers import IGNORE

        _is_foreign, preview, labels = foreign(self.kind, self.db)
        try:
            self.preview = preview(self.path, db=self.db, mapping=self.mapping if self.edited else None, rows=10)
        except UserError as exc:
            self.preview = None
            self.intro.setText(f"<span style='color:#b00020'>{escape_html(str(exc))}</span>")
            return
        sheets = self.preview.sheets
        guessed = not sheets
        if guessed:
            sheets = self._guess_header()
        if not sheets:
            self.intro.setText("<b>No header row was found in this workbook</b> (no row of column "
                               "headers in the first rows of a visible sheet). The check on the next "
                               "page will say what is missing.")
            self.table.setRowCount(0)
            self.mapping = None
            self.summary.setText("")
            return
        names = ", ".join(f"'{s.sheet}' (header in row {s.header_row})" for s in sheets)
        remembered = any(s.remembered for s in sheets)
        if guessed:
            self.intro.setText(
                f"<b>These column headers are not ones this application knows.</b> The headers of "
                f"{escape_html(names)} are shown: choose what each column holds (at least what names each "
                f"row, such as the {escape_html(' or the '.join(list(labels.values())[:2]))}, and one more "
                f"field), or <i>{NOT_IMPORTED}</i>.")
        else:
            self.intro.setText(
                ("<b>Remembered from last time:</b> these columns are read as you set them for this layout. "
                 if remembered else "")
                + f"Columns found on {escape_html(names)}. Choose what each column holds, or <i>{NOT_IMPORTED}</i>.")
        # a wrapped label in a stacked page is given one line's height unless told: its height at the page's width
        self.intro.setMinimumHeight(self.intro.heightForWidth(max(self._width() - 24, 400)))
        mapping = {}
        samples: dict[str, list[str]] = {}
        order: list[str] = []
        read_as: dict[str, str] = {}
        for s in sheets:
            read_as.update(s.read_as)
            for c, header in enumerate(s.headers):
                if not header:
                    continue
                if header not in samples:
                    order.append(header)
                    samples[header] = []
                    mapping[header] = s.mapping.field_for(header) or IGNORE
                samples[header].extend(v for v in (row[c] if c < len(row) else "" for row in s.rows) if v)
        self.mapping = mapping
        fields = list(labels)
        table = self.table
        table.setRowCount(len(order))
        for r, header in enumerate(order):
            table.setItem(r, 0, read_only_item(header))
            combo = QComboBox()
            combo.addItem(read_as.get(header, NOT_IMPORTED), IGNORE)
            for f in fields:
                combo.addItem(labels[f], f)
            combo.setCurrentIndex(max(0, combo.findData(mapping[header])))
            combo.setAccessibleName(f"Imported as, for column {header}")
            combo.currentIndexChanged.connect(lambda _i, h=header, cb=combo: self._field_chosen(h, cb.currentData()))
            table.setCellWidget(r, 1, combo)
            shown = " · ".join(v.replace("\n", " ") for v in samples[header][:SAMPLES])
            table.setItem(r, 2, read_only_item(shown, "\n".join(samples[header][:10])))
            if mapping[header] == IGNORE and header not in read_as:
                for c in (0, 2):
                    table.item(r, c).setForeground(Qt.GlobalColor.gray)
        combos = [table.cellWidget(r, 1) for r in range(table.rowCount())]
        chain = [table, *combos, *self._tab_after]  # Tab: down the lists, then on
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        table.resizeColumnToContents(0)
        table.setColumnWidth(0, min(max(table.columnWidth(0), 140), 260))
        table.setColumnWidth(1, 190)
        # The summary names each field by the part of its label before a colon ("A1", not the
        # criterion's wording) and stops after SUMMARY_ITEMS, so the list above keeps its room.
        used = [f"{h} → {labels.get(f, f).split(': ')[0]}" for h, f in mapping.items() if f != IGNORE]
        used += [f"{h} → {how}" for h, how in read_as.items() if mapping.get(h) == IGNORE]
        ignored = [h for h, f in mapping.items() if f == IGNORE and h not in read_as]
        self.summary.setText(f"Imported: {first_items(used) or 'nothing'}."
                             + (f" Not imported: {first_items(ignored)}." if ignored else ""))
        if self.kind == "plan":
            self._load_scale(guessed)
        else:
            self.scale_row.show_choice(None, None)

    def _width(self) -> int:
        """The width the page is laid out at: its stack's (a page not yet shown has none of its own)."""
        parent = self.parentWidget()
        return parent.width() if parent is not None else self.width()

    def _guess_header(self) -> list:
        """When no row names the fields the vocabulary knows: the first row of the first visible sheet
        with two or more headers, read with the mapping chosen so far (unassigned: not imported)."""
        from send_desktop.errors import UserError
        from send_desktop.xlsx.tolerant.table import guess_preview

        try:
            return guess_preview(self.path, self.kind, self.mapping).sheets
        except UserError:
            return []

    def _field_chosen(self, header: str, fld: str) -> None:
        if self.mapping is None or self.mapping.get(header) == fld:
            return
        self.mapping[header] = fld
        self.edited = True
        self.mapping_edited.emit()
        self._load()

    def set_field(self, header: str, fld: str | None) -> None:
        """Choose the field of column `header` (None: not imported), as its list would."""
        from send_desktop.xlsx.tolerant.headers import IGNORE

        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).text() == header:
                combo = self.table.cellWidget(r, 1)
                combo.setCurrentIndex(combo.findData(fld or IGNORE))
                return
        raise KeyError(header)

    # -- the new plan's scale ---------------------------------------------------------------------
    def _load_scale(self, guessed: bool = False) -> None:
        """The scale row: shown when the import will create the plan, with the detected scale
        (read from every row in the background, so worked out again only when the columns change);
        not yet while the columns are `guessed` (the reader finds no header until they are chosen)."""
        from send_desktop.errors import UserError
        from send_desktop.xlsx.plan_scale import has_plan, scale_choice_steps

        mapping = dict(self.mapping) if self.edited and self.mapping else None
        key = (self.path, tuple(sorted(mapping.items())) if mapping else None)
        if key == self._scale_for:
            return
        self.stop_detecting()
        self._scale_for = key
        try:
            plan = self.db is not None and has_plan(self.db)  # one quick read: nothing to detect when it has
        except UserError as exc:
            self.scale_row.show_failed(f"The rating scale could not be detected: {exc.message}")
            return
        if self.preview is None or plan:
            self.scale_row.show_choice(None, self.scale)
            return
        if guessed:
            self.scale_row.show_pending("The rating scale is detected from the statuses once the columns above "
                                        "say which holds the reference and which the action.")
            return
        self._ticket += 1
        ticket, path, db = self._ticket, self.path, self.db
        self.scale_row.show_busy()
        job = worker.run_background(lambda: scale_choice_steps(path, db, mapping),
                                    lambda info: self._scale_found(ticket, info),
                                    on_failure=lambda exc: self._scale_failed(ticket, exc),
                                    on_cancelled=lambda: None)
        job.progressed.connect(lambda _done, _total, message: self._scale_progress(ticket, message))
        job.finished.connect(lambda: self._detection_ended(job))
        self.scale_job = job

    def detecting(self) -> bool:
        """Whether the scale is being detected."""
        return self.scale_job is not None

    def stop_detecting(self) -> None:
        """Stop a detection running (at its next step); its result, if it still comes, is dropped."""
        self._ticket += 1
        if self.scale_job is not None:
            self.scale_job.cancel()
            self.scale_job = None
            self._scale_for = None  # not worked out: the next look at the page starts it again

    # Each of these first checks that its detection is the one still wanted: a late result (for a
    # file, kind or mapping no longer shown, or after the dialog has gone) touches nothing.
    def _scale_progress(self, ticket: int, message: str) -> None:
        if ticket == self._ticket:
            self.scale_row.show_busy(message)

    def _scale_found(self, ticket: int, info: dict | None) -> None:
        if ticket == self._ticket:
            self.scale_row.show_choice(info, self.scale)

    def _scale_failed(self, ticket: int, exc: BaseException) -> bool:
        from send_desktop.errors import UserError

        if ticket != self._ticket:
            return True
        if isinstance(exc, UserError):  # the file: the check on the next page says the same, with where
            self.scale_row.show_failed(f"The rating scale could not be detected: {exc.message.rstrip('.')}.")
            return True
        from send_desktop.ui.error_dialog import log_file

        log_file()  # a bug: its traceback to the log file, as the error dialog does; a plain line here
        log.error("detecting the rating scale failed", exc_info=(type(exc), exc, exc.__traceback__))
        self.scale_row.show_failed("The rating scale could not be detected: something went wrong reading the "
                                   "statuses (the details are in the log file). The check on the next page "
                                   "detects it again.")
        return True

    def _detection_ended(self, job) -> None:
        if self.scale_job is job:
            self.scale_job = None

    def _scale_chosen(self, key) -> None:
        if key == self.scale:
            return
        self.scale = key
        self.scale_changed.emit()
