"""Changing the KPI set. Each function is one unit of work in its own transaction.

Everything is checked before anything is written, and a refusal is a `UserError` whose message
says what to type instead, so bad input changes nothing. Values, targets and comparators keep
the text as given and the number derived from it (`core.kpi_values.parse_value`); periods are
stored in their canonical text with the date they end (`core.periods`).

Like `plan_edit`, functions return what undo needs: the old values, or a snapshot of what was
deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import func, select

from send_desktop.core import kpi_values as kv
from send_desktop.core.periods import parse_period
from send_desktop.errors import UserError
from send_desktop.storage.models import Kpi, KpiComparator, KpiTarget, KpiValue, Priority

KPI_FIELDS = ("ref", "measure", "officer", "frequency", "unit", "direction", "priority_id", "tolerance", "notes")


def _get(session, model, obj_id):
    obj = session.get(model, obj_id)
    if obj is None:
        raise UserError(f"That {model.__tablename__.replace('_', ' ')} no longer exists (id {obj_id}).")
    return obj


def _short(value, limit: int, what: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > limit:
        raise UserError(f"The {what} is {len(text)} characters long; keep it under {limit}.")
    return text


def clean_definition(fields: dict) -> dict:
    """The fields of a KPI checked and normalised; raises `UserError` naming the first problem."""
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise ValueError(f"unknown KPI fields: {sorted(unknown)}")
    out = {}
    for key, value in fields.items():
        if key == "ref":
            out[key] = _short(value, 32, "reference")
            if not out[key]:
                raise UserError("A KPI needs a reference, such as 1c or 2b (i).")
        elif key == "measure":
            out[key] = str(value or "").strip()
            if not out[key]:
                raise UserError("A KPI needs a measure: what is counted, such as 'EHCPs issued within 20 weeks'.")
        elif key == "officer":
            out[key] = _short(value, 200, "responsible officer")
        elif key == "frequency":
            out[key] = kv.frequency_of(value)
        elif key == "unit":
            out[key] = kv.unit_of(value)
        elif key == "direction":
            out[key] = kv.direction_of(value)
        elif key == "tolerance":
            out[key] = kv.tolerance_of(value)
        elif key == "notes":
            out[key] = str(value or "").strip()
        else:
            out[key] = value
    return out


def _check_ref_free(session, ref: str, kpi_id: int | None) -> None:
    key = kv.ref_key(ref)
    for other_id, other_ref in session.execute(select(Kpi.id, Kpi.ref)):
        if other_id != kpi_id and kv.ref_key(other_ref) == key:
            raise UserError(f"Another KPI already has the reference {other_ref}; references must differ.")


def _check_priority(session, priority_id) -> None:
    if priority_id is not None:
        _get(session, Priority, priority_id)


def create_kpi(db, *, ref: str, measure: str, officer: str = "", frequency: str = "monthly", unit: str = "%",
               direction: str = "higher", priority_id: int | None = None, tolerance=None, notes: str = "",
               source: str = "window") -> int:
    fields = clean_definition(dict(ref=ref, measure=measure, officer=officer, frequency=frequency, unit=unit,
                                   direction=direction, priority_id=priority_id, tolerance=tolerance, notes=notes))
    with db.session(source) as s:
        _check_ref_free(s, fields["ref"], None)
        _check_priority(s, priority_id)
        top = s.scalar(select(func.max(Kpi.position)))
        kpi = Kpi(**fields, position=(top if top is not None else -1) + 1)
        s.add(kpi)
        s.flush()
        return kpi.id


def update_kpi(db, kpi_id: int, changes: dict, source: str = "window") -> dict:
    """Change a KPI's definition; returns the old values of the fields changed (for undo).
    A new unit re-checks the KPI's values, targets and comparators against it."""
    fields = clean_definition(changes)
    with db.session(source) as s:
        kpi = _get(s, Kpi, kpi_id)
        if "ref" in fields:
            _check_ref_free(s, fields["ref"], kpi_id)
        if "priority_id" in fields:
            _check_priority(s, fields["priority_id"])
        if "unit" in fields and fields["unit"] != kpi.unit:
            for item in list(kpi.values) + list(kpi.targets) + list(kpi.comparators):
                problem = kv.value_problem(kv.Value(item.text, item.number), fields["unit"])
                if problem:
                    raise UserError(f"The unit cannot become {fields['unit']}: {problem}")
        old = {k: getattr(kpi, k) for k in fields}
        for key, value in fields.items():
            setattr(kpi, key, value)
        return old


def _columns(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in obj.__mapper__.column_attrs}


def delete_kpi(db, kpi_id: int, source: str = "window") -> dict:
    """Delete a KPI with its values, targets and comparators; returns the snapshot `restore_kpi` takes."""
    with db.session(source) as s:
        kpi = _get(s, Kpi, kpi_id)
        snap = {"kpi": _columns(kpi), "targets": [_columns(t) for t in kpi.targets],
                "comparators": [_columns(c) for c in kpi.comparators], "values": [_columns(v) for v in kpi.values]}
        s.delete(kpi)
        return snap


def restore_kpi(db, snap: dict, source: str = "window") -> int:
    with db.session(source) as s:
        kpi = Kpi(**snap["kpi"])
        kpi.targets = [KpiTarget(**t) for t in snap["targets"]]
        kpi.comparators = [KpiComparator(**c) for c in snap["comparators"]]
        kpi.values = [KpiValue(**v) for v in snap["values"]]
        s.add(kpi)
        s.flush()
        return kpi.id


# -- values and targets ---------------------------------------------------------------------------

