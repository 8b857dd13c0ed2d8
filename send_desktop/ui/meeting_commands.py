"""What the workspace's keys and buttons do: open the capture bar, save what it captured, move
and delete agenda items, change links and details. A mixin of `MeetingWorkspace`, kept apart so
the layout and the commands each read in one sitting.

Each save is one service call (`_do`); when it fails the bar stays open with what was typed,
so a rejected entry can be corrected rather than typed again.
"""

from __future__ import annotations

from send_desktop.services import meeting_actions, meetings
from send_desktop.services.meeting_read import ACTION_LINK_KINDS, AGENDA_LINK_KINDS, action_links, link_targets
from send_desktop.ui.meeting_models import day
from send_desktop.ui.meeting_tables import current_row, select_id
from send_desktop.ui.widgets import show_error

FAILED = object()


class WorkspaceCommands:
    # -- the one way a change is made -----------------------------------------------------------

    def _do(self, service, *args, message: str = "", **kwargs):
        """Run one service call; on failure say why and return FAILED, else refresh and say `message`."""
        try:
            result = service(self.db, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - one error path: show_error tells users' errors from bugs
            show_error(self, exc)
            return FAILED
        self.refresh()
        self.changed.emit()
        if message:
            self.statusMessage.emit(message)
        return result

    def _open(self, mode: str, subject: str, values: dict | None = None, **context) -> None:
        if self.snapshot is None:
            return
        self.capture.today = self.snapshot.today
        self.capture.open(mode, subject, self.names, values, context)

    def _need_item(self):
        item = self.current_item()
        if item is None:
            self.statusMessage.emit("Choose an agenda item first.")
        return item

    # -- challenge and response -----------------------------------------------------------------

    def new_challenge(self) -> None:
        if (item := self._need_item()) is not None:
            self.tabs.setCurrentIndex(0)
            self._open("challenge", self.subject(), item_id=item.id)

    def edit_challenge(self, challenge_id: int) -> None:
        item = self.current_item()
        c = next((c for c in item.challenges if c.id == challenge_id), None) if item else None
        if c is not None:
            self._open("challenge", self.subject(), {"who": c.challenger, "text": c.challenge}, challenge_id=c.id)

    def new_response(self) -> None:
        """The response to the highlighted challenge, else to the item's latest one still unanswered."""
        item = self._need_item()
        if item is None:
            return
        chosen = self.item_pane.challenges.current_id() if self.item_pane.challenges.hasFocus() else None
        c = next((c for c in item.challenges if c.id == chosen), None) or \
            next((c for c in reversed(item.challenges) if not c.response), None) or \
            (item.challenges[-1] if item.challenges else None)
        if c is None:
            self.statusMessage.emit("There is no challenge under this item to respond to (Ctrl+Shift+C records one).")
            return
        self.tabs.setCurrentIndex(0)
        self._open("response", f"to: {c.challenge[:80]}", {"who": c.responder, "text": c.response}, challenge_id=c.id)

    # -- actions, updates and decisions ---------------------------------------------------------

    def new_action(self) -> None:
        item = self.current_item()
        self._open("action", self.subject() or "this meeting", item_id=item.id if item else None)

    def edit_action(self) -> None:
        row = current_row(self.actions)
        if row is not None:
            self._open("edit action", f"No. {row.number}", {"text": row.text, "owner": row.owner,
                                                            "due": row.due_date, "status": row.status},
                       action_id=row.id)

    def new_update(self, view=None) -> None:
        view = view or self._action_view
        row = current_row(view) if view is not None else None
        if row is None:
            self.statusMessage.emit("Highlight an action under matters arising or on the Actions tab first.")
            return
        self._open("update", f"action {row.number} of {day(row.meeting_date)}: {row.text[:70]}",
                   {"status": row.status}, action_id=row.id)

    def new_decision(self) -> None:
        if (item := self._need_item()) is not None:
            self.tabs.setCurrentIndex(0)
            self._open("decision", self.subject(), item_id=item.id)

    def delete_action(self) -> None:
        row = current_row(self.actions)
        if row is not None and self.confirm("Delete the action", f"Delete action {row.number} ({row.text[:80]}) "
                                            "with its updates? An action that no longer applies is better marked "
                                            "superseded, which keeps its history."):
            self._do(meeting_actions.delete_action, row.id, message=f"Action {row.number} deleted.")

    def delete_challenge(self) -> None:
        challenge_id = self.item_pane.challenges.current_id()
        if challenge_id is not None and self.confirm("Delete the challenge",
                                                     "Delete this challenge and its response?"):
            self._do(meetings.delete_challenge, challenge_id, message="Challenge deleted.")

    # -- saving what the bar captured -----------------------------------------------------------

    def _captured(self, mode: str, values: dict) -> None:
        ctx, who, text = self.capture.context, values.get("who", ""), values.get("text", "")
        if mode == "challenge" and "challenge_id" not in ctx:
            challenge_id = self._do(meetings.add_challenge, ctx["item_id"], who, text,
                                    message="Challenge recorded; now the response (Esc if there is none yet).")
            if challenge_id is not FAILED:  # a response usually follows at once
                self._open("response", f"to: {text[:80]}", challenge_id=challenge_id)
            return
        if mode == "challenge":
            result = self._do(meetings.update_challenge, ctx["challenge_id"], {"challenger": who, "challenge": text},
                              message="Challenge changed.")
        elif mode == "response":
            result = self._do(meetings.record_response, ctx["challenge_id"], who, text, message="Response recorded.")
        elif mode == "action":
            result = self._do(meeting_actions.add_action, self.meeting_id, text, owner=values["owner"],
                              due_date=values["due"], agenda_item_id=ctx.get("item_id"))
            action = next((a for a in self.snapshot.actions if a.id == result), None) if self.snapshot else None
            if action is not None:
                self.statusMessage.emit(f"Action {action.number} recorded" +
                                        (f" for {action.owner}." if action.owner else "."))
        elif mode == "edit action":
            result = self._do(meeting_actions.update_action, ctx["action_id"],
                              {"text": text, "owner": values["owner"], "due_date": values["due"],
                               "status": values["status"]}, message="Action changed.")
        elif mode == "update":
            result = self._do(meeting_actions.add_update, ctx["action_id"], text, status=values["status"],
                              date=self.snapshot.today, message="Update recorded.")
        elif mode == "decision":
            result = self._do(meetings.add_decision, ctx["item_id"], text, message="Decision recorded.")
        else:  # a new agenda item
            result = self._do(meetings.add_agenda_item, self.meeting_id, text, presenter=who, index=ctx["index"])
            if result is not FAILED:
                self.agenda.setCurrentRow(ctx["index"])
        if result is not FAILED:
            self.capture.close_bar()

    # -- the agenda -----------------------------------------------------------------------------

    def step_item(self, delta: int) -> None:
        row = self.agenda.currentRow() + delta
        if 0 <= row < self.agenda.count():
            self.agenda.setCurrentRow(row)
            self.statusMessage.emit(f"Now on {self.subject()}.")

    def move_item(self, delta: int) -> None:
        item, row = self.current_item(), self.agenda.currentRow()
        if item is not None and 0 <= row + delta < self.agenda.count():
            if self._do(meetings.move_agenda_item, item.id, row + delta) is not FAILED:
                self.agenda.setCurrentRow(row + delta)

    def new_agenda_item(self) -> None:
        self._open("agenda item", "after the highlighted item", index=self.agenda.currentRow() + 1)

    def delete_agenda_item(self) -> None:
        item = self.current_item()
        if item is not None and self.confirm("Delete the agenda item", f"Delete '{item.title}' with its minutes "
                                             "and challenges? Actions raised under it are kept."):
            self._do(meetings.delete_agenda_item, item.id, message=f"'{item.title}' deleted.")

    # -- links and details ----------------------------------------------------------------------

    def edit_agenda_links(self, item_id: int) -> None:
        from send_desktop.ui.meeting_dialogs import LinkDialog

        item = next((i for i in self.snapshot.agenda if i.id == item_id), None)
        dialog = LinkDialog(link_targets(self.db), AGENDA_LINK_KINDS, {(link.kind, link.target_id) for link in item.links},
                            f"'{item.title}'", self)
        if dialog.exec():
            self._do(meetings.set_agenda_links, item_id, dialog.chosen(), message="Links saved.")

    def edit_action_links(self) -> None:
        from send_desktop.ui.meeting_dialogs import LinkDialog

        row = current_row(self.actions)
        if row is None:
            self.statusMessage.emit("Highlight an action first.")
            return
        with self.db.reading() as con:
            links = action_links(con, [row.id]).get(row.id, [])
        dialog = LinkDialog(link_targets(self.db), ACTION_LINK_KINDS, {(link.kind, link.target_id) for link in links},
                            f"action {row.number}", self)
        if dialog.exec():
            self._do(meeting_actions.set_links, row.id, dialog.chosen(), message="Links saved.")
            select_id(self.actions, row.id)

    def edit_details(self) -> None:
        from send_desktop.ui.meeting_dialogs import MeetingDialog

        m = self.snapshot.meeting
        dialog = MeetingDialog(self.boards(), self.names, meeting=m, parent=self)
        if dialog.exec():
            self._do(meetings.update_meeting, m.id, dialog.values(), message="Meeting details saved.")
