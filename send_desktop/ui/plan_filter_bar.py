"""The bar above the plan tree: search, workstream/lead/status choices, "Overdue only", a count."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from send_desktop.services.plan_read import PlanSnapshot
from send_desktop.ui.plan_tree_model import NO_WORKSTREAM, NOT_RATED, PlanFilter
from send_desktop.ui.widgets import swatch_icon


def _refill(combo: QComboBox, items: list[tuple[str, object, str | None]], keep_text: str) -> None:
    """Replace a combo's items (label, data, colour) and reselect the item with the same label."""
    combo.blockSignals(True)
    combo.clear()
    for label, data, colour in items:
        if colour:
            combo.addItem(swatch_icon(colour), label, data)
        else:
            combo.addItem(label, data)
    combo.setCurrentIndex(max(0, combo.findText(keep_text)))
    combo.blockSignals(False)


class PlanFilterBar(QWidget):
    filterChanged = Signal(object)  # PlanFilter

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search refs, actions, criteria, leads (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(220)
        self.workstream_combo = QComboBox()
        self.workstream_combo.setToolTip("Show only actions of this workstream")
        self.lead_combo = QComboBox()
        self.lead_combo.setToolTip("Show only actions this person leads")
        self.status_combo = QComboBox()
        self.status_combo.setToolTip("Show only actions whose latest update has this status")
        for combo in (self.workstream_combo, self.lead_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        self.overdue_check = QCheckBox("Overdue only")
        self.overdue_check.setToolTip("Past the due date and not complete")
        self.count_label = QLabel()
        self.count_label.setMinimumWidth(110)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setEnabled(False)
        # "Showing: the 5 actions behind a dashboard chart", until the filters are cleared.
        self.selection_label = QLabel()
        self.selection_label.setStyleSheet("QLabel { background: #e8eef6; border-radius: 3px; padding: 2px 6px; }")
        self.selection_label.hide()
        self._refs: frozenset[str] | None = None

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.selection_label)
        layout.addWidget(self.search_edit, 2)
        layout.addWidget(self.workstream_combo, 1)
        layout.addWidget(self.lead_combo, 1)
        layout.addWidget(self.status_combo)
        layout.addWidget(self.overdue_check)
        layout.addWidget(self.clear_button)
        layout.addStretch(0)
        layout.addWidget(self.count_label)

        self.search_edit.textChanged.connect(self._changed)
        for combo in (self.workstream_combo, self.lead_combo, self.status_combo):
            combo.currentIndexChanged.connect(self._changed)
        self.overdue_check.toggled.connect(self._changed)
        self.clear_button.clicked.connect(self.clear)
        self._pending: dict[str, str] = {}  # restored choices waiting for a plan that offers them
        self.set_choices(None)

    def set_choices(self, snapshot: PlanSnapshot | None) -> None:
        """Offer the workstreams, leads and statuses of this plan, keeping what was chosen."""
        workstreams = [("All workstreams", None, None)]
        leads = [("All leads", "", None)]
        statuses = [("All statuses", None, None)]
        if snapshot is not None:
            workstreams += [(w.name, w.id, None) for w in snapshot.workstreams]
            workstreams.append(("(No workstream)", NO_WORKSTREAM, None))
            names = sorted({n for a in snapshot.actions() for n in a.leads}, key=str.casefold)
            leads += [(n, n, None) for n in names]
            statuses += [(lv.label, lv.id, lv.colour) for lv in snapshot.scale.levels]
            statuses.append(("Not rated", NOT_RATED, "#ffffff"))
        before = self.current_filter()
        for name, combo, items in (("workstream", self.workstream_combo, workstreams),
                                   ("lead", self.lead_combo, leads), ("status", self.status_combo, statuses)):
            wanted = self._pending.get(name, combo.currentText())
            _refill(combo, items, wanted)
            if combo.currentText() == wanted:
                self._pending.pop(name, None)
        if self.current_filter() != before:
            self._changed()

    def current_filter(self) -> PlanFilter:
        return PlanFilter(
            text=self.search_edit.text(),
            workstream_id=self.workstream_combo.currentData(),
            lead=self.lead_combo.currentData() or "",
            level_id=self.status_combo.currentData(),
            overdue_only=self.overdue_check.isChecked(),
            refs=self._refs,
        )

    def show_only(self, refs, label: str) -> None:
        """Narrow the tree to these actions (by ref), saying why; "Clear filters" ends it."""
        from send_desktop.core.refs import normalise_ref

        self.clear()
        self._refs = frozenset(normalise_ref(r) for r in refs)
        self.selection_label.setText(f"Showing {label} ({len(self._refs)})")
        self.selection_label.setToolTip(", ".join(sorted(refs)))
        self.selection_label.show()
        self._changed()

    def set_count(self, shown: int, total: int) -> None:
        self.count_label.setText(f"{shown} of {total} actions")

    def clear(self) -> None:
        self._pending.clear()
        self._refs = None
        self.selection_label.hide()
        for widget in (self.search_edit, self.workstream_combo, self.lead_combo, self.status_combo,
                       self.overdue_check):
            widget.blockSignals(True)
        self.search_edit.clear()
        for combo in (self.workstream_combo, self.lead_combo, self.status_combo):
            combo.setCurrentIndex(0)
        self.overdue_check.setChecked(False)
        for widget in (self.search_edit, self.workstream_combo, self.lead_combo, self.status_combo,
                       self.overdue_check):
            widget.blockSignals(False)
        self._changed()

    def state(self) -> dict:
        """The choices by their labels, which survive opening another file."""
        return {"text": self.search_edit.text(), "workstream": self.workstream_combo.currentText(),
                "lead": self.lead_combo.currentText(), "status": self.status_combo.currentText(),
                "overdue": self.overdue_check.isChecked()}

    def restore(self, state: dict) -> None:
        self.search_edit.setText(str(state.get("text", "")))
        for combo, name in ((self.workstream_combo, "workstream"), (self.lead_combo, "lead"),
                            (self.status_combo, "status")):
            wanted = str(state.get(name, ""))
            found = combo.findText(wanted)
            if found >= 0:
                combo.setCurrentIndex(found)
            elif wanted:
                self._pending[name] = wanted
        self.overdue_check.setChecked(bool(state.get("overdue", False)))

    def _changed(self, *_args) -> None:
        plan_filter = self.current_filter()
        self.clear_button.setEnabled(plan_filter.is_active())
        self.filterChanged.emit(plan_filter)
