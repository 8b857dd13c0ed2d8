"""Workbooks without ids matched to the plan by wording, and the rating scale a new plan is given.

The similarity is tested on action texts as officers reword them. The plan tests take the demo
plan and rebuild one priority as a workstream lead's own tracker would hold it, without ids:
a title and key above the header, merged banners for the priority and its outcomes, one
outcome folded into another (its actions renumbered), one action lightly and two heavily
reworded under new numbers, one action left out and one new. Sure matches update the plan,
doubtful ones are listed and merged only when accepted, in the importer and on the command line.
The scale tests choose a scale other than the detected one for a RAG workbook.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from send_desktop.cli import main
from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError
from send_desktop.services.plan_dump import dump_plan
from send_desktop.xlsx.plan_foreign import preview_plan
from send_desktop.xlsx.plan_import import import_plan
from send_desktop.xlsx.plan_match import check_decisions
from send_desktop.xlsx.tolerant.similar import DOUBTFUL, SURE, match, similarity

TODAY = dt.date(2025, 10, 1)
SHEET = "Co-production tracker"

# -- the similarity of short texts -------------------------------------------------------------------


REWORDED = [  # (plan's wording, the officer's), each still the same action
    ("Publish this plan on the Local Offer and refresh the published progress tracker after every board meeting.",
     "Publish the plan on the Local Offer & refresh the progress tracker after each board meeting"),
    ("Agree a co-production charter with the parent carer forum and ask every partner organisation to sign it.",
     "Co-production charter agreed with parent carer forum; all partner organizations asked to sign"),
    ("Take a SEND progress report to the Health and Wellbeing Board, Cabinet and the ICB board each quarter.",
     "Quarterly SEND progress reports to Health & Wellbeing Board, Cabinet and ICB board"),
]
LOOSELY = [  # the same action, reworded enough to need confirming
    ("Set up a monthly operations group of heads of service to manage delivery between board meetings and "
     "unblock cross-agency issues.", "Monthly ops group (heads of service) set up to manage delivery between "
                                     "board meetings"),
    ("Send families a short monthly newsletter on progress with the improvement plan.",
     "Monthly newsletter to families on how the improvement plan is going"),
]
DIFFERENT = [  # two actions of one plan, alike in their words only
    ("Co-produce a communication and engagement strategy with the parent carer forum and young people.",
     "Co-produce a module on respectful communication with parent carers and deliver it to all statutory staff."),
    ("Commission locum and associate educational psychologists to complete statutory advice.",
     "Grow the permanent educational psychology service through trainee placements and a market supplement."),
    ("Finalise phase transfer plans by 15 February for Year 6 and by 31 March for Year 11.",
     "Clear the backlog of overdue annual reviews with a dedicated review team working in order of risk."),
]


@pytest.mark.parametrize("plan, officer", REWORDED)
def test_a_lightly_reworded_action_is_surely_the_same(plan, officer):
    assert similarity(plan, officer) >= SURE


@pytest.mark.parametrize("plan, officer", LOOSELY)
def test_a_loosely_reworded_action_is_doubtful(plan, officer):
    assert DOUBTFUL <= similarity(plan, officer) < SURE


@pytest.mark.parametrize("one, other", DIFFERENT)
def test_different_actions_are_not_alike(one, other):
    assert similarity(one, other) < DOUBTFUL


def test_case_punctuation_plurals_typos_and_split_words_do_not_matter():
    assert similarity("Recruit more caseworkers!", "recruit  more CASEWORKERS") == 1.0
    assert similarity("Review the annual reviews", "Reviewing annual review") == 1.0
    assert similarity("Recruit more caseworkers for the statutory team",
                      "Recuit more case workers for the statutory team") >= SURE
    assert similarity("Agree the data sharing protocol", "") == 0.0


def test_match_is_one_to_one_and_best_first():
    records = [("a", "Publish a shared data dashboard for the board"),
               ("b", "Publish the Local Offer annual report"),
               ("c", "Agree a data sharing protocol with health partners")]
    rows = [(1, "Publish shared data dashboard"),                        # a weaker candidate for "a"
            (2, "Agree the data-sharing protocol with health partners"),
            (3, "Publish the shared data dashboard for the board")]
    found = match(rows, records)
    assert [(m.row, m.record, m.sure) for m in found] == [(2, "c", True), (3, "a", True)]  # in the rows' order
    assert found[0].score == 1.0  # equal once case, punctuation and small words are set aside


def test_two_candidates_too_close_to_tell_apart_are_only_doubtful():
    records = [("a", "Publish the SEND data dashboard for schools"),
               ("b", "Publish the SEND data dashboard for the board")]
    [m] = match([(1, "Publish the SEND data dashboard for schools and for the board")], records)
    assert m.score >= SURE and m.close and not m.sure


def test_a_group_breaks_a_tie_and_can_limit_the_comparison():
    records = [("x", "Hold a termly review meeting", "2.1"), ("y", "Hold a termly review meeting", "3.1")]
    rows = [(1, "Hold a termly review meeting", "3.1")]
    [m] = match(rows, records)
    assert m.record == "y" and not m.sure  # equal texts twice: the same outcome wins, to be confirmed
    assert match([(1, "Hold a termly review meeting", "4.1")], records, same_group_only=True) == []


def test_match_decisions_are_checked():
    assert check_decisions("ALL") == "all" and check_decisions(None) is None
    assert check_decisions([{"key": "S!4", "accept": True}, {"key": "S!5"}]) == {"S!4": True}
    with pytest.raises(BadInputError, match="not usable"):
        check_decisions({"S!4": "yes"})


# -- an officer's tracker matched to the plan ------------------------------------------------------


def plan_parts(db):
    d = dump_plan(db)
    acts = {a["ref"]: a for a in d["actions"]}
    outcomes = {o["ref"]: o["text"] for o in d["outcomes"]}
    priority = next(p["statement"] for p in d["priorities"] if p["ref"] == "4")
    return d, acts, outcomes, priority


NEW_OUTCOME = "Families hear about changes before they happen"
NEW_ACTION = "Hold a yearly open evening in each district where families hear the plans for the coming year."
LOOSE_442 = "Directory of services on the Local Offer: each entry has a named owner and is checked every six months"
LOOSE_452 = "Phone every complainant within five working days and try to settle the concern informally"
LIGHT_462 = ("Run termly drop-in sessions with the parent carer forum in every district, where families meet "
             "officers in person.")


def officers_tracker(db, path: Path) -> Path:
    """Priority 4 of the plan as a workstream lead keeps it: outcome 4.6 folded into 4.1 (4.6.1
    and 4.6.2 become 4.1.4 and 4.1.5, the second lightly reworded), 4.4.2 and 4.5.2 reworded
    under new numbers, 4.3.3 left out, a new outcome 4.7 with a new action, 4.1.3 now Red."""
    _, acts, outcomes, priority = plan_parts(db)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["Working together and co-production \u2014 subgroup tracker"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["RAG: Red = delayed, Amber = on track, Green = completed"])
    ws.append([])
    ws.append(["Ref", "Action", "Lead officer", "Timescale", "RAG"])

    def banner(text):
        ws.append([text])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=5)
        ws.cell(ws.max_row, 1).fill = PatternFill("solid", fgColor="FFD9E1F2")

    def action(ref, text, like=None, status=None):
        a = acts[like or ref]
        ws.append([ref, text or a["action"], "; ".join(a["leads"]), a["timescale"], status or a["status"]])

    banner(f"4. {priority}")
    banner(f"4.1 Outcome: {outcomes['4.1']}")
    action("4.1.1", None)
    action("4.1.2", None)
    action("4.1.3", None, status="Red")
    action("4.1.4", None, like="4.6.1")
    action("4.1.5", LIGHT_462, like="4.6.2")
    for o, refs in (("4.2", ("4.2.1", "4.2.2")), ("4.3", ("4.3.1", "4.3.2"))):
        banner(f"{o} Outcome: {outcomes[o]}")
        for ref in refs:
            action(ref, None)
    banner(f"4.4 Outcome: {outcomes['4.4']}")
    action("4.4.1", None)
    action("4.4.3", LOOSE_442, like="4.4.2")
    banner(f"4.5 Outcome: {outcomes['4.5']}")
    action("4.5.1", None)
    action("4.5.4", LOOSE_452, like="4.5.2")
    banner(f"4.7 Outcome: {NEW_OUTCOME}")
    ws.append(["4.7.1", NEW_ACTION, "Beth Soulsby", "June 2027", "Amber"])
    wb.save(path)
    return path


def do_import(db, path, **kw):
    return run_steps(import_plan(db, path, today=TODAY, source=f"import {Path(path).name}", **kw))


def matches_by_ref(report):
    return {m["ref"]: m for m in report.as_dict()["matches"]}


def test_sure_matches_update_and_doubtful_ones_are_listed_not_merged(demo_db, tmp_path):
    first, before, _, _ = plan_parts(demo_db)
    path = officers_tracker(demo_db, tmp_path / "tracker.xlsx")
    dry = do_import(demo_db, path, dry_run=True)
    found = matches_by_ref(dry)
    assert set(found) == {"4.1.4", "4.1.5", "4.4.3", "4.5.4"}  # 4.7.1 is like no action: not listed
    assert [found[r]["action_ref"] for r in ("4.1.4", "4.1.5", "4.4.3", "4.5.4")] == ["4.6.1", "4.6.2", "4.4.2",
                                                                                       "4.5.2"]
    assert found["4.1.4"]["similarity"] == 1.0 and found["4.1.4"]["sure"] and found["4.1.4"]["merged"]
    assert found["4.1.5"]["sure"] and found["4.1.5"]["merged"] and SURE <= found["4.1.5"]["similarity"] < 1
    for ref in ("4.4.3", "4.5.4"):
        m = found[ref]
        assert not m["sure"] and not m["merged"] and DOUBTFUL <= m["similarity"] < SURE
        assert m["sheet"] == SHEET and m["key"] == f"{SHEET}!{m['row']}" and m["text"] in (LOOSE_442, LOOSE_452)
        assert m["action_text"] == before[m["action_ref"]]["action"]
    doubt = [w for w in dry.as_dict()["warnings"] if "not sure, so it was imported as a new action" in w["message"]]
    assert {(w["sheet"], w["row"]) for w in doubt} == {(SHEET, found["4.4.3"]["row"]), (SHEET, found["4.5.4"]["row"])}
    assert any("may be action 4.4.2 reworded" in w["message"] for w in doubt)

    report = do_import(demo_db, path)
    assert report.as_dict()["matches"] == dry.as_dict()["matches"]
    # new: 4.4.3 and 4.5.4 (doubtful, not confirmed) and 4.7.1; updated: 4.1.3's status, 4.6.1 and 4.6.2 moved
    assert (report.created, report.updated) == (3, 3)
    d, after, outcomes, _ = plan_parts(demo_db)
    assert "4.6.1" not in after and "4.6.2" not in after
    assert after["4.1.4"]["action"] == before["4.6.1"]["action"]
    assert after["4.1.5"]["action"] == LIGHT_462 and after["4.1.5"]["updates"] == before["4.6.2"]["updates"]
    assert after["4.1.5"]["leads"] == before["4.6.2"]["leads"]
    assert after["4.4.2"] == before["4.4.2"] and after["4.5.2"] == before["4.5.2"]  # left as they were
    assert after["4.4.3"]["action"] == LOOSE_442 and after["4.5.4"]["action"] == LOOSE_452
    assert after["4.3.3"] == before["4.3.3"]  # left out of the workbook: never deleted
    assert after["4.7.1"]["action"] == NEW_ACTION and outcomes["4.7"] == NEW_OUTCOME
    assert after["4.1.3"]["status"] == "Red"
    assert len(d["actions"]) == len(first["actions"]) + 3

    again = do_import(demo_db, path)  # the same workbook again changes nothing
    assert (again.created, again.updated) == (0, 0)
    assert again.as_dict()["matches"] == []


def test_accepted_matches_are_merged_and_a_reimport_changes_nothing(demo_db, tmp_path):
    _, before, _, _ = plan_parts(demo_db)
    path = officers_tracker(demo_db, tmp_path / "tracker.xlsx")
    found = matches_by_ref(do_import(demo_db, path, dry_run=True))
    decisions = {found["4.4.3"]["key"]: True, found["4.5.4"]["key"]: False}
    report = do_import(demo_db, path, matches=decisions)
    assert (report.created, report.updated) == (2, 4)  # 4.5.4 and 4.7.1 new; 4.4.2 now 4.4.3
    merged = matches_by_ref(report)
    assert merged["4.4.3"]["merged"] and not merged["4.5.4"]["merged"]
    assert not [w for w in report.as_dict()["warnings"] if "not sure" in w["message"]]  # all decided
    _, after, _, _ = plan_parts(demo_db)
    assert "4.4.2" not in after
    assert after["4.4.3"]["action"] == LOOSE_442
    assert after["4.4.3"]["updates"] == before["4.4.2"]["updates"]   # the same action, its history kept
    assert after["4.4.3"]["leads"] == before["4.4.2"]["leads"]
    assert after["4.5.4"]["action"] == LOOSE_452 and after["4.5.2"] == before["4.5.2"]

    for again in (do_import(demo_db, path, matches=decisions), do_import(demo_db, path)):
        assert (again.created, again.updated) == (0, 0)


def test_accepting_all_merges_every_doubtful_match(demo_db, tmp_path):
    path = officers_tracker(demo_db, tmp_path / "tracker.xlsx")
    report = do_import(demo_db, path, dry_run=True, matches="all")
    assert all(m["merged"] for m in report.as_dict()["matches"])
    assert (report.created, report.updated) == (1, 5)
    stale = do_import(demo_db, path, dry_run=True, matches={f"{SHEET}!99": True})
    assert any("row Co-production tracker!99 was not used" in w["message"] for w in stale.as_dict()["warnings"])


def test_cli_accept_matches(demo_db_path, tmp_path, capsys):
    from send_desktop.storage.database import open_database

    db = open_database(demo_db_path, user="Test")
    path = officers_tracker(db, tmp_path / "tracker.xlsx")
    db.close()

    def run(*extra):
        code = main(["import", str(demo_db_path), str(path), "--dry-run", "--json", *extra])
        captured = capsys.readouterr()
        return code, (json.loads(captured.out) if captured.out else None), captured.err

    code, none, _ = run("--accept-matches", "none")
    assert code == 0 and none["created"] == 3 and list(none)[-2:] == ["matches", "scale"]
    assert none["scale"]["chosen_by"] == "plan"
    code, every, _ = run("--accept-matches", "all")
    assert code == 0 and every["created"] == 1 and all(m["merged"] for m in every["matches"])
    chosen = [dict(m, accept=m["ref"] == "4.5.4") for m in none["matches"] if not m["sure"]]
    listed = tmp_path / "decisions.json"
    listed.write_text(json.dumps(chosen))  # the dry run's list, each given "accept"
    code, some, _ = run("--accept-matches", str(listed))
    assert code == 0 and {m["ref"]: m["merged"] for m in some["matches"]} == {
        "4.1.4": True, "4.1.5": True, "4.4.3": False, "4.5.4": True}
    listed.write_text(json.dumps({"a": "perhaps"}))
    code, _, err = run("--accept-matches", str(listed))
    assert code == 2 and "match decisions are not usable" in err and err.count("\n") == 1
    code, _, err = run("--accept-matches", str(tmp_path / "missing.json"))
    assert code == 2 and "missing.json" in err


# -- the scale of a new plan -------------------------------------------------------------------------

RED, AMBER, GREEN = (PatternFill("solid", fgColor=c) for c in ("FFFF0000", "FFFFC000", "FF00B050"))


def rag_tracker(path: Path, statuses) -> Path:
    """A new plan's tracker with a RAG column: statuses as words, or (None, fill) for a coloured blank."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.append(["Local area SEND action plan"])
    ws.append(["No.", "What we will do", "Owner", "RAG rating"])
    ws.append(["1. Leaders know the local area well"])
    ws.merge_cells("A3:D3")
    for i, status in enumerate(statuses, 1):
        text, fill = status if isinstance(status, tuple) else (status, None)
        ws.append([f"1.1.{i}", f"Local area action number {i} for the board", "Head of SEND", text])
        if fill is not None:
            ws.cell(ws.max_row, 4).fill = fill
    wb.save(path)
    return path


