"""The import assistant's choices for an officer's own plan workbook: doubtful matches, and the scale.

`MatchesBox` (on the Check page) lists the rows the dry run matched to actions only doubtfully
by their wording (`xlsx.plan_match`), side by side: the workbook's row and the plan's action,
with their similarity and a tick for "the same action". Ticking or clearing one marks the
choices as changed (the check must run again before Import); Accept all and Reject all set
every tick and ask for the check at once. Rows matched surely are counted, not listed (the
warnings name them).

`ScaleRow` (on the Columns page, only when the import will create the plan) offers the scale
detected from the workbook (`xlsx.plan_scale.scale_choice`: which and why) and the presets
instead; a scale that would merge statuses is refused by the check, which says why. While the
scale is detected (in the background: it reads every row) it says so, with a busy bar.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from send_desktop.core.scales import PRESETS
from send_desktop.ui.widgets import escape_html

COL_ROW, COL_ACTION, COL_SIMILAR, COL_SAME = range(4)


def _cell(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setToolTip(tip or text)
    return item


class MatchesBox(QGroupBox):
    """Doubtful matches, one row each, with a tick to accept it; `recheck` asks for the dry run
    again with `decisions()`."""

    recheck = Signal()
    pending = Signal(bool)  # whether the ticks differ from the decisions the last check ran with

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Rows that may be actions of the plan reworded", parent)
        self.matches: list[dict] = []
        self.checked: dict[str, bool] = {}     # the decisions the last check ran with
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Row in the workbook", "Action in the plan", "Similarity", "Same action?"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        for c in (COL_ROW, COL_ACTION):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        for c in (COL_SIMILAR, COL_SAME):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._ticked)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.accept_btn = QPushButton("Accept a&ll")
        self.reject_btn = QPushButton("Re&ject all")
        self.check_btn = QPushButton("Check again &with these choices")
        self.accept_btn.clicked.connect(lambda: self.set_all(True))
        self.reject_btn.clicked.connect(lambda: self.set_all(False))
        self.check_btn.clicked.connect(self.recheck.emit)
        for b in (self.accept_btn, self.reject_btn, self.check_btn):
            b.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.state, 1)
        row.addWidget(self.accept_btn)
        row.addWidget(self.reject_btn)
        row.addWidget(self.check_btn)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addWidget(self.table, 1)
        box.addLayout(row)
        self.setVisible(False)

    def show_matches(self, matches: list[dict] | None, decisions: dict[str, bool]) -> None:
        """The dry run's matches (`ImportReport.matches`), ticked as they were decided."""
        matches = matches or []
        self.matches = [m for m in matches if not m["sure"]]
        sure = len(matches) - len(self.matches)
        self.checked = {m["key"]: m["merged"] for m in self.matches}
        self.setVisible(bool(self.matches))
        if not self.matches:
            return
        more = (f" {sure} other row{'s were' if sure != 1 else ' was'} matched surely (see the warnings)."
                if sure else "")
        self.intro.setText(f"These rows have a reference the plan does not have, and read like an action of the "
                           f"plan that no other row matched. Tick <b>Same action?</b> to update that action "
                           f"from the row; left clear, the row is added as a new action.{more}")
        t = self.table
        t.blockSignals(True)
        t.setRowCount(len(self.matches))
        for r, m in enumerate(self.matches):
            where = f"{m['sheet']}, row {m['row']}"
            t.setItem(r, COL_ROW, _cell(f"{m['ref']}  {m['text']}", f"{where}\n{m['ref']} {m['text']}"))
            t.setItem(r, COL_ACTION, _cell(f"{m['action_ref']}  {m['action_text']}"))
            t.setItem(r, COL_SIMILAR, _cell(f"{m['similarity']:.0%}"))
            tick = _cell("")
            tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            tick.setCheckState(Qt.CheckState.Checked if decisions.get(m["key"], m["merged"])
                               else Qt.CheckState.Unchecked)
            tick.setToolTip(f"The row on {where} is action {m['action_ref']}, reworded")
            t.setItem(r, COL_SAME, tick)
        t.blockSignals(False)
        t.resizeRowsToContents()
        self._ticked()

    def decisions(self) -> dict[str, bool]:
        """Each listed row's key -> whether it is ticked."""
        return {m["key"]: self.table.item(r, COL_SAME).checkState() == Qt.CheckState.Checked
                for r, m in enumerate(self.matches)}

    def changed(self) -> bool:
        """Whether the ticks differ from the decisions the last check ran with."""
        return bool(self.matches) and self.decisions() != self.checked

    def set_tick(self, key: str, same: bool) -> None:
        """Tick (or clear) the row with `key`, as a click would."""
        r = next(i for i, m in enumerate(self.matches) if m["key"] == key)
        self.table.item(r, COL_SAME).setCheckState(Qt.CheckState.Checked if same else Qt.CheckState.Unchecked)

    def set_all(self, same: bool) -> None:
        """Tick or clear every row, then ask for the check."""
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            self.table.item(r, COL_SAME).setCheckState(Qt.CheckState.Checked if same else Qt.CheckState.Unchecked)
        self.table.blockSignals(False)
        self._ticked()
        if self.changed():
            self.recheck.emit()

    def _ticked(self, *_args) -> None:
        pending = self.decisions() != self.checked
        accepted = sum(self.decisions().values())
        self.state.setText("<b>Your choices changed:</b> check again to see what they do before importing."
                           if pending else f"{accepted} of {len(self.matches)} accepted as the same action.")
        self.check_btn.setEnabled(pending)
        self.pending.emit(pending)


