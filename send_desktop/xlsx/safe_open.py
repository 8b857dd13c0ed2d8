"""Looking at a file before any spreadsheet library parses it: one cheap check every import shares.

Workbooks arrive by email from anywhere. `check_package` decides, from the file's first bytes
and its zip directory, and without parsing a cell, whether the file may be handed to openpyxl or
python-calamine, and refuses it otherwise with one line saying what it is and what to do:

- not a zip at all: empty, an encrypted workbook or an old Excel 97-2003 .xls (both are OLE
  "compound files"; the stream names inside tell them apart), a PDF, a web page or an Excel 2003
  XML file saved with an .xlsx name, a CSV or other text file;
- a zip that is not a workbook: empty, truncated, an OpenDocument spreadsheet, a Word document,
  an .xlsb binary workbook, a zip without the parts of a workbook, a password-protected zip;
- a workbook saved as "Strict Open XML", which openpyxl opens as a book without sheets;
- too large: more than MAX_FILE_BYTES on disk, more than MAX_PARTS parts, more than
  MAX_UNPACKED bytes once unpacked (the sizes the zip directory declares; Python's zipfile, which
  openpyxl reads through, never unpacks more than a part declares and checks its CRC), or a
  large part compressed more than MAX_RATIO to 1, which only a crafted "zip bomb" is;
- XML with a document type declaration (`<!DOCTYPE`): Excel never writes one, and it is where
  "billion laughs" entity expansion and external entities (XXE) live. The prolog of every part
  is looked at, so no library ever sees such a part; this holds whether or not defusedxml is
  installed (openpyxl uses it when it is, and it is a dependency), and for calamine too, whose
  XML reader does not expand entities but would fail on them later with a less clear message.

The check costs a few milliseconds for an ordinary workbook (20 ms for one of 1,024 sheets; 70 ms for the 108 files of tests/data/xlsx-corpus):
it reads the zip directory and the first bytes of each part, never a whole sheet.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_FILE_BYTES = 256 * 1024 * 1024   # on disk; a 100,000-row tracker is about 20 MB
MAX_UNPACKED = 1024 * 1024 * 1024    # all parts together, as the zip directory declares them
MAX_PARTS = 20_000                   # 1,024 sheets are about 2,100 parts
MAX_RATIO = 400                      # a large part packed tighter than this is a zip bomb
RATIO_FROM = 16 * 1024 * 1024        # ... where "large" means unpacked to more than this
PROLOG_LIMIT = 64 * 1024             # the most read of a part before its first element
SNIFF = 4096

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_STRICT = b"purl.oclc.org/ooxml/spreadsheetml/main"
SAVE_AS_XLSX = "open it in Excel and save it as an Excel Workbook (.xlsx)"


class Refusal(Exception):
    """Why a file is refused, in words fit to follow "<file name>: "."""


def check_package(path: Path) -> None:
    """Return when `path` may be parsed as an .xlsx package; raise `Refusal` saying why not."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(SNIFF)
    except OSError as exc:
        raise Refusal(f"the file cannot be read ({exc.strerror or exc})") from None
    if not head:
        raise Refusal("the file is empty (0 bytes), not an Excel workbook")
    if size > MAX_FILE_BYTES:
        raise Refusal(f"the file is too large to import ({size / 2**20:,.0f} MB; the most is "
                      f"{MAX_FILE_BYTES // 2**20} MB)")
    if head.startswith(_CFB):
        raise Refusal(_compound_file(path))
    if not head.startswith(b"PK"):
        raise Refusal(_not_a_zip(head))
    try:
        with zipfile.ZipFile(path) as z:
            _check_zip(z)
    except zipfile.BadZipFile:
        raise Refusal("the file is damaged: its zip archive is incomplete or corrupt") from None
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:  # a zip of an odd sort
        raise Refusal(f"the file is damaged: its zip archive cannot be read ({exc})") from None


def _compound_file(path: Path) -> str:
    """What an OLE compound file is, from the names of its streams (UTF-16 in its directory)."""
    with path.open("rb") as fh:
        data = fh.read(32 * 1024 * 1024)

    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptedPackage") or has("EncryptionInfo"):
        return ("this is an encrypted (password-protected) workbook; save it without a password "
                "and try again")
    if has("Workbook") or has("Book"):
        return f"this is an old-style Excel 97-2003 (.xls) workbook, not an .xlsx one; {SAVE_AS_XLSX}"
    if has("WordDocument"):
        return "this is a Word document, not an Excel workbook"
    return f"this is an older Office file, not an Excel .xlsx workbook; {SAVE_AS_XLSX}"


