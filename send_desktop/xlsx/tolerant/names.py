"""Names that differ only in case, punctuation, spacing or a plural are one name.

"EHCP's / Annual Reviews", "EHCPs / Annual Reviews" and "EHCP/Annual Review" are one
workstream; "J. Smith" and "j smith" one person. `name_key` is what they share; `NameMerger`
gathers the spellings of a workbook, picks one (a name the database already holds, else the
spelling used most, else the first) and says which spellings it merged, for the report.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

_PUNCT = re.compile(r"[^0-9a-z]+")


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=1 << 14)
def name_key(name) -> str:
    """What spellings of one name share: case, apostrophes, punctuation, spacing and a plural "s"
    dropped, "&" read as "and"."""
    text = str(name or "").casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(_singular(w) for w in _PUNCT.sub(" ", text).split())


@dataclass
class Merged:
    """Spellings taken as one name, with where the first of them was seen."""

    name: str
    spellings: list[str]
    sheet: str = ""
    row: int | None = None
    column: str = ""


@dataclass
class NameMerger:
    """Collects names as they are read (`add`), then `resolve`s each to its chosen spelling."""

    known: list[str] = field(default_factory=list)   # names the database holds: they win
    _seen: dict[str, Counter] = field(default_factory=dict)
    _order: dict[str, list[str]] = field(default_factory=dict)
    _where: dict[str, tuple] = field(default_factory=dict)

    def add(self, name: str, sheet: str = "", row: int | None = None, column: str = "", times: int = 1) -> None:
        """One use of `name` (or `times` uses, the first where given) at sheet, row and column."""
        name = " ".join(str(name or "").split())
        key = name_key(name)
        if not key:
            return
        counts = self._seen.setdefault(key, Counter())
        if name not in counts:
            self._order.setdefault(key, []).append(name)
        counts[name] += times
        self._where.setdefault(key, (sheet, row, column))

    def _choice(self, key: str) -> str:
        for k in self.known:
            if name_key(k) == key:
                return k
        counts = self._seen[key]
        order = self._order[key]
        return max(order, key=lambda n: (counts[n], -order.index(n)))

    def resolve(self, name: str) -> str:
        """The chosen spelling of `name` (itself when nothing else shares its key)."""
        name = " ".join(str(name or "").split())
        key = name_key(name)
        if key in self._seen:
            return self._choice(key)
        return next((k for k in self.known if name_key(k) == key), name)

    def merged(self) -> list[Merged]:
        """Every name written more than one way in the workbook, or differently from the database."""
        out = []
        for key, order in self._order.items():
            chosen = self._choice(key)
            spellings = list(order)
            if len(spellings) > 1 or spellings[0] != chosen:
                sheet, row, column = self._where[key]
                out.append(Merged(chosen, spellings, sheet, row, column))
        return out