class ScaleRow(QWidget):
    """The rating scale a plan the import creates is given: detected, or a preset instead."""

    chosen = Signal(object)  # a preset key, or None for the detected scale

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = QLabel("Rating &scale of the new plan:")
        self.combo = QComboBox()
        self.caption.setBuddy(self.combo)
        self.combo.setAccessibleName("Rating scale of the new plan")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.combo.currentIndexChanged.connect(lambda _i: self._chosen())
        self.busy = QProgressBar()  # while the scale is detected: how long it takes is not known
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(120)
        self.busy.setAccessibleName("Detecting the rating scale")
        self.busy.setVisible(False)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.caption)
        top.addWidget(self.combo, 1)
        top.addWidget(self.busy)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)
        box.addLayout(top)
        box.addWidget(self.reason)
        self.info: dict | None = None
        self.detecting = False
        self.setVisible(False)

    def _waiting(self, item: str, busy: bool) -> None:
        """Nothing to choose yet: `item` in the list, disabled; the busy bar when `busy`."""
        self.info = None
        self.detecting = busy
        self.setVisible(True)
        self.combo.blockSignals(True)  # not a choice: the scale chosen so far stays chosen
        self.combo.clear()
        self.combo.addItem(item, None)
        self.combo.blockSignals(False)
        self.combo.setEnabled(False)
        self.busy.setVisible(busy)

    def show_busy(self, message: str = "") -> None:
        """The scale is being detected, in the background; `message` says how far it has got."""
        self._waiting("Detecting…", True)
        self.reason.setText("<b>Detecting the rating scale</b> from the statuses of every row"
                            + (f" ({escape_html(message[:1].lower() + message[1:])})" if message else "")
                            + "… The other pages can be used meanwhile.")

    def show_failed(self, message: str) -> None:
        """The scale could not be detected: `message` says why (plain text)."""
        self._waiting("Not detected", False)
        self.reason.setText(f"<span style='color:#b00020'>{escape_html(message)}</span>")

    def show_pending(self, message: str) -> None:
        """The scale cannot be detected yet (the columns are still to be chosen): `message` says when."""
        self._waiting("Not detected yet", False)
        self.reason.setText(escape_html(message))

    def show_choice(self, info: dict | None, chosen: str | None) -> None:
        """`plan_scale.scale_choice`'s answer (None: the plan exists, nothing to choose)."""
        self.info = info
        self.detecting = False
        self.busy.setVisible(False)
        self.combo.setEnabled(True)
        self.setVisible(info is not None)
        if info is None:
            return
        detected = info["detected"]
        levels = ", ".join(lv["label"] for lv in info["levels"])
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(f"Detected: {detected['name']} ({levels})", None)
        for key in info["alternatives"]:
            self.combo.addItem(f"{PRESETS[key].name} ({', '.join(lv.label for lv in PRESETS[key].levels)})", key)
        self.combo.setCurrentIndex(max(0, self.combo.findData(chosen)) if chosen else 0)
        self.combo.blockSignals(False)
        self._describe()

    def _describe(self) -> None:
        reason = self.info["detected"]["reason"] if self.info else ""
        if self.combo.currentData() is None:
            self.reason.setText(f"Detected because {reason}.")
        else:
            self.reason.setText("The statuses are read into this scale level by level (completed work stays "
                                "completed); the check refuses a scale that would make one level of two "
                                "statuses the workbook keeps apart.")

    def _chosen(self) -> None:
        self._describe()
        self.chosen.emit(self.combo.currentData())

    def choose(self, key: str | None) -> None:
        """Choose the preset `key` (None: the detected scale), as the list would."""
        self.combo.setCurrentIndex(self.combo.findData(key) if key else 0)
