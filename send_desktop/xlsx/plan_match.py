"""Matching an officer's plan rows to the plan's actions by their wording, after their references.

`plan_foreign` first gives each row the action with its reference (and, among repeated
references, its wording, then its order). The rows left over, whose reference the plan does not
have, are compared here with the actions no row took (`tolerant.similar.match`, grouped by the
outcome reference, so a tie goes to the action under the same outcome):

- a sure match updates that action: its wording, its reference (an officer renumbered 2.3.1 to
  2.4.1) and whatever else the row changed; the report says so;
- a doubtful match is only a suggestion: the row is a new action and a warning says which
  action it may be, unless the user accepted it (then it updates that action, as a sure one);
- a decision names a row by its key, "sheet!row" as Excel numbers the row ("PAP 2025!14"):
  `decisions` maps keys to True (accept) or False (reject: a new action, even for a sure match),
  or is "all" (accept every doubtful match) or "none" (only sure matches, the default);
- each match is listed in the report (`TextMatch.as_dict`: the row's sheet, row, ref and text, the
  action's ref and text, the similarity and whether it was merged), so the user can confirm it.

A re-import of the same workbook after that changes nothing: a merged action now has the row's
reference, and a row imported as a new action is matched to that new action by its reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from send_desktop.core.refs import normalise_ref
from send_desktop.errors import BadInputError, Problem
from send_desktop.xlsx.tolerant import similar


def row_key(sheet: str, row: int) -> str:
    """How a decision names a workbook row: "sheet!row"."""
    return f"{sheet}!{row}"


@dataclass
class TextMatch:
    key: str
    sheet: str
    row: int
    ref: str
    text: str
    action_uid: str
    action_ref: str
    action_text: str
    similarity: float
    sure: bool
    merged: bool = False

    def as_dict(self) -> dict:
        return {"key": self.key, "sheet": self.sheet, "row": self.row, "ref": self.ref, "text": self.text,
                "action_ref": self.action_ref, "action_text": self.action_text,
                "similarity": self.similarity, "sure": self.sure, "merged": self.merged}


def check_decisions(decisions) -> dict[str, bool] | str | None:
    """`decisions` as `match_by_wording` takes them, or a `BadInputError` saying what is wrong.
    Besides {key: bool}, "all" and "none", a list of the report's matches is taken, each with an
    "accept" (true or false), as a dry run's "matches" list edited by hand."""
    if decisions is None or isinstance(decisions, str) and decisions.casefold() in ("all", "none"):
        return decisions.casefold() if isinstance(decisions, str) else None
    if isinstance(decisions, list):
        try:
            decisions = {str(d["key"]): d["accept"] for d in decisions if "accept" in d}
        except (TypeError, KeyError):
            decisions = None
    if isinstance(decisions, dict) and all(isinstance(v, bool) for v in decisions.values()):
        return {str(k): v for k, v in decisions.items()}
    message = ('the match decisions are not usable: give "all", "none", {"sheet!row": true or false}, or the '
               'report\'s "matches" list with "accept": true or false on each')
    raise BadInputError(message, [Problem(message)])


def _accepts(decisions, key: str, sure: bool) -> bool:
    if isinstance(decisions, dict) and key in decisions:
        return decisions[key]
    return sure or decisions == "all"


def match_by_wording(rows: list[dict], actions: list, where, decisions=None) -> tuple[list[TextMatch], list]:
    """Pair the rows no reference matched with the actions no row took (see the module notes);
    a merged row gets its action's uid. `where(row)` gives the row's (sheet, Excel row).
    Returns the matches and the warnings for the report."""
    decisions = check_decisions(decisions)
    free = [r for r in rows if not r["action_uid"] and r["text"]]
    if not free or not actions:
        return [], []
    by_uid = {a.uid: a for a in actions}
    by_row = {r["_row"]: r for r in free}
    found = similar.match([(r["_row"], r["text"], r["outcome_ref"]) for r in free],
                          [(a.uid, a.text, normalise_ref(a.ref).rpartition(".")[0]) for a in actions])
    out, warnings = [], []
    for m in found:
        row, a = by_row[m.row], by_uid[m.record]
        sheet, excel_row = where(row)
        tm = TextMatch(row_key(sheet, excel_row), sheet, excel_row, row["ref"], row["text"], a.uid, a.ref, a.text,
                       m.score, m.sure)
        tm.merged = _accepts(decisions, tm.key, m.sure)
        pct = f"{m.score:.0%}"
        if tm.merged:
            row["action_uid"] = a.uid
            how = "by its wording" if m.sure else "by its wording, as you confirmed"
            warnings.append(Problem(f"no action of the plan has the ref {row['ref']}; the row was matched {how} "
                                    f"to action {a.ref} (similarity {pct}), which it updates", sheet, excel_row))
        elif not m.sure and not (isinstance(decisions, dict) and tm.key in decisions):
            warnings.append(Problem(f"the row may be action {a.ref} reworded (similarity {pct}), but that is not "
                                    "sure, so it was imported as a new action; accept the match to update "
                                    f"{a.ref} instead", sheet, excel_row))
        out.append(tm)
    if isinstance(decisions, dict):
        known = {tm.key for tm in out}
        for key in sorted(set(decisions) - known):
            warnings.append(Problem(f"the match decision for row {key} was not used: no row there was matched "
                                    "by its wording"))
    return out, warnings
