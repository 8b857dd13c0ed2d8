"""Statuses as officers write them, and the rating scale a new plan brings.

A status may be a level's label ("Amber"), its code ("A", "n/s"), a common synonym ("On
track", "Completed", "Delayed") or only the fill colour of a blank cell. `StatusReader` turns
any of those into a level of a given scale. `detect_scale` picks the scale of a workbook that
starts a new plan from the statuses it holds and any key or legend text: n/s, R, A, G, C (or
grey and blue) is the five-level Improvement Plan scale, yellow the NHSE BRAG scale, planned
and underway the Statement of Action scale, plain Red, Amber, Green (with "completed" meaning
Green) the three-level PAP scale. When no preset holds every status the workbook uses, the
scale is made of those statuses, so that statuses distinct in the workbook stay distinct.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass

from send_desktop.core.scales import AMBER, BLUE, GREEN, GREY, PRESETS, RED, YELLOW, LevelSpec
from send_desktop.xlsx.tolerant.headers import norm

#: preset -> level code -> words (normalised) that mean that level, besides its code, label and meaning
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "pap3": {
        "R": ("red", "delayed", "not on track", "off track", "behind", "at risk", "late", "overdue", "slipped",
              "delayed not on track"),
        "A": ("amber", "on track", "underway", "in progress", "ongoing", "started", "on target", "progressing"),
        "G": ("green", "completed", "complete", "done", "achieved", "closed", "finished", "met"),
    },
    "ip5": {
        "n/s": ("n s", "ns", "not started", "grey", "gray", "yet to start", "not yet started", "pending",
                "action yet to commence"),
        "R": ("red", "delayed", "delayed and at risk", "at risk", "behind", "off track", "late", "overdue"),
        "A": ("amber", "underway", "in progress", "started", "ongoing", "progressing"),
        "G": ("green", "on track", "will meet deadline", "will meet the deadline", "on target",
              "will achieve completion deadline"),
        "C": ("c", "blue", "completed", "complete", "completed and signed off", "signed off", "done", "closed",
              "achieved"),
    },
    "brag5": {
        "R": ("red", "no progress"),
        "A": ("amber", "some progress"),
        "Y": ("yellow", "emerging impact"),
        "G": ("green", "complete", "completed"),
        "B": ("blue", "clear impact"),
    },
    "soa3": {
        "P": ("planned", "not started"),
        "U": ("underway", "on target", "in progress", "underway and on target"),
        "C": ("completed", "complete", "signed off", "completed and signed off"),
    },
}

_IP5_MARKS = {"n s", "ns", "not started", "grey", "gray", "blue", "c", "signed off", "completed and signed off",
              "yet to start", "not yet started"}
_BRAG_MARKS = {"yellow", "y"}
_SOA_MARKS = {"planned", "p", "u"}


def hue_name(colour: str) -> str | None:
    """"red", "amber", "yellow", "green", "blue" or "grey" for a #rrggbb fill; None for white/black."""
    try:
        r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    except (ValueError, AttributeError):
        return None
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    if lum > 0.95 or lum < 0.08:
        return None
    if s < 0.18:
        return "grey"
    deg = h * 360
    if deg < 15 or deg >= 330:
        return "red"
    if deg < 52:  # Excel's "Gold" (#ffc000) is how most trackers fill Amber
        return "amber"
    if deg < 70:
        return "yellow"
    if deg < 170:
        return "green"
    if deg < 260:
        return "blue"
    return "red" if deg >= 300 else "blue"


def _level_words(key: str) -> dict[str, str]:
    """word -> level code for a preset: codes, labels, meanings and synonyms."""
    out: dict[str, str] = {}
    for lv in PRESETS[key].levels:
        out.setdefault(norm(lv.code) or lv.code.casefold(), lv.code)
        out.setdefault(norm(lv.label), lv.code)
    for code, words in SYNONYMS[key].items():
        for w in words:
            out.setdefault(norm(w), code)
    for lv in PRESETS[key].levels:
        out.setdefault(norm(lv.meaning), lv.code)
    return out


def token(value: str) -> str:
    """A status as compared: normalised, with "n/s" kept apart from "ns" only by spacing."""
    return norm(value)


