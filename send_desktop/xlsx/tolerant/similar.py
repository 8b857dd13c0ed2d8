"""How alike two short officer texts are, and a one-to-one matching of workbook rows to records.

A workbook from elsewhere carries no ids. Each kind matches its rows to records by reference
first; the rows and records left over are matched here by their wording. Plain Python (difflib),
so the command line and the window give the same answer. The rules:

- a text is compared as its words (`words`): `headers.norm` (case, punctuation, "&" as "and"),
  common words dropped (`STOP_WORDS`), each word cut to a rough stem ("reviews", "reviewed",
  "reviewing": "review"; "organise" and "organize" alike); numbers are kept, since "by 31 March"
  and "40%" tell actions apart;
- two words are the same when their stems are; when both have five letters or more, begin
  with the same letter and one letter left out of either makes them agree (a slip of the
  keyboard: "recuit" and "recruit"), the spelling the texts use most is read for both; two
  words written as one on the other side are joined ("case workers", "caseworkers");
- `similarity` (0 to 1) is three parts the words the texts share and one part difflib's ratio
  of the two word sequences (the same words in the same order score higher than the same words
  shuffled). Each word is weighted by how rare it is among all the texts being matched (a word
  on every row, such as "SEND", counts for little), and the share is the mean of Dice's
  coefficient of the weights and how much of the shorter text the longer holds (an officer who
  shortens an action still writes the same action). Texts equal once normalised score 1, and
  only they;
- `match` compares each row with the `CANDIDATES` records that share most of its rarer words
  (weighted as above), so a large workbook does not cost rows x records comparisons; it pairs
  rows with records one to one, best pair first (greedy; ties go to a pair in the
  same group, such as the same parent reference, then to the pair closest in the order of the
  two lists). A pair at `SURE` or above is sure unless another row or record comes within
  `MARGIN` of it (then it is only doubtful: two candidates are too close to tell apart by
  wording); a pair from `DOUBTFUL` up to there is doubtful, for the user to confirm; below
  `DOUBTFUL` the texts are taken to be different records and are not paired.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from operator import itemgetter
from typing import Hashable, Iterable, Sequence

from send_desktop.xlsx.tolerant.headers import norm

SURE = 0.8
DOUBTFUL = 0.5
MARGIN = 0.05
CANDIDATES = 30   # records compared with each row: those sharing most of its rarer words

STOP_WORDS = frozenset("""
a an the and or but nor of to for in on at by with from into onto as is are was were be been being will
shall would should can could may might must we our us you your they their them it its this that these those
there here which who whom whose what when where how so such than then also all any each every both either
other more most some only own same very just not no yes do does did done has have had having per via
within across about over under between through up out off
""".split())


@functools.lru_cache(maxsize=1 << 15)
def stem(word: str) -> str:
    """A rough stem: plurals, -ing, -ed, -ly and a final e dropped; -ize spelt -ise."""
    w = word
    if len(w) <= 3 or w.isdigit():
        return w
    if "iz" in w and len(w) > 5:
        w = w.replace("iz", "is")
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ingly", "edly", "ing", "ed", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[:-len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # "planned", "planning": "plan"
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    if w.endswith("y") and len(w) > 4:
        w = w[:-1] + "i"  # "delivery", "deliveries": "deliveri"
    return w


@functools.lru_cache(maxsize=1 << 14)
def words(text: str) -> tuple[str, ...]:
    """The stems of the words of `text` that carry its meaning, in order."""
    return tuple(stem(w) for w in norm(text).split() if w not in STOP_WORDS)


@functools.lru_cache(maxsize=1 << 15)
def _deletions(word: str) -> tuple[str, ...]:
    """`word` and every spelling of it with one letter left out: two words of five letters or more
    that share one of these (and their first letter) differ by a slip of the keyboard."""
    return (word, *{word[:i] + word[i + 1:] for i in range(len(word))})


class _Text:
    """A text as compared: its stems in order, their set and the sum of their weights."""

    __slots__ = ("seq", "bag", "joins", "total")

    def __init__(self, seq: tuple[str, ...]):
        self.seq = seq
        self.bag = frozenset(seq)
        self.joins = frozenset(x + y for x, y in zip(seq, seq[1:]))  # two words written as one
        self.total = 0.0


class _Weights(dict):
    """Each word's weight among a set of texts: log(1 + N / texts holding it)."""

    def __init__(self, texts: Iterable[_Text]):
        super().__init__()
        df: dict[str, int] = defaultdict(int)
        n = 0
        for t in texts:
            n += 1
            for w in t.bag:
                df[w] += 1
        self.df, self.n = df, max(n, 1)
        self.update({w: math.log(1 + self.n / c) for w, c in df.items()})

    def of(self, word: str) -> float:
        return self.get(word) or math.log(1 + self.n)


def _prepare(texts: Sequence[str]) -> tuple[list[_Text], _Weights]:
    """The texts as compared, each misspelt word replaced by the spelling the texts use most, and
    the weights of their words."""
    seqs = [words(t) for t in texts]
    count: dict[str, int] = defaultdict(int)
    for seq in seqs:
        for w in set(seq):
            count[w] += 1
    by_slip: dict[str, list[str]] = defaultdict(list)
    for w in count:
        if len(w) >= 5 and w.isalpha():
            for v in _deletions(w):
                by_slip[v].append(w)
    spelt: dict[str, str] = {}
    for group in by_slip.values():
        if len(group) > 1:
            for w in group:
                twins = [x for x in group if x[0] == w[0]]
                best = min(twins, key=lambda x: (-count[x], x))
                if (-count[best], best) < (-count[spelt.get(w, w)], spelt.get(w, w)):
                    spelt[w] = best
    out = [_Text(tuple(spelt.get(w, w) for w in seq) if spelt else seq) for seq in seqs]
    weight = _Weights(out)
    for t in out:
        t.total = sum(weight.of(w) for w in t.bag)
    return out, weight


