"""Matching a returned risk workbook against the register: what to create, change, or refuse.

Rules, chosen so a workbook can go out and come back any number of times:

- A row whose hidden id names a record updates that record, and only the fields that differ;
  a row without a known id creates one, keeping the workbook's id when it has one, so importing
  the same file again matches it. Categories without a known id are matched by name, and a
  category named on the Register that exists nowhere is created.
- A row without an id that says what an existing record says (a risk's reference and title, a
  review's date and levels, a mitigation's words) is that record, so importing the same edited
  workbook twice does not make everything added in it twice.
- History and Mitigations rows find their risk by the hidden risk id, else by its reference.
- The current position is the latest assessment's. A Register likelihood or impact that differs
  from the current position is a review made in the workbook: it is recorded as an assessment
  dated the day of the import (unless the History sheet's latest row already says the same),
  and the next review moves on from that day unless Next review was changed too. Otherwise the
  current position follows the History sheet. A row whose Last reviewed is older than the
  risk's latest review was written before that review: its position and next review are out of
  date and are not taken (so importing the same workbook twice changes nothing the second time).
- Linked priorities and actions are references; one used twice in the plan (2.5.3) is told
  apart by the hidden "Linked action ids".
- Records missing from the workbook are never deleted; the matrix of a file that has one is
  never changed by an import (the window does that); a file without one takes the workbook's.

Problems are collected with their sheet, row and column; nothing is raised here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from send_desktop.core import risk_matrix as rm
from send_desktop.core.refs import normalise_ref
from send_desktop.core.risk_matrix import RiskMatrix, RiskValueError
from send_desktop.errors import Problem
from send_desktop.services.risk_read import RiskRegister, RiskRow
from send_desktop.services.risks import clean_value
from send_desktop.storage.models import Risk, RiskAssessment, RiskCategory
from send_desktop.xlsx import layout as L
from send_desktop.xlsx import risk_xlsx_layout as R
from send_desktop.xlsx.book_reader import Book
from send_desktop.xlsx.changeset import Edit, New, Resolved
from send_desktop.xlsx.risk_xlsx_reviews import ReviewRowsMixin

#: Register columns that are risk fields, checked by the services' own rules.
FIELDS = ("ref", "title", "category", "owner", "status", "inherent_likelihood", "inherent_impact",
          "target_likelihood", "target_impact", "target_date", "review_frequency", "next_review", "cause",
          "event", "effect", "controls", "assurance", "gaps_in_control", "gaps_in_assurance")
DEFAULTS = {"status": "open", "review_frequency": "monthly", "target_date": None, "next_review": None,
            "priority_ids": [], "action_ids": []}
KEEP_WHEN_BLANK = ("review_frequency", "next_review")


@dataclass
class Node:
    """One risk as the import sees it: existing (`row`) or new (`new`)."""

    row: RiskRow | None = None
    new: New | None = None
    changes: dict = field(default_factory=dict)
    position: tuple[int, int] | None = None   # the Register's likelihood and impact
    moved: bool = False                        # the Register changed the current position
    timeline: dict = field(default_factory=dict)  # order key -> (date, likelihood, impact)
    touched: bool = False                      # history or mitigations created or changed
    on_sheet: bool = False
    next_mitigation: int = 0
    matched: set = field(default_factory=set)              # reviews already claimed by a row without an id
    matched_mitigations: set = field(default_factory=set)

    @property
    def key(self):
        return self.new if self.new is not None else self.row.id


@dataclass
class RiskChanges(Resolved):
    matrix: dict | None = None
    categories: list = field(default_factory=list)
    risks: list = field(default_factory=list)         # New / Edit
    mitigations: list = field(default_factory=list)
    assessments: list = field(default_factory=list)

    def size(self) -> int:
        return sum(len(x) for x in (self.categories, self.risks, self.mitigations, self.assessments)) + bool(
            self.matrix)

    def other_counts(self) -> dict[str, dict[str, int]]:
        out = {}
        for name, items in (("category", self.categories), ("mitigation", self.mitigations),
                            ("review", self.assessments)):
            created = sum(isinstance(x, New) for x in items)
            if items:
                out[name] = {"created": created, "updated": len(items) - created}
        return out


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _refs(text: str) -> list[str]:
    return [normalise_ref(p) for p in re.split(r"[;,\s]+", text or "") if p.strip()]


class RiskResolver(ReviewRowsMixin):
    def __init__(self, book: Book, reg: RiskRegister, *, today: dt.date, user: str):
        self.book, self.reg, self.today, self.user = book, reg, today, user
        self.cs = RiskChanges(problems=list(book.problems))
        self.matrix: RiskMatrix = reg.matrix
        self.nodes: dict[int | str, Node] = {}     # risk id or workbook uid -> node
        self.by_ref: dict[str, list[Node]] = {}
        self.by_uid = {r.uid: r for r in reg.risks}
        self.existing_by_ref: dict[str, list[RiskRow]] = {}
        for r in reg.risks:
            self.existing_by_ref.setdefault(_key(r.ref), []).append(r)
        self.cat_names = {_key(c.name) for c in reg.categories}
        self.assessments = {a.uid: (r, a) for r in reg.risks for a in r.history}
        self.mitigations = {m.uid: (r, m) for r in reg.risks for m in r.mitigations}
        self.priorities: dict[str, list] = {}
        for p in reg.priorities:
            self.priorities.setdefault(normalise_ref(p.ref), []).append(p)
        self.headers: dict[tuple[str, str], str] = {}
        self.actions: dict[str, list] = {}
        for a in reg.actions:
            self.actions.setdefault(normalise_ref(a.ref), []).append(a)

    def error(self, layout, row: dict | None, column: str, message: str) -> None:
        self.cs.problems.append(Problem(message, sheet=layout.name, row=row["_row"] if row else None, column=column))

    def _header(self, layout, key: str) -> str:
        """The header of a layout's column, looked up once (every cell of 10,000 rows asks)."""
        found = self.headers.get((layout.name, key))
        if found is None:
            found = self.headers[layout.name, key] = next(c.header for c in layout.columns if c.key == key)
        return found

    def _bad(self, layout, row, key) -> bool:
        """The reader already reported this cell (an impossible date, a malformed id)."""
        return (layout.name, row["_row"], self._header(layout, key)) in self.book.bad_cells

    def _check(self, layout, row, key, check):
        header = self._header(layout, key)
        try:
            return check(row[key])
        except RiskValueError as exc:
            self.error(layout, row, header, exc.message)
            return None

    # -- the matrix and categories ------------------------------------------------------------

    def resolve_matrix(self) -> None:
        text = self.book.about_item(R.ABOUT_MATRIX)
        if not text:
            return
        try:
            theirs = RiskMatrix.from_json(text)
        except RiskValueError as exc:
            self.cs.problems.append(Problem(exc.message, sheet=L.ABOUT.name, column=R.ABOUT_MATRIX))
            return
        if self.reg.matrix_stored:
            if theirs != self.reg.matrix:
                self.cs.warnings.append("the workbook's risk matrix differs from this file's, which is kept")
        elif theirs != rm.DEFAULT_MATRIX:
            self.cs.matrix, self.matrix = theirs.to_dict(), theirs

    def resolve_categories(self) -> None:
        by_uid = {c.uid: c for c in self.reg.categories}
        by_name = {_key(c.name): c for c in self.reg.categories}
        for row in self.book.rows(R.CATEGORIES) or []:
            name = " ".join(row["name"].split())
            appetite = self._check(R.CATEGORIES, row, "appetite", self.matrix.check_appetite)
            if not name:
                self.error(R.CATEGORIES, row, "Category", "a category needs a name")
                continue
            cat = by_uid.get(row["uid"]) or by_name.get(_key(name))
            if cat is None:
                if _key(name) in self.cat_names:
                    self.error(R.CATEGORIES, row, "Category", f"the category '{name}' is listed twice")
                    continue
                self.cs.categories.append(New(RiskCategory, {"uid": row["uid"], "name": name, "appetite": appetite}))
            else:
                changes = {k: v for k, v in (("name", name), ("appetite", appetite)) if getattr(cat, k) != v}
                clash = by_name.get(_key(name))
                if "name" in changes and clash is not None and clash.id != cat.id:
                    self.error(R.CATEGORIES, row, "Category", f"another category is already called '{name}'")
                    continue
                if changes:
                    self.cs.categories.append(Edit(RiskCategory, cat.id, changes))
                self.cat_names.discard(_key(cat.name))
            self.cat_names.add(_key(name))

    def _category(self, name: str) -> None:
        """A category named on the Register: created when nothing else names it."""
        if name and _key(name) not in self.cat_names:
            self.cat_names.add(_key(name))
            self.cs.categories.append(New(RiskCategory, {"uid": None, "name": name, "appetite": None}))

    # -- the register ---------------------------------------------------------------------------

    def _links(self, row) -> tuple[list[int] | None, list[int] | None]:
        present = self.book.sheets[R.REGISTER.name].present
        priorities = actions = None
        if "priorities" in present:
            priorities = []
            for ref in _refs(row["priorities"]):
                found = self.priorities.get(ref)
                if not found:
                    self.error(R.REGISTER, row, "Linked priorities", f"'{ref}' is not a priority of the plan")
                else:
                    priorities.append(found[0].id)
        if "actions" in present:
            actions = []
            hinted = set(row.get("action_uids", "").split())
            for ref in _refs(row["actions"]):
                found = self.actions.get(ref, [])
                chosen = [a for a in found if a.uid in hinted] or found[:1]
                if not found:
                    self.error(R.REGISTER, row, "Linked actions", f"'{ref}' is not an action of the plan")
                elif len(found) > 1 and not hinted & {a.uid for a in found}:
                    self.cs.warnings.append(Problem(f"the plan has {len(found)} actions {ref}; the first is linked",
                                                    R.REGISTER.name, row["_row"], "Linked actions"))
                actions.extend(a.id for a in chosen)
        return (sorted(set(priorities)) if priorities is not None else None,
                sorted(set(actions)) if actions is not None else None)

    def _same_risk(self, row, claimed: set[str]) -> RiskRow | None:
        """The existing risk a row without an id repeats (same reference and title), if exactly one."""
        found = [r for r in self.existing_by_ref.get(_key(row["ref"]), [])
                 if _key(r.title) == _key(row["title"]) and r.uid not in claimed and r.id not in self.nodes]
        return found[0] if len(found) == 1 else None

    def resolve_register(self) -> None:
        sheet = self.book.sheets[R.REGISTER.name]
        seen: dict[str, int] = {}
        claimed = {row["uid"] for row in sheet.rows if row["uid"] in self.by_uid}
        for row in sheet.rows:
            uid = row["uid"]
            if uid and uid in seen:
                self.error(R.REGISTER, row, "Risk id", f"this risk id is also on row {seen[uid]}; "
                                                        "a copied row must have its id cleared")
                continue
            if uid:
                seen[uid] = row["_row"]
            values = {}
            for key in FIELDS:
                if key in KEEP_WHEN_BLANK and not row[key]:
                    continue  # every risk has a review cycle: a blank cell leaves it as it is
                unreadable = key in ("target_date", "next_review") and self._bad(R.REGISTER, row, key)
                if key in sheet.present and not unreadable:
                    value = self._check(R.REGISTER, row, key, lambda v, k=key: clean_value(self.matrix, k, v))
                    if value is not None or key in DEFAULTS:
                        values[key] = value
            position = (self._check(R.REGISTER, row, "likelihood", lambda v: self.matrix.check("likelihood", v)),
                        self._check(R.REGISTER, row, "impact", lambda v: self.matrix.check("impact", v)))
            priorities, actions = self._links(row)
            if priorities is not None:
                values["priority_ids"] = priorities
            if actions is not None:
                values["action_ids"] = actions
            if not row["ref"] or not row["title"] or None in position:
                continue  # reported by the checks above
            self._category(values.get("category", ""))
            self._score_typed(row, position)
            existing = self.by_uid.get(uid) if uid else self._same_risk(row, claimed)
            if existing is not None:
                node = self._node_for_existing(existing)
                stale = self._stale(row, existing, position)
                if stale:
                    values.pop("next_review", None)
                node.changes = {k: v for k, v in values.items() if v != _current(existing, k)}
                node.moved = not stale and position != (existing.likelihood, existing.impact)
            else:
                new = New(Risk, {**{k: "" for k in FIELDS}, **DEFAULTS, **values, "uid": uid})
                node = Node(new=new, moved=True)
                self.cs.risks.append(new)
                self.nodes[uid or id(new)] = node
            node.position, node.on_sheet = position, True
            self.by_ref.setdefault(_key(row["ref"]), []).append(node)

    def _score_typed(self, row, position) -> None:
        """A number typed over the Score formula is not taken; say so rather than drop it quietly."""
        typed = row.get("score", "")
        if typed and typed != str(position[0] * position[1]):
            self.cs.warnings.append(Problem(
                f"the score '{typed}' is not likelihood \u00d7 impact ({position[0] * position[1]}); the score is "
                "always worked out, so change the likelihood or impact instead", R.REGISTER.name, row["_row"], "Score"))

    def _stale(self, row, risk: RiskRow, position) -> bool:
        """The row was written before the risk's latest review (its Last reviewed is older), so its
        likelihood, impact and next review are out of date and are not taken."""
        if "last_review" not in self.book.sheets[R.REGISTER.name].present or risk.last_reviewed is None:
            return False
        seen = row["last_review"]
        if seen is not None and seen >= risk.last_reviewed:
            return False
        if position != (risk.likelihood, risk.impact):
            self.cs.warnings.append(Problem(
                f"{risk.ref} has a review dated {risk.last_reviewed:%d/%m/%Y}, after this workbook was written, so "
                "its likelihood and impact here were not taken; add a History row to record another review",
                R.REGISTER.name, row["_row"], "Likelihood"))
        return True

    def _node_for_existing(self, risk: RiskRow) -> Node:
        node = self.nodes.get(risk.id)
        if node is None:
            node = self.nodes[risk.id] = Node(row=risk, next_mitigation=len(risk.mitigations))
            node.timeline = {a.id: (a.date, a.likelihood, a.impact) for a in risk.history}
        return node

    def _owner(self, layout, row) -> Node | None:
        """The risk a History or Mitigations row belongs to."""
        uid = row["risk_uid"]
        if uid and uid in self.nodes:
            return self.nodes[uid]
        existing = self.by_uid.get(uid) if uid else None
        if existing is not None:
            return self._node_for_existing(existing)
        found = self.by_ref.get(_key(row["risk_ref"]))
        if not found:
            found = [self._node_for_existing(r) for r in self.existing_by_ref.get(_key(row["risk_ref"]), [])]
        if len(found) != 1:
            what = "no risk has" if not found else "more than one risk has"
            self.error(layout, row, "Risk ref", f"{what} the reference '{row['risk_ref']}'"
                       + ("" if not found else "; keep the hidden risk id to say which"))
            return None
        return found[0]

    # -- the current position, and counting -----------------------------------------------------

    def finish(self, file_name: str) -> RiskChanges:
        for node in self.nodes.values():
            latest = max(((d, order, lk, im) for order, (d, lk, im) in node.timeline.items()), default=None)
            current = node.position if node.moved else (latest[2:] if latest else None)
            if node.moved and (latest is None or latest[2:] != node.position):
                self.cs.assessments.append(New(RiskAssessment, {
                    "uid": None, "risk": node.key, "date": self.today, "likelihood": node.position[0],
                    "impact": node.position[1], "note": f"Recorded from the workbook {file_name}",
                    "assessor": self.user}))
                node.touched = True
                if "next_review" not in node.changes and (node.new is None or not node.new.values["next_review"]):
                    freq = node.changes.get("review_frequency") or (
                        node.new.values["review_frequency"] if node.new else node.row.review_frequency)
                    node.changes["next_review"] = rm.next_review_date(self.today, freq)
            target = node.new.values if node.new is not None else node.changes
            if node.new is not None:
                target.update(node.changes)
            if current is not None and (node.row is None or current != (node.row.likelihood, node.row.impact)):
                target["current_likelihood"], target["current_impact"] = current
            if node.new is not None:
                self.cs.created += 1
            elif node.changes or node.touched:
                self.cs.risks.append(Edit(Risk, node.row.id, node.changes))
                self.cs.updated += 1
            elif node.on_sheet:
                self.cs.unchanged += 1
        return self.cs


def _current(r: RiskRow, key: str):
    if key in ("priority_ids", "action_ids"):
        return sorted(getattr(r, key))
    return getattr(r, key)


def resolve(book: Book, reg: RiskRegister, *, today: dt.date, user: str) -> RiskChanges:
    r = RiskResolver(book, reg, today=today, user=user)
    r.resolve_matrix()
    r.resolve_categories()
    r.resolve_register()
    r.resolve_history()
    r.resolve_mitigations()
    return r.finish(book.name)