@dataclass
class StatusReader:
    """Reads statuses into the levels (`LevelSpec`s, by label) of one scale."""

    levels: tuple[LevelSpec, ...]
    preset: str | None = None

    def __post_init__(self):
        self.index: dict[str, str] = {}
        for lv in self.levels:
            self.index.setdefault(token(lv.label), lv.label)
        for lv in self.levels:
            self.index.setdefault(token(lv.code) or lv.code.casefold(), lv.label)
        preset = self.preset or _preset_of(self.levels)
        if preset:
            by_code = {lv.code.casefold(): lv.label for lv in self.levels}
            for word, code in _level_words(preset).items():
                if code.casefold() in by_code:
                    self.index.setdefault(word, by_code[code.casefold()])
        for lv in self.levels:
            if lv.meaning:
                self.index.setdefault(token(lv.meaning), lv.label)
        self.by_hue: dict[str, str] = {}
        for lv in self.levels:
            h = hue_name(lv.colour)
            if h:
                self.by_hue.setdefault(h, lv.label)

    def read(self, value: str) -> str | None:
        """The label of the level `value` names, None when it names none."""
        t = token(value)
        if not t:
            return None
        if t in self.index:
            return self.index[t]
        # "Green - complete", "Amber (on track)": the first part that names a level
        for part in re.split(r"\s*[-:(/]\s*|\s+\u2013\s+", str(value)):
            p = token(part)
            if p and p in self.index:
                return self.index[p]
        return None

    def from_fill(self, colour: str) -> str | None:
        h = hue_name(colour)
        if h == "amber" and "amber" not in self.by_hue:
            h = "yellow"
        if h == "yellow" and "yellow" not in self.by_hue:
            h = "amber"
        return self.by_hue.get(h) if h else None


def _preset_of(levels) -> str | None:
    codes = tuple(lv.code.casefold() for lv in levels)
    for key, spec in PRESETS.items():
        if tuple(lv.code.casefold() for lv in spec.levels) == codes:
            return key
    return None


@dataclass
class DetectedScale:
    preset: str | None          # a key of PRESETS, or None for a scale made from the workbook
    name: str
    levels: tuple[LevelSpec, ...]
    reason: str                 # one sentence for the report


_HUE_COLOURS = {"red": RED, "amber": AMBER, "yellow": YELLOW, "green": GREEN, "blue": BLUE, "grey": GREY}


def detect_scale(statuses, fills=(), legend: str = "") -> DetectedScale:
    """The scale of a workbook starting a new plan, from its status texts, the hue names of its
    status fills ("red", ...) and the text of any key or legend."""
    tokens = {token(s) for s in statuses if token(s)}
    hues = {h for h in fills if h}
    legend_t = f" {norm(legend)} "
    marks = tokens | hues | {w for w in _IP5_MARKS | _BRAG_MARKS | _SOA_MARKS if f" {w} " in legend_t}
    if "n/s" in str(legend).casefold():
        marks.add("n s")
    if marks & _BRAG_MARKS:
        order = ["brag5", "ip5", "pap3", "soa3"]
    elif marks & _IP5_MARKS:
        order = ["ip5", "brag5", "pap3", "soa3"]
    elif (marks & _SOA_MARKS or "underway" in marks) and not hues and not tokens & {"red", "amber", "green"}:
        order = ["soa3", "ip5", "pap3", "brag5"]
    else:
        order = ["pap3", "ip5", "brag5", "soa3"]
    for key in order:
        reader = StatusReader(PRESETS[key].levels, key)
        if all(reader.read(t) for t in tokens) and all(reader.from_fill(_HUE_COLOURS[h]) for h in hues):
            spec = PRESETS[key]
            seen = ", ".join(sorted(tokens | hues)) or "no statuses"
            return DetectedScale(key, spec.name, spec.levels, f"the statuses used ({seen}) are those of the "
                                                              f"{spec.name} scale")
    return _own_scale(statuses)


def _own_scale(statuses) -> DetectedScale:
    done_words = set(SYNONYMS["pap3"]["G"]) | set(SYNONYMS["ip5"]["C"])
    colour_of = {}
    for key in ("pap3", "ip5"):
        for lv in PRESETS[key].levels:
            for w in SYNONYMS[key][lv.code]:
                colour_of.setdefault(norm(w), lv.colour)
    levels, seen = [], set()
    for s in statuses:
        t = token(s)
        if not t or t in seen:
            continue
        seen.add(t)
        label = " ".join(str(s).split())
        levels.append(LevelSpec(label[:12], label, label, colour_of.get(t, GREY), t in done_words))
    if levels and not any(lv.complete for lv in levels):
        levels[-1] = levels[-1]._replace(complete=True)
    listed = ", ".join(lv.label for lv in levels)
    return DetectedScale(None, "Imported scale", tuple(levels),
                         f"no preset scale holds every status used ({listed}), so the scale was made from them")
