"""Making a meeting pack: collect the snapshot, lay it out, write the PDF; and issuing it.

`make_pack` is long work (a generator yielding `Progress`, see core/progress.py): the command
line draws a bar, the window runs it on a worker thread with Cancel. A draft is only a file; an
issued pack is also kept in the database (`MeetingPack`: the PDF, the snapshot it showed and the
PDF's SHA-256), and it is the baseline for the next pack's "what changed since the last meeting".
Reopening an issued pack gives back its stored PDF byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import UserError

#: A part of the pack: (title for progress, make(snapshot, baseline, context) -> flowables).
Section = tuple[str, Callable[[dict, dict | None, dict], list]]


@dataclass(frozen=True)
class PackResult:
    path: Path
    pages: int
    sha256: str
    issued_id: int | None  # the MeetingPack row, when issued
    version: int
    snapshot: dict


def last_issued(db, before: dt.date | None = None) -> dict | None:
    """The most recent issued pack (for a meeting on or before `before`): its id, date, version and
    snapshot, or None."""
    import json

    sql = "SELECT id, meeting_date, version, snapshot FROM meeting_pack WHERE status='issued'"
    params: list = []
    if before is not None:
        sql += " AND meeting_date <= ?"
        params.append(before.isoformat())
    sql += " ORDER BY meeting_date DESC, version DESC, id DESC LIMIT 1"
    with db.reading() as con:
        row = con.execute(sql, params).fetchone()
    if row is None:
        return None
    return {"id": row[0], "meeting_date": row[1], "version": row[2], "snapshot": json.loads(row[3])}


def issued_pdf(db, pack_id: int) -> bytes:
    with db.reading() as con:
        row = con.execute("SELECT pdf FROM meeting_pack WHERE id=?", (pack_id,)).fetchone()
    if row is None:
        raise UserError("That issued pack is no longer in this file.")
    return bytes(row[0])


def _next_version(db, meeting_date: dt.date) -> int:
    with db.reading() as con:
        row = con.execute("SELECT max(version) FROM meeting_pack WHERE meeting_date=?",
                          (meeting_date.isoformat(),)).fetchone()
    return (row[0] or 0) + 1


def _sections() -> list[Section]:
    from send_desktop.pack import plan_sections, sections

    return sections.all_sections(plan_sections)


def make_pack(db, path: Path, meeting_date: dt.date, *, issue: bool = False, today: dt.date | None = None,
              issued_by: str = "") -> Generator[Progress, None, PackResult]:
    """Write the pack for the meeting on `meeting_date` to `path` (PDF); with `issue`, freeze it."""
    from send_desktop.pack import sections as sec
    from send_desktop.pack.document import build_pdf
    from send_desktop.pack.snapshot import collect

    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name ending .pdf.")
    today = today or dt.date.today()
    parts = _sections()
    total = len(parts) + 3
    yield Progress(0, total, "Reading the plan, risks, KPIs, audits and meetings")
    snapshot = collect(db, today, parts=sec.snapshot_parts(meeting_date))
    baseline = last_issued(db, before=meeting_date)
    version = _next_version(db, meeting_date)
    context = {"meeting_date": meeting_date, "version": version, "issued": issue, "today": today,
               "baseline_date": baseline["meeting_date"] if baseline else None}
    flowables: list = []
    for done, (title, make) in enumerate(parts, start=1):
        yield Progress(done, total, f"Laying out {title}")
        flowables.extend(make(snapshot, baseline["snapshot"] if baseline else None, context))
    yield Progress(total - 2, total, "Writing the PDF")
    board = (snapshot.get("meeting") or {}).get("board") or "Improvement Board"
    pdf = build_pdf(flowables, title=f"{board} pack, {meeting_date:%d %B %Y}",
                    footer=f"{board} · {meeting_date:%d %B %Y} · version {version} · "
                           f"{'issued' if issue else 'DRAFT'}",
                    draft=not issue)
    digest = hashlib.sha256(pdf).hexdigest()
    write_atomically(path, pdf)
    issued_id = None
    if issue:
        yield Progress(total - 1, total, "Issuing: keeping the PDF and its data")
        issued_id = _store_issued(db, meeting_date, version, board, snapshot, pdf, digest, issued_by,
                                  (snapshot.get("meeting") or {}).get("id"))
    yield Progress(total, total, "Done")
    return PackResult(path, _page_count(pdf), digest, issued_id, version, snapshot)


def write_atomically(path: Path, data: bytes) -> None:
    """The whole file or nothing: written beside the target, then moved into place."""
    tmp = path.with_name(f".{path.name}.partial")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"Cannot write {path}: {exc.strerror or exc}. If it is open in a PDF reader that locks "
                        "files, close it and try again.") from None


def _store_issued(db, meeting_date, version, board, snapshot, pdf, digest, issued_by, meeting_id) -> int:
    from send_desktop.storage.models import MeetingPack

    with db.session(f"issue pack {meeting_date.isoformat()} v{version}") as s:
        pack = MeetingPack(meeting_id=meeting_id, meeting_date=meeting_date, title=f"{board} pack",
                           version=version, status="issued", issued_by=issued_by, snapshot=snapshot, pdf=pdf,
                           sha256=digest)
        s.add(pack)
        s.flush()
        return pack.id


def _page_count(pdf: bytes) -> int:
    # Each page object in reportlab's output is written as "/Type /Page" (the tree as "/Pages").
    return pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page/")
