"""What the scoring form is editing, held in memory: ratings, N/A reasons, comments, "no needs
identified", the critical-concern flag, the live grade, what is still to be saved, and undo.

Kept free of Qt so the key-press path is plain Python: a key changes one value here, `grade()`
re-grades with the prepared `Grader` (well under a millisecond on the default framework), and
the form repaints only the rows this returns. Saving is left to the form, which asks for
`take_changes()` after a pause in typing; the delta is in the shape `update_audit` and
`update_moderation` take, built from the current values, so a failed save only has to mark the
same keys unsaved again (`keep_unsaved`) and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from send_desktop.audits.framework import NA, NOT_GRADED, Criterion, Framework, Section
from send_desktop.audits.grading import GradeResult, grader_for
from send_desktop.errors import UserError

UNDO_LIMIT = 500

#: Grade colours for chips and swatches. The grade's name is always shown with them; the colour
#: only helps the eye find the weak ones. Unknown names (a council's own bands) are grey.
GRADE_COLOURS = {"Outstanding": "#1e7b45", "Good": "#8fd19e", "Requires improvement": "#f6c343",
                 "Inadequate": "#c8372d", NA: "#e3e3e3", NOT_GRADED: "#d0d0d0"}
VALUE_COLOURS = ("#f2b8b3", "#fbe3a1", "#bfe3c9", "#7cc897")  # not met .. exemplary, by fraction of max
NA_COLOUR = "#e3e3e3"
NOT_RATED_COLOUR = "#ffffff"


def grade_colour(grade: str | None) -> str:
    return GRADE_COLOURS.get(grade or "", "#d0d0d0")


def value_label(value: int, maximum: int) -> str:
    """The words for a rating: on the default 0-3 scale those of issue 3; otherwise "2 of 4"."""
    if maximum == 3:
        return ("Not met", "Partly met", "Met", "Exemplary")[value]
    if maximum == 1:
        return ("Not met", "Met")[value]
    return f"{value} of {maximum}"


def value_colour(value: int, maximum: int) -> str:
    if value <= 0:
        return VALUE_COLOURS[0]
    if value >= maximum:
        return VALUE_COLOURS[3]
    return VALUE_COLOURS[1] if 3 * value < 2 * maximum else VALUE_COLOURS[2]


class Refused(UserError):
    """A key that cannot do what it asks here; the form shows the message inline, not in a box."""


class ScoringState:
    """One audit's (or moderation's) scoring, with the last grade computed from it."""

    def __init__(self, fw: Framework, ratings: Mapping | None = None, na_reasons: Mapping | None = None,
                 comments: Mapping | None = None, no_needs: Iterable[str] = (), critical_concern: bool = False):
        self.fw = fw
        self.grader = grader_for(fw)
        self.section_by_code: dict[str, Section] = {s.code: s for s in fw.sections}
        self.criterion_by_id: dict[str, tuple[Section, Criterion]] = {
            c.id: (s, c) for s in fw.sections for c in s.criteria}
        # A stored rating for a criterion this framework no longer has would make grading refuse
        # the whole audit; such values are dropped from view (the stored audit keeps them).
        self.ratings: dict = {k: v for k, v in (ratings or {}).items() if k in self.criterion_by_id}
        self.na_reasons: dict = dict(na_reasons or {})
        self.comments: dict = dict(comments or {})
        self.no_needs: set[str] = {c for c in no_needs if c in self.section_by_code}
        self.critical_concern = bool(critical_concern)
        self._dirty_criteria: set[str] = set()
        self._dirty_comments: set[str] = set()
        self._dirty_flags: set[str] = set()  # "no_needs", "critical_concern"
        self._undo: list[tuple] = []
        self.result: GradeResult = self.grade()

    # -- reading ---------------------------------------------------------------------------

    def grade(self) -> GradeResult:
        self.result = self.grader.grade(self.ratings, self.no_needs, self.critical_concern, self.na_reasons)
        return self.result

    def off_reason(self, cid: str) -> str | None:
        """Why a criterion is N/A because of "no needs identified", or None."""
        section, criterion = self.criterion_by_id[cid]
        needs = self.grader.paired_by.get(section.code)
        if needs in self.no_needs:
            return f"no needs identified in {needs}"
        if section.code in self.no_needs and criterion.no_needs_role == "needs_dependent":
            return "no needs identified"
        return None

    def section_off_reason(self, code: str) -> str | None:
        needs = self.grader.paired_by.get(code)
        return f"no needs identified in {needs}" if needs in self.no_needs else None

    def unrated(self) -> list[str]:
        """Criteria that still count as "not evidenced" (0) because nobody rated them."""
        return [cid for cid in self.criterion_by_id if cid not in self.ratings and self.off_reason(cid) is None]

    @property
    def has_changes(self) -> bool:
        return bool(self._dirty_criteria or self._dirty_comments or self._dirty_flags)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    # -- changing (each returns what to repaint: criterion ids and section codes) ---------------

    def rate(self, cid: str, value: int | None) -> set[str]:
        section, criterion = self.criterion_by_id[cid]
        off = self.off_reason(cid)
        if off is not None and value is not None:
            raise Refused(f"{cid} is N/A because {off}; press X on that section to score it again.")
        if value is not None and not 0 <= value <= criterion.max:
            raise Refused(f"{cid} is rated 0 to {criterion.max}.")
        return self._set_rating(cid, value, None)

    def set_na(self, cid: str, reason: str) -> set[str]:
        section, _ = self.criterion_by_id[cid]
        self.check_na_allowed(cid)
        reason = " ".join(reason.split())
        if not reason:
            raise Refused(f"Say why {cid} does not apply, so a moderator can follow the decision.")
        return self._set_rating(cid, "na", reason)

    def check_na_allowed(self, cid: str) -> None:
        section, _ = self.criterion_by_id[cid]
        if self.off_reason(cid) is not None:
            raise Refused(f"{cid} is already N/A because {self.off_reason(cid)}.")
        if not section.na_allowed:
            raise Refused(f"Section {section.code} ({section.title}) does not allow N/A: not evidenced is 0, "
                          f"not N/A. Rate it 0 if the plan does not show it.")

    def _set_rating(self, cid: str, value, reason: str | None, record: bool = True) -> set[str]:
        before = (self.ratings.get(cid), self.na_reasons.get(cid))
        if before == (value, reason):
            return set()
        if record:
            self._push(("criterion", cid, before))
        if value is None:
            self.ratings.pop(cid, None)
        else:
            self.ratings[cid] = value
        if reason:
            self.na_reasons[cid] = reason
        else:
            self.na_reasons.pop(cid, None)
        self._dirty_criteria.add(cid)
        return {cid, self.criterion_by_id[cid][0].code}

    def toggle_no_needs(self, code: str) -> set[str]:
        section = self.section_by_code[code]
        if not section.accepts_no_needs:
            markable = ", ".join(s.code for s in self.fw.sections if s.accepts_no_needs) or "none"
            raise Refused(f"Section {code} cannot be marked \"no needs identified\" (sections that can: {markable}).")
        return self._set_no_needs(self.no_needs ^ {code})

    def _set_no_needs(self, value: set[str], record: bool = True) -> set[str]:
        if value == self.no_needs:
            return set()
        if record:
            self._push(("no_needs", None, frozenset(self.no_needs)))
        touched = self.no_needs ^ value
        self.no_needs = set(value)
        self._dirty_flags.add("no_needs")
        out = set(touched)
        for code in touched:
            section = self.section_by_code[code]
            out |= {c.id for c in section.criteria}
            if section.paired_with:
                out.add(section.paired_with)
                out |= {c.id for c in self.section_by_code[section.paired_with].criteria}
        return out

    def set_comment(self, cid: str, text: str, record: bool = True) -> set[str]:
        text = text.strip()
        before = self.comments.get(cid, "")
        if text == before:
            return set()
        if record:
            self._push(("comment", cid, before))
        if text:
            self.comments[cid] = text
        else:
            self.comments.pop(cid, None)
        self._dirty_comments.add(cid)
        return {cid}

    def set_critical(self, flag: bool, record: bool = True) -> set[str]:
        if bool(flag) == self.critical_concern:
            return set()
        if record:
            self._push(("critical", None, self.critical_concern))
        self.critical_concern = bool(flag)
        self._dirty_flags.add("critical_concern")
        return set()

    def _push(self, entry: tuple) -> None:
        self._undo.append(entry)
        del self._undo[:-UNDO_LIMIT]

    def undo(self) -> tuple[str, str | None, set[str]] | None:
        """Take back the last change: (what was undone, the criterion to show, what to repaint)."""
        if not self._undo:
            return None
        kind, key, before = self._undo.pop()
        if kind == "criterion":
            return f"rating of {key}", key, self._set_rating(key, before[0], before[1], record=False)
        if kind == "comment":
            return f"comment on {key}", key, self.set_comment(key, before, record=False)
        if kind == "no_needs":
            changed = self._set_no_needs(set(before), record=False)
            return "\"no needs identified\"", None, changed
        self.set_critical(before, record=False)
        return "critical concern", None, set()

    # -- saving ----------------------------------------------------------------------------

    def take_changes(self) -> dict:
        """What changed since the last call, as `update_audit` takes it; marks it saved."""
        delta: dict = {}
        if self._dirty_criteria:
            delta["ratings"] = {cid: self.ratings.get(cid) for cid in self._dirty_criteria}
            delta["na_reasons"] = {cid: self.na_reasons.get(cid, "") for cid in self._dirty_criteria}
        if self._dirty_comments:
            delta["comments"] = {cid: self.comments.get(cid, "") for cid in self._dirty_comments}
        if "no_needs" in self._dirty_flags:
            delta["no_needs"] = sorted(self.no_needs)
        if "critical_concern" in self._dirty_flags:
            delta["critical_concern"] = self.critical_concern
        self._dirty_criteria, self._dirty_comments, self._dirty_flags = set(), set(), set()
        return delta

    def keep_unsaved(self, delta: Mapping) -> None:
        """A save failed: mark its keys unsaved again (their current values are sent next time)."""
        self._dirty_criteria |= set(delta.get("ratings", {}))
        self._dirty_comments |= set(delta.get("comments", {}))
        self._dirty_flags |= {k for k in ("no_needs", "critical_concern") if k in delta}