@pytest.fixture
def no_plan_db(tmp_path):
    from send_desktop.storage.database import open_database

    database = open_database(tmp_path / "empty.sqlite", create=True, user="Test Auditor")
    yield database
    database.close()


def test_the_detected_scale_is_reported_with_its_reason(no_plan_db, tmp_path):
    path = rag_tracker(tmp_path / "rag.xlsx", ["Red", "Amber", "Green"])
    preview = preview_plan(path, no_plan_db, scale=True)
    assert preview.scale["name"] == "Priority Action Plan (3 levels)" and preview.scale["chosen_by"] == "detected"
    assert "amber, green, red" in preview.scale["detected"]["reason"]
    assert preview.scale["alternatives"] == ["ip5", "soa3", "brag5"]
    assert preview_plan(path, no_plan_db).scale is None  # only when asked: it reads every row
    dry = do_import(no_plan_db, path, dry_run=True)
    assert dry.as_dict()["scale"]["preset"] == "pap3"
    assert any("rating scale is Priority Action Plan (3 levels): the statuses used" in w["message"]
               for w in dry.as_dict()["warnings"])


def improvement_tracker(path: Path) -> Path:
    """Codes n/s, R, A, G and C with a key sheet: the five-level Improvement Plan scale."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Action Plan"
    ws.append(["SEND Improvement Plan 2024-2026"])
    ws.append(["Action", "Due", "Lead", "Ref", "Status"])
    for ref, status in (("1.1.1", "n/s"), ("1.1.2", "R"), ("1.1.3", "A"), ("1.2.1", "G"), ("1.2.2", "C")):
        ws.append([f"Local area action {ref} for the board", "September 2025", "Head of Inclusion", ref, status])
    key = wb.create_sheet("Key")
    for row in (["Rating", "Status"], ["GREY (n/s)", "Not started"], ["RED (R)", "Delayed and at risk"],
                ["AMBER (A)", "Underway"], ["GREEN (G)", "Will meet the deadline"], ["BLUE (C)", "Signed off"]):
        key.append(row)
    wb.save(path)
    return path


def test_a_scale_that_would_merge_distinct_statuses_is_refused_and_nothing_changes(no_plan_db, tmp_path):
    path = improvement_tracker(tmp_path / "ip.xlsx")
    before = no_plan_db.path.read_bytes()
    for dry_run in (True, False):
        with pytest.raises(BadInputError) as exc:
            do_import(no_plan_db, path, dry_run=dry_run, scale="pap3")
        first, second = exc.value.problems
        assert "would merge statuses that are different levels of the detected Improvement Plan (5 levels)" in \
            first.message
        assert "Not started ('n/s') and Red ('R') would both be 'Red'" in first.message
        assert (first.sheet, first.row, first.column) == ("Action Plan", 3, "Status")
        assert "Amber ('A') and Green ('G') would both be 'Amber'" in second.message
    assert no_plan_db.path.read_bytes() == before
    with no_plan_db.reading() as con:
        assert con.execute("SELECT count(*) FROM plan").fetchone()[0] == 0
    # a RAG tracker has no room in the three Statement of Action levels for Red and Amber apart
    rag = rag_tracker(tmp_path / "rag.xlsx", ["On track", "Green", "Delayed", (None, AMBER)])
    with pytest.raises(BadInputError, match=r"Amber \('On track', an amber fill\) and Red \('Delayed'\) would both "
                                            r"be 'Planned'"):
        do_import(no_plan_db, rag, dry_run=True, scale="soa3")
    assert no_plan_db.path.read_bytes() == before


def test_a_rag_workbook_read_into_the_five_level_scale_keeps_completed_work_completed(no_plan_db, tmp_path):
    path = rag_tracker(tmp_path / "rag.xlsx", ["Red", "On track", (None, GREEN), "Green", (None, RED), "Amber"])
    report = do_import(no_plan_db, path, scale="improvement5")
    d = dump_plan(no_plan_db)
    assert d["scale"]["name"] == "Improvement Plan (5 levels)" and len(d["scale"]["levels"]) == 5
    # Green was done in the workbook's scale: it is Completed here, not the five-level Green
    assert [a["status"] for a in d["actions"]] == ["Red", "Amber", "Completed", "Completed", "Red", "Amber"]
    scale = report.as_dict()["scale"]
    assert scale["chosen_by"] == "you" and scale["preset"] == "ip5" and scale["detected"]["preset"] == "pap3"
    warnings = [w["message"] for w in report.as_dict()["warnings"]]
    assert "the statuses were read into the Improvement Plan (5 levels) scale: Red ('Red', a red fill) as Red; " \
           "Amber ('On track', 'Amber') as Amber; Green (a green fill, 'Green') as Completed" in warnings
    assert any("as chosen (the detected scale was Priority Action Plan (3 levels)" in w for w in warnings)


def test_an_existing_plan_keeps_its_scale(demo_db, tmp_path):
    path = officers_tracker(demo_db, tmp_path / "tracker.xlsx")
    report = do_import(demo_db, path, dry_run=True, scale="ip5")
    assert any("the plan keeps its rating scale (Priority Action Plan (3 levels))" in w["message"]
               for w in report.as_dict()["warnings"])
    assert report.as_dict()["scale"]["chosen_by"] == "plan"
    with pytest.raises(BadInputError, match="'rainbow' is not a rating scale"):
        do_import(demo_db, path, dry_run=True, scale="rainbow")


def test_cli_scale(no_plan_db, tmp_path, capsys):
    path = rag_tracker(tmp_path / "rag.xlsx", ["On track", "Green", "Delayed"])
    target = str(no_plan_db.path)
    no_plan_db.close()
    assert main(["import", target, str(path), "--scale", "soa3"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("send-desktop: rag.xlsx: sheet 'Tracker', row 4, column 'RAG rating': the Statement "
                          "of Action (3 levels) scale would merge") and err.count("\n") == 1
    assert main(["import", target, str(path), "--scale", "ip5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["created"] == 3 and out["scale"]["preset"] == "ip5"
    assert main(["import", target, str(path), "--scale", "nonsense"]) == 2
    assert "'nonsense' is not a rating scale; choose one of detected, pap3" in capsys.readouterr().err
