"""Improvement actions: one for every applicable criterion rated below "met".

"Below met" is a value under two thirds of the criterion's maximum. On the default 0-3 scale
(0 not met, 1 partly met, 2 met, 3 exemplary) that is 0 and 1, as the issue says; the same
fraction works for any maximum (a 0-1 yes/no criterion: 0; a 0-4 scale: 0, 1 and 2), matches the
Good band's 66.7, and is what `stats.criteria_most_unmet` counts, so the report's "criteria most
often unmet" and the actions raised always agree. "Not evidenced" (no rating) is 0 and so raises
an action; N/A raises none.

Templates are plain text; `{criterion}`, `{id}`, `{section}` and `{section_title}` are filled in,
and any other brace is left as typed (a council's wording must never crash the form).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from send_desktop.audits.framework import Framework
from send_desktop.audits.grading import GradeResult

MET_FRACTION = Fraction(2, 3)
DEFAULT_DUE_DAYS = 28
_MET_NUM, _MET_DEN = MET_FRACTION.numerator, MET_FRACTION.denominator


def is_below_met(value: int, maximum: int) -> bool:
    """value < 2/3 × maximum, compared on whole numbers (3 × value < 2 × maximum): exact, and quick
    enough for the 600,000 criteria of a 10,000-audit import."""
    return value * _MET_DEN < _MET_NUM * maximum


@dataclass(frozen=True)
class ImprovementAction:
    """A suggested action; the auditor may edit text, owner and due date before saving."""

    criterion_id: str
    section: str
    text: str
    owner_type: str
    due: dt.date
    value: int
    max: int


@lru_cache(maxsize=4096)  # the same few hundred criteria, for every audit graded
def action_text(template: str, criterion: str, criterion_id: str, section: str, section_title: str) -> str:
    if not template.strip():
        return f"Improve {section} ({section_title}): {criterion}"
    for key, value in (("{criterion}", criterion), ("{id}", criterion_id), ("{section_title}", section_title),
                       ("{section}", section)):
        template = template.replace(key, value)
    return template


def improvement_actions(fw: Framework, result: GradeResult, audit_date: dt.date | None = None,
                        due_days: int = DEFAULT_DUE_DAYS) -> list[ImprovementAction]:
    """Actions in framework order, due `due_days` after the audit date (today if not given)."""
    due = (audit_date or dt.date.today()) + dt.timedelta(days=due_days)
    actions = []
    for s in fw.sections:
        rs = result.sections.get(s.code)
        if rs is None:
            continue
        for c, rc in zip(s.criteria, rs.criteria):
            if rc.applicable and is_below_met(rc.value, c.max):
                actions.append(ImprovementAction(c.id, s.code, action_text(c.action_template, c.text, c.id, s.code, s.title),
                                                 c.owner_type, due, rc.value, c.max))
    return actions
