"""What the Plan view's edit actions do: work out the target from the snapshot, ask where a
person must confirm, and push the undoable command. Kept apart from the widget code so the rules
(where a new action goes, what "move up" means at an outcome's edge) read in one place."""

from __future__ import annotations

from send_desktop.core.refs import next_child_ref
from send_desktop.services.plan_read import ActionRow, OutcomeRow, PriorityRow
from send_desktop.core.lazy import lazy_module
from send_desktop.ui.plan_tree_model import ACTION, OUTCOME, PRIORITY, NodeKey

# Loaded on the first edit, not at start-up (they bring in SQLAlchemy and the dialogs).
cmd = lazy_module("send_desktop.ui.undo_commands")


def _selection(view) -> tuple[NodeKey | None, object]:
    return view.current_key(), view.current_item()


def _outcome_of(view, action: ActionRow) -> OutcomeRow:
    return next(o for o in view.snapshot.outcomes() if o.id == action.outcome_id)


def _priority_of(view, outcome: OutcomeRow) -> PriorityRow:
    return next(p for p in view.snapshot.priorities if p.id == outcome.priority_id)


# -- editing fields --------------------------------------------------------------------------

def edit_item(view, key: NodeKey, changes: dict) -> None:
    """A detail-pane field was changed: push the matching edit command."""
    kind, item_id = key
    if view.snapshot is None:
        return
    if kind == ACTION:
        action = view.snapshot.action(item_id)
        view.push(cmd.EditActionCommand(view, item_id, action.ref if action else "action", changes))
    elif kind == OUTCOME:
        outcome = next((o for o in view.snapshot.outcomes() if o.id == item_id), None)
        view.push(cmd.EditOutcomeCommand(view, item_id, outcome.ref if outcome else "", changes))
    elif kind == PRIORITY:
        priority = next((p for p in view.snapshot.priorities if p.id == item_id), None)
        view.push(cmd.EditPriorityCommand(view, item_id, priority.ref if priority else "", changes))


# -- adding ----------------------------------------------------------------------------------

def target_outcome(view) -> OutcomeRow | None:
    """Where Insert puts a new action: the selected outcome, the selected action's outcome, or
    the last outcome of the selected priority."""
    key, item = _selection(view)
    if key is None or view.snapshot is None:
        return None
    if key[0] == ACTION:
        return _outcome_of(view, item)
    if key[0] == OUTCOME:
        return item
    return item.outcomes[-1] if item.outcomes else None


def add_action(view) -> None:
    outcome = target_outcome(view)
    if outcome is None:
        view.statusMessage.emit("Select an outcome to add an action to (add an outcome first if there is none).")
        return
    ref = next_child_ref(outcome.ref, [a.ref for a in outcome.actions])
    view.push(cmd.AddActionCommand(view, outcome.id, ref, select_after_undo=view.current_key()))


def add_outcome(view) -> None:
    key, item = _selection(view)
    if key is None:
        return
    if key[0] == ACTION:
        priority = _priority_of(view, _outcome_of(view, item))
    elif key[0] == OUTCOME:
        priority = _priority_of(view, item)
    else:
        priority = item
    ref = next_child_ref(priority.ref, [o.ref for o in priority.outcomes])
    view.push(cmd.AddOutcomeCommand(view, priority.id, ref, select_after_undo=key))


def add_priority(view) -> None:
    if view.snapshot is None:
        return
    ref = next_child_ref("", [p.ref for p in view.snapshot.priorities])
    view.push(cmd.AddPriorityCommand(view, view.snapshot.plan_id, ref, select_after_undo=view.current_key()))


def open_update_dialog(view):
    """Open "Add update" for the selected action (window-modal, so the view stays responsive);
    returns the dialog, or None when no action is selected."""
    from send_desktop.ui.update_dialog import UpdateDialog

    key, action = _selection(view)
    if key is None or key[0] != ACTION or view.snapshot is None:
        return None
    dialog = UpdateDialog(view.snapshot.scale, action, author=view.db.user, parent=view)

    def accepted():
        view.push(cmd.AddUpdateCommand(view, action.id, action.ref, dialog.values()))

    dialog.accepted.connect(accepted)
    dialog.finished.connect(dialog.deleteLater)
    view.update_dialog = dialog
    dialog.open()
    return dialog


# -- deleting --------------------------------------------------------------------------------

def _neighbour_key(view) -> NodeKey | None:
    """What to select once the current item is gone: next sibling, else previous, else parent."""
    index = view.tree.currentIndex()
    for row in (index.row() + 1, index.row() - 1):
        sibling = index.siblingAtRow(row)
        if row >= 0 and sibling.isValid():
            return view.model.key(sibling)
    return view.model.key(index.parent())


def _delete_question(kind: str, item) -> tuple[str, str]:
    if kind == ACTION:
        n = len(item.updates)
        tail = f" and its {n} update{'s' if n != 1 else ''}" if n else ""
        return "Delete action", f"Delete action {item.ref}{tail}?\n\n{_short(item.text)}"
    if kind == OUTCOME:
        n = len(item.actions)
        tail = f" with its {n} action{'s' if n != 1 else ''} and their updates" if n else ""
        return "Delete outcome", f"Delete outcome {item.ref}{tail}?\n\n{_short(item.text)}"
    n = sum(len(o.actions) for o in item.outcomes)
    tail = f" with its {len(item.outcomes)} outcomes, {n} actions and their updates" if item.outcomes else ""
    return "Delete priority", f"Delete priority {item.ref}{tail}?\n\n{_short(item.statement)}"


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def delete_selected(view) -> None:
    key, item = _selection(view)
    if key is None:
        return
    from PySide6.QtWidgets import QMessageBox  # not at start-up: its enums cost a millisecond

    title, question = _delete_question(key[0], item)
    answer = QMessageBox.question(view, title, question + "\n\nYou can undo this with Edit > Undo.",
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    if answer != QMessageBox.StandardButton.Yes:
        return
    after = _neighbour_key(view)
    command = {ACTION: cmd.DeleteActionCommand, OUTCOME: cmd.DeleteOutcomeCommand,
               PRIORITY: cmd.DeletePriorityCommand}[key[0]]
    view.push(command(view, item.id, item.ref, after))


# -- moving ----------------------------------------------------------------------------------

def move_target(view, step: int) -> tuple[int, int | None] | None:
    """(outcome id, index) one place up (-1) or down (+1), crossing into the neighbouring outcome
    at either end; None at the very top or bottom of the plan."""
    key, action = _selection(view)
    if key is None or key[0] != ACTION or view.snapshot is None:
        return None
    outcomes = view.snapshot.outcomes()
    o_pos = next(i for i, o in enumerate(outcomes) if o.id == action.outcome_id)
    siblings = outcomes[o_pos].actions
    a_pos = next(i for i, a in enumerate(siblings) if a.id == action.id)
    if 0 <= a_pos + step < len(siblings):
        return outcomes[o_pos].id, a_pos + step
    if 0 <= o_pos + step < len(outcomes):
        return outcomes[o_pos + step].id, (None if step < 0 else 0)
    return None


def move_selected(view, step: int) -> None:
    target = move_target(view, step)
    key, action = _selection(view)
    if target is None:
        return
    view.push(cmd.MoveActionCommand(view, action.id, action.ref, *target, "up" if step < 0 else "down"))