def _joined(mine: _Text, other: frozenset[str]) -> frozenset[str] | None:
    """The words of `mine` with two joined where the other side writes them as one word ("case
    workers" against "caseworkers": "caseworker"); None when there are no such two."""
    if mine.joins.isdisjoint(other):
        return None
    out = None
    for x, y in zip(mine.seq, mine.seq[1:]):
        if x + y in other:
            out = ((out or mine.bag) - {x, y}) | {x + y}
    return out


def _score(a: _Text, b: _Text, weight: _Weights, floor: float = 0.0) -> float:
    """The similarity of two prepared texts; 0 as soon as it cannot reach `floor`."""
    if a.seq == b.seq:
        return 1.0 if a.seq else 0.0
    if not a.seq or not b.seq:
        return 0.0
    sa, sb = _joined(a, b.bag), _joined(b, a.bag)
    wa = a.total if sa is None else sum(weight.of(w) for w in sa)
    wb = b.total if sb is None else sum(weight.of(w) for w in sb)
    shared = sum(weight.of(w) for w in (sa or a.bag) & (sb or b.bag))
    dice = 2 * shared / (wa + wb)
    held = min(shared / min(wa, wb), 1.0)  # a shortened text is still mostly held in the long one
    overlap = 0.75 * (dice + held) / 2
    if overlap + 0.25 < floor:
        return 0.0
    order = SequenceMatcher(None, a.seq, b.seq, autojunk=False).ratio()
    return min(overlap + 0.25 * order, 0.999)  # only texts equal once normalised score 1


def similarity(a: str, b: str) -> float:
    """How alike two texts are, from 0 (nothing shared) to 1 (the same once normalised), each word
    weighted among the two texts only (`match` weights them among all it is given)."""
    (ta, tb), weight = _prepare([a, b])
    return _score(ta, tb, weight)


def _prefix(t: _Text, weight: _Weights) -> list[str]:
    """The rarer words of a text: two texts alike enough to pair share one of them (a prefix
    filter: comparing only such pairs keeps a large workbook from costing rows x records)."""
    ranked = sorted(t.bag, key=lambda w: (weight.df.get(w, 0), w))
    return ranked[:len(ranked) - math.ceil(0.4 * len(ranked)) + 1]


@dataclass(frozen=True)
class Match:
    """A row paired with a record: `sure`, or doubtful (to be confirmed)."""

    row: Hashable
    record: Hashable
    score: float
    sure: bool
    close: bool = False   # another candidate came within MARGIN: doubtful however high the score


def _item(entry) -> tuple[Hashable, str, str]:
    key, text, *rest = entry
    return key, str(text or ""), str(rest[0]) if rest and rest[0] is not None else ""


def match(rows: Sequence, records: Sequence, *, sure: float = SURE, doubtful: float = DOUBTFUL,
          margin: float = MARGIN, same_group_only: bool = False) -> list[Match]:
    """Pair `rows` with `records`, one to one, by wording (see the module notes).

    Each side is a list of (key, text) or (key, text, group); keys must be distinct on each side.
    `same_group_only` compares only a row and a record of the same group. Returns the pairs in
    the order of `rows`; a row or record not in a pair has no record or row alike enough."""
    left = [_item(e) for e in rows]
    right = [_item(e) for e in records]
    texts, weight = _prepare([t for _, t, _ in left] + [t for _, t, _ in right])
    lt, rt = texts[:len(left)], texts[len(left):]
    index: dict[str, list[int]] = defaultdict(list)
    for j, t in enumerate(rt):
        for w in _prefix(t, weight):
            index[w].append(j)
    pairs = []
    best_row: dict[int, list[float]] = defaultdict(list)
    best_rec: dict[int, list[float]] = defaultdict(list)
    for i, t in enumerate(lt):
        hits: dict[int, float] = defaultdict(float)
        for w in _prefix(t, weight):
            share = weight.of(w)
            for j in index.get(w, ()):
                hits[j] += share
        if len(hits) > CANDIDATES:
            candidates = [j for j, _ in heapq.nlargest(CANDIDATES, hits.items(), key=itemgetter(1))]
        else:
            candidates = list(hits)
        for j in sorted(candidates):
            if same_group_only and left[i][2] != right[j][2]:
                continue
            s = _score(t, rt[j], weight, doubtful)
            if s < doubtful:
                continue
            best_row[i].append(s)
            best_rec[j].append(s)
            same = bool(left[i][2]) and left[i][2] == right[j][2]
            pairs.append((-s, not same, abs(i - j), i, j, s))
    pairs.sort()
    taken_l, taken_r, out = set(), set(), []
    for *_, i, j, s in pairs:
        if i in taken_l or j in taken_r:
            continue
        taken_l.add(i)
        taken_r.add(j)
        close = _rival(best_row[i], s, margin) or _rival(best_rec[j], s, margin)
        out.append((i, Match(left[i][0], right[j][0], round(s, 3), s >= sure and not close, close)))
    return [m for _, m in sorted(out, key=lambda x: x[0])]


def _rival(scores: list[float], s: float, margin: float) -> bool:
    """Whether another candidate's score is within `margin` of `s` (an exact match has no rival
    short of another exact one)."""
    others = sorted(scores, reverse=True)
    others.remove(s)
    if not others:
        return False
    if s == 1.0:
        return others[0] == 1.0
    return others[0] >= s - margin
