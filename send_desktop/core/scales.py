"""The rating scales boards use, as presets a plan can start from.

Every level has a code, a label, what it means, a colour and whether it counts as complete.
Colours are chosen to stay distinguishable in greyscale print; the label always goes with them.
"""

from __future__ import annotations

from typing import NamedTuple


class LevelSpec(NamedTuple):
    code: str
    label: str
    meaning: str
    colour: str
    complete: bool = False


class ScaleSpec(NamedTuple):
    key: str
    name: str
    levels: tuple[LevelSpec, ...]


RED, AMBER, GREEN, BLUE, GREY, YELLOW = "#c0392b", "#e69f00", "#2e8b57", "#1f5fa8", "#8c8c8c", "#f2d43d"

PRESETS: dict[str, ScaleSpec] = {
    s.key: s
    for s in (
        ScaleSpec("pap3", "Priority Action Plan (3 levels)", (
            LevelSpec("R", "Red", "Delayed, not on track", RED),
            LevelSpec("A", "Amber", "On track", AMBER),
            LevelSpec("G", "Green", "Completed", GREEN, True),
        )),
        ScaleSpec("ip5", "Improvement Plan (5 levels)", (
            LevelSpec("n/s", "Not started", "Not started", GREY),
            LevelSpec("R", "Red", "Delayed and at risk", RED),
            LevelSpec("A", "Amber", "Underway", AMBER),
            LevelSpec("G", "Green", "Will meet the deadline", GREEN),
            LevelSpec("C", "Completed", "Completed and signed off", BLUE, True),
        )),
        ScaleSpec("soa3", "Statement of Action (3 levels)", (
            LevelSpec("P", "Planned", "Planned, not started", GREY),
            LevelSpec("U", "Underway", "Underway and on target", AMBER),
            LevelSpec("C", "Completed", "Completed and signed off", GREEN, True),
        )),
        ScaleSpec("brag5", "NHSE BRAG (5 levels)", (
            LevelSpec("R", "Red", "No progress", RED),
            LevelSpec("A", "Amber", "Some progress, no impact yet", AMBER),
            LevelSpec("Y", "Yellow", "Progress, emerging impact", YELLOW),
            LevelSpec("G", "Green", "Actions complete, some impact", GREEN, True),
            LevelSpec("B", "Blue", "Complete, clear impact", BLUE, True),
        )),
    )
}

DEFAULT_PRESET = "pap3"


def text_colour_for(background: str) -> str:
    """Black or white text, whichever reads better on the given fill (#rrggbb)."""
    try:
        r, g, b = (int(background.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "#000000"
    luminance = 0.299 * r + 0.587 * g + 0.114 * b
    return "#000000" if luminance > 140 else "#ffffff"


def map_levels(old, new) -> list[int | None]:
    """For each level of `old` (anything with code, label and complete), the index of the level of
    `new` that most plausibly means the same: one that agrees on "counts as complete" first (Green
    on a 3-level plan is done; on the 5-level Improvement Plan scale it is not), then by code, then
    by label, then by position. Used when a plan's scale changes, and when an import reads a
    workbook's statuses into a scale chosen instead of the detected one."""
    out: list[int | None] = []
    for pos, level in enumerate(old):
        same_kind = [i for i, lv in enumerate(new) if lv.complete == level.complete] or list(range(len(new)))
        match = next((i for i in same_kind if new[i].code.lower() == level.code.lower()), None)
        if match is None:
            match = next((i for i in same_kind if new[i].label.lower() == level.label.lower()), None)
        if match is None and same_kind:
            share = pos / max(1, len(old) - 1)
            match = same_kind[min(len(same_kind) - 1, round(share * (len(same_kind) - 1)))] \
                if not level.complete else same_kind[0]
        out.append(match)
    return out


def validate_levels(levels: list[LevelSpec]) -> list[str]:
    """Problems with a user-defined scale, in words; empty when it is usable."""
    problems = []
    if not levels:
        problems.append("A scale needs at least one level.")
    codes = [lv.code.strip().lower() for lv in levels]
    labels = [lv.label.strip().lower() for lv in levels]
    if any(not c for c in codes):
        problems.append("Every level needs a code.")
    if any(not lb for lb in labels):
        problems.append("Every level needs a label.")
    if len(set(codes)) != len(codes):
        problems.append("Level codes must be different from each other.")
    if len(set(labels)) != len(labels):
        problems.append("Level labels must be different from each other.")
    if levels and not any(lv.complete for lv in levels):
        problems.append("At least one level must count as complete.")
    for lv in levels:
        c = lv.colour.lstrip("#")
        if len(c) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in c):
            problems.append(f"Level '{lv.label}' has colour '{lv.colour}', which is not #rrggbb.")
    return problems
