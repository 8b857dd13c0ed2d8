"""The audit list: a lazy model over ids, sorting and filtering by query, New / Open / Delete."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from send_desktop.audits.default_framework import default_framework
from send_desktop.services import audit_edit
from send_desktop.services.audit_read import audit_ids, load_audit
from send_desktop.ui import error_dialog
from send_desktop.ui.audit_list_model import COL_DATE, COL_REF, COL_TEAM, AuditListModel, AuditQuery
from send_desktop.ui.audit_list_view import SEARCH_DELAY_MS, AuditListView

TEAMS = ("Harwick Central", "Dales North", "Dales West")
AUDITORS = ("Imogen Hale", "Kwame Osei")


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    """Message boxes answer as told (default Cancel); an unexpected-error dialog fails the test."""
    shown = {"question": [], "answer": QMessageBox.StandardButton.Cancel, "errors": []}

    def question(parent, title, text, *args, **kwargs):
        shown["question"].append(text)
        return shown["answer"]

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown["errors"].append(a[2]))
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: shown["errors"].append(self.details) or 0)
    yield shown
    assert not shown["errors"], shown["errors"][0]


def make_audits(db, n: int) -> list[int]:
    """n audits, one every 3 days from January 2026, teams and auditors in turn, some submitted."""
    ratings = [{c.id: v for s in default_framework().sections for c in s.criteria} for v in (1, 2, 3)]
    ids = []
    for i in range(n):
        audit_id = audit_edit.create_audit(db, {
            "plan_ref": f"HD-{100000 + (i * 37) % 1000:06d}",
            "audit_date": dt.date(2026, 1, 1) + dt.timedelta(days=3 * i),
            "team": TEAMS[i % 3], "auditor": AUDITORS[i % 2], "agency": "SEND casework",
            "ratings": ratings[i % 3]}, source="test")
        if i % 4 == 0:
            audit_edit.set_status(db, audit_id, "submitted")
        ids.append(audit_id)
    return ids


@pytest.fixture
def listed(qtbot, db):
    def make(n: int, page_size: int | None = None):
        make_audits(db, n)
        view = AuditListView(db, page_size=page_size)
        qtbot.addWidget(view)
        view.resize(1200, 420)
        view.show()
        qtbot.waitExposed(view)
        view.activateWindow()  # shortcuts (Insert, Delete) reach only the active window
        qtbot.waitUntil(view.isActiveWindow)
        return view
    return make


def refs(view) -> list[str]:
    return [view.model.row_values(r).plan_ref for r in range(view.model.rowCount())]


def test_model_passes_qt_model_tester(qapp, qtmodeltester, db):
    make_audits(db, 30)
    model = AuditListModel(page_size=7)
    model.set_database(db)
    qtmodeltester.check(model)
    model.set_query(AuditQuery(team="Dales North"))
    qtmodeltester.check(model)
    model.sort(COL_REF, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)


def test_only_the_pages_on_screen_are_fetched(listed, qtbot):
    view = listed(60, page_size=10)
    model = view.model
    assert model.rowCount() == 60
    qtbot.waitUntil(lambda: bool(model.fetched_pages))
    visible = view.table.rowAt(view.table.viewport().height() - 1)
    assert 5 < visible < 20  # the screen shows about a dozen rows
    assert set(model.fetched_pages) <= {0, 1}
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: 5 in model.fetched_pages)
    assert set(model.fetched_pages) <= {0, 1, 4, 5}
    assert model.fetched_pages.count(0) == 1  # a page is fetched once, then kept


def test_clicking_a_header_sorts_by_that_column(listed, qtbot, db):
    view = listed(20)
    assert refs(view) == [r.plan_ref for r in sorted((view.model.row_values(i) for i in range(20)),
                                                      key=lambda r: r.audit_date, reverse=True)]
    header = view.table.horizontalHeader()

    def click(col):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(col) + 10, header.height() // 2))

    click(COL_REF)
    assert refs(view) == sorted(refs(view)) and view.model.order_by == "plan_ref"
    click(COL_REF)
    assert refs(view) == sorted(refs(view), reverse=True)
    click(COL_TEAM)
    teams = [view.model.row_values(r).team for r in range(20)]
    assert teams == sorted(teams)
    assert view.model.ids == audit_ids(db, order_by="team", descending=False)


def test_filters_and_search(listed, qtbot):
    view = listed(24)
    bar = view.filter_bar
    assert bar.count_label.text() == "24 audits"
    bar.team_combo.setCurrentIndex(bar.team_combo.findData("Dales North"))
    assert {view.model.row_values(r).team for r in range(view.model.rowCount())} == {"Dales North"}
    assert bar.count_label.text() == "8 of 24 audits"
    bar.status_combo.setCurrentIndex(bar.status_combo.findData("submitted"))
    assert {(r.team, r.status) for r in map(view.model.row_values, range(view.model.rowCount()))} == \
        {("Dales North", "submitted")}
    bar.clear()
    assert view.model.rowCount() == 24
    bar.month_combo.setCurrentIndex(bar.month_combo.findData("2026-02"))
    dates = {view.model.row_values(r).audit_date for r in range(view.model.rowCount())}
    assert dates and all(d.month == 2 for d in dates)
    assert bar.month_combo.currentText() == "February 2026"
    bar.clear()
    grade = view.model.row_values(0).reported_grade
    bar.grade_combo.setCurrentIndex(bar.grade_combo.findData(grade))
    assert {view.model.row_values(r).reported_grade for r in range(view.model.rowCount())} == {grade}
    bar.clear()
    qtbot.keyClicks(bar.search_edit, "osei")
    assert view.model.rowCount() == 24  # the search waits for a pause in typing
    qtbot.waitUntil(lambda: view.model.rowCount() == 12, timeout=SEARCH_DELAY_MS + 2000)
    assert {view.model.row_values(r).auditor for r in range(12)} == {"Kwame Osei"}


def test_new_audit_from_the_keyboard_opens_it(listed, qtbot, db):
    view = listed(3)
    qtbot.keyClick(view.table, Qt.Key.Key_Insert)
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    labels = {dialog.layout().itemAt(0).layout().labelForField(w).text() for w in
              (dialog.ref_edit, dialog.team_combo, dialog.auditor_combo)}
    assert labels == {"Plan &reference", "&Team or locality", "&Auditor"}
    assert set(dialog.values()) <= set(audit_edit.DETAIL_FIELDS)  # no field for a child's name
    qtbot.keyClick(dialog.ref_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.problem.text() == "Give the plan's reference."
    qtbot.keyClicks(dialog.ref_edit, "HD-777001")
    dialog.team_combo.setEditText("Dales West")
    with qtbot.waitSignal(view.openRequested) as opened:
        qtbot.keyClick(dialog.ref_edit, Qt.Key.Key_Return)
    stored = load_audit(db, opened.args[0])
    assert (stored.plan_ref, stored.team, stored.status, stored.auditor) == (
        "HD-777001", "Dales West", "draft", "Test Auditor")
    assert view.current_audit_id() == stored.id and view.filter_bar.count_label.text() == "4 audits"


def test_enter_opens_the_selected_audit(listed, qtbot):
    view = listed(5)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    wanted = view.current_audit_id()
    with qtbot.waitSignal(view.openRequested) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [wanted]


def test_delete_asks_first(listed, qtbot, db, dialogs):
    view = listed(5)
    view.table.setFocus()
    doomed = view.current_audit_id()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert "Delete the audit of" in dialogs["question"][-1]
    assert load_audit(db, doomed) is not None  # cancelled
    dialogs["answer"] = QMessageBox.StandardButton.Yes
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert load_audit(db, doomed) is None
    assert view.model.rowCount() == 4 and doomed not in view.model.ids
    assert view.current_audit_id() is not None  # the next one is selected


def test_grades_are_shown_as_words_with_a_swatch(listed):
    view = listed(3)
    model = view.model
    for col in (8, 9):
        index = model.index(0, col)
        assert model.data(index) in ("Outstanding", "Good", "Requires improvement", "Inadequate")
        assert model.data(index, Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(model.index(0, COL_DATE)).endswith("2026")


def test_a_blind_moderator_is_not_shown_the_first_grade(qapp, db_path):
    """The person moderating an audit blind sees neither its score nor its grades in the list, nor
    learns them from a sort or a grade filter, until their moderation is complete."""
    from send_desktop.storage.database import open_database
    from send_desktop.ui.audit_list_model import COL_GRADE, COL_REPORTED, COL_SCORE, HIDDEN

    first = open_database(db_path, create=True, user="Imogen Hale")
    try:
        ids = make_audits(first, 8)  # audits 0 and 4 are submitted
        moderation = audit_edit.start_moderation(first, ids[4], "Lena Brook", blind=True)
        graded = {i: load_audit(first, i).grade for i in ids}
    finally:
        first.close()

    def rows(user: str, **query):
        db = open_database(db_path, user=user)
        try:
            model = AuditListModel()
            model.set_database(db)
            if query:
                model.order_by, model.descending = query.get("order_by", "audit_date"), query.get("descending", True)
                model.query = AuditQuery(**query.get("filters", {}))
                model.reload()
            return [(model.audit_id(r), [model.data(model.index(r, c)) for c in (COL_SCORE, COL_GRADE, COL_REPORTED)])
                    for r in range(model.rowCount())]
        finally:
            db.close()

    # the moderator: the moderated audit's score and grades are withheld, the others shown
    shown = dict(rows("lena brook"))  # names compare without case
    assert shown[ids[4]] == ["", HIDDEN, HIDDEN]
    assert shown[ids[0]][1] == graded[ids[0]] and shown[ids[0]][0]
    # sorting by grade or score puts it after every other audit, whichever way
    for order_by in ("grade", "score", "reported_grade"):
        for descending in (True, False):
            order = [i for i, _ in rows("Lena Brook", order_by=order_by, descending=descending)]
            assert order[-1] == ids[4], (order_by, descending)
    # a filter on the grade does not pick it out
    grade = graded[ids[4]]
    filtered = [i for i, _ in rows("Lena Brook", filters={"grade": grade})]
    assert ids[4] not in filtered and filtered == [i for i in ids[::-1] if graded[i] == grade and i != ids[4]]
    # everyone else sees it as before
    assert dict(rows("Imogen Hale"))[ids[4]][1] == graded[ids[4]]

    # once the moderation is complete the moderator sees the grades too
    db = open_database(db_path, user="Lena Brook")
    try:
        ratings = load_audit(db, ids[4]).ratings
        audit_edit.update_moderation(db, moderation, {"ratings": ratings})
        audit_edit.complete_moderation(db, moderation)
    finally:
        db.close()
    assert dict(rows("Lena Brook"))[ids[4]][1] == graded[ids[4]]
