"""The import assistant's conflicts, side by side, each decided on its own.

A row per conflict (`merge_decisions.Conflict`, from the dry run's refusal or report): the record,
the field, its value as exported, here (mine) and in the workbook (theirs), a choice (Keep mine,
Take theirs, Edit…) and the value that will be imported, which Edit makes a text box to type in
(filled with the workbook's value to start from). "Keep mine for all" and "Take theirs for all"
choose for every row and ask for the check at once; "Check with these choices" asks for it when
every row is decided. The panel decides nothing itself: `decisions()` is what the dry run and the
import are given, and the importer checks an edited value like any cell of its column.

Keyboard: the table takes the focus (Alt+F); arrows move between rows; M, T and E choose for the
current row (E then puts the cursor in its text box); Tab leaves the table for the buttons.

`ConflictDialog` is the same panel on its own, for File > Import from Excel's "Decide one by one…"
(`worker.import_kind`): window-modal, shown, not exec'd; accepted when the check is asked for.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

HEADERS = ["Record", "Field", "Exported as", "Here (mine)", "Workbook (theirs)", "Choice", "Value imported"]
CHOICE_COL, VALUE_COL = 5, 6
#: combo entries: (text, choice); None is "not decided yet"
CHOICES = [("Choose\u2026", None), ("Keep mine", "mine"), ("Take theirs", "theirs"), ("Edit\u2026", "edit")]
KEYS = {Qt.Key.Key_M: "mine", Qt.Key.Key_T: "theirs", Qt.Key.Key_E: "edit"}


def _blank(value) -> str:
    return "(blank)" if value is None or value == "" else str(value)


def _item(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setToolTip(tip or text)
    return item


class ConflictPanel(QGroupBox):
    """The conflicts and a decision for each; `check_requested` when the check should run again."""

    changed = Signal()          # a decision changed (the last check no longer says what will happen)
    check_requested = Signal()  # run the dry run with `decisions()`

    def __init__(self, parent=None):
        super().__init__("Changed both in the workbook and here since it was exported", parent)
        self.conflicts: list = []
        self.table = QTableWidget(0, len(HEADERS))
        t = self.table
        t.setHorizontalHeaderLabels(HEADERS)
        t.verticalHeader().setVisible(False)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setAlternatingRowColors(True)
        t.setTabKeyNavigation(False)
        t.setWordWrap(False)
        t.setAccessibleName("Conflicts")
        header = t.horizontalHeader()
        for c in (2, 3, 4, VALUE_COL):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        t.installEventFilter(self)
        self.caption = QLabel("Con&flicts: press M to keep mine, T to take theirs, E to type the value")
        self.caption.setBuddy(t)
        self.count_label = QLabel()
        self.mine_btn = QPushButton("Keep &mine for all")
        self.theirs_btn = QPushButton("Take &theirs for all")
        self.check_btn = QPushButton("Check &with these choices")
        self.mine_btn.clicked.connect(lambda: self.choose_all("mine"))
        self.theirs_btn.clicked.connect(lambda: self.choose_all("theirs"))
        self.check_btn.clicked.connect(self.check_requested)
        row = QHBoxLayout()
        row.addWidget(self.count_label, 1)
        for b in (self.mine_btn, self.theirs_btn, self.check_btn):
            row.addWidget(b)
        box = QVBoxLayout(self)
        box.addWidget(self.caption)
        box.addWidget(t)
        box.addLayout(row)

    # -- filling ------------------------------------------------------------------------------
    def set_conflicts(self, conflicts) -> None:
        """Show `conflicts`, keeping the decision already made on any of them (by its key)."""
        kept = self.decisions()
        typed = {self.conflicts[r].key: self._editor(r).text() for r in range(len(self.conflicts))
                 if self._editor(r) is not None}
        self.conflicts = list(conflicts)
        t = self.table
        t.setRowCount(0)
        t.setRowCount(len(self.conflicts))
        for r, c in enumerate(self.conflicts):
            where = ", ".join(x for x in (c.sheet and f"sheet '{c.sheet}'", c.row and f"row {c.row}",
                                          c.column and f"column '{c.column}'") if x)
            tip = f"{c.record}: {c.label}" + (f" ({where})" if where else "")
            for col, text in enumerate((c.record, c.label, _blank(c.base), _blank(c.mine), _blank(c.theirs))):
                t.setItem(r, col, _item(text, tip if col < 2 else text))
            combo = QComboBox()
            for text, choice in CHOICES:
                if choice != "edit" or c.editable:
                    combo.addItem(text, choice)
            combo.setAccessibleName(f"Choice for {c.record}, {c.label}")
            combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab leaves the table; M, T, E choose
            t.setCellWidget(r, CHOICE_COL, combo)
            choice = kept.get(c.key)
            if isinstance(choice, tuple):
                typed[c.key] = choice[1]
                choice = "edit"
            combo.setCurrentIndex(max(combo.findData(choice), 0) if choice else 0)
            self._show_value(r, typed.get(c.key))
            combo.currentIndexChanged.connect(lambda _i, combo=combo: self._chosen(combo))
        for col, widest in ((0, 180), (1, 130)):  # the values get the room; a tooltip has the whole name
            t.resizeColumnToContents(col)
            t.setColumnWidth(col, min(max(t.columnWidth(col), 70), widest))
        t.setColumnWidth(CHOICE_COL, 120)
        if self.conflicts and t.currentRow() < 0:
            t.setCurrentCell(0, 0)
        self._count()

    def _row_of(self, widget) -> int:
        for r in range(self.table.rowCount()):
            if self.table.cellWidget(r, CHOICE_COL) is widget:
                return r
        return -1

    def _combo(self, r: int) -> QComboBox:
        return self.table.cellWidget(r, CHOICE_COL)

    def _editor(self, r: int) -> QLineEdit | None:
        w = self.table.cellWidget(r, VALUE_COL)
        return w if isinstance(w, QLineEdit) else None

    def _show_value(self, r: int, typed: str | None = None) -> None:
        """The value column of row `r` for its choice: the side's value, or a text box for Edit."""
        c = self.conflicts[r]
        choice = self._combo(r).currentData()
        t = self.table
        if choice == "edit":
            editor = self._editor(r)
            if editor is None:
                editor = QLineEdit(typed if typed is not None else (c.theirs or ""))
                editor.setAccessibleName(f"Value to import for {c.record}, {c.label}")
                editor.setPlaceholderText("the value to import")
                editor.textEdited.connect(lambda _text: self.changed.emit())
                editor.editingFinished.connect(lambda editor=editor: editor.setCursorPosition(0))  # its start shows
                t.removeCellWidget(r, VALUE_COL)
                t.setItem(r, VALUE_COL, _item(""))
                t.setCellWidget(r, VALUE_COL, editor)
            return
        t.removeCellWidget(r, VALUE_COL)
        text = {"mine": _blank(c.mine), "theirs": _blank(c.theirs)}.get(choice, "")
        t.setItem(r, VALUE_COL, _item(text))

    def _chosen(self, combo) -> None:
        r = self._row_of(combo)
        if r < 0:
            return
        self._show_value(r)
        self._count()
        self.changed.emit()

    def _count(self) -> None:
        n, done = len(self.conflicts), len(self.decisions())
        self.count_label.setText(f"{done} of {n} decided" if done < n else f"All {n} decided")
        self.check_btn.setEnabled(bool(n) and done == n)

    # -- choosing -----------------------------------------------------------------------------
    def choose(self, row: int, choice: str, value: str | None = None) -> None:
        """Decide row `row`: "mine", "theirs" or "edit" (with `value` typed in, when given)."""
        combo = self._combo(row)
        index = combo.findData(choice)
        if index < 0:
            return  # Edit is not offered for a field without a cell
        combo.setCurrentIndex(index)
        if choice == "edit" and value is not None:
            self._editor(row).setText(value)
            self.changed.emit()

    def choose_all(self, choice: str) -> None:
        """Keep mine or take theirs for every row, then ask for the check."""
        for r in range(len(self.conflicts)):
            combo = self._combo(r)
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(choice))
            combo.blockSignals(False)
            self._show_value(r)
        self._count()
        self.changed.emit()
        self.check_requested.emit()

    def decisions(self) -> dict:
        """{conflict key: "mine" | "theirs" | ("edit", text)} for every row decided."""
        out = {}
        for r, c in enumerate(self.conflicts):
            combo = self._combo(r)
            choice = combo.currentData() if combo is not None else None
            if choice == "edit":
                editor = self._editor(r)
                out[c.key] = ("edit", editor.text() if editor is not None else (c.theirs or ""))
            elif choice:
                out[c.key] = choice
        return out

    def all_decided(self) -> bool:
        return bool(self.conflicts) and len(self.decisions()) == len(self.conflicts)

    def set_busy(self, busy: bool) -> None:
        for b in (self.mine_btn, self.theirs_btn):
            b.setEnabled(not busy)
        self.check_btn.setEnabled(not busy and self.all_decided())
        self.table.setEnabled(not busy)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and not event.modifiers():
            choice = KEYS.get(event.key())
            r = self.table.currentRow()
            if choice is not None and r >= 0:
                self.choose(r, choice)
                editor = self._editor(r)
                if choice == "edit" and editor is not None:
                    editor.setFocus()
                    editor.selectAll()
                return True
        return super().eventFilter(watched, event)


