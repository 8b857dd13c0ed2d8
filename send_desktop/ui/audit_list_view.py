"""The audit list: search and filters, the lazy table, and New / Open / Delete.

Filters and the sort order are turned into one id query (`audit_ids`), so even with 100,000
audits a choice in a combo is a single indexed SELECT and a model reset; the search box waits
for a pause in typing before it asks. The view never touches SQL: it calls the read and edit
services and reports refusals through `show_error`.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from send_desktop.core.lazy import lazy_module
from send_desktop.services.audit_read import distinct_values
from send_desktop.ui.audit_list_model import (
    COL_AGENCY, COL_AUDITOR, COL_DATE, COL_GRADE, COL_REF, COL_REPORTED, COL_SCORE, COL_STATUS, COL_TEAM, COL_TYPE,
    AuditListModel, AuditQuery, day_text, month_text,
)
from send_desktop.ui.widgets import show_error

audit_edit = lazy_module("send_desktop.services.audit_edit")  # SQLAlchemy comes with the first edit

SEARCH_DELAY_MS = 250
#: Starting widths as the text each column must show whole; Team takes what is left, and the two
#: grade columns always show "Requires improvement" in full (the word is the grade).
COLUMN_SAMPLES = {COL_REF: "HD-1045120", COL_DATE: "30 Sep 2026", COL_TYPE: "Annual review",
                  COL_AUDITOR: "Grace Achterberg", COL_AGENCY: "SEND casework", COL_STATUS: "Submitted",
                  COL_SCORE: "100.0", COL_GRADE: "Requires improvement", COL_REPORTED: "Requires improvement"}
STATUS_CHOICES = (("All statuses", ""), ("Draft", "draft"), ("Submitted", "submitted"), ("Moderated", "moderated"))


def _refill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
    """Replace a combo's (label, value) items, keeping the chosen value if it is still offered."""
    keep = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for label, value in items:
        combo.addItem(label, value)
    combo.setCurrentIndex(max(0, combo.findData(keep)))
    combo.blockSignals(False)


class AuditFilterBar(QWidget):
    queryChanged = Signal(object)  # AuditQuery

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search plan refs, auditors, teams (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(200)
        self.status_combo, self.team_combo = QComboBox(), QComboBox()
        self.auditor_combo, self.grade_combo, self.month_combo = QComboBox(), QComboBox(), QComboBox()
        for combo, tip in ((self.status_combo, "Show only audits with this status"),
                           (self.team_combo, "Show only this team's audits"),
                           (self.auditor_combo, "Show only this auditor's audits"),
                           (self.grade_combo, "Show only audits with this reported grade"),
                           (self.month_combo, "Show only audits done in this month")):
            combo.setToolTip(tip)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.currentIndexChanged.connect(self._changed)
        _refill(self.status_combo, list(STATUS_CHOICES))
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(self.clear)
        self.count_label = QLabel()
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("99,999 of 100,000 audits") + 8)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._changed)
        self.search_edit.textChanged.connect(lambda _text: self._timer.start())
        self.search_edit.returnPressed.connect(self._changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit, 2)
        for combo in (self.status_combo, self.team_combo, self.auditor_combo, self.grade_combo, self.month_combo):
            layout.addWidget(combo, 1)
        layout.addWidget(self.clear_button)
        layout.addWidget(self.count_label)
        self.set_choices(None)
        self._last = self.query()

    def set_choices(self, db) -> None:
        def values(column):
            return distinct_values(db, column) if db is not None else []

        _refill(self.team_combo, [("All teams", "")] + [(v, v) for v in values("team")])
        _refill(self.auditor_combo, [("All auditors", "")] + [(v, v) for v in values("auditor")])
        _refill(self.grade_combo, [("All grades", "")] + [(v, v) for v in values("reported_grade")])
        months = sorted(values("month"), reverse=True)
        _refill(self.month_combo, [("All months", "")] + [(month_text(m), m) for m in months])

    def query(self) -> AuditQuery:
        return AuditQuery(self.search_edit.text().strip(), self.status_combo.currentData() or "",
                          self.team_combo.currentData() or "", self.auditor_combo.currentData() or "",
                          self.grade_combo.currentData() or "", self.month_combo.currentData() or "")

    def clear(self) -> None:
        for widget in (self.search_edit, self.status_combo, self.team_combo, self.auditor_combo, self.grade_combo,
                       self.month_combo):
            widget.blockSignals(True)
        self.search_edit.clear()
        for combo in (self.status_combo, self.team_combo, self.auditor_combo, self.grade_combo, self.month_combo):
            combo.setCurrentIndex(0)
        for widget in (self.search_edit, self.status_combo, self.team_combo, self.auditor_combo, self.grade_combo,
                       self.month_combo):
            widget.blockSignals(False)
        self._changed()

    def mark_applied(self, query: AuditQuery) -> None:
        """The list now shows `query` (so it is not emitted again)."""
        self._last = query
        self.clear_button.setEnabled(query.is_active())

    def apply(self) -> None:
        self._changed()

    def _changed(self, *_args) -> None:
        self._timer.stop()
        query = self.query()
        self.clear_button.setEnabled(query.is_active())
        if query != self._last:
            self._last = query
            self.queryChanged.emit(query)


