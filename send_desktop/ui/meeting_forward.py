"""The forward plan: what each board has asked to see at a future meeting (deep dives, reports,
decisions), when, who brings it, and whether it has been done."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from send_desktop.core.timescale import parse_timescale
from send_desktop.services import meeting_actions
from send_desktop.services.meeting_read import (
    FORWARD_KINDS, FORWARD_STATUSES, ForwardRow, forward_plan, list_boards, list_meetings, owner_names,
)
from send_desktop.ui.meeting_capture import NameEdit
from send_desktop.ui.meeting_models import Column, RowTableModel, day
from send_desktop.ui.meeting_tables import ChoiceDelegate, make_table
from send_desktop.ui.widgets import show_error


def _month_start(month: str) -> dt.date:
    return dt.date.fromisoformat(f"{month}-01")  # stored as "2027-03"


class ForwardPlanView(QWidget):
    statusMessage = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = None
        self._boards: dict[int, str] = {}
        self._dates: dict[int, object] = {}
        self.model = RowTableModel([
            Column("Board", lambda r: self._boards.get(r.board_id, "")),
            Column("Item", lambda r: r.title, tip=lambda r: r.title),
            Column("Kind", lambda r: r.kind.capitalize()),
            Column("Brought by", lambda r: r.owner),
            Column("For", self._when, sort=lambda r: self._when_key(r)),
            Column("Status", lambda r: r.status.capitalize(), editable=True),
        ], self)
        self.model.edited = self._status_edited
        self.table = make_table(self.model, "Forward plan", 1, {0: 170, 2: 90, 3: 160, 4: 120, 5: 100})
        self.table.setItemDelegateForColumn(5, ChoiceDelegate(FORWARD_STATUSES, self.table))
        self.board, self.kind = QComboBox(), QComboBox()
        self.kind.addItems([k.capitalize() for k in FORWARD_KINDS])
        self.title, self.owner, self.month = QLineEdit(), NameEdit(), QLineEdit()
        self.title.setPlaceholderText("What the board asked to see")
        self.owner.setPlaceholderText("Brought by")
        self.month.setPlaceholderText("Month, e.g. March 2027")
        add = QPushButton("&Add")
        caption = QLabel("&New item:")
        caption.setBuddy(self.title)
        row = QHBoxLayout()
        for widget, stretch in ((caption, 0), (self.title, 3), (self.kind, 0), (self.owner, 1), (self.month, 1),
                                (self.board, 0), (add, 0)):
            row.addWidget(widget, stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        add.clicked.connect(self._add)
        self.title.returnPressed.connect(self._add)
        self.month.returnPressed.connect(self._add)

    def _when(self, r: ForwardRow) -> str:
        if r.for_meeting_id in self._dates:
            return day(self._dates[r.for_meeting_id])
        return f"{_month_start(r.for_month):%B %Y}" if r.for_month else "Not set"

    def _when_key(self, r: ForwardRow):
        return self._dates.get(r.for_meeting_id) or (_month_start(r.for_month) if r.for_month else None)

    def set_database(self, db) -> None:
        self.db = db
        self.reload()

    def reload(self) -> None:
        if self.db is None:
            self.model.set_rows([])
            return
        boards = list_boards(self.db)
        self._boards = {b.id: b.name for b in boards}
        self._dates = {m.id: m.starts_at.date() for m in list_meetings(self.db)}
        keep = self.board.currentData()
        self.board.clear()
        for b in boards:
            self.board.addItem(b.name, b.id)
        self.board.setCurrentIndex(max(0, self.board.findData(keep)))
        self.owner.set_names(owner_names(self.db))
        self.model.set_rows(forward_plan(self.db))

    def _add(self) -> None:
        if self.owner.popup_open() or not self.title.text().strip():
            return
        raw = self.month.text().strip()
        month = parse_timescale(raw)
        try:
            if raw and month is None:
                from send_desktop.errors import UserError

                raise UserError(f"'{raw}' is not a month; write it as, for example, March 2027.")
            meeting_actions.add_forward_item(self.db, self.board.currentData(), self.title.text(),
                                      kind=FORWARD_KINDS[self.kind.currentIndex()], owner=self.owner.text(),
                                      for_month=month.strftime("%Y-%m") if month else "")
        except Exception as exc:  # noqa: BLE001 - the window's one error path
            show_error(self, exc)
            return
        for edit in (self.title, self.owner, self.month):
            edit.clear()
        self.title.setFocus()
        self.statusMessage.emit("Added to the forward plan.")
        self.reload()

    def _status_edited(self, row, _column, status: str) -> bool:
        def change():
            try:
                meeting_actions.update_forward_item(self.db, row.id, {"status": status})
            except Exception as exc:  # noqa: BLE001
                show_error(self, exc)
            self.reload()

        QTimer.singleShot(0, change)
        return True