class ConflictDialog(QDialog):
    """The conflicts of one import, each decided in a `ConflictPanel`; accepted when its check is
    asked for (every row decided, or mine or theirs for all), rejected by Cancel or Escape."""

    def __init__(self, title: str, file_name: str, conflicts, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.intro = QLabel(f"Decide each: keep what is here, take the value of {file_name}, or edit it; then "
                            "check with these choices. Everything else in the workbook is imported either way, "
                            "after you have seen what will change.")
        self.intro.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("QLabel { background: #fde7e9; color: #6b0010; border: 1px solid #e8a0a8;"
                                   " border-radius: 3px; padding: 6px 10px; }")
        self.problem.hide()
        self.panel = ConflictPanel(self)  # in the dialog before its default button is set
        self.panel.set_conflicts(conflicts)
        self.panel.check_requested.connect(self.accept)
        for button in (self.panel.mine_btn, self.panel.theirs_btn):
            button.setAutoDefault(False)  # Enter never decides them all
        self.panel.check_btn.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.cancel_btn = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.problem)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        self.resize(1000, 460)
        self.panel.table.setFocus()

    def decisions(self) -> dict:
        return self.panel.decisions()

    def show_refusal(self, message: str, conflicts=None) -> None:
        """The check with these choices was refused (a value typed in cannot be used): say why,
        keep the decisions (on `conflicts`, when the refusal names them again) for another go."""
        if conflicts:
            self.panel.set_conflicts(conflicts)
        self.problem.setText(f"Cannot be imported with these choices: {message}")
        self.problem.show()
