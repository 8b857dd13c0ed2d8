"""The meeting workspace: one meeting, laid out for the minute-taker in the room.

At the top the matters arising (every action of the board's earlier meetings still open), then
the agenda with each item's minutes, the attendance, and the actions raised; the capture bar
opens under them on a shortcut. Every change is one service call followed by a fresh read of
the meeting (`load_meeting`, a few milliseconds), so what is shown is what is stored.

Keys (WORKSPACE_KEYS): Ctrl+Shift+C challenge, Ctrl+Shift+R response, Ctrl+Shift+A action,
Ctrl+Shift+D decision, Ctrl+Shift+U update on the highlighted action, Ctrl+PgDown / Ctrl+PgUp
next and previous item; on the agenda Ctrl+Shift+Up / Down move the item, Insert adds one.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QTabWidget,
    QVBoxLayout, QWidget,
)

from send_desktop.services import meeting_actions, meetings
from send_desktop.services.meeting_read import (
    ACTION_STATUSES, MEETING_STATUSES, MeetingSnapshot, list_boards, load_meeting, owner_names,
)
from send_desktop.ui.meeting_capture import CaptureBar
from send_desktop.ui.meeting_commands import FAILED, WorkspaceCommands
from send_desktop.ui.meeting_item import AgendaItemPane
from send_desktop.ui.meeting_models import ActionModel, day
from send_desktop.ui.meeting_tables import (
    AttendancePanel, ChoiceDelegate, current_row, make_table, select_id, splitter,
)
from send_desktop.ui.widgets import escape_html, show_error

WORKSPACE_KEYS = (
    ("Ctrl+Shift+C", "new challenge"), ("Ctrl+Shift+R", "response"), ("Ctrl+Shift+A", "new action"),
    ("Ctrl+Shift+D", "decision"), ("Ctrl+Shift+U", "update the highlighted action"),
    ("Ctrl+PgDown", "next item"), ("Ctrl+PgUp", "previous item"),
)


class MeetingWorkspace(WorkspaceCommands, QWidget):
    statusMessage = Signal(str)
    changed = Signal()           # the meeting changed: lists elsewhere refresh their counts

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = None
        self.today: dt.date | None = None  # None: the real today (tests pin it)
        self.snapshot: MeetingSnapshot | None = None
        self.names: list[str] = []
        self._action_view = None  # the table whose highlighted action Ctrl+Shift+U updates

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.status = QComboBox()
        self.status.addItems([s.capitalize() for s in MEETING_STATUSES])
        self.status.setAccessibleName("Meeting status")
        status_label = QLabel("&Status")
        status_label.setBuddy(self.status)
        self.details_button = QPushButton("D&etails\u2026")

        # A plain-text caption carries the Alt+R mnemonic (rich text labels take none); the count
        # beside it is rich text.
        self.matters_caption = QLabel("Matters a&rising")
        self.matters_caption.setStyleSheet("font-weight: 600;")
        self.matters_label = QLabel()
        self.matters_label.setTextFormat(Qt.TextFormat.RichText)
        self.matters_model = ActionModel(self, with_board=False)
        self.matters_model.columns[0] = self.matters_model.columns[0]._replace(title="From meeting")
        self.matters = make_table(self.matters_model, "Matters arising", 2, {0: 110, 1: 44, 3: 150, 4: 110, 5: 96,
                                                                             6: 260})
        self.matters_caption.setBuddy(self.matters)
        self.actions_model = ActionModel(self, with_board=False, with_meeting=False)
        self.actions = make_table(self.actions_model, "Actions raised at this meeting", 1,
                                  {0: 44, 2: 160, 3: 110, 4: 96, 5: 300})
        for model, view in ((self.matters_model, self.matters), (self.actions_model, self.actions)):
            model.edited = self._status_edited
            view.setItemDelegateForColumn(model.columns.index(next(c for c in model.columns if c.title == "Status")),
                                          ChoiceDelegate(ACTION_STATUSES, view))

        self.agenda = QListWidget()
        self.agenda.setAccessibleName("Agenda")
        self.agenda.setWordWrap(True)
        self.agenda.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.item_pane = AgendaItemPane()
        self.attendance = AttendancePanel()
        self.capture = CaptureBar()
        self._build_layout(status_label)
        self._connect()
        self.setEnabled(False)

    # -- building -------------------------------------------------------------------------------

    def _build_layout(self, status_label: QLabel) -> None:
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(status_label)
        head.addWidget(self.status)
        head.addWidget(self.details_button)
        matters = QWidget()
        box = QVBoxLayout(matters)
        box.setContentsMargins(0, 0, 0, 0)
        caption = QHBoxLayout()
        caption.addWidget(self.matters_caption)
        caption.addWidget(self.matters_label, 1)
        box.addLayout(caption)
        box.addWidget(self.matters)

        agenda_box = QWidget()
        left = QVBoxLayout(agenda_box)
        left.setContentsMargins(0, 0, 0, 0)
        agenda_label = QLabel("&Agenda")
        agenda_label.setStyleSheet("font-weight: 600;")
        agenda_label.setBuddy(self.agenda)
        left.addWidget(agenda_label)
        left.addWidget(self.agenda, 1)
        hint = QLabel("Ctrl+Shift+Up / Down move \u00b7 Insert add \u00b7 Delete remove")
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        left.addWidget(hint)
        minutes = splitter(Qt.Orientation.Horizontal, agenda_box, self.item_pane, [300, 900])

        actions_page = QWidget()
        box = QVBoxLayout(actions_page)
        box.addWidget(self.actions, 1)
        keys = QLabel("Enter edit \u00b7 F2 on the status choose it \u00b7 Ctrl+Shift+U add an update \u00b7 "
                      "Delete remove")
        keys.setStyleSheet("color: #555;")
        links = QPushButton("&Links\u2026")
        links.setToolTip("Link the highlighted action to plan actions, risks or KPIs")
        links.clicked.connect(self.edit_action_links)
        row = QHBoxLayout()
        row.addWidget(keys, 1)
        row.addWidget(links)
        box.addLayout(row)
        self.tabs = QTabWidget()
        self.tabs.addTab(minutes, "&Minutes")
        self.tabs.addTab(self.attendance, "A&ttendance")
        self.tabs.addTab(actions_page, "Act&ions")

        self.split = splitter(Qt.Orientation.Vertical, matters, self.tabs, [190, 600])
        keys = QLabel("  \u00b7  ".join(f"<b>{k}</b> {what}" for k, what in WORKSPACE_KEYS))
        keys.setStyleSheet("color: #444;")
        keys.setWordWrap(True)  # one long line would set the workspace's narrowest width
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(head)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.capture)
        layout.addWidget(keys)

    def _connect(self) -> None:
        def key(seq, slot, widget=None, context=Qt.ShortcutContext.WidgetWithChildrenShortcut):
            QShortcut(QKeySequence(seq), widget or self, slot, context=context)

        key("Ctrl+Shift+C", self.new_challenge)
        key("Ctrl+Shift+R", self.new_response)
        key("Ctrl+Shift+A", self.new_action)
        key("Ctrl+Shift+D", self.new_decision)
        key("Ctrl+Shift+U", self.new_update)
        key("Ctrl+PgDown", lambda: self.step_item(+1))
        key("Ctrl+PgUp", lambda: self.step_item(-1))
        key("Ctrl+Shift+Up", lambda: self.move_item(-1), self.agenda, Qt.ShortcutContext.WidgetShortcut)
        key("Ctrl+Shift+Down", lambda: self.move_item(+1), self.agenda, Qt.ShortcutContext.WidgetShortcut)
        key(Qt.Key.Key_Insert, self.new_agenda_item, self.agenda, Qt.ShortcutContext.WidgetShortcut)
        key(Qt.Key.Key_Delete, self.delete_agenda_item, self.agenda, Qt.ShortcutContext.WidgetShortcut)
        key(Qt.Key.Key_Delete, self.delete_action, self.actions, Qt.ShortcutContext.WidgetShortcut)
        key(Qt.Key.Key_Delete, self.delete_challenge, self.item_pane.challenges, Qt.ShortcutContext.WidgetShortcut)
        self.agenda.currentRowChanged.connect(lambda _row: self._show_item())
        self.item_pane.edited.connect(lambda item_id, changes: self._do(meetings.update_agenda_item, item_id, changes))
        self.item_pane.challengeActivated.connect(self.edit_challenge)
        self.item_pane.linkRequested.connect(self.edit_agenda_links)
        self.actions.activated.connect(lambda _index: self.edit_action())
        self.matters.activated.connect(lambda _index: self.new_update(self.matters))
        for view in (self.actions, self.matters):
            view.selectionModel().currentRowChanged.connect(lambda _c, _p, v=view: setattr(self, "_action_view", v))
        self.capture.saved.connect(self._captured)
        self.capture.closed.connect(lambda: self.agenda.setFocus() if self.tabs.currentIndex() == 0 else None)
        self.status.activated.connect(lambda i: self._do(meetings.update_meeting, self.meeting_id,
                                                         {"status": MEETING_STATUSES[i]}))
        self.details_button.clicked.connect(self.edit_details)
        att = self.attendance
        att.added.connect(self._add_attendee)
        att.table.marked.connect(lambda aid, kind: self._do(meetings.update_attendance, aid, {"kind": kind}))
        att.table.removed.connect(lambda aid: self._do(meetings.remove_attendance, aid))
        att.model.edited = lambda row, col, kind: QTimer.singleShot(
            0, lambda: self._do(meetings.update_attendance, row.id, {"kind": kind})) or True

    # -- showing --------------------------------------------------------------------------------

    @property
    def meeting_id(self) -> int | None:
        return self.snapshot.meeting.id if self.snapshot else None

    def set_database(self, db) -> None:
        self.db = db
        self.snapshot = None
        self.capture.close_bar()
        self.setEnabled(False)

    def show_meeting(self, meeting_id: int | None, action_id: int | None = None) -> None:
        if meeting_id != self.meeting_id:
            self.capture.close_bar()
        self.snapshot = None
        if meeting_id is not None and self.db is not None:
            self.snapshot = load_meeting(self.db, meeting_id, today=self.today)
            self.names = owner_names(self.db, self.snapshot.meeting.board_id)
        self._fill()
        if action_id is not None:
            self.tabs.setCurrentIndex(2)
            select_id(self.actions, action_id)
            self.actions.setFocus()

    def refresh(self) -> None:
        """Read the meeting again, keeping the agenda item and highlighted rows."""
        if self.meeting_id is not None:
            try:
                self.snapshot = load_meeting(self.db, self.meeting_id, today=self.today)
            except Exception as exc:  # noqa: BLE001 - deleted elsewhere, or the file went away
                self.snapshot = None
                show_error(self, exc)
            self._fill()

    def _fill(self) -> None:
        snap = self.snapshot
        self.setEnabled(snap is not None)
        if snap is None:
            self.heading.setText("<i>Choose a meeting on the left, or make a new one.</i>")
            for model in (self.matters_model, self.actions_model):
                model.set_rows([])
            self.agenda.clear()
            self.attendance.set_rows([])
            self.item_pane.show_item(None, 0, [])
            return
        m = snap.meeting
        where = "Online" if m.online and not m.place else (m.place + (" and online" if m.online else ""))
        self.heading.setText(
            f"<span style='font-size:13pt'><b>{escape_html(m.board)}</b> \u2014 {m.starts_at:%A} "
            f"{day(m.starts_at.date())}, {m.starts_at:%H:%M}</span><br>"
            + " \u00b7 ".join(escape_html(x) for x in (where, f"Chair: {m.chair}" if m.chair else "") if x))
        self.status.setCurrentIndex(MEETING_STATUSES.index(m.status))
        overdue = sum(a.overdue for a in snap.matters_arising)
        n = len(snap.matters_arising)
        self.matters_label.setText(
            f"\u2014 {n} action{'s' if n != 1 else ''} carried forward from earlier meetings of this board"
            + (f", <span style='color:#9c0006'><b>{overdue} overdue</b></span>" if overdue else "") if n else
            "\u2014 none: every action of this board's earlier meetings is closed")
        for model, view, rows in ((self.matters_model, self.matters, snap.matters_arising),
                                  (self.actions_model, self.actions, snap.actions)):
            keep = current_row(view)
            model.set_rows(rows)
            select_id(view, keep.id if keep else None)
        self.attendance.set_rows(snap.attendance)
        self.attendance.set_names(self.names)
        self.item_pane.set_names(self.names)
        self._fill_agenda()

    def _fill_agenda(self) -> None:
        snap, row = self.snapshot, max(self.agenda.currentRow(), 0)
        self.agenda.blockSignals(True)
        self.agenda.clear()
        for number, item in enumerate(snap.agenda, 1):
            raised = sum(a.agenda_item_id == item.id for a in snap.actions)
            extra = [f"{len(item.challenges)} challenge{'s' if len(item.challenges) != 1 else ''}"] \
                if item.challenges else []
            extra += [f"{raised} action{'s' if raised != 1 else ''}"] if raised else []
            counts = "\n      " + " \u00b7 ".join(extra) if extra else ""
            entry = QListWidgetItem(f"{number}. {item.title}{counts}")
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            entry.setToolTip(item.title)
            self.agenda.addItem(entry)
        self.agenda.setCurrentRow(min(row, self.agenda.count() - 1))
        self.agenda.blockSignals(False)
        self._show_item()

    def current_item(self):
        row = self.agenda.currentRow()
        return self.snapshot.agenda[row] if self.snapshot and 0 <= row < len(self.snapshot.agenda) else None

    def _show_item(self) -> None:
        item = self.current_item()
        raised = [a for a in self.snapshot.actions if item and a.agenda_item_id == item.id] if self.snapshot else []
        self.item_pane.show_item(item, self.agenda.currentRow() + 1, raised)

    def subject(self) -> str:
        item = self.current_item()
        return f"item {self.agenda.currentRow() + 1}, {item.title}" if item else ""

    # -- doing ----------------------------------------------------------------------------------

    def _status_edited(self, row, _column, status: str) -> bool:
        # After the delegate has finished with the cell: the refresh resets the model.
        QTimer.singleShot(0, lambda: self._do(meeting_actions.set_status, row.id, status,
                                              message=f"Action {row.number} is now {status}."))
        return True

    def _add_attendee(self, name: str, kind: str, deputy_for: str) -> None:
        if self._do(meetings.add_attendee, self.meeting_id, name, kind, deputising_for=deputy_for) is not FAILED:
            self.attendance.clear_add_row()
            self.attendance.name.setFocus()

    def boards(self):
        return list_boards(self.db)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes
