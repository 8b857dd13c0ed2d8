"""File > Import…: the import assistant, one dialog for every kind of workbook.

Its pages, in order (a plain QDialog over a QStackedWidget; Back and Next move between them):

1. File and kind: the file chosen (or dropped on the main window) and its kind, told from the file
   by `xlsx.detect` and offered in a list of every importer (`exchange.IMPORTERS`) to change;
2. Columns (only for an officer's own workbook of a kind that reads one: `exchange.FOREIGN`, whose
   `is_foreign` tells it; `import_columns.ColumnsPage`): each column header with the field it is
   read as, a list of the kind's fields to change it (or "not imported") and the first values below
   it (the kind's `preview`, run again with the edited mapping); a column the kind reads by its own
   rules (a KPI table's period columns) says how;
   when the import will create a plan, its rating scale: detected (in the background, the page
   saying so meanwhile; Back, Next and Cancel are not held up by it), or a preset instead
   (`import_matches.ScaleRow`);
3. Check: the importer's dry run, in the background (`worker.run_job`, with progress and Cancel):
   what would be created, updated and left unchanged, every warning with its sheet, row and
   column, or the problems the file is refused for. Conflicts (a field changed both in the
   workbook and here since the export) are shown side by side (`conflict_panel`), each to keep
   mine, take theirs or edit, or all at once; the check runs again with those decisions, and
   Import waits until every conflict is decided and checked so; rows deleted from the workbook
   are removed only when asked; rows of an officer's workbook matched to actions only doubtfully
   by their wording are listed side by side, each merged only when ticked
   (`import_matches.MatchesBox`; the check runs again with the ticks before Import);
4. Done: the real import with the same options, then its summary and Undo this import.

Nothing is written before Import is pressed on the Check page (the dry run rolls back; the column
step reads remembered mappings only), and Cancel on any page before that leaves the file as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QMessageBox, QPushButton,
    QStackedWidget, QTableWidget, QVBoxLayout, QWidget,
)

from send_desktop.exchange import FOREIGN, foreign
from send_desktop.ui import worker
from send_desktop.ui.conflict_panel import ConflictPanel
from send_desktop.ui.import_columns import ColumnsPage, read_only_item, read_only_table
from send_desktop.ui.import_matches import MatchesBox
from send_desktop.ui.widgets import escape_html

#: kind -> what people call it (kinds not listed show as their own name).
KIND_LABELS = {
    "plan": "Action plan", "risks": "Risk register", "kpis": "KPIs", "actions": "Meeting actions (action log)",
    "audits": "Audits", "framework": "Audit framework", "caseload": "Caseload list",
}
#: plan fields -> how the column step names them (every kind's are in `exchange.FOREIGN`).
PLAN_FIELD_LABELS = FOREIGN["plan"][2]
FILE_FILTER = "Workbooks and frameworks (*.xlsx *.json);;Excel workbooks (*.xlsx);;Frameworks (*.json)"
SUFFIXES = (".xlsx", ".json")
PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW, PAGE_DONE = range(4)


def _fill_problems(table: QTableWidget, problems) -> None:
    table.setRowCount(0)
    for kind, p in problems:
        r = table.rowCount()
        table.insertRow(r)
        for c, value in enumerate((kind, p.sheet, p.row, p.column, p.message)):
            table.setItem(r, c, read_only_item(value, p.message))
    for c in range(4):  # sheet names and headers can be long: no column wider than 180 pixels
        table.resizeColumnToContents(c)
        table.setColumnWidth(c, min(max(table.columnWidth(c), 48), 180))
    if table.rowCount() <= 500:  # a message is read whole, wrapped (a long list stays one line a row)
        table.setWordWrap(True)
        table.resizeRowsToContents()


class ImportAssistant(QDialog):
    """The assistant for one database; `applied` after an import (or its undo) changed it."""

    applied = Signal(str)  # the summary, for the status bar

    def __init__(self, db, path: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.path: Path | None = None
        self.kind: str | None = None
        self.detected: str | None = None
        self.foreign = False
        self.strategy: str | None = None
        self.conflicts: list = []
        self.report = None                           # the dry run's
        self.result = None                           # the real import's
        self.batch: dict | None = None
        self.job = None
        self.state = ""                              # the check: "", "running", "checked", "refused", "cancelled"
        self.unreadable = ""                         # why the file cannot be read, when it cannot
        self.match_choices: dict[str, bool] = {}     # doubtful matches accepted (True) or not, by row key
        self.setWindowTitle("Import")
        self.setMinimumSize(820, 560)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._file_page())
        self.stack.addWidget(self._mapping_page())
        self.stack.addWidget(self._preview_page())
        self.stack.addWidget(self._done_page())

        self.back_btn = QPushButton("&Back")
        self.next_btn = QPushButton("&Next")
        self.import_btn = QPushButton("&Import")
        self.cancel_btn = QPushButton("&Cancel")
        self.back_btn.clicked.connect(self.back)
        self.next_btn.clicked.connect(self.next)
        self.import_btn.clicked.connect(self.apply)
        self.cancel_btn.clicked.connect(self.reject)
        for b in (self.back_btn, self.next_btn, self.import_btn, self.cancel_btn):
            b.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_btn, self.next_btn, self.import_btn, self.cancel_btn):
            buttons.addWidget(b)

        self.step_label = QLabel()
        self.step_label.setObjectName("step")
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        if path is not None:
            self.set_file(Path(path))
        self._show(PAGE_FILE)

    # -- page 1: the file and its kind ---------------------------------------------------------
    def _file_page(self) -> QWidget:
        page = QWidget()
        self.file_label = QLabel("No file chosen yet.")
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_btn = QPushButton("C&hoose a file…")
        self.choose_btn.clicked.connect(self.choose_file)
        self.kind_combo = QComboBox()
        from send_desktop.exchange import IMPORTERS

        for kind in IMPORTERS:
            self.kind_combo.addItem(KIND_LABELS.get(kind, kind), kind)
        self.kind_combo.setPlaceholderText("Choose what the workbook holds…")
        self.kind_combo.setCurrentIndex(-1)
        self.kind_combo.currentIndexChanged.connect(self._kind_chosen)
        self.kind_label = QLabel()
        self.kind_label.setWordWrap(True)
        kind_caption = QLabel("&Kind of workbook:")
        kind_caption.setBuddy(self.kind_combo)

        row = QHBoxLayout()
        row.addWidget(self.file_label, 1)
        row.addWidget(self.choose_btn)
        form = QFormLayout()
        form.addRow("File:", row)
        form.addRow(kind_caption, self.kind_combo)
        intro = QLabel("Choose a workbook (or drop one on the main window). Its kind is told from the file; "
                       "change it if it is wrong. Nothing is changed until you press Import on the Check page.")
        intro.setWordWrap(True)
        box = QVBoxLayout(page)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.kind_label)  # below the form, where a wrapped line is measured at its real width
        box.addStretch(1)
        return page

    def choose_file(self) -> None:
        start = str(self.path.parent if self.path else (self.db.path.parent if self.db else Path.home()))
        name, _ = QFileDialog.getOpenFileName(self, "Import a workbook", start, FILE_FILTER)
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        """Take `path` and tell its kind (`xlsx.detect`); a file that cannot be read says why."""
        from send_desktop.errors import UserError
        from send_desktop.xlsx.detect import detect_kind

        self.path = path
        self._reset_check()
        self.file_label.setText(f"<b>{escape_html(path.name)}</b><br><small>{escape_html(str(path.parent))}</small>")
        self.file_label.setToolTip(str(path))
        try:
            self.detected = detect_kind(path)
        except UserError as exc:
            self.detected = None
            self.unreadable = exc.message
        else:
            self.unreadable = ""
        index = self.kind_combo.findData(self.detected) if self.detected else -1
        self.kind_combo.blockSignals(True)
        self.kind_combo.setCurrentIndex(index)
        self.kind_combo.blockSignals(False)
        self._kind_chosen()

    def _kind_chosen(self, *_args) -> None:
        self.kind = self.kind_combo.currentData()
        self._reset_check()
        self.foreign = False
        self.columns.reset()
        self.match_choices = {}
        if self.path is None:
            self.kind_label.setText("")
        elif self.unreadable:
            self.kind_label.setText(f"<span style='color:#b00020'>This file cannot be imported: "
                                    f"{escape_html(self.unreadable)}</span>")
        elif self.kind is None:
            self.kind_label.setText("<b>The kind of this workbook could not be told from its sheets or "
                                    "column headers.</b> Choose what it holds above.")
        elif self.kind == self.detected:
            self.kind_label.setText(f"Detected: {escape_html(KIND_LABELS.get(self.kind, self.kind).lower())}.")
        else:
            told = KIND_LABELS.get(self.detected, self.detected).lower() if self.detected else "nothing"
            self.kind_label.setText(f"Chosen by you (the file looked like {escape_html(told)}).")
        parts = foreign(self.kind, self.db) if self.kind else None
        if parts is not None and self.path is not None and not self.unreadable:
            self.foreign = parts[0](self.path)
            self.kind_label.setText(self.kind_label.text() + (
                " An officer's own workbook: its columns are set on the next page." if self.foreign
                else " Exported by this application: it is merged with what has changed here since."))
        self._update_buttons()

    # -- page 2: columns (`import_columns.ColumnsPage`) -------------------------------------------
    def _mapping_page(self) -> QWidget:
        page = self.columns = ColumnsPage()
        page.mapping_edited.connect(self._reset_check)
        page.scale_changed.connect(self._reset_check)
        self.mapping_intro, self.mapping_table = page.intro, page.table
        self.mapping_summary, self.scale_row = page.summary, page.scale_row
        return page

    def _load_mapping(self) -> None:
        self.columns.load(self.db, self.kind, self.path, [self.back_btn, self.next_btn, self.cancel_btn])

    def set_field(self, header: str, fld: str | None) -> None:
        """Choose the field of column `header` (None: not imported), as its list would."""
        self.columns.set_field(header, fld)

    # What the Columns page holds, as the check uses it.
    mapping = property(lambda self: self.columns.mapping)   # header -> field or "ignore", once shown
    edited = property(lambda self: self.columns.edited)     # whether a field was changed by hand
    preview = property(lambda self: self.columns.preview)   # the kind's `tolerant.table.Preview`
    scale = property(lambda self: self.columns.scale)       # a new plan's scale chosen (None: detected)

    def _recheck_matches(self) -> None:
        """The dry run again, with the matches as ticked."""
        self.match_choices = self.matches_box.decisions()
        self.check()

    # -- page 3: the check ----------------------------------------------------------------------
    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.preview_status = QLabel()
        self.preview_status.setWordWrap(True)
        self.counts_label = QLabel()
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.conflict_box = ConflictPanel()
        self.conflict_box.check_requested.connect(self.check)
        self.conflict_box.changed.connect(self._decisions_changed)
        self.conflict_table = self.conflict_box.table
        self.mine_btn, self.theirs_btn = self.conflict_box.mine_btn, self.conflict_box.theirs_btn

        self.delete_check = QCheckBox()
        self.delete_check.toggled.connect(lambda _on: self._update_buttons())
        self.problems_caption = QLabel("&Problems and warnings:")
        self.problems_table = read_only_table(["Kind", "Sheet", "Row", "Column", "Message"])
        self.problems_caption.setBuddy(self.problems_table)
        self.recheck_btn = QPushButton("Check a&gain")
        self.recheck_btn.clicked.connect(self.check)
        top = QHBoxLayout()
        top.addWidget(self.preview_status, 1)
        top.addWidget(self.recheck_btn, 0, Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout(page)
        box.addLayout(top)
        box.addWidget(self.counts_label)
        box.addWidget(self.summary_label)
        box.addWidget(self.conflict_box, 2)
        self.matches_box = MatchesBox()
        self.matches_box.recheck.connect(self._recheck_matches)
        self.matches_box.pending.connect(lambda _pending: self._update_buttons())
        box.addWidget(self.matches_box, 2)
        box.addWidget(self.delete_check)
        box.addWidget(self.problems_caption)
        box.addWidget(self.problems_table, 3)
        self.filler = QWidget()  # takes the height when there is no table to show, so the lines stay together
        box.addWidget(self.filler, 1)
        self._clear_preview()
        return page

    def _clear_preview(self) -> None:
        for w in (self.counts_label, self.summary_label):
            w.setText("")
            w.setVisible(False)
        self.conflict_box.setVisible(False)
        self.matches_box.show_matches([], {})
        self.delete_check.setVisible(False)
        self.delete_check.setChecked(False)
        self.problems_caption.setVisible(False)
        self.problems_table.setVisible(False)
        self.problems_table.setRowCount(0)
        self.filler.setVisible(True)

    def _reset_check(self) -> None:
        self.state = ""
        self.report = None
        self.strategy = None
        self.conflicts = []
        self.conflict_box.set_conflicts([])

    def _options(self, dry_run: bool) -> dict:
        options = {"dry_run": dry_run, "strategy": self.strategy,
                   "delete_missing": (not dry_run) and not self.delete_check.isHidden()
                   and self.delete_check.isChecked()}
        if self.foreign and self.mapping:
            options["mapping"] = dict(self.mapping)
        if self.foreign and self.scale:
            options["scale"] = self.scale
        if self.foreign and self.match_choices:
            options["matches"] = dict(self.match_choices)
        if decisions := self.conflict_box.decisions():
            options["decisions"] = decisions
        return options

    def check(self) -> None:
        """The dry run, in the background; its report or refusal is shown on this page."""
        if self.job is not None:
            return
        options = self._options(True)
        path, kind = self.path, self.kind
        self.report = None
        self.state = "running"
        self._clear_preview()
        self.preview_status.setText(f"Checking {path.name}…")
        self._update_buttons()
        self.job = worker.run_job(self, f"Checking {path.name}…",
                                  lambda: worker.import_steps(self.db, kind, path, **options), self._checked,
                                  on_failure=self._refused, on_cancelled=self._check_cancelled)
        self.job.finished.connect(self._job_done)

    def _job_done(self) -> None:
        self.job = None
        self._update_buttons()

    def _checked(self, report) -> None:
        from send_desktop.xlsx.merge import count_missing

        self.report = report
        self.state = "checked"
        counts = report.as_dict()
        cells = [("would be created", counts["created"]), ("would be updated", counts["updated"]),
                 ("unchanged", counts["unchanged"]), ("conflicts", counts.get("conflicts", 0))]
        self.counts_label.setText("&nbsp;&nbsp;&nbsp;".join(f"<b style='font-size:large'>{n:,}</b> {what}"
                                                            for what, n in cells))
        self.summary_label.setText(report.summary())
        self.counts_label.setVisible(True)
        self.summary_label.setVisible(True)
        if has := worker.has_changes(report):
            self.preview_status.setText(f"<b>{escape_html(self.path.name)} can be imported.</b> Nothing has been "
                                        "changed yet: press Import to apply what is listed here.")
        else:
            self.preview_status.setText(f"<b>{escape_html(self.path.name)} matches what is here;</b> there is "
                                        "nothing to import.")
        self.conflicts = list(getattr(report, "conflict_details", []) or [])
        self._show_conflicts(self.conflicts)
        self.matches_box.show_matches(getattr(report, "matches", None), self.match_choices)
        missing = count_missing(report.warnings)
        self.delete_check.setVisible(bool(missing) and has)
        self.delete_check.setText(f"Also &remove the {missing} record{'s' if missing != 1 else ''} no longer "
                                  "in the workbook")
        problems = [("Error", p) for p in _problems(report.errors)] + [("Warning", p)
                                                                       for p in _problems(report.warnings)]
        self._show_problems(problems)

    def _refused(self, exc: BaseException) -> bool:
        from send_desktop.errors import BadInputError, Problem, UserError

        if not isinstance(exc, UserError):
            self.state = "refused"
            self.preview_status.setText("The check failed; see the error report.")
            return False  # the error dialog, with its details
        self.state = "refused"
        if not isinstance(exc, BadInputError):  # not the file: where it runs (no room for the rows read, ...)
            said = exc.message[:1].upper() + exc.message[1:]
            self.preview_status.setText(f"<b>{escape_html(self.path.name)} could not be checked.</b> "
                                        f"{escape_html(said)}")
            self._show_problems([])  # nothing in the file to point at: the line above says it all
            return True
        if worker.settles_by_strategy(exc) and getattr(exc, "conflicts", None):
            self.conflicts = list(exc.conflicts)
            n = len(self.conflicts)
            self.preview_status.setText(
                f"<b>{n} {'change was' if n == 1 else 'changes were'} made both in {escape_html(self.path.name)} and "
                "here since it was exported.</b> Decide each: keep what is here, take the workbook's value, or "
                "edit it; then check with these choices. Everything else in the workbook is imported either way.")
            self._show_conflicts(self.conflicts)
            return True
        if self.conflicts:  # decided, but a value typed in (or something else) cannot be used: say so, keep them
            self.preview_status.setText(f"<b>{escape_html(self.path.name)} cannot be imported with these choices.</b> "
                                        f"{escape_html(exc.message)}")
            self._show_conflicts(self.conflicts)
            self._show_problems([("Error", p) for p in (exc.problems or [Problem(exc.message)])])
            return True
        self.preview_status.setText(f"<b>{escape_html(self.path.name)} cannot be imported as "
                                    f"{escape_html(KIND_LABELS.get(self.kind, self.kind).lower())}.</b> "
                                    f"{escape_html(exc.message)}")
        self._show_problems([("Error", p) for p in (exc.problems or [Problem(exc.message)])])
        return True

    def _check_cancelled(self) -> None:
        self.state = "cancelled"
        self.preview_status.setText("The check was cancelled; nothing was changed. Check again, or Cancel.")

    def _show_conflicts(self, conflicts) -> None:
        self.conflict_box.setVisible(bool(conflicts))
        self.filler.setVisible(self.conflict_box.isHidden() and self.problems_table.isHidden())
        if conflicts:
            self.conflict_box.set_conflicts(conflicts)

    def _decisions_changed(self) -> None:
        """A decision changed: the last check no longer says what Import would do."""
        if self.state == "checked" and self.conflicts:
            self.state = "decided"
            self.preview_status.setText("<b>The choices changed.</b> Check with these choices before importing.")
        self._update_buttons()

    def choose_strategy(self, strategy: str) -> None:
        """Keep mine or take theirs, for every conflict, and check again that way."""
        self.conflict_box.choose_all(strategy)

    def _show_problems(self, problems) -> None:
        self.problems_caption.setVisible(bool(problems))
        self.problems_table.setVisible(bool(problems))
        self.filler.setVisible(self.conflict_box.isHidden() and self.problems_table.isHidden())
        self.problems_caption.setText(f"&Problems and warnings ({len(problems)}):")
        _fill_problems(self.problems_table, problems)

    # -- page 4: done -----------------------------------------------------------------------------
    def _done_page(self) -> QWidget:
        page = QWidget()
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo_label = QLabel()
        self.undo_label.setWordWrap(True)
        self.undo_btn = QPushButton("&Undo this import…")
        self.undo_btn.clicked.connect(self.undo)
        row = QHBoxLayout()
        row.addWidget(self.undo_btn)
        row.addStretch(1)
        box = QVBoxLayout(page)
        box.addWidget(self.done_label)
        box.addSpacing(12)
        box.addWidget(self.undo_label)
        box.addLayout(row)
        box.addStretch(1)
        return page

    def apply(self) -> None:
        """The real import, with the options of the last check."""
        if self.job is not None or self.state != "checked":
            return
        options = self._options(False)
        path, kind = self.path, self.kind
        self.job = worker.run_job(self, f"Importing {path.name}…",
                                  lambda: worker.import_steps(self.db, kind, path, **options), self._applied,
                                  on_cancelled=self._apply_cancelled)
        self.job.finished.connect(self._job_done)
        self._update_buttons()

    def _applied(self, report) -> None:
        from send_desktop.services.import_undo import imports

        self.result = report
        self.state = "applied"
        batch = next(iter(imports(self.db)), None)
        self.batch = batch if batch and batch["file"] == self.path.name and not batch["undone_at"] else None
        self.done_label.setText(f"<b>Imported.</b> {escape_html(report.summary())}")
        if self.batch is not None:
            self.undo_label.setText(f"This is import {self.batch['id']} in the change log ({self.batch['at']}). "
                                    "A backup was made before it. To take the whole import back, use "
                                    "<b>Undo this import</b> (only while nothing it touched has been changed "
                                    "since).")
        else:
            self.undo_label.setText("Nothing was changed, so there is nothing to undo.")
        self.undo_btn.setVisible(self.batch is not None)
        self.applied.emit(report.summary())
        self._show(PAGE_DONE)

    def _apply_cancelled(self) -> None:
        self.preview_status.setText("<b>The import was cancelled; nothing was changed.</b>")

    def undo(self) -> None:
        from send_desktop.errors import UserError
        from send_desktop.services.import_undo import undo_import

        if self.batch is None:
            return
        answer = QMessageBox.question(
            self, "Undo this import", f"Undo import {self.batch['id']} of {self.batch['file']}: every change it "
                                      "made is reverted (a backup is made first). Undo it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            undo_import(self.db, self.batch["id"])
        except UserError as exc:
            QMessageBox.warning(self, "Undo this import", str(exc))
            return
        self.undo_label.setText(f"<b>Import {self.batch['id']} was undone.</b> The database is as it was before it.")
        self.undo_btn.setVisible(False)
        self.batch = None
        self.applied.emit("The import was undone")

    # -- moving between pages ---------------------------------------------------------------------
    def _pages(self) -> list[int]:
        pages = [PAGE_FILE]
        if self.foreign:
            pages.append(PAGE_MAPPING)
        return pages + [PAGE_PREVIEW, PAGE_DONE]

    def page(self) -> int:
        return self.stack.currentIndex()

    def next(self) -> None:
        pages = self._pages()
        here = self.page()
        if here == PAGE_PREVIEW or not self.next_btn.isEnabled():
            return
        self._show(pages[pages.index(here) + 1])

    def back(self) -> None:
        pages = self._pages()
        here = self.page()
        if here in (PAGE_FILE, PAGE_DONE) or self.job is not None:
            return
        self._show(pages[pages.index(here) - 1])

    def _show(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        titles = {PAGE_FILE: "File", PAGE_MAPPING: "Columns", PAGE_PREVIEW: "Check", PAGE_DONE: "Done"}
        pages = self._pages()
        steps = " › ".join(f"<b>{titles[p]}</b>" if p == index else titles[p] for p in pages)
        self.step_label.setText(f"<span style='font-size:large'>{steps}</span>")
        if index == PAGE_MAPPING:
            self._load_mapping()
        elif index == PAGE_PREVIEW and self.state in ("", "cancelled") and self.job is None:
            self.check()
        self._update_buttons()
        focus = {PAGE_FILE: self.kind_combo if self.path else self.choose_btn, PAGE_MAPPING: self.mapping_table,
                 PAGE_PREVIEW: self.import_btn if self.import_btn.isEnabled() else self.cancel_btn,
                 PAGE_DONE: self.cancel_btn}[index]
        focus.setFocus()

    def _update_buttons(self) -> None:
        here = self.page()
        busy = self.job is not None
        ready = self.path is not None and self.kind is not None and not self.unreadable
        self.back_btn.setEnabled(here not in (PAGE_FILE, PAGE_DONE) and not busy)
        self.back_btn.setVisible(here != PAGE_DONE)
        self.next_btn.setVisible(here in (PAGE_FILE, PAGE_MAPPING))
        self.next_btn.setEnabled(ready and not busy)
        self.import_btn.setVisible(here == PAGE_PREVIEW)
        self.import_btn.setEnabled(here == PAGE_PREVIEW and not busy and self.state == "checked"
                                   and self.report is not None and worker.has_changes(self.report)
                                   and (not self.conflicts or self.conflict_box.all_decided())
                                   and not (self.db is not None and self.db.read_only)
                                   and not self.matches_box.changed())
        self.recheck_btn.setVisible(here == PAGE_PREVIEW and self.state in ("cancelled", "refused")
                                    and not self.conflicts)
        self.recheck_btn.setEnabled(not busy)
        self.conflict_box.set_busy(busy)
        self.cancel_btn.setText("&Close" if here == PAGE_DONE else "&Cancel")
        self.cancel_btn.setEnabled(not busy)
        (self.next_btn if here in (PAGE_FILE, PAGE_MAPPING) else
         self.import_btn if here == PAGE_PREVIEW else self.cancel_btn).setDefault(True)

    def reject(self) -> None:
        if self.job is not None:  # the progress dialog's Cancel stops a running job
            self.job.cancel()
            return
        self.columns.stop_detecting()  # the scale is not waited for: its result is not wanted now
        super().reject()


def _problems(items):
    from send_desktop.errors import Problem

    return [p if isinstance(p, Problem) else Problem(str(p)) for p in items]


def importable(path: Path) -> bool:
    """Whether a dropped file is one the assistant takes: a local .xlsx or .json."""
    return path.suffix.lower() in SUFFIXES
