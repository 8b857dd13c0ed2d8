"""The Meetings area of the main window: the meetings list beside the meeting workspace, the
action tracker across every meeting, and the forward plan.

Built the first time it is shown (main_window.LAZY_AREAS); it reads through `meeting_read` and
changes through the meeting services, never SQL of its own.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QInputDialog, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from send_desktop.services import meetings
from send_desktop.services.meeting_read import MeetingRow, list_boards, list_meetings, owner_names
from send_desktop.ui.meeting_forward import ForwardPlanView
from send_desktop.ui.meeting_item import WrapList
from send_desktop.ui.meeting_models import STATUS_COLOURS, day
from send_desktop.ui.meeting_tables import splitter
from send_desktop.ui.meeting_tracker import ActionTracker
from send_desktop.ui.meeting_workspace import MeetingWorkspace
from send_desktop.ui.widgets import escape_html, show_error

#: Status chips a shade stronger than the table tints, so they read on the selection colour too.
CHIPS = {"planned": "#cfe0fc", "held": "#ffe08a", "minutes approved": "#bfe5c6"}


def meeting_html(m: MeetingRow) -> str:
    actions = (f"{m.outstanding} of {m.actions} action{'s' if m.actions != 1 else ''} open" if m.outstanding
               else f"{m.actions} action{'s' if m.actions != 1 else ''}, all closed") if m.actions else "no actions"
    return (f"<b>{m.starts_at:%a} {day(m.starts_at.date())}</b>&nbsp; {m.starts_at:%H:%M} &nbsp;"
            f"<span style='background:{CHIPS.get(m.status, STATUS_COLOURS['open'])}; color:#1f1f1f'>"
            f"&nbsp;{m.status.capitalize().replace(' ', '&nbsp;')}&nbsp;</span><br>{escape_html(m.board)}<br>"
            f"<span style='color:#555'>{actions}</span>")


def next_date(last: dt.datetime) -> dt.datetime:
    """A month on, on the same weekday and week of the month (the first Tuesday stays one)."""
    candidate = last + dt.timedelta(days=28)
    return candidate + dt.timedelta(days=7) if candidate.month == last.month else candidate


class MeetingsArea(QWidget):
    statusMessage = Signal(str)

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = None
        self._today: dt.date | None = None
        self.board_filter = QComboBox()
        self.board_filter.setAccessibleName("Show the meetings of")
        self.meeting_list = WrapList("Meetings")
        self.rows: list[MeetingRow] = []
        self.new_button = QPushButton("&New meeting\u2026")
        self.new_button.setToolTip("A meeting of the chosen board, with the standing agenda and its members")
        self.workspace = MeetingWorkspace()
        self.tracker = ActionTracker()
        self.forward = ForwardPlanView()

        left = QWidget()
        left.setMinimumWidth(250)
        box = QVBoxLayout(left)
        box.setContentsMargins(8, 8, 0, 4)
        row = QHBoxLayout()
        caption = QLabel("&Board")
        caption.setBuddy(self.board_filter)
        row.addWidget(caption)
        row.addWidget(self.board_filter, 1)
        box.addLayout(row)
        box.addWidget(self.meeting_list, 1)
        box.addWidget(self.new_button)
        split = splitter(Qt.Orientation.Horizontal, left, self.workspace, [290, 1150])
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(split, "Meetin&gs")
        self.tabs.addTab(self.tracker, "Action trac&ker")
        self.tabs.addTab(self.forward, "For&ward plan")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.board_filter.currentIndexChanged.connect(lambda _i: self._fill_list())
        self.meeting_list.currentItemChanged.connect(lambda _c, _p: self._show_current())
        self.meeting_list.itemActivated.connect(lambda _i: self.workspace.agenda.setFocus())
        self.new_button.clicked.connect(self.new_meeting)
        self.tracker.openRequested.connect(self.open_action)
        for child in (self.workspace, self.tracker, self.forward):
            child.statusMessage.connect(self.statusMessage)
        self.workspace.changed.connect(self._counts_changed)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.set_database(db)

    # -- the window's contract ------------------------------------------------------------------

    @property
    def today(self) -> dt.date | None:
        return self._today

    @today.setter
    def today(self, value: dt.date | None) -> None:
        """The date overdue is judged against; None is the real today (tests pin it)."""
        self._today = self.workspace.today = self.tracker.today = value
        self.workspace.refresh()

    def set_database(self, db) -> None:
        self.db = db
        self.workspace.set_database(db)
        self.tracker.db = self.forward.db = db
        self.reload()

    def reload(self) -> None:
        """Read everything again (after an import, undo elsewhere, or another file)."""
        if self.db is None:
            return
        keep = self.board_filter.currentData()
        self.board_filter.blockSignals(True)
        self.board_filter.clear()
        self.board_filter.addItem("All boards", None)
        for board in list_boards(self.db):
            self.board_filter.addItem(board.name, board.id)
        self.board_filter.setCurrentIndex(max(0, self.board_filter.findData(keep)))
        self.board_filter.blockSignals(False)
        self._fill_list()
        self._tab_changed(self.tabs.currentIndex())

    # -- the list -------------------------------------------------------------------------------

    def _fill_list(self, select: int | None = None) -> None:
        keep = select if select is not None else self.workspace.meeting_id
        self.rows = list_meetings(self.db, self.board_filter.currentData())
        if keep is None and self.rows:  # the meeting just held or being written up: the latest not ahead
            today = self.today or dt.date.today()
            keep = next((r.id for r in self.rows if r.starts_at.date() <= today), self.rows[-1].id)
        self._fill_items()
        self.meeting_list.select_id(keep)
        if self.meeting_list.current_id() is None:
            self.workspace.show_meeting(None)

    def _fill_items(self) -> None:
        self.meeting_list.blockSignals(True)
        self.meeting_list.set_items([(r.id, meeting_html(r)) for r in self.rows], "No meetings yet")
        self.meeting_list.blockSignals(False)

    def _show_current(self) -> None:
        meeting_id = self.meeting_list.current_id()
        if meeting_id is not None and meeting_id != self.workspace.meeting_id:
            self.workspace.show_meeting(meeting_id)

    def _counts_changed(self) -> None:
        self.rows = list_meetings(self.db, self.board_filter.currentData())
        self._fill_items()

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self.tracker.set_database(self.db)
        elif index == 2:
            self.forward.reload()

    def open_action(self, meeting_id: int, action_id: int) -> None:
        """From the tracker: the action in its meeting's workspace."""
        self.tabs.setCurrentIndex(0)
        if self.board_filter.currentData() is not None:
            self.board_filter.setCurrentIndex(0)
        self.meeting_list.blockSignals(True)
        self.meeting_list.select_id(meeting_id)
        self.meeting_list.blockSignals(False)
        self.workspace.show_meeting(meeting_id, action_id)

    # -- a new meeting --------------------------------------------------------------------------

    def _board_for_new(self) -> int | None:
        boards = list_boards(self.db)
        if boards:
            row = next((r for r in self.rows if r.id == self.meeting_list.current_id()), None)
            return self.board_filter.currentData() or (row.board_id if row else boards[0].id)
        name, ok = QInputDialog.getText(self, "The first board", "This file has no boards yet. Name the board "
                                                                 "that meets (such as SEND Improvement Board):")
        if not ok or not name.strip():
            return None
        try:
            return meetings.add_board(self.db, name)
        except Exception as exc:  # noqa: BLE001 - the window's one error path
            show_error(self, exc)
            return None

    def new_meeting(self) -> None:
        from send_desktop.ui.meeting_dialogs import MeetingDialog

        board_id = self._board_for_new()
        if board_id is None:
            return
        earlier = list_meetings(self.db, board_id)
        suggested = next_date(earlier[0].starts_at) if earlier else None
        dialog = MeetingDialog(list_boards(self.db), owner_names(self.db, board_id), board_id=board_id,
                               suggested=suggested, parent=self)
        if not dialog.exec():
            return
        values = dialog.values()
        try:
            meeting_id = meetings.create_meeting(self.db, dialog.board_id(), values["starts_at"], place=values["place"]
                                                 or None, online=values["online"], chair=values["chair"] or None)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.reload()
        self._fill_list(select=meeting_id)
        self.workspace.show_meeting(meeting_id)
        self.workspace.agenda.setFocus()
        self.statusMessage.emit("Meeting made with the standing agenda; the board's members are listed as present.")
