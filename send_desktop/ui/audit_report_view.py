"""The Audit report area: the board's figures on EHCP quality audits for a date range, with charts.

Everything shown comes from one `reports.audit_report.AuditReport`, the object the command line
prints and the Excel export writes, so the page, the JSON and the workbook cannot disagree; no
SQL here. Built to open fast on a file of 100,000 audits (bench/bench_audit_report.py):

- the figures are counted on a worker thread (`worker.Job`, without a dialog), so a wide date
  range never freezes the window; a newer range or file simply outdates an older result;
- matplotlib is imported on the pool when the page is first shown, beside the counting (SQLite
  reads without the interpreter lock, so the two partly overlap), and the page paints at once
  (`audit_charts.ChartPanel`);
- tables are `QAbstractTableModel`s over tuples of text.

Keyboard: Alt+M and Alt+T reach the dates (typed, or F4 for the calendar), Alt+L the last 12
months, Alt+X the export, Alt+C the cut (none clashes with the window's File, Edit, View and
Help menus); Tab goes through the tables in reading order. Each chart's accessible description
holds its figures in words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QDate, QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QScrollArea, QTableView, QVBoxLayout, QWidget,
)

from shiboken6 import isValid

from send_desktop.reports import audit_report as reports
from send_desktop.reports import audit_report_rows as rows
from send_desktop.ui.audit_charts import ChartPanel

XLSX_FILTER = "Excel workbooks (*.xlsx)"
#: The charts' places: key -> (heading, grid row, column, columns spanned).
CHARTS = {"grades": ("Grades", 0, 1, 1), "trend": ("Good or better, month by month", 1, 0, 2),
          "done": ("Audits done against the monthly target", 2, 0, 1),
          "sections": ("Sections: % good or better, with the mean section score", 3, 0, 2)}
#: The tables: key -> (heading, headers, right-aligned columns, widths, stretching column, height, grid place).
TABLES = {
    "actions": ("Improvement actions by section", ("Section", "Open", "Open and past due", "Done", "% done"),
                (1, 2, 3, 4), (200, 70, 120, 70, 70), 0, 260, (4, 1, 1)),
    "disagreements": ("Moderation: disagreements of more than one band",
                      ("Plan", "Audit date", "Auditor", "Moderator", "Auditor's grade", "Moderated grade"),
                      (), (140, 110, 200, 200, 190, 190), 5, 150, (5, 0, 2)),
    "criteria": ("Criteria most often below \u201cmet\u201d (out of the audits where each applied)",
                 ("Criterion", "Section", "Criterion text", "Audits below met", "Audits where it applied",
                  "% below met"), (3, 4, 5), (80, 80, 520, 120, 160, 100), 2, 260, (6, 0, 2)),
    "cut": ("", ("Team", "Graded audits", "Good or better", "%", "95% interval"), (1, 2, 3),
            (150, 100, 100, 60, 130), 0, 260, None),  # placed with its selector by `_cut_box`
}


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 12 months: from the first day of the month eleven months back, to today."""
    y, m = today.year, today.month - 11
    if m < 1:
        y, m = y - 1, m + 12
    return dt.date(y, m, 1), today


