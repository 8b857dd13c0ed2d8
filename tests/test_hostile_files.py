"""Bad and hostile files (issue 6, part 3), for every workbook kind the app imports.

- Every file of the corpus (tests/data/xlsx-corpus: 108 real workbooks, broken and hostile ones
  included) is imported or refused by every importer with one line naming the file, within 30 s,
  with no traceback, the database unchanged and the file itself untouched.
- Entity expansion and external entities are never processed; zip bombs and oversized packages
  are refused from the zip directory; a declared dimension of A1:XFD1048576 over ten used rows
  costs the time of ten.
- Exports never turn text into a formula: text beginning with =, +, -, @ is written as text, and
  imported back exactly.
- Importing never writes to the user's workbook.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import socket
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import CORPUS, db_contents

from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError, UserError
from send_desktop.exchange import IMPORTERS, dumper, exporter, importer
from send_desktop.storage.database import open_database
from send_desktop.xlsx import safe_open
from send_desktop.xlsx.book_reader import open_workbook

KINDS = list(IMPORTERS)
FILES = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".md")
LIMIT = 30  # seconds, for any one file


def fingerprint(db_path: Path) -> tuple:
    """Size and time of change of a database file and its write-ahead log: any write changes them
    (cheap enough for every file of the sweep; `db_contents` compares the contents afterwards)."""
    return tuple((p.stat().st_size, p.stat().st_mtime_ns) if p.exists() else None
                 for p in (db_path, Path(f"{db_path}-wal")))


def file_state(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def do_import(db, path: Path, kind: str, dry_run: bool = False):
    return run_steps(importer(kind)(db, path, dry_run=dry_run))


def test_the_corpus_is_in_the_repository_with_its_sources():
    assert len(FILES) == 108
    sources = (CORPUS / "SOURCES.md").read_text()
    assert "Licences are those of" in sources and "## Deliberately broken or hostile files" in sources


# -- the whole corpus, every kind ------------------------------------------------------------------

class Databases:
    """One copy of the demo database per kind for the whole corpus sweep (a copy per test would
    cost more than the imports); a copy that an import changed is laid anew."""

    def __init__(self, template: Path, folder: Path):
        self.template, self.folder, self.open = template, folder, {}

    def get(self, kind: str):
        if kind not in self.open:
            path = self.folder / f"{kind}.sqlite"
            shutil.copyfile(self.template, path)
            self.open[kind] = open_database(path, user="Corpus Tester")
        return self.open[kind]

    def renew(self, kind: str) -> None:
        self.open.pop(kind).close()

    def close(self) -> None:
        for db in self.open.values():
            db.close()


@pytest.fixture(scope="module")
def databases(_demo_template, tmp_path_factory):
    dbs = Databases(_demo_template, tmp_path_factory.mktemp("corpus"))
    yield dbs
    dbs.close()


TIMES: dict[tuple[str, str], float] = {}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", FILES)
def test_every_corpus_file_is_imported_or_refused_in_one_line(databases, name, kind):
    path = CORPUS / name
    db = databases.get(kind)
    before, source = fingerprint(Path(db.path)), file_state(path)
    started = time.perf_counter()
    try:
        report = do_import(db, path, kind)
    except UserError as exc:
        took = time.perf_counter() - started
        assert isinstance(exc, BadInputError), exc
        message = exc.message
        assert message.startswith(f"{path.name}: ") and "\n" not in message and "Traceback" not in message
        assert len(message) < 400, message
        assert fingerprint(Path(db.path)) == before  # refused: nothing written
    else:
        took = time.perf_counter() - started
        assert report.as_dict()["kind"] == kind
        databases.renew(kind)  # it imported (a caseload, say): the next file starts from the demo again
    TIMES[name, kind] = took
    assert took < LIMIT, f"{name} took {took:.1f} s as {kind}"
    assert file_state(path) == source  # the user's file is never written to


def test_after_the_sweep_every_database_holds_what_it_did(databases, _demo_template):
    expected = db_contents(_demo_template)
    for kind, db in databases.open.items():
        assert db_contents(Path(db.path)) == expected, kind
    slowest = sorted(TIMES.items(), key=lambda item: -item[1])[:3]
    if not slowest:
        return
    print("slowest corpus imports:", ", ".join(f"{name} as {kind} {t:.2f} s" for (name, kind), t in slowest))


def test_refusals_say_what_is_wrong(demo_db):
    """The broken and hostile files of the corpus get the message that says what they are."""
    expected = {
        "openpyxl/null_file.xlsx": "the file is empty",
        "poi/invalid.xlsx": "empty zip archive",
        "openpyxl/null_archive.xlsx": "zip archive without the parts of an Excel workbook",
        "exceljs/missing-bits.xlsx": "zip archive without the parts of an Excel workbook",
        "poi/clusterfuzz-testcase-minimized-XLSX2CSVFuzzer-5636439151607808.xlsx": "damaged",
        "poi/crash-9bf3cd4bd6f50a8a9339d363c2c7af14b536865c.xlsx": "encrypted (password-protected)",
        "calamine/pass_protected.xlsx": "encrypted (password-protected) workbook; save it without a password",
        "python-calamine/password.xlsx": "encrypted (password-protected)",
        "poi/poc-xmlbomb.xlsx": "declares an XML document type",
        "poi/SampleSS.strict.xlsx": "Strict Open XML",
        "sheetjs/sheet_visibility_strict.xlsx": "Strict Open XML",
        "calamine/strict_iso_paths.xlsx": "Strict Open XML",
        "poi/49609.xlsx": "laid out in a way Excel does not write",
        "phpspreadsheet/Zip-Windows-Directory-Separator.xlsx": "laid out in a way Excel does not write",
        "exceljs/invalid-xml.xlsx": "could not be read",
    }
    for name, needle in expected.items():
        for kind in ("plan", "caseload"):  # a layout reader and a value reader
            with pytest.raises(BadInputError) as caught:
                do_import(demo_db, CORPUS / name, kind)
            assert caught.value.message.startswith(Path(name).name + ": ")
            assert needle in caught.value.message, (name, kind, caught.value.message)


@pytest.mark.parametrize("data, needle", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "a web page (HTML)"),
    (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', "Excel 2003 XML"),
    ("Ref,Action\n1.1.1,Visit\n".encode("utf-16"), "plain text (a CSV file?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "Workbook".encode("utf-16-le"), "Excel 97-2003 (.xls)"),
])
def test_other_kinds_of_file_are_named(demo_db, tmp_path, data, needle):
    path = tmp_path / "census.xlsx"
    path.write_bytes(data)
    with pytest.raises(BadInputError, match=re.escape(needle)) as caught:
        do_import(demo_db, path, "plan")
    assert caught.value.message.startswith("census.xlsx: ") and "\n" not in caught.value.message


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_an_opendocument_spreadsheet_and_an_xlsb_are_named(demo_db, tmp_path):
    ods = _zip(tmp_path / "plan.xlsx", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                        "content.xml": b"<x/>"})
    with pytest.raises(BadInputError, match=r"OpenDocument spreadsheet \(\.ods\)"):
        do_import(demo_db, ods, "plan")
    xlsb = _zip(tmp_path / "plan2.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0\1"})
    with pytest.raises(BadInputError, match=r"binary workbook \(\.xlsb\)"):
        do_import(demo_db, xlsb, "risks")


# -- entities, bombs and sizes ---------------------------------------------------------------------

BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
                    b'uniqueCount="1"><si><t>&lol9;</t></si></sst>')
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
       b'<si><t>&xxe;</t></si></sst>')


def _workbook_with(path: Path, part: str, data: bytes) -> Path:
    """A small real workbook (python-calamine's, with shared strings) with one part replaced or added."""
    with zipfile.ZipFile(CORPUS / "python-calamine" / "base.xlsx") as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts[part] = data
    return _zip(path, parts)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test (an external entity being fetched)."""
    def refuse(*args, **kwargs):
        raise AssertionError("an import tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["entity-expansion", "external-entity"])
@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml"])
@pytest.mark.parametrize("kind", ["plan", "caseload", "kpis"])
def test_xml_entities_are_never_expanded(demo_db, tmp_path, no_network, payload, part, kind):
    path = _workbook_with(tmp_path / "bomb.xlsx", part, payload)
    started = time.perf_counter()
    with pytest.raises(BadInputError, match="declares an XML document type") as caught:
        do_import(demo_db, path, kind)
    assert time.perf_counter() - started < 2
    assert "root:" not in caught.value.message


def test_openpyxl_reads_through_defusedxml_and_calamine_does_not_expand(tmp_path, no_network, monkeypatch):
    """Behind the DOCTYPE check, each library is safe on its own: openpyxl parses through defusedxml
    (a dependency), which forbids entities; calamine's XML reader never expands them."""
    import openpyxl.xml
    from python_calamine import CalamineWorkbook

    assert openpyxl.xml.DEFUSEDXML
    monkeypatch.setattr("send_desktop.xlsx.book_reader.check_package", lambda path: None)
    for payload in (BILLION_LAUGHS, XXE):
        path = _workbook_with(tmp_path / "bomb.xlsx", "xl/sharedStrings.xml", payload)
        with pytest.raises(BadInputError, match="could not be read"):
            open_workbook(path)
        try:
            values = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        except Exception:  # noqa: BLE001 - refusing is as good as not expanding
            continue
        text = "".join(str(v) for row in values for v in row)
        assert len(text) < 1000 and "root:" not in text
    for name in ("poi/poc-xmlbomb.xlsx", "poi/xxe_in_schema.xlsx"):
        started = time.perf_counter()
        try:
            open_workbook(CORPUS / name).close()  # the XXE schema is ignored: the file opens
        except BadInputError as exc:
            assert "could not be read" in exc.message
        assert time.perf_counter() - started < 2


def test_a_zip_bomb_is_refused_from_the_zip_directory(demo_db, tmp_path):
    """A part that unpacks to 64 MB of one repeated byte from 64 KB."""
    bomb = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' \
           + b"<!--" + b" " * (64 * 2**20) + b"--><sheetData/></worksheet>"
    path = _workbook_with(tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", bomb)
    assert path.stat().st_size < 2**20
    for kind in ("plan", "audits"):
        started = time.perf_counter()
        with pytest.raises(BadInputError, match="too large to import: its part 'xl/worksheets/sheet1.xml' unpacks"):
            do_import(demo_db, path, kind)
        assert time.perf_counter() - started < 1


def test_a_package_too_large_unpacked_is_refused(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(safe_open, "MAX_UNPACKED", 4096)
    path = _workbook_with(tmp_path / "big.xlsx", "xl/media/padding.bin", os.urandom(8192))
    with pytest.raises(BadInputError, match=r"too large to import: it unpacks to 0 MB \(the most is 0 MB\)"):
        do_import(demo_db, path, "risks")
    monkeypatch.setattr(safe_open, "MAX_PARTS", 5)
    with pytest.raises(BadInputError, match="too large to import: it has"):
        do_import(demo_db, path, "risks")
    monkeypatch.setattr(safe_open, "MAX_FILE_BYTES", 1024)
    with pytest.raises(BadInputError, match=r"the file is too large to import \(0 MB; the most is 0 MB\)"):
        do_import(demo_db, path, "risks")


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
def test_a_zip_that_unpacks_to_more_than_it_declares_is_refused(demo_db, tmp_path, part):
    """The sizes in the zip directory bound what is unpacked: a part that lies is damaged."""
    with zipfile.ZipFile(CORPUS / "python-calamine" / "base.xlsx") as z:
        original = z.read(part)
    padded = original.replace(b"?>", b"?>" + b"<!-- padding -->" * 5000, 1)
    path = _workbook_with(tmp_path / "liar.xlsx", part, padded)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    small = (len(original)).to_bytes(4, "little")
    data[info.header_offset + 22:info.header_offset + 26] = small        # local header
    name = part.encode()
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 24:central + 28] = small                                # central directory
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as z:
        assert z.getinfo(part).file_size == len(original)
    for kind in ("plan", "caseload", "audits"):
        with pytest.raises(BadInputError, match="the file is damaged"):
            do_import(demo_db, path, kind)


# -- a declared million rows over ten used -------------------------------------------------------------

def _declare_huge(path: Path, target: Path) -> Path:
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/"):
            data, n = re.subn(rb"<dimension ref=\"[^\"]*\"\s*/>", b'<dimension ref="A1:XFD1048576"/>', data)
            if not n:
                data = re.sub(rb"(<worksheet[^>]*>)", rb'\1<dimension ref="A1:XFD1048576"/>', data, count=1)
            parts[name] = data
    return _zip(target, parts)


def test_a_declared_million_rows_cost_the_time_of_the_ten_used(demo_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["EHCP ref", "Name", "Team"])
    for i in range(10):
        ws.append([f"EH{i:04d}", f"Child {i}", "North"])
    small = tmp_path / "caseload.xlsx"
    wb.save(small)
    huge = _declare_huge(small, tmp_path / "caseload-declared.xlsx")
    with zipfile.ZipFile(huge) as z:
        assert b'<dimension ref="A1:XFD1048576"/>' in z.read("xl/worksheets/sheet1.xml")

    wb = open_workbook(huge)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    assert len(rows) == 11 and max(len(r) for r in rows) == 3  # not 1,048,576 rows of 16,384 cells

    times = {}
    for path in (small, huge):
        started = time.perf_counter()
        report = do_import(demo_db, path, "caseload", dry_run=True)
        times[path.name] = time.perf_counter() - started
        assert report.created == 10
    assert times["caseload-declared.xlsx"] < 1 + 3 * times["caseload.xlsx"], times


@pytest.mark.parametrize("kind", ["plan", "risks", "kpis", "actions", "audits", "framework"])
def test_an_export_declaring_a_million_rows_imports_as_quickly(demo_db, tmp_path, kind):
    exported = tmp_path / f"{kind}.xlsx"
    run_steps(exporter(kind)(demo_db, exported))
    huge = _declare_huge(exported, tmp_path / f"{kind}-declared.xlsx")
    times = []
    for path in (exported, huge):
        started = time.perf_counter()
        report = do_import(demo_db, path, kind, dry_run=True)
        times.append(time.perf_counter() - started)
        assert report.created == report.updated == 0
    assert times[1] < 1 + 3 * times[0], times


# -- exports keep text as text -------------------------------------------------------------------------

HOSTILE_TEXT = ['=HYPERLINK("http://example.invalid/x","click")', "+1 more visit", "-x", "@SUM(A1:A2)"]

#: kind -> (sheet, header of a text column, how to find the texts in the kind's dump)
TEXT_COLUMNS = {
    "plan": ("Plan", "Actions – what we will do"),
    "risks": ("Register", "Risk"),
    "kpis": ("Definitions", "Measure"),
    "actions": ("Actions", "Action"),
}


def _set_texts(path: Path, sheet: str, header: str, texts: list[str]) -> None:
    """Type `texts` into the first data rows of a column, as text (as a person would, quote-prefixed)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for row in ws.iter_rows(min_row=1, max_row=5):
        column = next((c.column for c in row if c.value == header), None)
        if column:
            header_row = row[0].row
            break
    else:
        raise AssertionError(f"no column {header!r} on {sheet}")
    filled = 0
    for r in range(header_row + 1, ws.max_row + 1):
        cell = ws.cell(r, column)
        if cell.value and filled < len(texts):
            cell.value = texts[filled]
            cell.data_type = "s"
            cell.quotePrefix = True
            filled += 1
    assert filled == len(texts)
    wb.save(path)


def _cells_with(path: Path, texts: list[str]) -> list:
    wb = openpyxl.load_workbook(path)
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value in texts]


def _strings(data) -> set[str]:
    if isinstance(data, dict):
        return set().union(*map(_strings, data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*map(_strings, data)) if data else set()
    return {data} if isinstance(data, str) else set()


@pytest.mark.parametrize("kind", list(TEXT_COLUMNS))
def test_text_that_looks_like_a_formula_is_exported_as_text_and_round_trips(demo_db, tmp_path, kind):
    sheet, header = TEXT_COLUMNS[kind]
    first = tmp_path / "first.xlsx"
    run_steps(exporter(kind)(demo_db, first))
    _set_texts(first, sheet, header, HOSTILE_TEXT)
    report = do_import(demo_db, first, kind)
    assert report.updated >= len(HOSTILE_TEXT) or report.created >= len(HOSTILE_TEXT)
    assert set(HOSTILE_TEXT) <= _strings(dumper(kind)(demo_db))

    again = tmp_path / "again.xlsx"
    run_steps(exporter(kind)(demo_db, again))
    cells = _cells_with(again, HOSTILE_TEXT)
    assert {c.value for c in cells} == set(HOSTILE_TEXT)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells), [(c.coordinate, c.data_type) for c in cells]
    with zipfile.ZipFile(again) as z:  # no formula anywhere holds the text
        assert not any(b"<f>HYPERLINK" in z.read(n) for n in z.namelist() if n.endswith(".xml"))
    report = do_import(demo_db, again, kind, dry_run=True)
    assert report.created == report.updated == 0  # read back exactly as written


def test_the_sheet_helper_keeps_every_formula_start_as_text():
    from send_desktop.xlsx.sheets import Styles, as_text, put_cell

    wb = openpyxl.Workbook()
    ws = wb.active
    styles = Styles(ws)
    for i, text in enumerate([*HOSTILE_TEXT, "plain", "3 visits"], 1):
        put_cell(ws, i, 1, text, styles.plain)
    buffer = io.BytesIO()
    wb.save(buffer)
    back = openpyxl.load_workbook(buffer).active
    for i, text in enumerate(HOSTILE_TEXT, 1):
        assert back.cell(i, 1).value == text and back.cell(i, 1).data_type == "s" and back.cell(i, 1).quotePrefix
    assert not back.cell(5, 1).quotePrefix
    cell = ws.cell(9, 1, "=1+1")
    assert cell.data_type == "f" and as_text(cell).data_type == "s"


def test_the_pack_workbook_keeps_text_as_text():
    import datetime as dt

    from send_desktop.pack.pack_xlsx import pack_workbook

    snapshot = {"meeting": {"board": "=cmd|' /C calc'!A0", "attendance": [], "matters_arising": [], "agenda": [
        {"title": t, "presenter": "-x", "papers": ["@SUM(1)"]} for t in HOSTILE_TEXT]}}
    wb = pack_workbook(snapshot, dt.date(2026, 1, 5), 1, False)
    buffer = io.BytesIO()
    wb.save(buffer)
    back = openpyxl.load_workbook(buffer)
    texts = [c for ws in back.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert len(texts) >= 1 + 3 * len(HOSTILE_TEXT)
    assert all(c.data_type == "s" and c.quotePrefix for c in texts)


# -- the user's workbook is never written to -----------------------------------------------------------

@pytest.mark.parametrize("kind", ["plan", "risks", "kpis", "actions", "audits", "framework"])
def test_importing_never_writes_to_the_workbook(demo_db, tmp_path, kind):
    folder = tmp_path / "mail"
    folder.mkdir()
    path = folder / f"{kind}.xlsx"
    run_steps(exporter(kind)(demo_db, path))
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))  # an old, exact time
    before = file_state(path)
    do_import(demo_db, path, kind, dry_run=True)
    do_import(demo_db, path, kind)
    assert file_state(path) == before
    assert sorted(p.name for p in folder.iterdir()) == [path.name]  # no lock or scratch file beside it


def test_a_refused_file_leaves_database_and_file_alone(demo_db, demo_db_path):
    before = db_contents(demo_db_path)
    for name in ("poi/poc-xmlbomb.xlsx", "python-calamine/password.xlsx", "openpyxl/null_file.xlsx"):
        path = CORPUS / name
        state = file_state(path)
        for kind in KINDS:
            with pytest.raises(BadInputError):
                do_import(demo_db, path, kind)
        assert file_state(path) == state
    assert db_contents(demo_db_path) == before


# -- the command line ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["openpyxl/null_file.xlsx", "calamine/pass_protected.xlsx", "poi/poc-xmlbomb.xlsx",
                                  "poi/invalid.xlsx", "sheetjs/sheet_visibility_strict.xlsx"])
@pytest.mark.parametrize("kind", ["plan", "audits", "caseload"])
def test_the_command_line_refuses_a_hostile_file_in_one_line(demo_db_path, capsys, name, kind):
    from send_desktop.cli import main

    before = db_contents(demo_db_path)
    code = main(["import", str(demo_db_path), str(CORPUS / name), "--kind", kind])
    _, err = capsys.readouterr()
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and Path(name).name in err and "Traceback" not in err
    assert db_contents(demo_db_path) == before
