"""The rating scale of a plan that an officer's workbook starts: detected, or chosen by the user.

`plan_foreign` reads the statuses of a workbook into the levels of a scale. When the database
already has a plan, that plan's scale is used and cannot be changed by an import (it re-maps
history; the window does it), whatever scale is asked for: the report says so. When the import
creates the plan:

- left to itself (`scale` None or "detected"), the scale is `tolerant.scales.detect_scale`'s,
  from the statuses, their fills and any key or legend, and the report says which and why;
- a preset may be chosen instead ("pap3", "ip5" (also "improvement5"), "soa3", "brag5"; see
  `core.scales.PRESETS`). Each status is read as the detected scale reads it, and each detected
  level goes to one level of the chosen scale (`MappedReader`): the level the chosen scale
  names the same ("Underway" is Amber in the Improvement Plan scale) when that agrees on "counts
  as complete", else by the rule the window uses to change a plan's scale
  (`core.scales.map_levels`: Green, done in the three-level scale, becomes Completed, not the
  five-level Green). The choice is refused, naming the statuses and where the first is, when
  two statuses that are different levels of the detected scale would become one level:
  statuses distinct in the workbook stay distinct. The report says how each status was read.

`scale_choice` (and `scale_choice_steps`, for a worker thread) is the same detection for a preview (the
import assistant's Columns page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from send_desktop.core.progress import Progress, Steps, run_steps
from send_desktop.core.scales import PRESETS, LevelSpec, map_levels
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
    """The status texts (each once, in the order first used: all `detect_scale` needs), the first row
    of each (by token), and the hue names of blank status cells. Each text and colour is looked at
    once: a tracker repeats a handful of them on 100,000 rows."""
    texts: dict[str, None] = {}
    first: dict[str, dict] = {}
    hues: set[str] = set()
    hue_of: dict[str, str | None] = {}
    for r in rows:
        raw = r["status_raw"]
        if raw:
            if raw not in texts:
                texts[raw] = None
                first.setdefault(token(raw), r)
        elif r["status_fill"]:
            fill = r["status_fill"]
            if fill not in hue_of:
                hue_of[fill] = hue_name(fill)
            h = hue_of[fill]
            if h:
                hues.add(h)
                first.setdefault(f"fill:{h}", r)
    return list(texts), first, hues


def _levels_of(levels) -> list[dict]:
    return [{"code": lv.code, "label": lv.label, "meaning": lv.meaning, "complete": lv.complete} for lv in levels]


def _info(detected: DetectedScale, used: DetectedScale, chosen_by: str) -> dict:
    return {"chosen_by": chosen_by, "name": used.name, "preset": used.preset, "levels": _levels_of(used.levels),
            "detected": {"name": detected.name, "preset": detected.preset, "reason": detected.reason},
            "alternatives": [k for k in PRESETS if k != used.preset]}


def choose_scale(rows: Iterable[dict], legend: str, snap, scale: str | None, where) -> ScaleChoice:
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
    reader = MappedReader(StatusReader(detected.levels, detected.preset), StatusReader(spec.levels, key))
    choice = ScaleChoice(reader, detected, used, info=_info(detected, used, "you"))
    _compare(choice, first, where)
    return choice


class MappedReader:
    """Reads a workbook's statuses into a chosen scale, level by level: a status is read as the
    detected scale reads it, and each detected level goes to one level of the chosen scale, the
    one the chosen scale reads the level's label or code as (its label, code or synonym) when
    that agrees on "counts as complete", else the one `core.scales.map_levels` gives. Statuses of
    one level stay one level; `merged` lists the detected levels that share a chosen level."""

    def __init__(self, detected: StatusReader, chosen: StatusReader):
        self.detected, self.chosen = detected, chosen
        self.levels, self.preset = chosen.levels, chosen.preset
        done = {lv.label: lv.complete for lv in chosen.levels}
        index = map_levels(detected.levels, chosen.levels)
        self.into: dict[str, str] = {}
        for lv, i in zip(detected.levels, index):
            own = chosen.read(lv.label) or chosen.read(lv.code)
            if own is not None and done[own] == lv.complete:
                self.into[lv.label] = own
            elif i is not None:
                self.into[lv.label] = chosen.levels[i].label

    def read(self, value: str) -> str | None:
        return self.into.get(self.detected.read(value) or "")

    def from_fill(self, colour: str) -> str | None:
        return self.into.get(self.detected.from_fill(colour) or "")


def _compare(choice: ScaleChoice, first: dict[str, dict], where) -> None:
    """Refuse a chosen scale that makes one level of two statuses the detected scale keeps apart;
    say how each status is read in it."""
    reader, name = choice.reader, choice.used.name

    def read(r, tok, row):
        return r.from_fill(row["status_fill"]) if tok.startswith("fill:") else r.read(row["status_raw"])

    def shown(tok, row):
        if tok.startswith("fill:"):
            return f"{'an' if tok[5] in 'aeiou' else 'a'} {tok[5:]} fill"
        return f"'{row['status_raw'].strip()}'"

    landing: dict[str, dict[str, list[tuple[str, dict]]]] = {}  # chosen level -> detected level -> statuses
    for t, r in first.items():
        landing.setdefault(read(reader, t, r) or "", {}).setdefault(read(reader.detected, t, r) or "", []).append(
            (t, r))
    lacking = [s for same in landing.pop("", {}).values() for s in same]
    if lacking:  # not for a preset (every level maps to one); kept for a scale of the workbook's own
        listed = ", ".join(shown(t, r) for t, r in lacking)
        choice.problems.append(Problem(f"the {name} scale has no level for {listed}; choose another scale, or "
                                       f"keep the detected one ({choice.detected.name})",
                                       *where(lacking[0][1], "status")))

    def levels(groups):
        return [f"{level} ({', '.join(shown(t, r) for t, r in same)})" for level, same in groups.items()]

    read_as = []
    for label, groups in landing.items():
        if len(groups) > 1:
            listed = levels(groups)
            both = "both" if len(listed) == 2 else "all"
            first_row = next(iter(groups.values()))[0][1]
            choice.problems.append(Problem(
                f"the {name} scale would merge statuses that are different levels of the detected "
                f"{choice.detected.name} scale: {', '.join(listed[:-1])} and {listed[-1]} would {both} be "
                f"'{label}'; choose another scale, or keep the detected one", *where(first_row, "status")))
        read_as += [f"{x} as {label}" for x in levels(groups)]
    if read_as and not choice.problems:
        choice.warnings.append(Problem(f"the statuses were read into the {name} scale: {'; '.join(read_as)}"))


def scale_choice_steps(path, db=None, mapping=None) -> Steps[dict | None]:
    """What the import assistant shows before the check: the detected scale of the workbook at
    `path` (as `ScaleChoice.info`), or None when the database already has a plan (its scale is used).
    It reads every row, so it is steps (`core.progress`), for a worker thread and its Cancel."""
    from send_desktop.xlsx.plan_foreign_read import read_foreign

    if db is not None and has_plan(db):
        return None
    fp = yield from read_foreign(path, mapping, db)
    yield Progress(0, 0, "Working out the levels")
    try:
        return choose_scale(fp.rows(), fp.legend, None, None, lambda row, fld: ("", None, "")).info
    finally:
        fp.close()


def scale_choice(path, db=None, mapping=None) -> dict | None:
    """`scale_choice_steps`, run to its end here."""
    return run_steps(scale_choice_steps(path, db, mapping))


def has_plan(db) -> bool:
    """Whether the database has a plan (whose scale an import keeps: there is none to choose)."""
    with db.reading() as con:
        return con.execute("SELECT 1 FROM plan LIMIT 1").fetchone() is not None
