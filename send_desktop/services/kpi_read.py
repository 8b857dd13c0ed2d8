"""Reading the KPI set: one snapshot of plain rows with each KPI already judged.

Like `plan_read`, it reads with the standard library's sqlite3 (no ORM objects), in four
queries, so 200 KPIs with 120 values each load in tens of milliseconds. Each KPI row carries
what the table shows - its latest value, the target for that value's period, the RAG, its
position against each comparator, the direction of travel and the numbers for its trend line -
worked out once here rather than by every cell of the table as it paints.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from send_desktop.core import kpi_values as kv
from send_desktop.core.periods import Period, parse_period


class Point(NamedTuple):
    """A value or a target: its period (canonical text), text and number, as the row is stored.

    Made straight from the query's rows (`Point._make`, no Python per field), which is most of
    what keeps 24,000 values quick; the period's dates come from its text when asked for."""

    id: int
    uid: str
    period: str
    text: str
    number: float | None
    kpi_id: int

    @property
    def value(self) -> kv.Value:
        return kv.Value(self.text, self.number)

    @property
    def end(self) -> dt.date:
        return parse_period(self.period).end

    @property
    def label(self) -> str:
        return parse_period(self.period).label


class ComparatorRow(NamedTuple):
    id: int
    uid: str
    name: str
    text: str
    number: float | None
    as_at: dt.date | None
    source: str


class Position(NamedTuple):
    """The latest value against one comparator."""

    name: str
    text: str
    position: str | None  # better, worse, same; None: no numbers to compare
    as_at: dt.date | None

    @property
    def words(self) -> str:
        if self.position is None:
            return f"{self.name}: {self.text or 'no figure'}"
        return f"{self.position} than {self.name} ({self.text})" if self.position != kv.SAME \
            else f"same as {self.name} ({self.text})"


class KpiRow(NamedTuple):
    id: int
    uid: str
    ref: str
    measure: str
    officer: str
    frequency: str
    unit: str
    direction: str
    priority_id: int | None
    priority_ref: str
    tolerance: float | None
    notes: str
    position: int
    targets: tuple[Point, ...]        # in period order
    comparators: tuple[ComparatorRow, ...]
    values: tuple[Point, ...]         # in period order
    latest: Point | None
    target: Point | None              # the target that applies to the latest value
    rag: kv.Rag
    positions: tuple[Position, ...]
    travel: str | None                # improving, worsening, no change
    trend: tuple[float, ...]          # the numbers of the values, oldest first

    def value_for(self, period: str) -> Point | None:
        for p in self.values:
            if p.period == period:
                return p
        return None

    def target_for(self, period: str) -> Point | None:
        return target_covering(self.targets, parse_period(period))


class KpiSnapshot(NamedTuple):
    kpis: list[KpiRow]
    periods: list[str]                 # every period any KPI has a value for, in time order
    priorities: list[tuple[int, str]]  # (id, ref) of the first plan's priorities, in plan order
    title: str                         # the plan's title, for headings

    def kpi(self, kpi_id: int) -> KpiRow | None:
        for k in self.kpis:
            if k.id == kpi_id:
                return k
        return None


def target_covering(targets, period: Period) -> Point | None:
    """The target for a value's period: the shortest target period containing the value's end
    (a month's value meets its financial year's target); failing that, the latest target that
    ended before it, since boards keep working to the last target set until a new one is."""
    best, span = None, None
    for t in targets:
        tp = parse_period(t.period)
        if tp.contains(period.end) and (span is None or tp.end - tp.start < span):
            best, span = t, tp.end - tp.start
    if best is not None:
        return best
    earlier = [t for t in targets if t.end is not None and t.end < period.end]
    return earlier[-1] if earlier else None


def _date(text) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def judge(row: KpiRow) -> KpiRow:
    """Fill in the judged fields (latest, target, RAG, positions, travel, trend) of a row."""
    values = row.values
    latest = values[-1] if values else None
    target = target_covering(row.targets, parse_period(latest.period)) if latest else None
    which = ""
    if target is not None:
        which = parse_period(target.period).label
    elif latest is not None:
        which = latest.label
    rag = kv.rag(latest.value if latest else None, target.value if target else None, row.direction, row.unit,
                 row.tolerance, which)
    numbers = tuple(p.number for p in values if p.number is not None) if row.unit != "text" else ()
    number = latest.number if latest and row.unit != "text" else None
    positions = tuple(Position(c.name, c.text, kv.position(number, c.number, row.direction), c.as_at)
                      for c in row.comparators)
    return row._replace(latest=latest, target=target, rag=rag, positions=positions,
                        travel=kv.travel(numbers, row.direction), trend=numbers)


_NO_RAG = kv.Rag(None, "No value", "")


@contextlib.contextmanager
def collector_paused():
    """Making 24,000 rows sets Python's cycle collector off again and again, each time scanning
    everything the program holds: half of this load's time, measured. The rows are tuples that
    form no cycles, so collecting once afterwards loses nothing."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_kpis(db) -> KpiSnapshot:
    """Every KPI of the file, in position order, judged (see the module docstring)."""
    with collector_paused():
        return _load(db)


def _load(db) -> KpiSnapshot:
    with db.reading() as con:
        plan = con.execute("SELECT id, title FROM plan ORDER BY id LIMIT 1").fetchone()
        priorities = [tuple(r) for r in con.execute(
            "SELECT id, ref FROM priority WHERE plan_id=? ORDER BY position, id", (plan[0],))] if plan else []
        refs = dict(con.execute("SELECT id, ref FROM priority"))
        kpi_rows = con.execute(
            "SELECT id, uid, ref, measure, officer, frequency, unit, direction, priority_id, tolerance, notes, "
            "position FROM kpi ORDER BY position, id").fetchall()
        points: dict[str, dict[int, list[Point]]] = {}
        for table in ("kpi_target", "kpi_value"):
            rows = con.execute(f"SELECT id, uid, period, text, number, kpi_id FROM {table} "
                               "ORDER BY kpi_id, period_end, id").fetchall()
            points[table] = {kpi_id: list(group) for kpi_id, group in
                             groupby(map(Point._make, rows), key=attrgetter("kpi_id"))}
        comparators: dict[int, list[ComparatorRow]] = {}
        for r in con.execute("SELECT kpi_id, id, uid, name, text, number, as_at, source FROM kpi_comparator "
                             "ORDER BY kpi_id, id"):
            comparators.setdefault(r[0], []).append(ComparatorRow(r[1], r[2], r[3], r[4], r[5], _date(r[6]), r[7]))

    # Stored order is by end date; two periods ending on one day (March, and the year to March)
    # are put shorter first. Keys per distinct period text, so this costs little.
    keys: dict[str, tuple] = {}

    def ordered(items: list[Point]) -> tuple[Point, ...]:
        for p in items:
            if p.period not in keys:
                keys[p.period] = parse_period(p.period).sort_key
        return tuple(sorted(items, key=lambda p: keys[p.period]))

    kpis = []
    for r in kpi_rows:
        row = KpiRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], refs.get(r[8], ""), r[9], r[10], r[11],
                     ordered(points["kpi_target"].get(r[0], [])), tuple(comparators.get(r[0], ())),
                     ordered(points["kpi_value"].get(r[0], [])), None, None, _NO_RAG, (), None, ())
        kpis.append(judge(row))
    periods = sorted({p.period for k in kpis for p in k.values}, key=lambda t: keys[t])
    return KpiSnapshot(kpis, periods, priorities, plan[1] if plan else "")