class AuditListView(QWidget):
    openRequested = Signal(int)  # audit id
    statusMessage = Signal(str)

    def __init__(self, db=None, parent: QWidget | None = None, page_size: int | None = None):
        super().__init__(parent)
        self.db = None
        self._total = 0
        self.dialog = None  # the open New audit dialog, if any
        self.filter_bar = AuditFilterBar()
        self.model = AuditListModel(self, **({"page_size": page_size} if page_size else {}))
        self.table = self._make_table()
        self.new_button = QPushButton("New audit\u2026")
        self.new_button.setToolTip("Start an audit of a plan (Insert)")
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Score or read the selected audit (Enter)")
        self.delete_button = QPushButton("Delete\u2026")
        self.delete_button.setToolTip("Delete the selected audit, after asking (Delete)")
        self.sample_button = QPushButton("Monthly &sample\u2026")
        self.sample_button.setToolTip("Draw this month's sample from the caseload and start its audits")
        self.settings_button = QPushButton("Settings\u2026")
        self.settings_button.setToolTip("The target, the benchmark and the monthly sampling rate")
        self.sample_button.clicked.connect(self.monthly_sample)
        self.settings_button.clicked.connect(self.audit_settings)
        self.new_button.clicked.connect(self.new_audit)
        self.open_button.clicked.connect(self.open_current)
        self.delete_button.clicked.connect(self.delete_current)
        buttons = QHBoxLayout()
        title = QLabel("EHCP quality audits")
        title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        buttons.addWidget(title)
        buttons.addStretch(1)
        for button in (self.sample_button, self.settings_button, self.new_button, self.open_button,
                       self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(buttons)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        self._choices_timer = QTimer(self)
        self._choices_timer.setSingleShot(True)
        self._choices_timer.setInterval(0)
        self._choices_timer.timeout.connect(self._refresh_choices)
        self._add_keys()
        self.filter_bar.queryChanged.connect(self._query_changed)
        self.table.activated.connect(lambda index: self.openRequested.emit(self.model.audit_id(index.row())))
        self.model.modelReset.connect(self._update_buttons)
        self.set_database(db)

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        metrics, pad = table.fontMetrics(), 20
        bold = table.font()
        bold.setBold(True)
        for col, sample in COLUMN_SAMPLES.items():
            width = (QFontMetrics(bold) if col == COL_REPORTED else metrics).horizontalAdvance(sample)
            header.resizeSection(col, width + pad + (22 if col in (COL_GRADE, COL_REPORTED) else 0))
        header.setMinimumSectionSize(metrics.horizontalAdvance("Team") + pad)
        header.setSectionResizeMode(COL_TEAM, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        table.setSortingEnabled(True)
        return table

    def _add_keys(self) -> None:
        def key(shortcut, slot, widget):
            action = QAction(self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            widget.addAction(action)

        key(Qt.Key.Key_Insert, self.new_audit, self)
        key(QKeySequence.StandardKey.Delete, self.delete_current, self.table)
        key(QKeySequence.StandardKey.Find, self.focus_search, self)

    # -- the interface the area uses ----------------------------------------------------------------

    def set_database(self, db) -> None:
        self.db = db
        self.model.db = db
        self.reload()

    def reload(self) -> None:
        """Re-read ids and rows (now) and the filter choices (just after the next paint), keeping
        filters, the sort and the selected audit."""
        keep = self.current_audit_id()
        query = self.filter_bar.query()
        self.filter_bar.mark_applied(query)
        self.model.query = query
        self.model.reload()
        # Four scans of the audit table (100 ms at 100,000 audits) need not delay the list.
        self._choices_timer.start()
        self._total = len(self.model.ids) if not query.is_active() else self._count_all()
        self._show_count()
        self.select_audit(keep)

    def current_audit_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.audit_id(index.row()) if index.isValid() else None

    def select_audit(self, audit_id: int | None) -> None:
        row = self.model.row_of(audit_id)
        if row < 0:
            row = 0 if self.model.rowCount() else -1
        if row < 0:
            self._update_buttons()
            return
        index = self.model.index(row, COL_REF)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        self._update_buttons()

    def focus_search(self) -> None:
        self.filter_bar.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search_edit.selectAll()

    # -- actions ------------------------------------------------------------------------------------

    def new_audit(self) -> None:
        if self.db is None or self.db.read_only:
            return
        from send_desktop import settings
        from send_desktop.ui.audit_dialogs import AuditDetailsDialog

        choices = {c: distinct_values(self.db, c) for c in ("team", "auditor", "agency")}
        self.dialog = AuditDetailsDialog(self, None, choices, settings.user_name() or "")
        self.dialog.accepted.connect(lambda: self._create(self.dialog.values()))
        self.dialog.finished.connect(lambda _code: setattr(self, "dialog", None))
        self.dialog.open()

    def _create(self, values: dict) -> None:
        try:
            audit_id = audit_edit.create_audit(self.db, values)
        except Exception as exc:  # a refusal is explained, a bug reported; the list stays as it was
            show_error(self, exc, "Cannot create the audit")
            return
        self.filter_bar.clear()
        self.reload()
        self.select_audit(audit_id)
        self.statusMessage.emit(f"Created the audit of {values['plan_ref']}")
        self.openRequested.emit(audit_id)

    def monthly_sample(self) -> None:
        from send_desktop.ui.audit_sample_dialog import SampleDialog

        if self.db is None:
            return
        dialog = SampleDialog(self.db, self)
        dialog.exec()
        if dialog.started:
            self.filter_bar.clear()
            self.reload()
            self.statusMessage.emit(f"Started {len(dialog.started)} draft audits from the monthly sample")

    def audit_settings(self) -> None:
        from send_desktop.ui.audit_sample_dialog import AuditSettingsDialog

        if self.db is not None and AuditSettingsDialog(self.db, self).exec():
            self.statusMessage.emit("Saved the audit programme's settings")

    def open_current(self) -> None:
        audit_id = self.current_audit_id()
        if audit_id is not None:
            self.openRequested.emit(audit_id)

    def delete_current(self) -> None:
        audit_id = self.current_audit_id()
        if audit_id is None or self.db is None or self.db.read_only:
            return
        row = self.model.row_values(self.table.currentIndex().row())
        what = f"{row.plan_ref} ({day_text(row.audit_date)})" if row else "this audit"
        answer = QMessageBox.question(
            self, "Delete audit", f"Delete the audit of {what}?\n\nIts scoring, improvement actions and any "
            "moderation are deleted with it. The change log keeps a record.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        next_id = self.model.audit_id(self.table.currentIndex().row() + 1) or \
            self.model.audit_id(self.table.currentIndex().row() - 1)
        try:
            audit_edit.delete_audit(self.db, audit_id)
        except Exception as exc:
            show_error(self, exc, "Cannot delete the audit")
            return
        self.reload()
        self.select_audit(next_id)
        self.statusMessage.emit(f"Deleted the audit of {what}")

    # -- internals -------------------------------------------------------------------------------------

    def _refresh_choices(self) -> None:
        self.filter_bar.set_choices(self.db)
        self.filter_bar.apply()  # a choice no longer offered falls back to "All", and the list follows

    def _query_changed(self, query: AuditQuery) -> None:
        keep = self.current_audit_id()
        self.model.set_query(query)
        self._show_count()
        self.select_audit(keep)

    def _count_all(self) -> int:
        from send_desktop.services.audit_read import audit_ids

        return len(audit_ids(self.db)) if self.db is not None else 0

    def _show_count(self) -> None:
        shown = len(self.model.ids)
        if not self._total:
            text = "No audits yet: New audit\u2026 starts one" if self.db is not None else ""
        elif shown == self._total:
            text = f"{shown:,} audit{'s' if shown != 1 else ''}"
        else:
            text = f"{shown:,} of {self._total:,} audits"
        self.filter_bar.count_label.setText(text)

    def _update_buttons(self) -> None:
        writable = self.db is not None and not self.db.read_only
        has_row = self.table.currentIndex().isValid()
        self.new_button.setEnabled(writable)
        self.open_button.setEnabled(has_row)
        self.delete_button.setEnabled(writable and has_row)
