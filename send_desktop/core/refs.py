"""Action references in Priority Action Plans ("P.O.A": priority.outcome.action).

References are typed by hand in spreadsheets, so "2.4.1", "2.4.1." and
" 2. 4 .1" all mean the same action and must sort, compare and nest the same
way.  Plain string sorting puts "1.10" before "1.9", which scrambles any plan
with ten or more outcomes, hence the natural sort key.  Some boards use refs
that are not numeric at all ("2b (i)", "A1"); every function here accepts
them (or any object) without raising, because a bad reference is a data
quality issue to report, not a crash.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

__all__ = [
    "normalise_ref",
    "split_ref",
    "parent_ref",
    "ref_sort_key",
    "duplicate_refs",
    "next_child_ref",
]

_POA = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+")


def normalise_ref(ref: object) -> str:
    """Canonical spelling of a reference, so equal refs compare equal.

    Whitespace is removed around dots and collapsed elsewhere, trailing dots
    dropped, and numeric refs lose leading zeros ("02.4.01" -> "2.4.1")
    because those are typing variants of the same action.  Case is kept:
    it is the board's own labelling.
    """
    if type(ref) is str:
        found = _NORMALISED.get(ref)
        if found is None:
            if len(_NORMALISED) >= _NORMALISED_MAX:
                _NORMALISED.clear()
            found = _NORMALISED[ref] = _normalise(ref)
        return found
    if ref is None:
        return ""
    try:
        text = ref if isinstance(ref, str) else str(ref)
    except Exception:
        return ""
    return _normalise(text)


# An import of 100,000 rows asks for the same refs (each action's, its outcome's, its
# priority's) several times over: each spelling is worked out once. Bounded, and cleared when full.
_NORMALISED: dict[str, str] = {}
_NORMALISED_MAX = 1 << 18


def forget_spellings() -> None:
    """Let go of the refs worked out so far: a large import calls this when it ends, so that its
    refs (one per row) do not stay in memory until the next one."""
    _NORMALISED.clear()


_DOTS = re.compile(r"\s*\.\s*")


def _normalise(text: str) -> str:
    text = " ".join(text.split())
    text = _DOTS.sub(".", text).rstrip(".").strip()
    if _POA.fullmatch(text):
        return ".".join(part.lstrip("0") or "0" for part in text.split("."))
    return text


def split_ref(ref: object) -> tuple[int, ...] | None:
    """Numeric parts of a P.O.A-shaped ref ("2.4.1" -> (2, 4, 1)), else None.

    Any depth is accepted ("2" and "2.4" are the priority and outcome that
    an action sits under); anything with letters or other marks is None.
    """
    text = normalise_ref(ref)
    if not _POA.fullmatch(text):
        return None
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:  # beyond int()'s digit limit: not a real ref
        return None


def parent_ref(ref: object) -> str | None:
    """The ref one level up ("2.4.1" -> "2.4"), or None at the top level.

    Works on the dotted structure rather than requiring numbers, so "A.1"
    still nests under "A".
    """
    text = normalise_ref(ref)
    head, dot, _ = text.rpartition(".")
    return head if dot and head else None


def ref_sort_key(ref: object) -> tuple:
    """Natural sort key: "1.9.1" < "1.10.2", "2.5.3" < "2.5.10".

    Refs are cut into number and letter runs (punctuation only separates);
    numbers sort before letters at the same position and blanks sort last,
    so unnumbered rows fall to the bottom of a plan instead of the top.  The
    normalised text breaks ties, keeping the order total and stable.
    """
    text = normalise_ref(ref)
    tokens = tuple(
        # Numbers compare by (length, digits) - the same order as int() but
        # safe for absurdly long digit runs.
        (0, len(num), num) if tok.isascii() and tok.isdigit() else (1, 0, tok.casefold())
        for tok in _TOKEN.findall(text)
        for num in [tok.lstrip("0") or "0"]
    )
    return (text == "", tokens, text.casefold(), text)


def duplicate_refs(refs: Iterable[object]) -> set[str]:
    """Normalised refs that occur more than once.

    Blank refs are ignored: a missing reference is a different problem and
    several of them are not "the same action twice".
    """
    if isinstance(refs, (str, bytes)):  # one ref, not a list of characters
        return set()
    try:
        counts = Counter(normalise_ref(ref) for ref in refs)
    except TypeError:  # not iterable
        return set()
    return {ref for ref, n in counts.items() if ref and n > 1}


def next_child_ref(parent_ref: object, existing_child_refs: Iterable[object]) -> str:
    """Next unused number under a parent ("2.4" + ["2.4.1", "2.4.3"] -> "2.4.4").

    Numbers go after the highest existing child rather than filling gaps,
    because a gap usually means an action was deleted and reusing its number
    would confuse anyone holding an older copy of the plan.  Refs that are
    not direct numeric children of the parent are ignored.  An empty parent
    numbers top-level priorities ("1", "2", ...).
    """
    parent = normalise_ref(parent_ref)
    prefix = f"{parent}." if parent else ""
    highest = 0
    try:
        children = list(existing_child_refs)
    except TypeError:
        children = []
    for child in children:
        text = normalise_ref(child)
        if text.startswith(prefix):
            rest = text[len(prefix):]
            if rest.isascii() and rest.isdigit() and len(rest) < 1000:
                highest = max(highest, int(rest))
    return f"{prefix}{highest + 1}"
