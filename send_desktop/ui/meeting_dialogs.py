"""Dialogs of the Meetings area: a meeting's details, and what an item or action links to."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTime, Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QTimeEdit, QVBoxLayout, QWidget,
)

from send_desktop.services.meeting_read import LINK_LABELS, BoardRow, MeetingRow
from send_desktop.ui.meeting_capture import NameEdit


PLURALS = {"plan action": "plan actions", "priority": "priorities", "risk": "risks", "kpi": "KPIs"}


class MeetingDialog(QDialog):
    """A new meeting (choosing its board) or an existing one's date, time, place and chair."""

    def __init__(self, boards: list[BoardRow], names: list[str], meeting: MeetingRow | None = None,
                 board_id: int | None = None, suggested: dt.datetime | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Meeting details" if meeting else "New meeting")
        self.setMinimumWidth(440)
        self.board = QComboBox()
        for b in boards:
            self.board.addItem(b.name, b.id)
        wanted = meeting.board_id if meeting else board_id
        if wanted is not None and self.board.findData(wanted) >= 0:
            self.board.setCurrentIndex(self.board.findData(wanted))
        self.board.setEnabled(meeting is None)
        starts = meeting.starts_at if meeting else (suggested or dt.datetime.combine(dt.date.today(), dt.time(10)))
        self.date = QDateEdit(QDate(starts.year, starts.month, starts.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd d MMM yyyy")
        self.time = QTimeEdit(QTime(starts.hour, starts.minute))
        self.time.setDisplayFormat("HH:mm")
        self.place = QLineEdit(meeting.place if meeting else "")
        self.place.setPlaceholderText("e.g. County Hall, Committee Room 2")
        self.online = QCheckBox("&Online")
        self.online.setChecked(bool(meeting and meeting.online))
        self.chair = NameEdit()
        self.chair.set_names(names)
        self.chair.setText(meeting.chair if meeting else "")
        self.chair.setPlaceholderText("Left blank: the chair of the board's last meeting")
        form = QFormLayout()
        for label, widget in (("&Board", self.board), ("&Date", self.date), ("&Time", self.time),
                              ("&Place", self.place), ("", self.online), ("&Chair", self.chair)):
            if label:
                caption = QLabel(label)
                caption.setBuddy(widget)
                form.addRow(caption, widget)
            else:
                form.addRow(widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        (self.date if meeting else self.board).setFocus()

    def board_id(self) -> int | None:
        return self.board.currentData()

    def values(self) -> dict:
        d, t = self.date.date(), self.time.time()
        return {"starts_at": dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()),
                "place": self.place.text(), "online": self.online.isChecked(), "chair": self.chair.text()}


class LinkDialog(QDialog):
    """Tick what an agenda item or an action links to; type to filter the list."""

    def __init__(self, targets: dict, kinds: tuple[str, ...], chosen: set[tuple[str, int]], subject: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Links of {subject}")
        self.resize(640, 520)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to filter by reference or words")
        self.list = QListWidget()
        self.list.setAccessibleName("Records to link to")
        for kind in kinds:
            for target_id, _uid, ref, title in targets.get(kind, []):
                item = QListWidgetItem(f"{LINK_LABELS[kind]} {ref} \u2014 {' '.join((title or '').split())[:140]}")
                item.setData(Qt.ItemDataRole.UserRole, (kind, target_id))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if (kind, target_id) in chosen else Qt.CheckState.Unchecked)
                self.list.addItem(item)
        empty = [PLURALS[k] for k in kinds if not targets.get(k)]
        note = QLabel(f"This file has no {' or '.join(empty)} yet." if empty else
                      "Space ticks or unticks the highlighted record.")
        note.setStyleSheet("color: #555;")
        caption = QLabel("&Find")
        caption.setBuddy(self.filter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self.list.setFocus)

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(not all(w in item.text().casefold() for w in words))

    def chosen(self) -> list[tuple[str, int]]:
        return [self.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.list.count())
                if self.list.item(r).checkState() == Qt.CheckState.Checked]
