"""The Plan and Updates sheets: actions, their status history and their Status cells.

Part of the resolution in `plan_resolve` (see its rules), kept apart because action rows carry
the most logic. Counting, per action of the plan:

- created: a Plan row without a known action id (a new action);
- updated: an existing action whose own fields, leads or outcome changed, or that gained or
  had changed a status update (from the Updates sheet, or because its Status cell changed),
  whether or not its row is on the Plan sheet;
- unchanged: an existing action on the Plan sheet with none of those changes.

Changes to priorities, outcomes, workstreams and people are reported separately.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.core.refs import normalise_ref, parent_ref
from send_desktop.core.timescale import parse_timescale
from send_desktop.errors import Problem
from send_desktop.storage.models import Action, StatusUpdate
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.changeset import Edit, New


def _row_priority(r, row):
    uid = row["priority_uid"]
    node = r.pri_by_uid.get(uid) if uid else None
    if node is not None:
        if row["priority_ref"]:
            node.offer("ref", row["priority_ref"], r.where(L.PLAN, row, "Priority ref"))
    else:
        oref = row["outcome_ref"] or parent_ref(row["ref"]) or ""
        pref = row["priority_ref"] or parent_ref(oref) or ""
        if not pref:
            r.error(L.PLAN, row, "Priority ref", "a priority reference is needed, such as 2")
            return None
        node = r.pri_by_ref.get(normalise_ref(pref))
        if node is None:
            node = r.new_priority(uid)
            r._index_ref(node, pref, r.pri_by_ref)
            node.offer("ref", pref, r.where(L.PLAN, row, "Priority ref"))
    if row["priority"]:
        node.offer("statement", row["priority"], r.where(L.PLAN, row, "Priority"))
    return node


def _row_outcome(r, row, pnode):
    uid = row["outcome_uid"]
    node = r.out_by_uid.get(uid) if uid else None
    if node is not None:
        if row["outcome_ref"]:
            node.offer("ref", row["outcome_ref"], r.where(L.PLAN, row, "Outcome ref"))
    else:
        oref = row["outcome_ref"] or parent_ref(row["ref"]) or ""
        if not oref:
            r.error(L.PLAN, row, "Outcome ref", "an outcome reference is needed, such as 2.4")
            return None
        node = r.out_by_ref.get(normalise_ref(oref))
        if node is None:
            if pnode is None:
                return None
            where = r.where(L.PLAN, row, "Outcome ref")
            node = r.new_outcome(uid, pnode, where)
            r._index_ref(node, oref, r.out_by_ref)
            node.offer("ref", oref, where)
    if row["outcome"]:
        node.offer("text", row["outcome"], r.where(L.PLAN, row, "Outcome"))
    return node


def _action_changes(r, row, a, onode, ws, leads) -> tuple[dict, bool]:
    changes = {}
    if row["ref"] != L.text(a.ref):
        changes["ref"] = row["ref"]
    if row["text"] != L.text(a.text):
        changes["text"] = row["text"]
    if ws != a.workstream_id:
        changes["workstream_id"] = ws
    if row["timescale"] != L.text(a.timescale):
        changes["timescale"] = row["timescale"]
    elif "due" in r.book.sheets[L.PLAN.name].present and row["due"] != a.due_date \
            and (L.PLAN.name, row["_row"], "Due") not in r.book.bad_cells:
        r.warn(L.PLAN, row, "Due", "Due is worked out from the Timescale and was not changed; "
                                   "change the Timescale to move it")
    if row["success_criteria"] != L.lines("\n".join(a.success_criteria)):
        changes["success_criteria"] = row["success_criteria"]
    if onode.ref != a.outcome_id:
        changes["outcome_id"] = onode.ref
        changes["position"] = r.next_position("action", onode.ref, r.action_top.get(onode.ref, -1))
    same_leads = leads == r.state.action_leads.get(a.id, [])
    return changes, same_leads


_UNSEEN = object()
_ACTION_HEADER = next(c.header for c in L.PLAN.columns if c.key == "text")
PROGRESS_ROWS = 5_000


def resolve_actions(r, message: str = "") -> Generator[Progress, None, None]:
    """The Plan sheet's rows into new actions and edits (see the module notes), with progress
    every PROGRESS_ROWS rows."""
    from send_desktop.xlsx import plan_stream

    snap = r.snap
    db_actions = {a.uid: a for a in snap.actions()} if snap else {}
    r.action_by_uid = {uid: a.id for uid, a in db_actions.items()}
    r.action_refs = {a.id: a.ref for a in db_actions.values()}  # action -> its ref after the import
    stream = r.stream  # write as we go (plan_stream): there is no Updates sheet to look actions up
    every = plan_stream.STREAM_ROWS
    r.plan_rows = []   # (kept of row, action, level named by its Status cell, status before the import)
    r.touched = set()
    r.on_sheet = []
    seen: set = set()
    first_at: dict = {}          # ref -> the first row with it
    more_at = defaultdict(list)  # ref -> the rows after the first with it (only repeated refs)
    due_of: dict = {}  # a timescale's due date, worked out once per spelling (trackers repeat them)
    rows = r.book.rows(L.PLAN) or []
    keep = r.kept_of  # see Resolver
    for n, row in enumerate(rows):
        if n and not n % PROGRESS_ROWS:
            yield Progress(n, len(rows), message)
        if stream is not None and n and not n % every:
            yield from plan_stream.flush(r, Progress(n, len(rows), message))
        if not row["ref"]:
            r.error(L.PLAN, row, "Ref", "an action needs a reference, such as 2.4.1")
            continue
        if not row["text"]:  # never an action that says nothing, nor a wording wiped by a cleared cell
            if r.tolerant:
                r.warn(L.PLAN, row, _ACTION_HEADER, "this row has a reference but no action, so it was not "
                                                    "imported; write what will be done to import it")
            else:
                r.error(L.PLAN, row, _ACTION_HEADER, "an action needs its wording (what will be done); the "
                                                     "cell is blank")
            continue
        key = normalise_ref(row["ref"])
        if key in first_at:
            more_at[key].append(row["_row"])
        else:
            first_at[key] = row["_row"]
        pnode = _row_priority(r, row)
        onode = _row_outcome(r, row, pnode)
        level = r.level(L.PLAN, row, "Status", row["status"])
        ws = r.workstream(L.PLAN, row, "Workstream", row["workstream"])
        leads = [r.person(L.PLAN, row, "Lead officers", n) for n in row["leads"]]
        uid = r.row_uid(L.PLAN, row, "action_uid", "Action id", seen)
        if onode is None:
            continue
        a = db_actions.get(uid) if uid else None
        if a is not None:
            ref = a.id
            changes, same_leads = _action_changes(r, row, a, onode, ws, leads)
            if changes or not same_leads:
                r.cs.actions.append(Edit(Action, a.id, changes, None if same_leads else leads))
                r.touched.add(a.id)
            r.on_sheet.append(a.id)
        else:
            timescale = row["timescale"]
            due = due_of.get(timescale, _UNSEEN)
            if due is _UNSEEN:
                due = due_of[timescale] = parse_timescale(timescale)
            due = due or row["due"]
            ref = New(Action, {
                "uid": r.fresh_uid(uid, "action"), "outcome_id": onode.ref, "ref": row["ref"],
                "text": row["text"], "workstream_id": ws, "timescale": row["timescale"], "due_date": due,
                "success_criteria": row["success_criteria"],
                "position": r.next_position("action", onode.ref, r.action_top.get(onode.ref, -1)),
            }, leads)
            r.cs.actions.append(ref)
            if stream is None:
                r.action_by_uid[ref.values["uid"]] = ref
        if stream is None:
            r.action_refs[ref] = row["ref"]
        r.plan_rows.append((keep(row) if keep else row, ref, level,
                            a.level.id if a is not None and a.level else None))
    yield Progress(len(rows), len(rows), message)
    for ref, at in first_at.items():
        if ref in more_at:
            r.warnings.append(_dup_warning(ref, [at] + more_at[ref]))


def _dup_warning(ref, rows) -> Problem:
    listed = ", ".join(str(n) for n in rows)
    return Problem(f"the ref {ref} is on {len(rows)} rows ({listed}); they are kept as separate actions",
                   L.PLAN.name, rows[0], "Ref")


def _update_action(r, row, by_ref):
    uid = row["action_uid"]
    if uid:
        ref = r.action_by_uid.get(uid)
        if ref is None:
            r.error(L.UPDATES, row, "Action id", "no action with this id on the Plan sheet or in the plan")
        return ref
    text = row["action_ref"]
    if not text:
        r.error(L.UPDATES, row, "Action ref", "an update needs the ref of its action")
        return None
    found = by_ref.get(normalise_ref(text), [])
    if len(found) == 1:
        return found[0]
    r.error(L.UPDATES, row, "Action ref", f"no action has the ref '{text}'" if not found else
            f"{len(found)} actions have the ref '{text}', so this update cannot be placed; "
            "copy the Action id of the right one from the Plan sheet")
    return None


def db_entries(r) -> tuple[dict, dict]:
    """Every update of the plan in the database: uid -> (action, date, order, level), and uid -> update."""
    entries: dict = {}
    db_updates = {}
    for a in r.snap.actions() if r.snap else []:
        for u in a.updates:
            db_updates[u.uid] = u
            entries[u.uid] = (a.id, u.date, (0, u.id), u.level_id)
    return entries, db_updates


def resolve_updates(r) -> None:
    # every update of the plan as it will be: action -> [(date, order, level)], to find the
    # current status after the Updates sheet, as load_plan orders them (date, then id)
    entries, db_updates = db_entries(r)
    by_ref = defaultdict(list)
    update_rows = r.book.rows(L.UPDATES) or []
    for action, text in r.action_refs.items() if update_rows else ():  # only updates look actions up by ref
        by_ref[normalise_ref(text)].append(action)
    seen: set = set()
    for seq, row in enumerate(update_rows):
        action = _update_action(r, row, by_ref)
        level = r.level(L.UPDATES, row, "Status", row["status"])
        if row["date"] is None and (L.UPDATES.name, row["_row"], "Date") not in r.book.bad_cells:
            r.error(L.UPDATES, row, "Date", "an update needs a date")
        uid = r.row_uid(L.UPDATES, row, "uid", "Update id", seen)
        if action is None or row["date"] is None:
            continue
        values = {"action_id": action, "date": row["date"], "level_id": level, "narrative": row["narrative"],
                  "evidence": row["evidence"], "author": row["author"]}
        u = db_updates.get(uid) if uid else None
        if u is not None:
            old = {"action_id": u.action_id, "date": u.date, "level_id": u.level_id,
                   "narrative": L.text(u.narrative), "evidence": L.text(u.evidence), "author": L.text(u.author)}
            changes = {k: v for k, v in values.items() if v != old[k]}
            if changes:
                r.cs.updates.append(Edit(StatusUpdate, u.id, changes))
                r.touched.update((u.action_id, action))
                entries[uid] = (action, row["date"], (0, u.id), level)
        else:
            new = New(StatusUpdate, dict(values, uid=r.fresh_uid(uid, "status_update")))
            r.cs.updates.append(new)
            r.touched.add(action)
            entries[new] = (action, row["date"], (1, seq), level)
    status_cells(r, history_of(entries), r.plan_rows)
    r.cs.created = sum(isinstance(x, New) for x in r.cs.actions) + r.cs.streamed.get("action", (0, 0))[0]
    r.cs.updated = sum(isinstance(t, int) for t in r.touched)
    r.cs.unchanged = sum(aid not in r.touched for aid in r.on_sheet)


def history_of(entries: dict) -> defaultdict:
    """action -> [(date, order, level)] of `entries` (`db_entries`)."""
    history = defaultdict(list)
    for action, date, order, level in entries.values():
        history[action].append((date, order, level))
    return history


def status_cells(r, history: defaultdict, plan_rows: list) -> None:
    """A Status cell that differs from the action's current status becomes a new update.

    Only cells the officer changed count: a cell still showing the status the action had before
    the import is left alone, so a newer update typed on the Updates sheet is not undone by the
    Plan sheet's stale copy of the old status. `plan_rows` may come a part at a time
    (`plan_stream`): their order continues from the part before (`r.status_seq`).
    """
    said: dict = {}
    start = getattr(r, "status_seq", 0)
    r.status_seq = start + len(plan_rows)
    for seq, (row, action, level, before) in enumerate(plan_rows, start):
        if level is None or level == before:
            continue
        items = history.get(action)  # a new action has none: no list is made for it until it has one
        current = max(items, key=lambda e: (e[0], e[1]))[2] if items else None
        if current == level:
            continue
        # dated today, or on the latest update's day if that is later, so that it is current
        date = max([r.today] + [e[0] for e in items]) if items else r.today
        narrative = said.get(level)
        if narrative is None:  # one text per level, not one per update
            narrative = said[level] = f"Status set to {r.levels[level]} in {r.book.name}"
        r.cs.statuses.append(New(StatusUpdate, {
            "uid": r.fresh_uid(None, "status_update"), "action_id": action, "date": date, "level_id": level,
            "narrative": narrative, "evidence": "", "author": r.user}))
        if type(action) is int:  # only existing actions are counted (a new one is created already)
            r.touched.add(action)
            # remembered for a later row of the same action; a new action is made by one row only,
            # so nothing is kept for it (100,000 new actions would otherwise hold 30 MB to the end)
            if items is None:
                items = history[action] = []
            items.append((date, (2, seq), level))