class RowsModel(QAbstractTableModel):
    """A read-only table over tuples of text; numbers are right-aligned, long text has a tooltip."""

    def __init__(self, headers: tuple[str, ...], right: tuple[int, ...] = (), parent=None):
        super().__init__(parent)
        self.headers, self.right, self.rows = headers, frozenset(right), []

    def set_rows(self, rows: list[tuple]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt names
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.rows[index.row()][index.column()]
            return text if role == Qt.ItemDataRole.DisplayRole or len(text) > 30 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None


def _table(model: RowsModel, name: str, widths: tuple[int, ...], stretch: int, height: int = 260) -> QTableView:
    """Fixed column widths (one stretching): sizing to contents asks for every cell of every row."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    header.setStretchLastSection(stretch == len(model.headers) - 1)
    if stretch != len(model.headers) - 1:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setMinimumHeight(height)
    return view


def _heading(text: str, scale: float = 1.1) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)  # its Alt+letter moves the focus to the widget
    return label


def _box(title: str, body: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    if title:
        layout.addWidget(_heading(title))
    layout.addWidget(body)
    return box


def _tile(*items) -> QFrame:
    """A framed panel of widgets top to bottom; a number is a gap, None the stretch."""
    frame = QFrame()
    frame.setObjectName("tile")
    frame.setStyleSheet("QFrame#tile { background: palette(base); border: 1px solid palette(mid);"
                        " border-radius: 6px; }")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 10)
    layout.setSpacing(3)
    for item in items:
        if item is None:
            layout.addStretch(1)
        elif isinstance(item, int):
            layout.addSpacing(item)
        else:
            layout.addWidget(item)
    return frame


def _text_label(wrap: bool = True, muted: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if muted:
        label.setStyleSheet("QLabel { color: palette(placeholder-text); }")
    return label


class AuditReportView(QWidget):
    """The page. `reload()` counts again (on a worker thread); `set_database(db)` shows another file."""

    statusMessage = Signal(str)

    def __init__(self, db=None, parent: QWidget | None = None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.db, self._today, self.report = db, today, None
        self.chart_panel = ChartPanel(self, self._fail, self._relayout)
        self.models: dict[str, RowsModel] = {}
        self.tables: dict[str, QTableView] = {}
        self._generation = 0  # a result for an older range or file is dropped
        self._job = None
        self._range_timer = QTimer(self, singleShot=True, interval=350)  # typing a date changes it per key
        self._range_timer.timeout.connect(self.reload)
        self._build()
        self.set_range(*default_range(self.today()), reload=False)
        if db is not None:
            self.reload()

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(_heading("Audit report", 1.3))
        bar.addStretch(1)
        self.from_edit, self.to_edit = QDateEdit(), QDateEdit()
        for text, edit, name in (("Fro&m", self.from_edit, "First audit date"),
                                 ("&To", self.to_edit, "Last audit date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.dateChanged.connect(lambda _d: self._range_timer.start())
            bar.addWidget(_buddy(text, edit))
            bar.addWidget(edit)
        self.last_year_button = QPushButton("&Last 12 months")
        self.last_year_button.clicked.connect(lambda: self.set_range(*default_range(self.today())))
        self.export_button = QPushButton("E&xport to Excel…")
        self.export_button.clicked.connect(self.export)
        bar.addWidget(self.last_year_button)
        bar.addSpacing(12)
        bar.addWidget(self.export_button)
        self.state_label = _text_label(wrap=False, muted=True)

        grid = QGridLayout()
        grid.setSpacing(14)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        for key, (title, row, column, span) in CHARTS.items():
            grid.addWidget(_box(title, self.chart_panel.place(key)), row, column, 1, span)
        for key, (title, headers, right, widths, stretch, height, place) in TABLES.items():
            self.models[key] = RowsModel(headers, right, self)
            self.tables[key] = _table(self.models[key], title or "Figures by the chosen cut", widths, stretch, height)
            if place:
                grid.addWidget(_box(title, self.tables[key]), place[0], place[1], 1, place[2])
        self.headline_value = QLabel("–")
        self.headline_value.setAccessibleName("Percentage of plans graded good or better")
        font = QFont(self.headline_value.font())
        font.setPointSizeF(font.pointSizeF() * 2.8)
        font.setBold(True)
        self.headline_value.setFont(font)
        self.headline_detail, self.headline_target = _text_label(), _text_label()
        self.headline_counts = _text_label(muted=True)
        grid.addWidget(_tile(QLabel("Plans graded good or better"), self.headline_value, self.headline_detail,
                             self.headline_target, None, self.headline_counts), 0, 0)
        self.moderation_label, self.actions_label = _text_label(), _text_label()
        grid.addWidget(_tile(_heading("Moderation"), self.moderation_label, 10, _heading("Improvement actions"),
                             self.actions_label, None), 2, 1)
        grid.addWidget(self._cut_box(), 4, 0)
        self.notes_label = _text_label()
        grid.addWidget(_box("Read with these notes", self.notes_label), 7, 0, 1, 2)

        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(12, 4, 12, 12)
        inner.addLayout(grid)
        inner.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 0)
        layout.addLayout(bar)
        layout.addWidget(self.state_label)
        layout.addWidget(self.scroll, 1)
        chain = [self.from_edit, self.to_edit, self.last_year_button, self.export_button, self.cut_combo,
                 *(self.tables[k] for k in ("cut", "actions", "disagreements", "criteria"))]
        for first, second in zip(chain, chain[1:]):  # reading order, whatever order they were made in
            QWidget.setTabOrder(first, second)

    def _cut_box(self) -> QWidget:
        self.cut_combo = QComboBox()
        self.cut_combo.setAccessibleName("Cut the figures by")
        self.cut_combo.currentIndexChanged.connect(lambda _i: self._show_cut())
        top = QHBoxLayout()
        top.addWidget(_heading("Good or better by"))
        top.addStretch(1)
        top.addWidget(_buddy("&Cut:", self.cut_combo))
        top.addWidget(self.cut_combo)
        box = _box("", self.tables["cut"])
        box.layout().insertLayout(0, top)
        return box

    # -- range and loading -----------------------------------------------------------------
    def set_range(self, date_from: dt.date, date_to: dt.date, reload: bool = True) -> None:
        for edit, day in ((self.from_edit, date_from), (self.to_edit, date_to)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        if reload:
            self.reload()

    def date_range(self) -> tuple[dt.date, dt.date]:
        return self.from_edit.date().toPython(), self.to_edit.date().toPython()

    def set_database(self, db) -> None:
        self.db = db
        self.reload()

    @property
    def charts(self) -> dict[str, QWidget]:
        """The chart canvases by key, once made."""
        return self.chart_panel.canvases()

    @property
    def descriptions(self) -> dict[str, str]:
        """Each drawn chart's figures in words (also its accessible description)."""
        return self.chart_panel.descriptions

    def busy(self) -> bool:
        """Counting the figures or loading the charts."""
        return self._job is not None or self.chart_panel.busy

    def reload(self) -> None:
        """Count the figures for the chosen range again, on a worker thread."""
        from send_desktop.core.progress import Progress
        from send_desktop.ui.worker import Job

        self._range_timer.stop()
        self._generation += 1
        generation = self._generation
        if self.db is None:
            self._job = None
            self.state_label.setText("No file is open.")
            return
        date_from, date_to = self.date_range()
        if date_from > date_to:
            self._job = None
            self.state_label.setText("The start date is after the end date: choose the dates in order.")
            return
        db, as_of = self.db, self.today()

        def steps():
            yield Progress(0, 1, "Counting the audits")
            return reports.audit_report(db, date_from, date_to, as_of=as_of)

        self.state_label.setText("Counting the audits…")
        self._job = Job(steps, lambda report: self._arrived(generation, report),
                        lambda exc: self._failed(generation, exc))
        self._job.start()

    def _arrived(self, generation: int, report) -> None:
        if not isValid(self) or generation != self._generation:
            return  # the page has gone, or a newer range or file was asked for meanwhile
        self._job = None
        self.report = report
        self._show(report)

    def _failed(self, generation: int, exc: BaseException) -> bool:
        if isValid(self) and generation == self._generation:  # an outdated count's failure is dropped
            self._job = None
            self.state_label.setText("The figures could not be counted.")
            self._fail(exc, "Cannot show the audit report")
        return True

    def _fail(self, exc: BaseException, title: str) -> bool:
        """The window's one error path (a UserError's words, or "unexpected" with details behind a
        button), never a traceback; True tells the worker it was handled."""
        if isValid(self):
            from send_desktop.ui.widgets import show_error

            show_error(self, exc, title)
        return True

    # -- showing ---------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        self.chart_panel.load()  # matplotlib, the first time only

    def _relayout(self) -> None:
        """Have the scroll area size the page again. New text in word-wrapped labels changes the
        page's height for its width, which does not always reach the scroll area by itself; left
        alone, the lower charts could be cut short until the window is next resized."""
        QCoreApplication.postEvent(self.scroll, QEvent(QEvent.Type.LayoutRequest))

    def _show(self, r) -> None:
        value, detail, comparison, counted = rows.headline(r)
        for label, text in ((self.headline_value, value), (self.headline_detail, detail),
                            (self.headline_target, comparison), (self.headline_counts, counted),
                            (self.moderation_label, rows.moderation_text(r)),
                            (self.actions_label, rows.actions_text(r)),
                            (self.notes_label, rows.notes_text(r)), (self.state_label, rows.state_text(r))):
            label.setText(text)
        for key, make in (("criteria", rows.criteria_rows), ("actions", rows.action_rows),
                          ("disagreements", rows.disagreement_rows)):
            self.models[key].set_rows(make(r))
        if self.cut_combo.count() == 0:
            self.cut_combo.blockSignals(True)
            for column, label in reports.CUT_COLUMNS.items():
                self.cut_combo.addItem(label, column)
            self.cut_combo.blockSignals(False)
        self._show_cut()
        self.chart_panel.show(r)
        self._relayout()

    def _show_cut(self) -> None:
        if self.report is None or self.cut_combo.currentIndex() < 0:
            return
        model = self.models["cut"]
        model.headers = (self.cut_combo.currentText(), *model.headers[1:])
        model.set_rows(rows.cut_rows(self.report, self.cut_combo.currentData()))

    # -- export ----------------------------------------------------------------------------
    def export(self) -> None:
        """The figures of the chosen range to a workbook, on a worker thread with a progress dialog."""
        from PySide6.QtWidgets import QFileDialog

        from send_desktop.ui.worker import run_job

        if self.db is None:
            return
        date_from, date_to = self.date_range()
        suggested = Path(self.db.path).with_name(f"{Path(self.db.path).stem} audit report "
                                                 f"{date_from:%Y-%m-%d} to {date_to:%Y-%m-%d}.xlsx")
        name, _ = QFileDialog.getSaveFileName(self, "Export the audit report to Excel", str(suggested), XLSX_FILTER)
        if not name:
            return
        path, db, as_of = Path(name).with_suffix(".xlsx"), self.db, self.today()

        def steps():
            from send_desktop.reports.audit_report_xlsx import export_audit_report

            return export_audit_report(db, path, date_from, date_to, as_of=as_of)

        run_job(self, "Exporting the audit report…", steps,
                lambda _path: self.statusMessage.emit(f"Exported the audit report to {path}"),
                on_failure=lambda exc: self._fail(exc, "Cannot export the audit report"),
                on_cancelled=lambda: self.statusMessage.emit("Export cancelled"))
