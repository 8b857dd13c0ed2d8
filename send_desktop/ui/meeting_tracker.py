"""The action tracker: every meeting's actions in one table, filtered by owner, status, board and
overdue. The filters go into one SQL query (`meeting_read.tracker`) and the rows into a plain
tuple model, so ten years of three boards (5,000 actions) show in well under the 0.3 s the
tracker is allowed (bench/bench_meetings.py)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from send_desktop.services import meeting_actions
from send_desktop.services.meeting_read import ACTION_STATUSES, OUTSTANDING, list_boards, owner_names, tracker
from send_desktop.ui.meeting_capture import NameEdit
from send_desktop.ui.meeting_models import ActionModel
from send_desktop.ui.meeting_tables import ChoiceDelegate, current_row, make_table, select_id
from send_desktop.ui.widgets import show_error

#: The Status filter: (label, statuses kept; None keeps all).
STATUS_FILTERS = (("Open or in progress", OUTSTANDING), ("All", None)) + tuple(
    (s.capitalize(), (s,)) for s in ACTION_STATUSES)


class ActionTracker(QWidget):
    statusMessage = Signal(str)
    openRequested = Signal(int, int)  # meeting id, action id: Enter on a row

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = None
        self.today: dt.date | None = None
        self.owner = NameEdit()
        self.owner.setPlaceholderText("Anyone")
        self.owner.setClearButtonEnabled(True)
        self.status = QComboBox()
        for label, _ in STATUS_FILTERS:
            self.status.addItem(label)
        self.board = QComboBox()
        self.overdue = QCheckBox("O&verdue only")
        self.count = QLabel()
        bar = QHBoxLayout()
        for caption, widget in (("&Owner", self.owner), ("&Status", self.status), ("&Board", self.board)):
            label = QLabel(caption)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget, 2 if widget is self.owner else 0)
        bar.addWidget(self.overdue)
        bar.addStretch(1)
        bar.addWidget(self.count)
        self.model = ActionModel(self)
        self.model.edited = self._status_edited
        self.table = make_table(self.model, "Action tracker", 3, {0: 170, 1: 100, 2: 44, 4: 150, 5: 110, 6: 96,
                                                                  7: 320})
        self.table.setItemDelegateForColumn(6, ChoiceDelegate(ACTION_STATUSES, self.table))
        hint = QLabel("Enter opens the action in its meeting \u00b7 F2 on the status changes it \u00b7 "
                      "click a heading to sort")
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        # Typing in the owner box filters as it goes, once the typing pauses.
        self._pending = QTimer(self, singleShot=True, interval=200, timeout=self.reload)
        self.owner.textChanged.connect(lambda _t: self._pending.start())
        self.status.currentIndexChanged.connect(lambda _i: self.reload())
        self.board.currentIndexChanged.connect(lambda _i: self.reload())
        self.overdue.toggled.connect(lambda _on: self.reload())
        self.table.activated.connect(self._open)

    def set_database(self, db) -> None:
        self.db = db
        self._fill_boards()
        self.reload()

    def _fill_boards(self) -> None:
        keep = self.board.currentData()
        self.board.blockSignals(True)
        self.board.clear()
        self.board.addItem("All boards", None)
        for b in list_boards(self.db) if self.db is not None else []:
            self.board.addItem(b.name, b.id)
        self.board.setCurrentIndex(max(0, self.board.findData(keep)))
        self.board.blockSignals(False)

    def filters(self) -> dict:
        return {"owner": self.owner.text(), "statuses": STATUS_FILTERS[self.status.currentIndex()][1],
                "overdue_only": self.overdue.isChecked(), "board_id": self.board.currentData()}

    def reload(self) -> None:
        if self.db is None:
            self.model.set_rows([])
            return
        keep = current_row(self.table)
        try:
            rows = tracker(self.db, today=self.today, **self.filters())
        except Exception as exc:  # noqa: BLE001 - the window's one error path
            show_error(self, exc)
            return
        column, order = self.table.horizontalHeader().sortIndicatorSection(), \
            self.table.horizontalHeader().sortIndicatorOrder()
        self.model.set_rows(rows)
        if column >= 0:
            self.model.sort(column, order)
        select_id(self.table, keep.id if keep else None)
        overdue = sum(r.overdue for r in rows)
        self.count.setText(f"{len(rows):,} action{'s' if len(rows) != 1 else ''}"
                           + (f", <b style='color:#9c0006'>{overdue:,} overdue</b>" if overdue else ""))
        self.owner.set_names(owner_names(self.db))

    def _status_edited(self, row, _column, status: str) -> bool:
        def change():
            try:
                meeting_actions.set_status(self.db, row.id, status)
            except Exception as exc:  # noqa: BLE001
                show_error(self, exc)
                return
            self.statusMessage.emit(f"Action {row.number} of {row.meeting_date:%d %b %Y} is now {status}.")
            self.reload()

        QTimer.singleShot(0, change)  # after the delegate has finished with the cell
        return True

    def _open(self, index) -> None:
        row = self.model.row_at(index)
        if row is not None:
            self.openRequested.emit(row.meeting_id, row.id)
