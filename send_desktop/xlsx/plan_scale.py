"""The rating scale of a plan that an officer's workbook starts: detected, or chosen by the user.

`plan_foreign` reads the statuses of a workbook into the levels of a scale. When the database
already has a plan, that plan's scale is used and cannot be changed by an import (it re-maps
history; the window does it), whatever scale is asked for: the report says so. When the import
creates the plan:

- left to itself (`scale` None or "detected"), the scale is `tolerant.scales.detect_scale`'s,
  from the statuses, their fills and any key or legend, and the report says which and why;
- a preset may be chosen instead ("pap3", "ip5" (also "improvement5"), "soa3", "brag5"; see
  `core.scales.PRESETS`). Every status of the workbook is then read in the chosen scale, and the
  choice is refused, naming the statuses and where the first is, when a status is not a level
  of it, or when two statuses that are different levels of the detected scale would become one
  level (statuses distinct in the workbook stay distinct). A status that counted as complete in
  the detected scale and does not in the chosen one (or the other way round) is a warning.

`scale_choice` is the same detection for a preview (the import assistant's Columns page).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from send_desktop.core.scales import PRESETS, LevelSpec
from send_desktop.errors import BadInputError, Problem
from send_desktop.xlsx.tolerant.scales import DetectedScale, StatusReader, detect_scale, hue_name, token

#: the names a scale may be chosen by -> preset key (None: the detected scale)
CHOICES: dict[str, str | None] = {"detected": None, "pap3": "pap3", "ip5": "ip5", "improvement5": "ip5",
                                  "soa3": "soa3", "brag5": "brag5"}


def scale_key(name: str | None) -> str | None:
    """The preset key `name` chooses (None: the detected scale); `BadInputError` for another name."""
    if name is None:
        return None
    key = str(name).strip().casefold()
    if key not in CHOICES:
        listed = ", ".join(CHOICES)
        raise BadInputError(f"'{name}' is not a rating scale; choose one of {listed}",
                            [Problem(f"'{name}' is not a rating scale ({listed})")])
    return CHOICES[key]


@dataclass
class ScaleChoice:
    """The scale an import reads the statuses with, and what the report says about it."""

    reader: StatusReader
    detected: DetectedScale | None      # None when the plan exists (its scale is used)
    used: DetectedScale | None          # the new plan's scale: detected or chosen; None when the plan exists
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    info: dict = field(default_factory=dict)


def _statuses(rows) -> tuple[list[str], dict[str, dict], set[str]]:
    """The status texts, the first row of each (by token), and the hue names of blank status cells."""
    texts, first, hues = [], {}, set()
    for r in rows:
        if r["status_raw"]:
            texts.append(r["status_raw"])
            first.setdefault(token(r["status_raw"]), r)
        elif r["status_fill"]:
            h = hue_name(r["status_fill"])
            if h:
                hues.add(h)
                first.setdefault(f"fill:{h}", r)
    return texts, first, hues


def _levels_of(levels) -> list[dict]:
    return [{"code": lv.code, "label": lv.label, "meaning": lv.meaning, "complete": lv.complete} for lv in levels]


def _info(detected: DetectedScale, used: DetectedScale, chosen_by: str) -> dict:
    return {"chosen_by": chosen_by, "name": used.name, "preset": used.preset, "levels": _levels_of(used.levels),
            "detected": {"name": detected.name, "preset": detected.preset, "reason": detected.reason},
            "alternatives": [k for k in PRESETS if k != used.preset]}


def choose_scale(rows: list[dict], legend: str, snap, scale: str | None, where) -> ScaleChoice:
    """The scale to read `rows` (the workbook's action rows) with; `snap` is the plan (None: the
    import creates it); `where(row, field)` gives (sheet, row, column) for a report."""
    key = scale_key(scale)
    if snap is not None:
        levels = tuple(LevelSpec(lv.code, lv.label, lv.meaning or "", lv.colour, lv.complete)
                       for lv in snap.scale.levels)
        choice = ScaleChoice(StatusReader(levels, snap.scale.preset), None, None,
                             info={"chosen_by": "plan", "name": snap.scale.name, "preset": snap.scale.preset,
                                   "levels": _levels_of(levels)})
        if key is not None and key != snap.scale.preset:
            choice.warnings.append(Problem(
                f"the plan keeps its rating scale ({snap.scale.name}): a scale is chosen only for a plan "
                f"the import creates, so {PRESETS[key].name} was not used"))
        return choice
    texts, first, hues = _statuses(rows)
    detected = detect_scale(texts, hues, legend)
    if key is None or key == detected.preset:
        return ScaleChoice(StatusReader(detected.levels, detected.preset), detected, detected,
                           info=_info(detected, detected, "detected"))
    spec = PRESETS[key]
    used = DetectedScale(key, spec.name, spec.levels, f"chosen instead of the detected {detected.name}")
    choice = ScaleChoice(StatusReader(spec.levels, key), detected, used, info=_info(detected, used, "you"))
    _compare(choice, StatusReader(detected.levels, detected.preset), first, where)
    return choice


def _compare(choice: ScaleChoice, before: StatusReader, first: dict[str, dict], where) -> None:
    """Problems and warnings of reading the workbook's statuses in the chosen scale instead."""
    after, name = choice.reader, choice.used.name
    old_levels = {lv.label: lv for lv in before.levels}
    new_levels = {lv.label: lv for lv in after.levels}

    def read(reader, tok, row):
        return reader.from_fill(row["status_fill"]) if tok.startswith("fill:") else reader.read(row["status_raw"])

    def shown(tok, row):
        return f"a {tok[5:]} fill" if tok.startswith("fill:") else f"'{row['status_raw'].strip()}'"

    def place(row):
        return where(row, "status")

    lacking = [(t, r) for t, r in first.items() if not read(after, t, r)]
    if lacking:
        listed = ", ".join(shown(t, r) for t, r in lacking)
        choice.problems.append(Problem(f"the {name} scale has no level for {listed}; choose another scale, or "
                                       f"keep the detected one ({choice.detected.name})", *place(lacking[0][1])))
    landing: dict[str, list[tuple[str, dict]]] = {}
    for t, r in first.items():
        label = read(after, t, r)
        if label:
            landing.setdefault(label, []).append((t, r))
    for label, same in landing.items():
        kept_apart = {read(before, t, r) for t, r in same}
        if len(kept_apart) > 1:
            listed = " and ".join(shown(t, r) for t, r in same)
            both = "both" if len(same) == 2 else "all"
            choice.problems.append(Problem(
                f"the {name} scale would merge statuses that are different levels of the detected "
                f"{choice.detected.name} scale: {listed} would {both} be '{label}'; choose another scale, or "
                "keep the detected one", *place(same[0][1])))
    for t, r in first.items():
        old, new = read(before, t, r), read(after, t, r)
        if old in old_levels and new in new_levels and old_levels[old].complete != new_levels[new].complete:
            done = "counts as complete" if new_levels[new].complete else "does not count as complete"
            choice.warnings.append(Problem(
                f"{shown(t, r)} is '{old}' in the detected scale and '{new}' in the {name} scale, which "
                f"{done}", *place(r)))


def scale_choice(path, db=None, mapping=None) -> dict | None:
    """What the import assistant shows before the check: the detected scale of the workbook at
    `path` (as `ScaleChoice.info`), or None when the database already has a plan (its scale is used)."""
    from send_desktop.core.progress import run_steps
    from send_desktop.xlsx.plan_foreign_read import read_foreign

    if db is not None and _has_plan(db):
        return None
    fp = run_steps(read_foreign(path, mapping, db))
    rows = [r for s in fp.sheets for r in s.actions]
    return choose_scale(rows, fp.legend, None, None, lambda row, fld: ("", None, "")).info


def _has_plan(db) -> bool:
    with db.reading() as con:
        return con.execute("SELECT 1 FROM plan LIMIT 1").fetchone() is not None