def _not_a_zip(head: bytes) -> str:
    """What a file that is not a zip archive seems to be."""
    if head.startswith(b"%PDF"):
        return "this is a PDF document, not an Excel workbook"
    text = _decode(head).lstrip().lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in text:
        return f"this is an Excel 2003 XML spreadsheet, not an .xlsx workbook; {SAVE_AS_XLSX}"
    if text.startswith(("<!doctype html", "<html", "<table")) or "<html" in text[:1024]:
        return f"this is a web page (HTML) saved with a spreadsheet's name, not an Excel workbook; {SAVE_AS_XLSX}"
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    if text and printable >= 0.95 * len(text):
        return (f"the file is plain text (a CSV file?), not an Excel .xlsx workbook; {SAVE_AS_XLSX}")
    return "the file is not an Excel .xlsx workbook (is it another kind of file renamed .xlsx?)"


def _decode(data: bytes) -> str:
    """Bytes as text, by their byte-order mark or the pattern of zero bytes ASCII makes in UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if data[:2] == b"<\x00":
        return data.decode("utf-16-le", "replace")
    if data[:2] == b"\x00<":
        return data.decode("utf-16-be", "replace")
    return data.decode("utf-8-sig", "replace")


def _check_zip(z: zipfile.ZipFile) -> None:
    infos = z.infolist()
    names = {info.filename for info in infos}
    if not infos:
        raise Refusal("the file is an empty zip archive, not an Excel workbook")
    if len(infos) > MAX_PARTS:
        raise Refusal(f"the file is too large to import: it has {len(infos):,} parts (the most is {MAX_PARTS:,})")
    lower = {name.lower().replace("\\", "/") for name in names}
    if "mimetype" in names:
        kind = z.read("mimetype")[:100]
        if b"opendocument.spreadsheet" in kind:
            raise Refusal(f"this is an OpenDocument spreadsheet (.ods), not an .xlsx workbook; save it from "
                          f"LibreOffice or Excel as an Excel Workbook (.xlsx)")
    if "word/document.xml" in lower:
        raise Refusal("this is a Word document, not an Excel workbook")
    if "ppt/presentation.xml" in lower:
        raise Refusal("this is a PowerPoint presentation, not an Excel workbook")
    if "xl/workbook.bin" in lower:
        raise Refusal(f"this is an Excel binary workbook (.xlsb), not an .xlsx one; {SAVE_AS_XLSX}")
    if "[Content_Types].xml" not in names or any("\\" in name for name in names):
        if "[content_types].xml" in lower:
            raise Refusal("the workbook's package is laid out in a way Excel does not write (its parts are "
                          f"named in the wrong case or with '\\'); {SAVE_AS_XLSX}")
        raise Refusal("the file is a zip archive without the parts of an Excel workbook")
    if any(info.flag_bits & 0x1 for info in infos):
        raise Refusal("the file is a password-protected zip archive, not an Excel workbook; save it without a "
                      "password and try again")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED:
        raise Refusal(f"the file is too large to import: it unpacks to {unpacked / 2**20:,.0f} MB "
                      f"(the most is {MAX_UNPACKED // 2**20:,} MB)")
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refusal(f"the file is too large to import: its part '{info.filename}' unpacks to "
                          f"{info.file_size / 2**20:,.0f} MB from {info.compress_size / 2**10:,.0f} KB, "
                          "as only a deliberately crafted file does")
    for info in infos:
        if not info.is_dir() and info.file_size:
            _check_prolog(z, info)


def _check_prolog(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part whose XML declares a document type (entities), or that is Strict Open XML.
    Only the prolog is read: what comes before the first element."""
    with z.open(info) as fh:
        data = fh.read(SNIFF)
        while True:
            verdict = _prolog(_decode(data))
            if verdict == "more" and len(data) < PROLOG_LIMIT:
                more = fh.read(SNIFF)
                if more:
                    data += more
                    continue
            break
    if verdict == "doctype":
        raise Refusal(f"the part '{info.filename}' declares an XML document type (<!DOCTYPE>), which Excel never "
                      "writes and which can hide an entity-expansion or external-entity attack; the file was not read")
    if verdict == "more":
        raise Refusal(f"the part '{info.filename}' does not begin as Excel's XML does; the file was not read")
    if verdict == "xml" and _STRICT in data:
        raise Refusal("the workbook is saved as 'Strict Open XML', which cannot be read; save it in Excel as an "
                      "ordinary Excel Workbook (.xlsx)")


def _prolog(text: str) -> str:
    """"xml" when the first element is reached cleanly, "doctype" for a declaration, "binary" for
    a part that is not XML, "more" when the prolog goes on past `text`."""
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if i >= n:
            return "more"
        if text[i] != "<":
            return "binary"
        if text.startswith("<?", i):
            end, skip = text.find("?>", i), 2
        elif text.startswith("<!--", i):
            end, skip = text.find("-->", i), 3
        elif text.startswith("<!", i):
            # <!DOCTYPE, or other markup that has no place before the first element
            return "more" if n - i < 9 else "doctype"
        elif n - i < 2:
            return "more"
        else:
            return "xml"
        if end < 0:
            return "more"
        i = end + skip
