"""The History and Mitigations sheets of a returned risk workbook (part of `risk_xlsx_resolve`).

Each row finds its risk (`RiskResolver._owner`: the hidden risk id, else the reference), is
checked cell by cell, and becomes an edit of the review or mitigation its hidden id names, or a
new one. A row without an id that repeats an existing review (same date and levels) or
mitigation (same words) of its risk is that record, so importing the same workbook twice does
not add it twice. New reviews join the risk's timeline, from which `finish` takes the current
position.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from send_desktop.core import risk_matrix as rm
from send_desktop.errors import Problem
from send_desktop.storage.models import RiskAssessment, RiskMitigation
from send_desktop.xlsx import risk_xlsx_layout as R
from send_desktop.xlsx.changeset import Edit, New

if TYPE_CHECKING:
    from send_desktop.xlsx.risk_xlsx_resolve import Node

_FAR = 1 << 40  # orders new assessments after every existing one of the same date


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


class ReviewRowsMixin:
    """Needs from the resolver: book, cs, matrix, today, assessments and mitigations by uid,
    `_owner`, `_check`, `_bad` and `error`."""

    def _edit_known(self, layout, row, node: Node, known, values: dict, model, edits: list):
        """A row naming an existing review or mitigation: the fields that differ become an edit.
        None when the record belongs to another risk than the row's."""
        risk, record = known
        if node.row is None or node.row.id != risk.id:
            what = "review" if model is RiskAssessment else "mitigation"
            self.error(layout, row, f"{'Assessment' if what == 'review' else 'Mitigation'} id",
                       f"this {what} belongs to risk {risk.ref}")
            return None
        changes = {k: v for k, v in values.items() if getattr(record, k) != v}
        if changes:
            edits.append(Edit(model, record.id, changes))
            node.touched = True
        return record

    def resolve_history(self) -> None:
        for n, row in enumerate(self.book.rows(R.HISTORY) or []):
            node = self._owner(R.HISTORY, row)
            lk = self._check(R.HISTORY, row, "likelihood", lambda v: self.matrix.check("likelihood", v))
            im = self._check(R.HISTORY, row, "impact", lambda v: self.matrix.check("impact", v))
            if row["date"] is None and not self._bad(R.HISTORY, row, "date"):
                self.error(R.HISTORY, row, "Date", "a review needs the date it was made")
            if node is None or row["date"] is None or None in (lk, im):
                continue
            values = {"date": row["date"], "likelihood": lk, "impact": im, "note": row["note"],
                      "assessor": row["assessor"]}
            known = self.assessments.get(row["uid"]) or self._same_review(node, row["uid"], values)
            if known is not None:
                a = self._edit_known(R.HISTORY, row, node, known, values, RiskAssessment, self.cs.assessments)
                if a is not None:
                    node.timeline[a.id] = (row["date"], lk, im)
            else:
                self.cs.assessments.append(New(RiskAssessment, {**values, "uid": row["uid"], "risk": node.key}))
                node.touched = True
                node.timeline[_FAR + n] = (row["date"], lk, im)
            if row["date"] > self.today:
                self.cs.warnings.append(Problem("the review is dated in the future", R.HISTORY.name, row["_row"],
                                                "Date"))

    def _same_review(self, node: Node, uid, values):
        if uid or node.row is None:
            return None
        for a in node.row.history:
            if (a.date, a.likelihood, a.impact) == (values["date"], values["likelihood"], values["impact"]) \
                    and a.id in node.timeline and a.id not in node.matched:
                node.matched.add(a.id)
                return node.row, a
        return None

    def _same_mitigation(self, node: Node, uid, values):
        if uid or node.row is None:
            return None
        for m in node.row.mitigations:
            if _key(m.text) == _key(values["text"]) and m.id not in node.matched_mitigations:
                node.matched_mitigations.add(m.id)
                return node.row, m
        return None

    def resolve_mitigations(self) -> None:
        for row in self.book.rows(R.MITIGATIONS) or []:
            node = self._owner(R.MITIGATIONS, row)
            status = self._check(R.MITIGATIONS, row, "status", rm.normalise_mitigation_status)
            if not row["text"]:
                self.error(R.MITIGATIONS, row, "Further mitigation", "say what will be done")
            if node is None or status is None or not row["text"] or self._bad(R.MITIGATIONS, row, "due"):
                continue
            values = {"text": row["text"], "owner": " ".join(row["owner"].split()), "due_date": row["due"],
                      "status": status}
            known = self.mitigations.get(row["uid"]) or self._same_mitigation(node, row["uid"], values)
            if known is not None:
                self._edit_known(R.MITIGATIONS, row, node, known, values, RiskMitigation, self.cs.mitigations)
            else:
                self.cs.mitigations.append(New(RiskMitigation, {**values, "uid": row["uid"], "risk": node.key,
                                                                "position": node.next_mitigation}))
                node.next_mitigation += 1
                node.touched = True
