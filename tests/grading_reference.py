"""The grading engine as it was before it moved to integer arithmetic, kept as a reference.

`tests/test_audit_grading.py` grades thousands of random audits with both and requires identical
results (every section's exact score and rounding, the overall score, banded grade, caps and final
grade), so the fast `send_desktop.audits.grading.Grader` can never drift from this plain one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

from send_desktop.audits.framework import NA, NOT_GRADED, Framework, _dec
from send_desktop.audits.grading import CriterionResult, Grader, GradeResult, Rating, SectionResult, round_half_up
from send_desktop.errors import BadInputError


class ReferenceGrader:
    """The Grader as it was before its integer rewrite (Fractions for every section and the overall
    score), kept verbatim as the reference the fast one must match result for result."""

    def __init__(self, fw: Framework):
        self.fw = fw
        self.grades = fw.grades
        self.rank = {g: i for i, g in enumerate(self.grades)}  # 0 = best
        self.mins = [(_dec(b.min), b.grade) for b in fw.bands]
        self.index: dict[str, tuple[int, int]] = {}
        self.plan: list[tuple] = []
        pairs: dict[str, str] = {}
        for si, s in enumerate(fw.sections):
            coeffs = [Fraction(_dec(c.weight)) / c.max for c in s.criteria]
            weights = [Fraction(_dec(c.weight)) for c in s.criteria]
            scale = 1
            for f in (*coeffs, *weights):
                scale = math.lcm(scale, f.denominator)
            crits = tuple((c, int(k * scale), int(w * scale)) for c, k, w in zip(s.criteria, coeffs, weights))
            for ci, c in enumerate(s.criteria):
                self.index[c.id] = (si, ci)
            self.plan.append((s, Fraction(_dec(s.weight)), crits))
            if s.paired_with:
                pairs[s.paired_with] = s.code
        self.paired_by = pairs  # provision section → its needs section
        self.total_weight = sum(p[1] for p in self.plan)
        self.min_pct = Fraction(_dec(fw.min_applicable_weight_pct))

    def band(self, rounded: Decimal) -> str:
        for minimum, grade in self.mins:
            if rounded >= minimum:
                return grade
        return self.mins[-1][1]

    def grade(self, ratings: Mapping[str, Rating], no_needs: Iterable[str] = (), critical_concern: bool = False,
              na_reasons: Mapping[str, str] | None = None) -> GradeResult:
        fw, index = self.fw, self.index
        for cid, v in ratings.items():
            if cid not in index:
                raise BadInputError(f"criterion '{cid}' is not in framework '{fw.name}'")
            if v is None or v == "na":
                continue
            if type(v) is not int or not 0 <= v <= fw.sections[index[cid][0]].criteria[index[cid][1]].max:
                c = fw.sections[index[cid][0]].criteria[index[cid][1]]
                raise BadInputError(f"criterion '{cid}': rating {v!r} is not allowed; use 0 to {c.max} or \"na\"")
        no_needs = frozenset(no_needs)
        for code in no_needs:
            section = next((s for s, _, _ in self.plan if s.code == code), None)
            if section is None:
                raise BadInputError(f"no_needs: there is no section '{code}' in framework '{fw.name}'")
            if not section.accepts_no_needs:
                raise BadInputError(f"no_needs: section '{code}' cannot be marked \"no needs identified\"")
        na_reasons = na_reasons or {}

        sections: dict[str, SectionResult] = {}
        weighted = applicable_weight = Fraction(0)
        statutory_zero: list[str] = []
        critical_zero: list[str] = []
        for s, sweight, crits in self.plan:
            needs = self.paired_by.get(s.code)
            off = f"no needs identified in {needs}" if needs in no_needs else None
            marked = s.code in no_needs
            num = den = 0
            results = []
            for c, k, w in crits:
                v = ratings.get(c.id)
                if off or (marked and c.no_needs_role == "needs_dependent"):
                    results.append(CriterionResult(c.id, None, c.max, c.weight, False, off or "no needs identified"))
                    continue
                if v == "na":
                    if not s.na_allowed:
                        raise BadInputError(f"criterion '{c.id}': section '{s.code}' does not allow N/A "
                                            f"(not evidenced is 0)")
                    results.append(CriterionResult(c.id, None, c.max, c.weight, False, na_reasons.get(c.id, "N/A")))
                    continue
                rated = v is not None
                v = v or 0
                num += k * v
                den += w
                results.append(CriterionResult(c.id, v, c.max, c.weight, True, None, rated))
                if v == 0 and sweight:
                    if c.statutory:
                        statutory_zero.append(c.id)
                    if c.critical and rated:  # a concern is flagged by a person, not inferred from a gap
                        critical_zero.append(c.id)
            if den:
                exact = Fraction(100 * num, den)
                rounded = round_half_up(exact)
                sections[s.code] = SectionResult(s.code, s.title, s.weight, tuple(results), exact, rounded,
                                                 self.band(rounded))
                if sweight:
                    weighted += sweight * exact
                    applicable_weight += sweight
            else:
                reason = off or ("no needs identified" if marked and all(not r.applicable for r in results) else
                                 "every criterion is N/A" if all(not r.applicable for r in results) else
                                 "its applicable criteria carry no weight")
                sections[s.code] = SectionResult(s.code, s.title, s.weight, tuple(results), None, None, NA, reason)

        base = dict(framework=fw.name, version=fw.version, sections=sections, applicable_weight=applicable_weight,
                    total_weight=self.total_weight, min_applicable_weight_pct=fw.min_applicable_weight_pct)
        if not applicable_weight or 100 * applicable_weight < self.min_pct * self.total_weight:
            return GradeResult(exact=None, rounded=None, banded_grade=NOT_GRADED, caps=(), grade=NOT_GRADED, **base)
        exact = weighted / applicable_weight
        rounded = round_half_up(exact)
        banded = self.band(rounded)
        caps = self._caps(sections, banded, statutory_zero, critical_zero, critical_concern)
        final = self.grades[max([self.rank[banded], *(self.rank[c.cap] for c in caps)])]
        return GradeResult(exact=exact, rounded=rounded, banded_grade=banded, caps=tuple(caps), grade=final, **base)

    _caps = Grader._caps  # the caps were not part of the rewrite: the same code serves both
