"""The "why" of a grade in words: the sums with this audit's numbers, for the form and reports.

Kept apart from grading so the key-press path builds no text: the form asks for it only when it
redraws the explanation. Every figure here is the one the engine used, so an auditor can check
the grade with a calculator.
"""

from __future__ import annotations

from send_desktop.audits.grading import GradeResult, SectionResult


def _n(x) -> str:
    """A weight or value as written: 8, 0.5 (never 8.0)."""
    return f"{x:g}" if isinstance(x, float) else str(x)


def section_formula(s: SectionResult) -> str:
    """e.g. "B = 100 × (2×3/3 + 1×2/3) ÷ 3 = 88.89 → 88.9 Outstanding", or why it is N/A."""
    if not s.applicable:
        return f"{s.code}: N/A ({s.na_reason})"
    used = [c for c in s.criteria if c.applicable]
    terms = " + ".join(f"{_n(c.weight)}×{c.value}/{c.max}" for c in used)
    total = sum(c.weight for c in used)
    return f"{s.code} = 100 × ({terms}) ÷ {_n(total)} = {float(s.exact):.2f} → {s.rounded} {s.grade}"


def formula_text(r: GradeResult) -> str:
    lines = ["Section score = 100 × Σ(weight × value ÷ max) ÷ Σ(weight) over applicable criteria."]
    lines += [section_formula(s) for s in r.sections.values()]
    counted = [s for s in r.sections.values() if s.applicable and s.weight]
    unweighted = [s.code for s in r.sections.values() if not s.weight]
    lines.append("Overall = Σ(section weight × section score) ÷ Σ(section weight) over applicable sections, "
                 "from unrounded section scores" + (f"; weight 0, not counted: {', '.join(unweighted)}." if unweighted else "."))
    pct = r.coverage_pct
    lines.append(f"Coverage: applicable section weight {_n(float(r.applicable_weight))} of {_n(float(r.total_weight))} "
                 f"= {pct:.1f}% (at least {_n(r.min_applicable_weight_pct)}% needed).")
    if not r.graded:
        lines.append("Not graded: too little of the plan applies to give a fair grade.")
        return "\n".join(lines)
    terms = " + ".join(f"{_n(s.weight)}×{float(s.exact):.2f}" for s in counted)
    lines.append(f"Overall = ({terms}) ÷ {_n(float(r.applicable_weight))} = {float(r.exact):.2f} → {r.rounded} "
                 f"{r.banded_grade}")
    for c in r.caps:
        effect = f"at most {c.cap}" if c.lowered else f"at most {c.cap} (no change)"
        lines.append(f"Cap {c.name}: {c.reason} → {effect}")
    lines.append(f"Final grade: {r.grade}" + (" (lowest of the banded grade and the caps)" if r.caps else ""))
    return "\n".join(lines)
