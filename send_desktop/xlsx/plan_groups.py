"""Priorities and outcomes in a returned workbook: the part of the resolution that gathers them.

A priority or outcome is described in two places: its own sheet (Priorities, Outcomes), and
again on every Plan row under it. `Node` collects what each place says and decides which value
stands (see its docstring); `GroupsMixin` supplies the Resolver's steps that match rows to
records, by id first and then by reference, and turns the result into edits and new records.
"""

from __future__ import annotations

from send_desktop.core.refs import normalise_ref, parent_ref
from send_desktop.errors import Problem
from send_desktop.storage.models import Outcome, Priority
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.changeset import Edit, New

_WORDS = {"ref": "reference", "statement": "statement", "text": "wording", "kind": "kind"}


class Node:
    """A priority or outcome as the workbook describes it.

    Its own sheet (Priorities, Outcomes) is where it is changed. The Plan sheet repeats its
    reference and wording on every row for reading; those copies are used only when its own
    sheet has no row for it (a record typed on the Plan sheet, or a workbook without that
    sheet), and then one changed copy is taken. Letting any copy that differs from the database
    win instead would flip a value back and forth on each import when the copies disagree.
    """

    def __init__(self, ref, base: dict | None, kind: str, home: str):
        self.ref = ref          # id, or the New record
        self.base = base        # its values in the database (normalised), None when new
        self.kind = kind
        self.home = home        # the name of its own sheet
        self.seen: dict[str, list[tuple[object, Problem]]] = {}
        self._offered: set = set()  # (field, from the home sheet, value) of every offer kept in `seen`
        #: a new record already written while the rows were checked (`plan_stream`): the values
        #: it was written with (its parent, for an outcome, under "parent")
        self.written: dict | None = None

    def offer(self, field: str, value, where: Problem) -> None:
        # `final` looks only at the first offer of each value from the home sheet and from the
        # copies: a repeat changes nothing, and is not kept (an outcome on 5,000 rows would
        # otherwise hold 5,000 offers of the same wording)
        home = where.sheet == self.home
        try:
            key = (field, home, value)
            hash(key)
        except TypeError:  # a list (a multi-line cell): compared as its text
            key = (field, home, repr(value))
        if key in self._offered:
            return
        self._offered.add(key)
        self.seen.setdefault(field, []).append((value, where))

    def final(self, field: str, warnings: list, default=None):
        offers = self.seen.get(field, [])
        home = [value for value, where in offers if where.sheet == self.home]
        copies = [(value, where) for value, where in offers if where.sheet != self.home]
        if home:
            stale = next((where for value, where in copies if value != home[0]), None)
            if stale is not None:
                warnings.append(Problem(
                    f"differs from the {self.kind}'s {_WORDS.get(field, field)} on sheet '{self.home}', which "
                    f"was used; change it on that sheet", stale.sheet, stale.row, stale.column))
            return home[0]
        base = self.base[field] if self.base else default
        changed: list[tuple[object, Problem]] = []
        for value, where in copies:
            if value != base and all(value != v for v, _ in changed):
                changed.append((value, where))
        if len(changed) > 1:
            first, other = changed[0][1], changed[1][1]
            warnings.append(Problem(
                f"this {self.kind}'s {_WORDS.get(field, field)} is given differently on row {other.row}; "
                f"the value here was used", first.sheet, first.row, first.column))
        return changed[0][0] if changed else base


