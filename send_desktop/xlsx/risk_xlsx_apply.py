"""Writing a resolved risk change set (`risk_xlsx_resolve`): categories, risks, mitigations, reviews.

Rules, chosen so 10,000 new risks with their 30,000 mitigations and reviews are written in about a
second (not a minute, as one ORM object and flush each took) and the change log still holds every
change:

- New risks, mitigations and reviews are inserted in bulk through `changelog.insert_logged`:
  one statement per table, one "insert" row per record in the change log with the import's
  batch. A new risk is written whole (its category and its linked priorities and actions in the
  insert), not as an insert followed by updates.
- Records that already exist, and new categories (a handful), stay on the ORM path, so the
  import's three-way merge (`xlsx.merge`, a before-flush hook) sees every update. The records
  they need are loaded once (by id, with their links), never one query per row.
- Parents before children: categories, then risks, then their mitigations and reviews.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Generator

from sqlalchemy import func, insert, select
from sqlalchemy.orm import selectinload

from send_desktop.core.progress import Progress
from send_desktop.storage.changelog import _plain, insert_logged
from send_desktop.storage.models import Action, Priority, Risk, RiskCategory, risk_action, risk_priority
from send_desktop.xlsx.changeset import New, ident

STEP = 500
_LINKS = (("priority_ids", "priorities", Priority, risk_priority, "priority_id"),
          ("action_ids", "actions", Action, risk_action, "action_id"))


def _top(session, column) -> int:
    top = session.scalar(select(func.max(column)))
    return (top if top is not None else -1) + 1


def _by_id(session, model, ids, *options) -> dict:
    """The `model` records with these ids, loaded in a few queries rather than one each."""
    ids, out = sorted(set(ids)), {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        out.update((o.id, o) for o in session.scalars(select(model).where(model.id.in_(chunk)).options(*options)))
    return out


def _categories(session, items) -> dict[str, int]:
    """Write new and changed categories (ORM); returns every category's id by folded name."""
    position = _top(session, RiskCategory.position)
    for item in items:
        if isinstance(item, New):
            values = {k: v for k, v in item.values.items() if v is not None or k == "appetite"}
            item.obj = RiskCategory(position=position, **values)
            position += 1
            session.add(item.obj)
        else:
            obj = session.get(RiskCategory, item.id)
            for key, value in item.values.items():
                setattr(obj, key, value)
    session.flush()
    return {" ".join(name.split()).casefold(): cid for cid, name in session.execute(
        select(RiskCategory.id, RiskCategory.name))}


def _category_id(session, names: dict[str, int], name) -> int | None:
    from send_desktop.services.risks import category_by_name

    clean = " ".join(str(name or "").split())
    if not clean:
        return None
    if clean.casefold() not in names:  # the resolver names every category it uses: a safety net
        names[clean.casefold()] = category_by_name(session, clean).id
    return names[clean.casefold()]


def _linked(session, cs) -> dict[str, dict]:
    """The priorities and actions the change set links to, by id, loaded once."""
    wanted = {field: set() for field, *_ in _LINKS}
    for item in cs.risks:
        for field in wanted:
            wanted[field].update(item.values.get(field) or ())
    return {field: _by_id(session, model, wanted[field]) for field, _, model, *_ in _LINKS}


def _missing(field: str, ident_: int):
    from send_desktop.errors import UserError  # the message `services.plan_edit._get` gives

    return UserError(f"That {'priority' if field == 'priority_ids' else 'action'} no longer exists (id {ident_}).")


def _new_risks(session, news: list[New], names: dict, linked: dict) -> None:
    """Insert the new risks in bulk, each whole, and link them to their priorities and actions."""
    position = _top(session, Risk.position)
    records, collections, links = [], [], []
    for n, item in enumerate(news):
        values = dict(item.values)
        link_ids = {field: values.pop(field, None) or [] for field, *_ in _LINKS}
        values["category_id"] = _category_id(session, names, values.pop("category", ""))
        values["position"] = position + n
        records.append(values)
        more = {}
        for field, key, *_ in _LINKS:
            objs = [linked[field].get(i) for i in link_ids[field]]
            if None in objs:
                raise _missing(field, link_ids[field][objs.index(None)])
            more[key] = _plain(objs)
        collections.append(more)
        links.append(link_ids)
    ids = insert_logged(session, Risk, records, collections)
    con = session.connection()
    for field, _, _, table, column in _LINKS:
        rows = [{"risk_id": rid, column: other} for rid, link in zip(ids, links) for other in link[field]]
        if rows:
            con.execute(insert(table), rows)
    for item, rid in zip(news, ids):
        item.obj = SimpleNamespace(id=rid)  # what `ident` reads for the risk's mitigations and reviews


def _edit_risks(session, edits: list, names: dict, linked: dict) -> None:
    """Apply changed fields to existing risks through the ORM (the merge hook sees each update)."""
    risks = _by_id(session, Risk, [e.id for e in edits], selectinload(Risk.priorities), selectinload(Risk.actions))
    for edit in edits:
        risk = risks.get(edit.id) or session.get(Risk, edit.id)
        for key, value in edit.values.items():
            if key == "category":
                category_id = _category_id(session, names, value)
                if risk.category_id != category_id:
                    risk.category_id = category_id
            elif key in linked:
                objs = [linked[key].get(i) for i in value]
                if None in objs:
                    raise _missing(key, value[objs.index(None)])
                setattr(risk, "priorities" if key == "priority_ids" else "actions", objs)
            elif getattr(risk, key) != value:
                setattr(risk, key, value)


def _children(session, items: list) -> Generator[Progress, None, None]:
    """New mitigations or reviews in bulk; edits of existing ones through the ORM."""
    if not items:
        return
    model = items[0].model
    news = [i for i in items if isinstance(i, New)]
    edits = [i for i in items if not isinstance(i, New)]
    known = _by_id(session, model, [e.id for e in edits])
    for edit in edits:
        obj = known.get(edit.id) or session.get(model, edit.id)
        for key, value in edit.values.items():
            setattr(obj, key, value)
    records = [{"risk_id": ident(i.values["risk"]),
                **{k: v for k, v in i.values.items() if k != "risk" and not (k == "uid" and v is None)}}
               for i in news]
    yield Progress(len(edits), len(items), f"Writing {model.__tablename__.replace('_', ' ')}s")
    insert_logged(session, model, records)


def apply_changes(session, cs) -> Generator[Progress, None, None]:
    """Write a resolved change set, parents before children, in the caller's transaction."""
    from send_desktop.services.risks import save_matrix_in

    if cs.matrix is not None:
        save_matrix_in(session, cs.matrix)
    names = _categories(session, cs.categories)
    linked = _linked(session, cs)
    total = len(cs.risks) + len(cs.mitigations) + len(cs.assessments)
    _edit_risks(session, [i for i in cs.risks if not isinstance(i, New)], names, linked)
    session.flush()
    yield Progress(len(cs.risks) // 2, total, "Writing risks")
    _new_risks(session, [i for i in cs.risks if isinstance(i, New)], names, linked)
    yield Progress(len(cs.risks), total, "Writing risks")
    for items in (cs.mitigations, cs.assessments):
        yield from _children(session, items)
    session.flush()
