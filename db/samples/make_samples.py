"""Write the sample database of a released schema, for the upgrade tests.

Run once when a schema is released (`python db/samples/make_samples.py 0001`); the file it
writes is committed and never regenerated, because it stands for files users already hold.
Rows are written with plain SQL, as that version of the application would have stored them.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

PLAN_0001 = [
    "INSERT INTO rating_scale VALUES (1, 'a0000000000000000000000000000001', 'Priority Action Plan (3 levels)', 'pap3')",
    "INSERT INTO scale_level VALUES (1, 'a0000000000000000000000000000011', 1, 0, 'R', 'Red', 'Delayed, not on track', '#c0392b', 0)",
    "INSERT INTO scale_level VALUES (2, 'a0000000000000000000000000000012', 1, 1, 'A', 'Amber', 'On track', '#e69f00', 0)",
    "INSERT INTO scale_level VALUES (3, 'a0000000000000000000000000000013', 1, 2, 'G', 'Green', 'Completed', '#2e8b57', 1)",
    "INSERT INTO plan VALUES (1, 'a0000000000000000000000000000021', 'Sample plan, schema 0001', 1)",
    "INSERT INTO person VALUES (1, 'a0000000000000000000000000000031', 'Morgan Ellis', 'Head of SEND', 'Council')",
    "INSERT INTO person VALUES (2, 'a0000000000000000000000000000032', 'Priya Shah', 'Designated Clinical Officer', 'ICB')",
    "INSERT INTO workstream VALUES (1, 'a0000000000000000000000000000041', 1, 'EHCPs and annual reviews', 'Timeliness\nQuality', 0)",
    "INSERT INTO workstream_lead VALUES (1, 1)",
    "INSERT INTO priority VALUES (1, 'a0000000000000000000000000000051', 1, '1', 'area for priority action', "
    "'Leaders should improve the timeliness and quality of plans.', 1, 'Audit results', 'Plans describe the child', 0)",
    "INSERT INTO outcome VALUES (1, 'a0000000000000000000000000000061', 1, '1.1', 'Plans are issued within 20 weeks.', 0)",
    "INSERT INTO outcome VALUES (2, 'a0000000000000000000000000000062', 1, '1.2', 'Audited plans are good or better.', 1)",
    "INSERT INTO action VALUES (1, 'a0000000000000000000000000000071', 1, '1.1.1', 'Recruit caseworkers', 1, "
    "'Sept 2025', '2025-09-30', 'Posts filled\nBacklog falls', 0)",
    "INSERT INTO action VALUES (2, 'a0000000000000000000000000000072', 1, '1.1.2', 'Weekly timeliness report', 1, "
    "'Ongoing', NULL, 'Report issued weekly', 1)",
    "INSERT INTO action VALUES (3, 'a0000000000000000000000000000073', 2, '1.2.1', 'Monthly audit cycle', 1, "
    "'Feb 26', '2026-02-28', '5% of plans audited a month', 0)",
    "INSERT INTO action_lead VALUES (1, 1, 0)",
    "INSERT INTO action_lead VALUES (3, 2, 0)",
    "INSERT INTO action_lead VALUES (3, 1, 1)",
    "INSERT INTO status_update VALUES (1, 'a0000000000000000000000000000081', 1, '2025-06-30', 2, 'Adverts out', 'Job advert', 'Morgan Ellis')",
    "INSERT INTO status_update VALUES (2, 'a0000000000000000000000000000082', 1, '2025-09-30', 3, 'All posts filled', '', 'Morgan Ellis')",
    "INSERT INTO status_update VALUES (3, 'a0000000000000000000000000000083', 3, '2025-10-31', 1, 'Behind target', 'Audit log', 'Priya Shah')",
]


CHANGE_LOG_0002 = [
    "INSERT INTO change_log (id, at, user, source, op, entity, entity_id, field, old, new) VALUES (1, '2025-09-30 10:00:00', 'Morgan Ellis', 'window', 'update', 'action', 1, "
    "'timescale', 'August 2025', 'Sept 2025')",
    "INSERT INTO change_log (id, at, user, source, op, entity, entity_id, field, old, new) VALUES (2, '2025-09-30 10:00:00', 'Morgan Ellis', 'window', 'update', 'action', 1, "
    "'due_date', '2025-08-31', '2025-09-30')",
    "INSERT INTO change_log (id, at, user, source, op, entity, entity_id, field, old, new) VALUES (3, '2025-10-31 16:20:00', 'Priya Shah', 'import plan.xlsx', 'insert', "
    "'status_update', 3, '*', NULL, '{\"narrative\": \"Behind target\"}')",
]

AUDITS_0003 = [
    "INSERT INTO audit_framework VALUES (1, 'b0000000000000000000000000000001', 'Sample framework', '1', "
    "'{\"name\": \"Sample framework\", \"version\": 1, \"sections\": [{\"code\": \"A\", \"title\": \"Views\", "
    "\"weight\": 1, \"criteria\": [{\"id\": \"A1\", \"text\": \"Views recorded\"}]}]}', 1, '2026-06-01 09:00:00')",
    "INSERT INTO audit VALUES (1, 'b0000000000000000000000000000011', 1, 'EHCP-0001', 'annual review', '2024-03-01', "
    "'North', 'KS2', 'Autistic spectrum disorder', 'Special school', 'Sam Okafor', 'SEND casework', '2026-06-12', "
    "'2026-06', 'submitted', '{\"A1\": 2}', '{}', '{}', '[]', 0, '', 66.7, 'Good', 'Good', '[]', "
    "'{\"A\": [66.7, \"Good\"]}', '[]', 'Good', '2026-06-12 10:00:00')",
    "INSERT INTO caseload_plan VALUES (1, 'b0000000000000000000000000000021', 'EHCP-0001', 'North', 'KS2', "
    "'Autistic spectrum disorder', 'Special school', '2024-03-01')",
]

RISKS_KPIS_0004 = [
    "INSERT INTO risk_category VALUES (1, 'c0000000000000000000000000000001', 'Regulatory', 12, 0)",
    "INSERT INTO risk VALUES (1, 'c0000000000000000000000000000011', 'R1', 'Health advice is late', 'Capacity', "
    "'Advice misses six weeks', 'Plans are late', 1, 'Priya Shah', 'Weekly tracking', 'Monthly report', '', '', "
    "4, 4, 3, 4, 2, 3, '2026-12-31', 'monthly', '2026-07-31', 'open', 0)",
    "INSERT INTO risk_assessment VALUES (1, 'c0000000000000000000000000000021', 1, '2026-06-30', 3, 4, 'Improving', "
    "'Priya Shah')",
    "INSERT INTO kpi VALUES (1, 'c0000000000000000000000000000031', '2a', 'New EHCPs issued within 20 weeks', "
    "'Morgan Ellis', 'monthly', '%', 'higher', 1, NULL, '', 0)",
    "INSERT INTO kpi_value VALUES (1, 'c0000000000000000000000000000041', 1, '2026-05', '2026-05-31', '84.7%', 84.7)",
    "INSERT INTO kpi_target VALUES (1, 'c0000000000000000000000000000051', 1, '2026/27', '2027-03-31', '90%', 90)",
]

MEETINGS_0005 = [
    "INSERT INTO board VALUES (1, 'd0000000000000000000000000000001', 'Improvement Board', 0)",
    "INSERT INTO meeting VALUES (1, 'd0000000000000000000000000000011', 1, '2026-06-10 10:00:00', 'Town Hall', 0, "
    "'Morgan Ellis', 'held')",
    "INSERT INTO meeting_action VALUES (1, 'd0000000000000000000000000000021', 1, 1, NULL, 'Report audit results', "
    "'Priya Shah', '2026-07-31', 'open')",
]

PACKS_0006 = [
    "INSERT INTO meeting_pack VALUES (1, 'e0000000000000000000000000000001', 1, '2026-06-10', 'Improvement Board pack', "
    "1, 'issued', '2026-06-09 17:00:00', 'Morgan Ellis', '{\"version\": 1, \"as_of\": \"2026-06-09\"}', "
    "X'255044462d312e340a', 'f0f5d83b55b7c9e9a7f9c3e0ad2d8b0f5a1f6b1b0c5e3d7b2a9e8f7c6d5b4a39')",
]

IMPORTS_0007 = [
    "INSERT INTO import_batch VALUES (1, 'plan.xlsx', 'plan', 'import plan.xlsx', '2026-06-20 09:00:00', 'Priya Shah', "
    "'{\"created\": 0, \"updated\": 1, \"unchanged\": 2, \"conflicts\": 0}', NULL, '')",
    "INSERT INTO change_log VALUES (4, '2026-06-20 09:00:00', 'Priya Shah', 'import plan.xlsx', 'update', 'action', 2, "
    "'timescale', 'Weekly', 'Ongoing', 1)",
]

SAMPLES = {
    "0001": PLAN_0001,
    "0002": PLAN_0001 + CHANGE_LOG_0002,
    "0003": PLAN_0001 + CHANGE_LOG_0002 + AUDITS_0003,
    "0004": PLAN_0001 + CHANGE_LOG_0002 + AUDITS_0003 + RISKS_KPIS_0004,
    "0005": PLAN_0001 + CHANGE_LOG_0002 + AUDITS_0003 + RISKS_KPIS_0004 + MEETINGS_0005,
    "0006": PLAN_0001 + CHANGE_LOG_0002 + AUDITS_0003 + RISKS_KPIS_0004 + MEETINGS_0005 + PACKS_0006,
    "0007": PLAN_0001 + CHANGE_LOG_0002 + AUDITS_0003 + RISKS_KPIS_0004 + MEETINGS_0005 + PACKS_0006 + IMPORTS_0007,
}


def make(revision: str) -> Path:
    from send_desktop.storage.database import open_database

    target = HERE / f"schema-{revision}.sqlite"
    if target.exists():
        raise SystemExit(f"{target} exists: released samples are never regenerated")
    db = open_database(target, create=True, user="sample", target_revision=revision)
    db.close()
    con = sqlite3.connect(target)
    with con:
        for sql in SAMPLES[revision]:
            con.execute(sql)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("VACUUM")
    con.close()
    for extra in (target.with_name(target.name + s) for s in (".lock", "-wal", "-shm")):
        extra.unlink(missing_ok=True)
    return target


if __name__ == "__main__":
    print(make(sys.argv[1] if len(sys.argv) > 1 else "0001"))