class GroupsMixin:
    """Steps of `plan_resolve.Resolver` for priorities and outcomes (they use its helpers)."""

    def priorities(self) -> None:
        snap = self.snap
        self.pri_by_uid: dict[str, Node] = {}
        self.pri_by_ref: dict[str, Node] = {}
        self.pri_nodes: list[Node] = []
        self.pri_top = -1
        for p in snap.priorities if snap else []:
            base = {"ref": L.text(p.ref), "kind": L.text(p.kind), "statement": L.text(p.statement),
                    "workstream_id": p.workstream_id, "evidence_of_impact": L.lines(p.evidence_of_impact),
                    "difference_for_cyp": L.lines(p.difference_for_cyp)}
            node = Node(p.id, base, "priority", L.PRIORITIES.name)
            self._register(node, p.uid, p.ref, self.pri_by_uid, self.pri_by_ref, self.pri_nodes)
            self.pri_top = max(self.pri_top, p.position)
        claimed: set = set()
        seen: set = set()
        for row in self.book.rows(L.PRIORITIES) or []:
            if not row["ref"]:
                self.error(L.PRIORITIES, row, "Ref", "a priority needs a reference, such as 2")
                continue
            uid = self.row_uid(L.PRIORITIES, row, "uid", "Priority id", seen)
            node = self._match(uid, row["ref"], self.pri_by_uid, self.pri_by_ref, claimed)
            if node is None:
                node = self.new_priority(uid)
                self._index_ref(node, row["ref"], self.pri_by_ref)
            claimed.add(node)
            for key, header in (("ref", "Ref"), ("kind", "Kind"), ("statement", "Statement"),
                                ("evidence_of_impact", "How we will evidence impact"),
                                ("difference_for_cyp", "Difference for children and young people")):
                node.offer(key, row[key], self.where(L.PRIORITIES, row, header))
            node.offer("workstream_id", self.workstream(L.PRIORITIES, row, "Workstream", row["workstream"]),
                       self.where(L.PRIORITIES, row, "Workstream"))

    def new_priority(self, uid) -> Node:
        node = Node(New(Priority, {"uid": self.fresh_uid(uid, "priority")}), None, "priority", L.PRIORITIES.name)
        self._register(node, node.ref.values["uid"], "", self.pri_by_uid, self.pri_by_ref, self.pri_nodes)
        return node

    def outcomes(self) -> None:
        snap = self.snap
        self.out_by_uid: dict[str, Node] = {}
        self.out_by_ref: dict[str, Node] = {}
        self.out_nodes: list[Node] = []
        self.action_top: dict[int, int] = {}
        pri_nodes = {n.ref: n for n in self.pri_nodes}
        for o in snap.outcomes() if snap else []:
            parent = pri_nodes[o.priority_id]
            node = Node(o.id, {"ref": L.text(o.ref), "text": L.text(o.text), "parent": parent}, "outcome",
                        L.OUTCOMES.name)
            self._register(node, o.uid, o.ref, self.out_by_uid, self.out_by_ref, self.out_nodes)
            self.positions[("outcome", o.priority_id)] = max(self.positions.get(("outcome", o.priority_id), -1),
                                                             o.position)
            self.action_top[o.id] = max((a.position for a in o.actions), default=-1)
        claimed: set = set()
        seen: set = set()
        for row in self.book.rows(L.OUTCOMES) or []:
            if not row["ref"]:
                self.error(L.OUTCOMES, row, "Ref", "an outcome needs a reference, such as 2.4")
                continue
            parent = self.pri_by_uid.get(row["priority_uid"]) or self.pri_by_ref.get(
                normalise_ref(row["priority_ref"] or parent_ref(row["ref"]) or ""))
            if parent is None:
                self.error(L.OUTCOMES, row, "Priority ref",
                           f"no priority '{row['priority_ref'] or parent_ref(row['ref'])}' for this outcome")
                continue
            uid = self.row_uid(L.OUTCOMES, row, "uid", "Outcome id", seen)
            node = self._match(uid, row["ref"], self.out_by_uid, self.out_by_ref, claimed)
            if node is None:
                node = self.new_outcome(uid, parent, self.where(L.OUTCOMES, row, "Priority ref"))
                self._index_ref(node, row["ref"], self.out_by_ref)
            claimed.add(node)
            node.offer("ref", row["ref"], self.where(L.OUTCOMES, row, "Ref"))
            node.offer("text", row["text"], self.where(L.OUTCOMES, row, "Outcome"))
            node.offer("parent", parent, self.where(L.OUTCOMES, row, "Priority ref"))

    def new_outcome(self, uid, parent: Node, where: Problem) -> Node:
        node = Node(New(Outcome, {"uid": self.fresh_uid(uid, "outcome")}), None, "outcome", L.OUTCOMES.name)
        node.offer("parent", parent, where)
        self._register(node, node.ref.values["uid"], "", self.out_by_uid, self.out_by_ref, self.out_nodes)
        return node

    @staticmethod
    def _register(node, uid, ref, by_uid, by_ref, nodes) -> None:
        nodes.append(node)
        by_uid[uid] = node
        if ref:
            by_ref.setdefault(normalise_ref(ref), node)

    @staticmethod
    def _index_ref(node, ref, by_ref) -> None:
        by_ref.setdefault(normalise_ref(ref), node)

    @staticmethod
    def _match(uid, ref, by_uid, by_ref, claimed) -> Node | None:
        if uid and uid in by_uid:
            return by_uid[uid]
        node = by_ref.get(normalise_ref(ref))
        return node if node is not None and node not in claimed and not isinstance(node.ref, New) else None

    def priority_values(self, node: Node, warnings: list) -> dict:
        values = {f: node.final(f, warnings, d) for f, d in _PRIORITY_FIELDS}
        if node.base is None:
            values["kind"] = values["kind"] or "area for priority action"
        return values

    def outcome_values(self, node: Node, warnings: list) -> tuple[Node, dict]:
        return node.final("parent", warnings), {"ref": node.final("ref", warnings, ""),
                                                "text": node.final("text", warnings, "")}

    def place_priority(self, node: Node, values: dict) -> New:
        """A new priority's record, given its values and the next position."""
        values["position"] = self.next_position("priority", 0, self.pri_top)
        node.ref.values.update(values, plan_id=self.cs.plan)
        return node.ref

    def place_outcome(self, node: Node, parent: Node, values: dict) -> New:
        values["position"] = self.next_position("outcome", parent.ref)
        node.ref.values.update(values, priority_id=parent.ref)
        return node.ref

    def stream_nodes(self) -> tuple[list[New], list[New]]:
        """The new priorities and outcomes made since the last call, with the values their rows have
        given so far, to be written now (`plan_stream`); `finish_nodes` turns any value a later row
        changes into an edit. Positions are given in the order `finish_nodes` gives them."""
        done = getattr(self, "_nodes_streamed", (0, 0))
        pris, outs = [], []
        for node in self.pri_nodes[done[0]:]:
            if node.base is None:
                values = self.priority_values(node, [])
                node.written = dict(values)
                pris.append(self.place_priority(node, values))
        for node in self.out_nodes[done[1]:]:
            if node.base is None:
                parent, values = self.outcome_values(node, [])
                node.written = dict(values, parent=parent)
                outs.append(self.place_outcome(node, parent, values))
        self._nodes_streamed = (len(self.pri_nodes), len(self.out_nodes))
        return pris, outs

    def finish_nodes(self) -> None:
        """Turn the gathered values of every priority and outcome into edits and new records."""
        w = self.warnings
        for node in self.pri_nodes:
            values = self.priority_values(node, w)
            if node.written is not None:  # created by this import, a part ago: corrected, not "updated"
                changes = {k: v for k, v in values.items() if v != node.written[k]}
                if changes:
                    self.cs.priorities.append(Edit(Priority, node.ref.obj.id, changes, counted=False))
            elif node.base is None:
                self.cs.priorities.append(self.place_priority(node, values))
            else:
                changes = {k: v for k, v in values.items() if v != node.base[k]}
                if changes:
                    self.cs.priorities.append(Edit(Priority, node.ref, changes))
        for node in self.out_nodes:
            parent, values = self.outcome_values(node, w)
            if node.written is not None:
                changes = {k: v for k, v in values.items() if v != node.written[k]}
                if parent is not node.written["parent"]:
                    changes.update(priority_id=parent.ref, position=self.next_position("outcome", parent.ref))
                if changes:
                    self.cs.outcomes.append(Edit(Outcome, node.ref.obj.id, changes, counted=False))
            elif node.base is None:
                self.cs.outcomes.append(self.place_outcome(node, parent, values))
            else:
                changes = {k: v for k, v in values.items() if v != node.base[k]}
                if parent is not node.base["parent"]:
                    changes.update(priority_id=parent.ref, position=self.next_position("outcome", parent.ref))
                if changes:
                    self.cs.outcomes.append(Edit(Outcome, node.ref, changes))


_PRIORITY_FIELDS = (("ref", ""), ("kind", ""), ("statement", ""), ("workstream_id", None),
                    ("evidence_of_impact", ""), ("difference_for_cyp", ""))
