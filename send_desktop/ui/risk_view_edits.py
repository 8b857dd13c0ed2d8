"""What the Risk register's edit actions do: open the dialog, run the service, re-read, say so.

Kept apart from the widget code (as `plan_view_edits` is for the plan) so each rule reads in
one place. Every change is one service call in its own transaction; a refusal comes back
through `show_error` with the service's message and the view shows the stored values again.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from send_desktop.core.lazy import lazy_module
from send_desktop.core.refs import normalise_ref
from send_desktop.core.risk_matrix import next_risk_ref
from send_desktop.errors import UserError
from send_desktop.ui.widgets import show_error

# Loaded on the first edit, not when the register is first shown (they bring in SQLAlchemy).
risks = lazy_module("send_desktop.services.risks")
dialogs = lazy_module("send_desktop.ui.risk_dialogs")


def run(view, what: str, call, select: int | None = None) -> bool:
    """Run a service call; on success re-read and select, on refusal say why."""
    try:
        result = call()
    except Exception as exc:  # noqa: BLE001 - show_error tells a refusal from a bug
        show_error(view, exc)
        view.reload()
        return False
    view.reload()
    if select is None and isinstance(result, int) and not isinstance(result, bool):
        select = result
    if select is not None:
        view.select_risk(select)
    view.statusMessage.emit(what)
    return True


def action_ids(view, text: str) -> list[int]:
    """Action references as typed ("2.4.1; 3.2.2") to ids; a reference used twice links the first."""
    ids, unknown = [], []
    for ref in (normalise_ref(p) for p in text.replace(",", ";").split(";") if p.strip()):
        found = [a.id for a in view.register.actions if normalise_ref(a.ref) == ref]
        if found:
            ids.append(found[0])
        else:
            unknown.append(ref)
    if unknown:
        raise UserError(f"The plan has no action {', '.join(unknown)}; write references such as 2.4.1.")
    return ids


def edit_fields(view, changes: dict) -> None:
    """A detail-pane field was changed: write it (linked actions arrive as references)."""
    risk = view.current_risk()
    if risk is None:
        return

    def call():
        if "action_refs" in changes:
            changes["action_ids"] = action_ids(view, changes.pop("action_refs"))
        return risks.update_risk(view.db, risk.id, changes)

    names = ", ".join(k.replace("_ids", "s").replace("_", " ") for k in changes)
    run(view, f"{risk.ref}: {names.replace('action refs', 'linked actions')} changed", call, risk.id)


def reassess(view):
    risk = view.current_risk()
    if risk is None or view.read_only:
        view.statusMessage.emit("Select a risk to re-assess.")
        return None
    today = view.register.today
    dialog = dialogs.ReassessDialog(view.register.matrix, risk, today, view.db.user, view)
    dialog.accepted.connect(lambda: run(
        view, f"{risk.ref} re-assessed", lambda: risks.reassess(view.db, risk.id, today=today, **dialog.values()),
        risk.id))
    dialog.open()
    return dialog


def add_risk(view):
    if view.register is None or view.read_only:
        return None
    reg = view.register
    dialog = dialogs.NewRiskDialog(reg.matrix, [c.name for c in reg.categories], reg.owners(),
                                   next_risk_ref([r.ref for r in reg.risks]), view)

    def create():
        v = dialog.values()
        return risks.create_risk(view.db, assessed_on=reg.today, **v)

    dialog.accepted.connect(lambda: run(view, "Risk added", create) and view.detail.focus_first_field())
    dialog.open()
    return dialog


def delete_selected(view) -> None:
    risk = view.current_risk()
    if risk is None or view.read_only:
        return
    if QMessageBox.question(
            view, "Delete risk", f"Delete {risk.ref} \u201c{risk.title}\u201d with its {len(risk.history)} "
            f"reviews and {len(risk.mitigations)} mitigations? The change log keeps a copy.") \
            != QMessageBox.StandardButton.Yes:
        return
    run(view, f"{risk.ref} deleted", lambda: risks.delete_risk(view.db, risk.id) and None)


def add_mitigation(view):
    risk = view.current_risk()
    if risk is None or view.read_only:
        return None
    dialog = dialogs.MitigationDialog(view.register.owners(), None, view)
    dialog.accepted.connect(lambda: run(
        view, f"{risk.ref}: mitigation added", lambda: risks.add_mitigation(view.db, risk.id, **dialog.values()),
        risk.id))
    dialog.open()
    return dialog


def edit_mitigation(view, mitigation_id: int):
    risk = view.current_risk()
    found = next((m for m in risk.mitigations if m.id == mitigation_id), None) if risk else None
    if found is None:
        return None
    dialog = dialogs.MitigationDialog(view.register.owners(), found, view)
    dialog.accepted.connect(lambda: run(
        view, f"{risk.ref}: mitigation changed",
        lambda: risks.update_mitigation(view.db, mitigation_id, dialog.values()), risk.id))
    dialog.open()
    return dialog


def delete_mitigation(view, mitigation_id: int) -> None:
    risk = view.current_risk()
    if risk is not None:
        run(view, f"{risk.ref}: mitigation deleted", lambda: risks.delete_mitigation(view.db, mitigation_id),
            risk.id)
