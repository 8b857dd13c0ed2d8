"""The right-hand pane of the Risk register: every field of the selected risk, its mitigations,
its links to the plan and its review history.

Like the plan's detail pane it is a form, not an editor of the database: when a field is left
(focus out or Enter) or a choice made, and its value changed, it emits `edited(changes)`; the
view runs the service and shows the risk again from the new snapshot, so a refused value (a
likelihood of 7, "next spring" for a date) comes back as it was, with the service's message.
The current position is shown, not edited: it changes only by a review (Re-assess, Ctrl+U).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QFrame, QHBoxLayout, QHeaderView, QLabel, QListWidget,
    QListWidgetItem, QPushButton, QScrollArea, QTableWidget, QTableWidgetItem, QTabWidget, QTextBrowser,
    QVBoxLayout, QWidget,
)

from send_desktop.core.risk_matrix import FREQUENCIES, STATUSES, RiskMatrix, trend_text
from send_desktop.services.risk_read import RiskRegister, RiskRow
from send_desktop.ui.plan_detail import section_label
from send_desktop.ui.risk_table_model import short_date
from send_desktop.ui.widgets import (
    CommitLineEdit, CommitTextEdit, NameListCompleter, StatusChip, chip_html, escape_html,
)

TEXT_FIELDS = (("cause", "&Cause"), ("event", "&Event"), ("effect", "E&ffect"), ("controls", "Existing &controls"),
               ("assurance", "Sources of &assurance"), ("gaps_in_control", "Gaps in c&ontrol"),
               ("gaps_in_assurance", "Gaps in assura&nce"))


def _date_text(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose Alt key reaches a field inside a row (QFormLayout makes plain ones)."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def history_html(matrix: RiskMatrix, risk: RiskRow) -> str:
    """Every review, newest first: date, score chip, who, and the note."""
    if not risk.history:
        return "<p style='color:#6b6b6b'>No reviews yet. Use <b>Re-assess\u2026</b> to record the first.</p>"
    parts = []
    for a in reversed(risk.history):
        band = matrix.band_for(a.score)
        who = f" &nbsp;<span style='color:#555'>{escape_html(a.assessor)}</span>" if a.assessor else ""
        note = escape_html(a.note).replace("\n", "<br>") or "<i>No note</i>"
        parts.append(f"<p style='margin-bottom:8px'><b>{short_date(a.date)}</b> &nbsp;"
                     f"{chip_html(band.colour, f'{a.score} {band.name}')} &nbsp;{a.likelihood} \u00d7 {a.impact}"
                     f"{who}<br>{note}</p>")
    return "".join(parts)


class LevelCombo(QComboBox):
    """A likelihood or impact chosen from "1 Rare" ... "5 Almost certain" (type the digit)."""

    def set_labels(self, labels: tuple[str, ...]) -> None:
        self.blockSignals(True)
        self.clear()
        for value, label in enumerate(labels, 1):
            self.addItem(f"{value} {label}", value)
        self.blockSignals(False)

    def set_value(self, value: int) -> None:
        self.blockSignals(True)
        self.setCurrentIndex(max(0, self.findData(value)))
        self.blockSignals(False)


class RiskDetailPane(QWidget):
    edited = Signal(object)  # dict of changed fields
    reassessRequested = Signal()
    addMitigationRequested = Signal()
    editMitigationRequested = Signal(int)
    deleteMitigationRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.risk: RiskRow | None = None
        self.register: RiskRegister | None = None
        self._read_only = False
        self.tabs = QTabWidget()
        self.tabs.addTab(self._scroll(self._build_main()), "&Risk")
        self.tabs.addTab(self._scroll(self._build_text()), "&Description and controls")
        self.tabs.addTab(self._build_mitigations(), "&Mitigations and links")
        self.history = QTextBrowser()
        self.history.setOpenLinks(False)
        self.tabs.addTab(self.history, "Re&views")
        self.empty = QLabel("Select a risk to see and edit it here.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #6b6b6b;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.tabs)
        self.tabs.hide()

    @staticmethod
    def _scroll(widget: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidget(widget)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        return area

    def _emit(self, **changes) -> None:
        if self.risk is not None and not self._read_only:
            self.edited.emit(changes)

    def _build_main(self) -> QWidget:
        page = QWidget()
        self.ref_edit = CommitLineEdit()
        self.ref_edit.setFixedWidth(80)
        self.ref_edit.setToolTip("Reference")
        self.score_chip = StatusChip()
        self.reassess_button = QPushButton("Re-&assess\u2026")
        self.reassess_button.setToolTip("Record this month's review: likelihood, impact and a note (Ctrl+U)")
        self.reassess_button.clicked.connect(self.reassessRequested)
        header = QHBoxLayout()
        title = QLabel("Risk")
        title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        for widget in (title, self.ref_edit):
            header.addWidget(widget)
        header.addStretch(1)
        header.addWidget(self.score_chip)
        header.addWidget(self.reassess_button)
        self.flags_label = QLabel()
        self.flags_label.setWordWrap(True)
        self.flags_label.setStyleSheet("color: #8a1c13; font-weight: 600;")
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)

        self.title_edit = CommitTextEdit(enter_commits=True, lines=2, fit_up_to=4)
        self.category_combo = QComboBox()
        self.category_combo.setEditable(True)
        self.category_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.owner_edit = CommitLineEdit()
        self.owner_completer = NameListCompleter([], self.owner_edit)
        self.owner_edit.setCompleter(self.owner_completer)
        self.status_combo = QComboBox()
        for status in STATUSES:
            self.status_combo.addItem(status.capitalize(), status)
        self.levels = {key: LevelCombo() for key in ("inherent_likelihood", "inherent_impact", "target_likelihood",
                                                     "target_impact")}
        self.inherent_label, self.target_label = QLabel(), QLabel()
        self.target_date_edit = CommitLineEdit()
        self.target_date_edit.setPlaceholderText("dd/mm/yyyy")
        self.frequency_combo = QComboBox()
        for name in FREQUENCIES:
            self.frequency_combo.addItem(name.capitalize(), name)
        self.next_review_edit = CommitLineEdit()
        self.next_review_edit.setPlaceholderText("dd/mm/yyyy")
        self.overdue_label = QLabel()
        self.overdue_label.setStyleSheet("color: #b3261e; font-weight: 600;")

        def row(*widgets) -> QHBoxLayout:
            box = QHBoxLayout()
            for w in widgets:
                box.addWidget(w) if isinstance(w, QWidget) else box.addWidget(QLabel(w))
            box.addStretch(1)
            return box

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.addRow("Ris&k", self.title_edit)
        form.addRow("Cate&gory", self.category_combo)
        form.addRow("O&wner", self.owner_edit)
        form.addRow("&Status", self.status_combo)
        form.addRow("Now", self.current_label)
        form.addRow(_buddy("&Inherent", self.levels["inherent_likelihood"]),
                    row(self.levels["inherent_likelihood"], "\u00d7", self.levels["inherent_impact"],
                        self.inherent_label))
        form.addRow(_buddy("&Target", self.levels["target_likelihood"]),
                    row(self.levels["target_likelihood"], "\u00d7", self.levels["target_impact"], self.target_label))
        form.addRow("Target &date", self.target_date_edit)
        form.addRow("Review &every", self.frequency_combo)
        form.addRow(_buddy("&Next review", self.next_review_edit), row(self.next_review_edit, self.overdue_label))

        layout = QVBoxLayout(page)
        layout.addLayout(header)
        layout.addWidget(self.flags_label)
        layout.addLayout(form)
        layout.addStretch(1)

        self.ref_edit.committed.connect(lambda v: self._emit(ref=v))
        self.title_edit.committed.connect(lambda v: self._emit(title=v))
        self.owner_edit.committed.connect(lambda v: self._emit(owner=v))
        self.category_combo.activated.connect(lambda _i: self._category_done())
        self.category_combo.lineEdit().editingFinished.connect(self._category_done)
        self.status_combo.activated.connect(lambda i: self._emit(status=self.status_combo.itemData(i)))
        self.frequency_combo.activated.connect(lambda i: self._emit(review_frequency=self.frequency_combo.itemData(i)))
        for key, combo in self.levels.items():
            combo.activated.connect(lambda i, k=key, c=combo: self._emit(**{k: c.itemData(i)}))
        self.target_date_edit.committed.connect(lambda v: self._emit(target_date=v))
        self.next_review_edit.committed.connect(lambda v: self._emit(next_review=v))
        return page

    def _category_done(self) -> None:
        text = " ".join(self.category_combo.currentText().split())
        if self.risk is not None and text != self.risk.category:
            self._emit(category=text)

    def _build_text(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.text_edits: dict[str, CommitTextEdit] = {}
        for key, label in TEXT_FIELDS:
            edit = CommitTextEdit(lines=2, fit_up_to=6)
            if key in ("controls", "assurance"):
                edit.setPlaceholderText("One per line")
            edit.committed.connect(lambda v, k=key: self._emit(**{k: v}))
            self.text_edits[key] = edit
            form.addRow(label, edit)
        return page

    def _build_mitigations(self) -> QWidget:
        page = QWidget()
        self.mitigation_table = QTableWidget(0, 4)
        self.mitigation_table.setHorizontalHeaderLabels(("Further mitigation", "Owner", "Due", "Status"))
        self.mitigation_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mitigation_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.mitigation_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.mitigation_table.verticalHeader().hide()
        self.mitigation_table.setWordWrap(True)
        header = self.mitigation_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # rows as tall as their wrapped text, worked out by the view whenever widths change
        self.mitigation_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.mitigation_table.itemActivated.connect(lambda _item: self._mitigation_signal(self.editMitigationRequested))
        self.add_mitigation_button = QPushButton("Add mitigation\u2026")
        self.add_mitigation_button.setToolTip("Ctrl+M")
        self.edit_mitigation_button = QPushButton("Edit\u2026")
        self.delete_mitigation_button = QPushButton("Delete")
        self.add_mitigation_button.clicked.connect(self.addMitigationRequested)
        self.edit_mitigation_button.clicked.connect(lambda: self._mitigation_signal(self.editMitigationRequested))
        self.delete_mitigation_button.clicked.connect(lambda: self._mitigation_signal(self.deleteMitigationRequested))
        buttons = QHBoxLayout()
        for b in (self.add_mitigation_button, self.edit_mitigation_button, self.delete_mitigation_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.priority_list = QListWidget()
        self.priority_list.setMaximumHeight(120)
        self.priority_list.itemChanged.connect(self._priorities_changed)
        self.actions_edit = CommitLineEdit()
        self.actions_edit.setPlaceholderText("Action references separated by semicolons, e.g. 2.4.1; 3.2.2")
        self.actions_completer = NameListCompleter([], self.actions_edit)
        self.actions_edit.setCompleter(self.actions_completer)
        self.actions_edit.committed.connect(lambda v: self._emit(action_refs=v))

        layout = QVBoxLayout(page)
        layout.addWidget(section_label("Further mitigations"))
        layout.addWidget(self.mitigation_table, 1)
        layout.addLayout(buttons)
        layout.addWidget(section_label("Linked priorities of the plan"))
        layout.addWidget(self.priority_list)
        actions_label = section_label("Linked &actions")
        actions_label.setBuddy(self.actions_edit)
        layout.addWidget(actions_label)
        layout.addWidget(self.actions_edit)
        return page

    def _mitigation_signal(self, signal) -> None:
        row = self.mitigation_table.currentRow()
        if self.risk is not None and 0 <= row < len(self.risk.mitigations) and not self._read_only:
            signal.emit(self.risk.mitigations[row].id)

    def _priorities_changed(self, _item: QListWidgetItem) -> None:
        ids = [self.priority_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.priority_list.count())
               if self.priority_list.item(i).checkState() == Qt.CheckState.Checked]
        if self.risk is not None and sorted(ids) != sorted(self.risk.priority_ids):
            self._emit(priority_ids=ids)

    # -- showing a risk ---------------------------------------------------------------------------

    def show_risk(self, register: RiskRegister | None, risk: RiskRow | None) -> None:
        self.register, self.risk = register, risk
        self.empty.setVisible(risk is None)
        self.tabs.setVisible(risk is not None)
        if risk is None or register is None:
            return
        m = register.matrix
        self.ref_edit.set_value(risk.ref)
        self.score_chip.set_status(risk.band.colour, f"{risk.score} {risk.band.name}",
                                   f"Current score {m.describe(risk.likelihood, risk.impact)}")
        self.flags_label.setText(" \u00b7 ".join(self._flag_words(risk)))
        self.flags_label.setVisible(bool(risk.flags()))
        reviewed = f", reviewed {short_date(risk.last_reviewed)}" if risk.last_reviewed else ""
        moved = f" ({trend_text(risk.trend)})" if risk.trend else ""
        self.current_label.setText(f"{m.describe(risk.likelihood, risk.impact)}{reviewed}{moved}")
        self.title_edit.set_value(risk.title)
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        self.category_combo.addItems([c.name for c in register.categories])
        self.category_combo.setCurrentText(risk.category)
        self.category_combo.blockSignals(False)
        self.owner_edit.set_value(risk.owner)
        self.owner_completer.model().setStringList(register.owners())
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(risk.status)))
        for key, combo in self.levels.items():
            combo.set_labels(m.likelihood if key.endswith("likelihood") else m.impact)
            combo.set_value(getattr(risk, key))
        for label, score in ((self.inherent_label, risk.inherent_score), (self.target_label, risk.target_score)):
            band = m.band_for(score)
            label.setText(f"= {chip_html(band.colour, f'{score} {band.name}')}")
        self.target_date_edit.set_value(_date_text(risk.target_date))
        self.frequency_combo.setCurrentIndex(max(0, self.frequency_combo.findData(risk.review_frequency)))
        self.next_review_edit.set_value(_date_text(risk.next_review))
        self.overdue_label.setText("\u26a0 Overdue" if risk.review_overdue else "")
        for key, edit in self.text_edits.items():
            edit.set_value(getattr(risk, key))
        self._show_mitigations(risk)
        self._show_links(register, risk)
        self.history.setHtml(history_html(m, risk))

    @staticmethod
    def _flag_words(risk: RiskRow) -> list[str]:
        words = []
        if risk.for_board:
            words.append("\u25b2 For the board" + (" (escalated)" if risk.status == "escalated" else ""))
        if risk.above_appetite:
            words.append(f"Above the {risk.category.lower()} appetite of {risk.appetite}")
        if risk.review_overdue:
            words.append(f"\u26a0 Review overdue since {short_date(risk.next_review)}")
        return words

    def _show_mitigations(self, risk: RiskRow) -> None:
        table = self.mitigation_table
        table.setRowCount(len(risk.mitigations))
        for row, m in enumerate(risk.mitigations):
            for col, text in enumerate((m.text, m.owner, short_date(m.due_date), m.status.capitalize())):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, col, item)

    def _show_links(self, register: RiskRegister, risk: RiskRow) -> None:
        self.priority_list.blockSignals(True)
        self.priority_list.clear()
        for p in register.priorities:
            words = " ".join(p.text.split())
            short = words if len(words) <= 90 else words[:89].rstrip() + "\u2026"
            item = QListWidgetItem(f"{p.ref}  {short}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setToolTip(words)
            flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags if not self._read_only else flags & ~Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked if p.id in risk.priority_ids else Qt.CheckState.Unchecked)
            self.priority_list.addItem(item)
        self.priority_list.blockSignals(False)
        self.actions_edit.set_value("; ".join(risk.action_refs))
        self.actions_completer.model().setStringList(sorted({a.ref for a in register.actions}))

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for edit in (self.ref_edit, self.title_edit, self.owner_edit, self.target_date_edit, self.next_review_edit,
                     self.actions_edit, *self.text_edits.values()):
            edit.setReadOnly(read_only)
        for widget in (self.category_combo, self.status_combo, self.frequency_combo, *self.levels.values(),
                       self.reassess_button, self.add_mitigation_button, self.edit_mitigation_button,
                       self.delete_mitigation_button):
            widget.setEnabled(not read_only)

    def focus_first_field(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)
