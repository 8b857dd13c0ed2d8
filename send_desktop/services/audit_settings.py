"""The numbers a partnership sets for its audit programme, kept in the file's `meta` table.

- `target_pct`: the share of audited plans to be graded good or better (default 40);
- `benchmark_pct`: an external benchmark to show beside it (default none);
- `sample_rate`: the share of the caseload to audit each month (default 0.05, that is 5%).
"""

from __future__ import annotations

from typing import NamedTuple

from send_desktop.errors import BadInputError

_KEYS = {"target_pct": "audit.target_pct", "benchmark_pct": "audit.benchmark_pct", "sample_rate": "audit.sample_rate"}


class AuditSettings(NamedTuple):
    target_pct: float = 40.0
    benchmark_pct: float | None = None
    sample_rate: float = 0.05


def audit_settings(db) -> AuditSettings:
    with db.reading() as con:
        stored = dict(con.execute("SELECT key, value FROM meta WHERE key LIKE 'audit.%'").fetchall())
    values = {}
    for field, key in _KEYS.items():
        text = stored.get(key)
        if text not in (None, ""):
            try:
                values[field] = float(text)
            except ValueError:  # a hand-edited file: fall back to the default
                pass
    return AuditSettings(**values)


def save_audit_settings(db, settings: AuditSettings) -> None:
    if not 0 <= settings.target_pct <= 100:
        raise BadInputError(f"the target must be a percentage between 0 and 100, not {settings.target_pct}")
    if settings.benchmark_pct is not None and not 0 <= settings.benchmark_pct <= 100:
        raise BadInputError(f"the benchmark must be a percentage between 0 and 100, not {settings.benchmark_pct}")
    if not 0 < settings.sample_rate <= 1:
        raise BadInputError(f"the monthly sample rate must be above 0 and at most 1 (5% is 0.05), "
                            f"not {settings.sample_rate}")
    from send_desktop.storage.models import Meta

    with db.session("audit settings") as s:
        for field, key in _KEYS.items():
            value = getattr(settings, field)
            text = "" if value is None else repr(float(value))
            row = s.get(Meta, key)
            if row is None:
                s.add(Meta(key=key, value=text))
            elif row.value != text:
                row.value = text
