"""The KPI set as JSON-ready dicts, for other tools (`send-desktop dump --kind kpis`) and tests.

The shape is the command line's contract (issue 4): one record per KPI in table order, with its
targets and values in period order and its comparators in the order they were added.
"""

from __future__ import annotations

from send_desktop.services.kpi_read import KpiSnapshot, load_kpis


def _iso(day):
    return day.isoformat() if day else None


def kpis_to_list(snap: KpiSnapshot) -> list[dict]:
    return [
        {
            "ref": k.ref,
            "measure": k.measure,
            "frequency": k.frequency,
            "unit": k.unit,
            "direction": k.direction,
            "targets": [{"period": t.period, "text": t.text, "number": t.number} for t in k.targets],
            "comparators": [{"name": c.name, "text": c.text, "number": c.number, "as_at": _iso(c.as_at)}
                            for c in k.comparators],
            "values": [{"period": v.period, "text": v.text, "number": v.number} for v in k.values],
        }
        for k in snap.kpis
    ]


def dump_kpis(db) -> list[dict]:
    return kpis_to_list(load_kpis(db))