def checked_value(raw, unit: str, what: str = "value") -> kv.Value:
    """A value or target as it will be stored; raises `UserError` when it cannot be."""
    value = kv.parse_value(raw)
    problem = kv.value_problem(value, unit, what)
    if problem:
        raise UserError(problem)
    return value


def _put(session, model, kpi: Kpi, existing: dict, period_text: str, raw, what: str) -> str:
    """Set, change or (blank text) remove one value or target in an open session.
    Returns "created", "updated", "removed" or "unchanged"."""
    period = parse_period(period_text)
    value = checked_value(raw, kpi.unit, what)
    current = existing.get(period.text)
    if not value.text:
        if current is None:
            return "unchanged"
        session.delete(current)
        return "removed"
    if current is None:
        session.add(model(kpi_id=kpi.id, period=period.text, period_end=period.end, text=value.text,
                          number=value.number))
        return "created"
    if current.text == value.text and current.number == value.number and current.period_end == period.end:
        return "unchanged"
    current.text, current.number, current.period_end = value.text, value.number, period.end
    return "updated"


def _existing(session, model, kpi_id: int, periods=None) -> dict:
    query = select(model).where(model.kpi_id == kpi_id)
    if periods is not None:
        query = query.where(model.period.in_(list(periods)))
    return {row.period: row for row in session.scalars(query)}


def set_target(db, kpi_id: int, period: str, text, source: str = "window") -> str:
    """Set the target for a period ("" removes it). Returns what happened (see `_put`)."""
    with db.session(source) as s:
        kpi = _get(s, Kpi, kpi_id)
        canonical = parse_period(period).text
        return _put(s, KpiTarget, kpi, _existing(s, KpiTarget, kpi_id, [canonical]), canonical, text, "target")


def set_value(db, kpi_id: int, period: str, text, source: str = "window") -> str:
    """Set one value ("" removes it). Returns what happened (see `_put`)."""
    with db.session(source) as s:
        kpi = _get(s, Kpi, kpi_id)
        canonical = parse_period(period).text
        return _put(s, KpiValue, kpi, _existing(s, KpiValue, kpi_id, [canonical]), canonical, text, "value")


class PeriodSave(NamedTuple):
    period: str
    created: int
    updated: int
    removed: int
    unchanged: int

    def summary(self) -> str:
        label = parse_period(self.period).label
        parts = [f"{n} {word}" for n, word in ((self.created, "added"), (self.updated, "changed"),
                                               (self.removed, "removed")) if n]
        return f"{label}: " + (", ".join(parts) if parts else "nothing changed") + "."


class ValueProblem(NamedTuple):
    kpi_id: int
    ref: str
    message: str


class PeriodValuesError(UserError):
    """Some values of a period could not be kept; `problems` says which and why. Nothing was saved."""

    def __init__(self, message: str, problems: list[ValueProblem]):
        super().__init__(message)
        self.problems = problems


def save_period_values(db, period: str, values: dict[int, str], source: str = "window") -> PeriodSave:
    """A whole period's values at once (the entry grid): {kpi id: text}, blank text removing a
    value. All are checked first; if any is refused, none is saved and `PeriodValuesError` lists them."""
    canonical = parse_period(period).text
    counts = {"created": 0, "updated": 0, "removed": 0, "unchanged": 0}
    with db.session(source) as s:
        kpis = {k.id: k for k in s.scalars(select(Kpi).where(Kpi.id.in_(list(values))))}
        problems = []
        for kpi_id, raw in values.items():
            kpi = kpis.get(kpi_id)
            if kpi is None:
                problems.append(ValueProblem(kpi_id, "", f"The KPI with id {kpi_id} no longer exists."))
                continue
            problem = kv.value_problem(kv.parse_value(raw), kpi.unit)
            if problem:
                problems.append(ValueProblem(kpi_id, kpi.ref, problem))
        if problems:
            first = problems[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise PeriodValuesError(f"Nothing was saved. KPI {first.ref}: {first.message}{more}", problems)
        existing: dict[int, dict] = {}
        for row in s.scalars(select(KpiValue).where(KpiValue.period == canonical,
                                                    KpiValue.kpi_id.in_(list(values)))):
            existing[row.kpi_id] = {row.period: row}
        for kpi_id, raw in values.items():
            counts[_put(s, KpiValue, kpis[kpi_id], existing.get(kpi_id, {}), canonical, raw, "value")] += 1
    return PeriodSave(canonical, **counts)


# -- comparators ----------------------------------------------------------------------------------

def set_comparator(db, kpi_id: int, name: str, text, *, as_at: dt.date | None = None, source_text: str = "",
                   source: str = "window") -> int:
    """Add or replace the comparator of that name (statistical neighbours, national, regional)."""
    clean_name = _short(name, 100, "comparator's name")
    if not clean_name:
        raise UserError("A comparator needs a name, such as 'National' or 'Statistical neighbours'.")
    if as_at is not None and not isinstance(as_at, dt.date):
        raise UserError(f"'{as_at}' is not a date for the comparator's 'as at'.")
    with db.session(source) as s:
        kpi = _get(s, Kpi, kpi_id)
        value = checked_value(text, kpi.unit, "comparator")
        found = next((c for c in kpi.comparators if c.name.casefold() == clean_name.casefold()), None)
        if found is None:
            found = KpiComparator(kpi_id=kpi_id, name=clean_name)
            s.add(found)
        found.name, found.text, found.number = clean_name, value.text, value.number
        found.as_at, found.source = as_at, _short(source_text, 300, "comparator's source")
        s.flush()
        return found.id


def remove_comparator(db, comparator_id: int, source: str = "window") -> dict:
    with db.session(source) as s:
        comparator = _get(s, KpiComparator, comparator_id)
        snap = _columns(comparator)
        s.delete(comparator)
        return snap
