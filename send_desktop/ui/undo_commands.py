"""Undoable plan edits: each command calls a `plan_edit` service one way and its inverse the other.

Services return what undo needs (old values, the snapshot of what was deleted), so a command
only stores that. The database is the command's document: it is captured when the command is
made, and the view clears the stack when another file is opened.

A command tells its host (the Plan view) which item to select once it has run. When a service
refuses (a `UserError`, or a bug), the error is shown, the command marks itself obsolete so
QUndoStack drops it, and the view reloads so it shows what the database really holds.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from send_desktop.core.lazy import lazy_module
from send_desktop.ui.plan_tree_model import ACTION, OUTCOME, PRIORITY, NodeKey
from send_desktop.ui.widgets import show_error

# SQLAlchemy loads with the editing services; the window must not wait for it at start-up.
plan_edit = lazy_module("send_desktop.services.plan_edit")

ACTION_FIELD_NAMES = {
    "ref": "reference", "text": "action text", "workstream_id": "workstream", "timescale": "timescale",
    "success_criteria": "success criteria", "leads": "lead officers",
}
OUTCOME_FIELD_NAMES = {"ref": "reference", "text": "text"}
PRIORITY_FIELD_NAMES = {
    "ref": "reference", "kind": "kind", "statement": "statement", "workstream_id": "workstream",
    "evidence_of_impact": "evidence of impact", "difference_for_cyp": "difference for children and young people",
}


class CommandHost(Protocol):
    """What a command needs from the view that pushed it."""

    db: object

    def plan_changed(self, select: NodeKey | None, focus_detail: bool = False) -> None: ...

    def error_parent(self) -> QWidget: ...


class PlanCommand(QUndoCommand):
    """Runs `_do`/`_undo`, then asks the host to reload and select the affected item."""

    def __init__(self, host: CommandHost, text: str):
        super().__init__(text)
        self._host = host
        self._db = host.db
        self._runs = 0

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError

    def _selected_after_redo(self) -> NodeKey | None:
        return None

    def _selected_after_undo(self) -> NodeKey | None:
        return self._selected_after_redo()

    def redo(self) -> None:
        first = self._runs == 0
        if self._run(self._do):
            self._runs += 1
            self._host.plan_changed(self._selected_after_redo(), focus_detail=first and self._focus_after_first_run())

    def undo(self) -> None:
        if self._run(self._undo):
            self._host.plan_changed(self._selected_after_undo())

    def _focus_after_first_run(self) -> bool:
        return False

    def _run(self, step) -> bool:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - every failure goes to the one error dialog
            self.setObsolete(True)
            show_error(self._host.error_parent(), exc)
            self._host.plan_changed(None)
            return False
        return True


# -- edits ---------------------------------------------------------------------------------

class _EditCommand(PlanCommand):
    kind = ""
    service_name = ""  # the plan_edit function, looked up when run (plan_edit loads lazily)
    names: dict[str, str] = {}

    def __init__(self, host: CommandHost, item_id: int, label: str, changes: dict):
        fields = " and ".join(self.names.get(k, k) for k in changes)
        super().__init__(host, f"Edit {label} {fields}")
        self._id, self._new, self._old = item_id, dict(changes), None

    def _do(self) -> None:
        old = getattr(plan_edit, self.service_name)(self._db, self._id, self._new)
        if self._old is None:
            self._old = old

    def _undo(self) -> None:
        getattr(plan_edit, self.service_name)(self._db, self._id, self._old)

    def _selected_after_redo(self) -> NodeKey:
        return self.kind, self._id


class EditActionCommand(_EditCommand):
    """Text: "Edit 2.4.1 timescale". Undo puts back the old values `update_action` returned."""

    kind, service_name, names = ACTION, "update_action", ACTION_FIELD_NAMES


class EditOutcomeCommand(_EditCommand):
    kind, service_name, names = OUTCOME, "update_outcome", OUTCOME_FIELD_NAMES

    def __init__(self, host, outcome_id: int, ref: str, changes: dict):
        super().__init__(host, outcome_id, f"outcome {ref}", changes)


class EditPriorityCommand(_EditCommand):
    kind, service_name, names = PRIORITY, "update_priority", PRIORITY_FIELD_NAMES

    def __init__(self, host, priority_id: int, ref: str, changes: dict):
        super().__init__(host, priority_id, f"priority {ref}", changes)


# -- status updates ------------------------------------------------------------------------

class AddUpdateCommand(PlanCommand):
    """Undo deletes the update; redo restores it with the same id, so its history stays whole."""

    def __init__(self, host: CommandHost, action_id: int, ref: str, values: dict):
        super().__init__(host, f"Add update to {ref}")
        self._action_id, self._values = action_id, dict(values)
        self.update_id: int | None = None
        self._snap: dict | None = None

    def _do(self) -> None:
        if self._snap is None:
            self.update_id = plan_edit.add_update(self._db, self._action_id, **self._values)
        else:
            plan_edit.restore_update(self._db, self._snap)

    def _undo(self) -> None:
        self._snap = plan_edit.delete_update(self._db, self.update_id)

    def _selected_after_redo(self) -> NodeKey:
        return ACTION, self._action_id


# -- adding and deleting -------------------------------------------------------------------

class _AddCommand(PlanCommand):
    """The first redo creates the item; undo deletes it keeping a snapshot; later redos restore
    that snapshot, so the item keeps its id (and later commands that name it still work)."""

    kind = ""

    def __init__(self, host: CommandHost, text: str):
        super().__init__(host, text)
        self.item_id: int | None = None
        self._snap: dict | None = None

    def _create(self) -> int:
        raise NotImplementedError

    def _delete(self, item_id: int) -> dict:
        raise NotImplementedError

    def _restore(self, snap: dict) -> None:
        raise NotImplementedError

    def _do(self) -> None:
        if self._snap is None:
            self.item_id = self._create()
        else:
            self._restore(self._snap)

    def _undo(self) -> None:
        self._snap = self._delete(self.item_id)

    def _selected_after_redo(self) -> NodeKey:
        return self.kind, self.item_id

    def _focus_after_first_run(self) -> bool:
        return True


class AddActionCommand(_AddCommand):
    kind = ACTION

    def __init__(self, host, outcome_id: int, ref: str, select_after_undo: NodeKey | None = None):
        super().__init__(host, f"Add action {ref}")
        self._outcome_id, self._ref, self._back = outcome_id, ref, select_after_undo

    def _create(self) -> int:
        return plan_edit.add_action(self._db, self._outcome_id, ref=self._ref)

    def _delete(self, item_id):
        return plan_edit.delete_action(self._db, item_id)

    def _restore(self, snap):
        plan_edit.restore_action(self._db, snap)

    def _selected_after_undo(self):
        return self._back or (OUTCOME, self._outcome_id)


class AddOutcomeCommand(_AddCommand):
    kind = OUTCOME

    def __init__(self, host, priority_id: int, ref: str, select_after_undo: NodeKey | None = None):
        super().__init__(host, f"Add outcome {ref}")
        self._priority_id, self._ref, self._back = priority_id, ref, select_after_undo

    def _create(self) -> int:
        return plan_edit.add_outcome(self._db, self._priority_id, ref=self._ref)

    def _delete(self, item_id):
        return plan_edit.delete_outcome(self._db, item_id)

    def _restore(self, snap):
        plan_edit.restore_outcome(self._db, snap)

    def _selected_after_undo(self):
        return self._back or (PRIORITY, self._priority_id)


class AddPriorityCommand(_AddCommand):
    kind = PRIORITY

    def __init__(self, host, plan_id: int, ref: str, select_after_undo: NodeKey | None = None):
        super().__init__(host, f"Add priority {ref}")
        self._plan_id, self._ref, self._back = plan_id, ref, select_after_undo

    def _create(self) -> int:
        return plan_edit.add_priority(self._db, self._plan_id, ref=self._ref)

    def _delete(self, item_id):
        return plan_edit.delete_priority(self._db, item_id)

    def _restore(self, snap):
        plan_edit.restore_priority(self._db, snap)

    def _selected_after_undo(self):
        return self._back


class _DeleteCommand(PlanCommand):
    """The view asks for confirmation before pushing. Undo restores the snapshot the service
    returned: the item, everything under it and all their updates, with their ids."""

    kind, noun = "", ""

    def __init__(self, host: CommandHost, item_id: int, ref: str, select_after: NodeKey | None):
        super().__init__(host, f"Delete {self.noun} {ref}")
        self._id, self._after = item_id, select_after
        self._snap: dict | None = None

    def _selected_after_redo(self):
        return self._after

    def _selected_after_undo(self):
        return self.kind, self._id


class DeleteActionCommand(_DeleteCommand):
    kind, noun = ACTION, "action"

    def _do(self):
        self._snap = plan_edit.delete_action(self._db, self._id)

    def _undo(self):
        plan_edit.restore_action(self._db, self._snap)


class DeleteOutcomeCommand(_DeleteCommand):
    kind, noun = OUTCOME, "outcome"

    def _do(self):
        self._snap = plan_edit.delete_outcome(self._db, self._id)

    def _undo(self):
        plan_edit.restore_outcome(self._db, self._snap)


class DeletePriorityCommand(_DeleteCommand):
    kind, noun = PRIORITY, "priority"

    def _do(self):
        self._snap = plan_edit.delete_priority(self._db, self._id)

    def _undo(self):
        plan_edit.restore_priority(self._db, self._snap)


# -- moving ----------------------------------------------------------------------------------

class MoveActionCommand(PlanCommand):
    """Up or down one place; at either end of an outcome it crosses into the neighbouring one.
    `move_action` returns where the action was, which is where undo puts it back."""

    def __init__(self, host: CommandHost, action_id: int, ref: str, outcome_id: int, index: int | None,
                 direction: str):
        super().__init__(host, f"Move action {ref} {direction}")
        self._id, self._target = action_id, (outcome_id, index)
        self._origin: tuple[int, int] | None = None

    def _do(self):
        self._origin = plan_edit.move_action(self._db, self._id, *self._target)

    def _undo(self):
        plan_edit.move_action(self._db, self._id, *self._origin)

    def _selected_after_redo(self):
        return ACTION, self._id
