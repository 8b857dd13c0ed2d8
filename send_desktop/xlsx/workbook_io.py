"""Writing a workbook safely, and the order of work every import follows: one home for both.

Export: `check_target` refuses a folder or a missing folder before any work is done, and
`save_atomically` writes to a temporary file beside the target and moves it into place, so a
failed or cancelled export never leaves half a workbook where the user expects one. The
temporary file is a plain new file (not mkstemp's owner-only one), so the result gets the
usual permissions; an `OSError` (the file open in Excel, a full disk) becomes one `UserError`.

Import: what makes an import safe to run on the only copy of a plan, register or audit set.

1. `check_writable`: a read-only file takes a dry run only;
2. the workbook is read (a file that is not one is refused at once);
3. `in_one_transaction`: one write session, its lock taken first, so nothing changes between
   checking the workbook against the database and writing; any problem refuses the whole file
   and the transaction has written nothing;
4. `backup_before_import`: a real import that changes something backs the file up first (an
   officer's large plan tracker, written a part at a time as it is checked, backs it up before its
   first part, `plan_stream`; any problem still refuses the whole file, its parts rolled back);
5. the changes are written through the ORM, so the change log records each one with the
   import as its source (`import_source`: it always begins "import");
6. commit. A dry run does all of it, writes included (so anything the database would refuse is
   found), then rolls back by raising `DryRun`; a read-only file cannot take even those
   rolled-back writes, so there it stops at the counts (`may_write`). Cancelling (`Cancelled`
   thrown in at a yield) rolls back too.

`import_workbook` is that order for the importers that work out a change set and then apply
it (plan, risks, KPIs, action log, audits from an officer's own tracker); the audits exchange and
the caseload import, whose rules differ, use the steps themselves.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import secrets
from pathlib import Path
from typing import Callable, Generator, Protocol

from send_desktop.core.progress import Progress
from send_desktop.errors import Problem, ReadOnlyError, UserError

# -- saving ---------------------------------------------------------------------------------------


def check_target(path: Path, ending: str = "") -> Path:
    """`path` as a Path, or a `UserError` when it is a folder or its folder does not exist.
    `ending` (".xlsx") is named in the message, to say what kind of file name to give."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name{f' ending {ending}' if ending else ''}.")
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist.")
    return path


def save_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """`write(tmp)` a temporary file beside `path`, then move it into place; returns the path.

    `write` may make further scratch files beside `tmp` (named from it) and must remove them."""
    path = check_target(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"Cannot write {path.name}: {exc.strerror or exc}. If it is open in Excel, "
                        "close it and try again.") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path


def save_workbook(wb, path: Path) -> Path:
    """Save an openpyxl workbook with `save_atomically`."""
    return save_atomically(path, wb.save)


# -- importing ------------------------------------------------------------------------------------


class DryRun(Exception):
    """Raised at the end of a dry run so the session rolls back everything it wrote."""


def check_writable(db, dry_run: bool) -> None:
    """A read-only file takes a dry run, and nothing else."""
    if db.read_only and not dry_run:
        raise ReadOnlyError(db.read_only_message())


def may_write(db, dry_run: bool) -> bool:
    """Whether the import may write (and, in a dry run, roll back): not into a read-only file."""
    return not (dry_run and db.read_only)


def import_source(source: str, path: Path) -> str:
    """The change-log source of an import. It always begins "import", which is how the audits
    exchange tells changes an import made from changes made in this database (see audit_exchange)."""
    if source.startswith("import"):
        return source
    return f"import {Path(path).name}" + (f" ({source})" if source else "")


def backup_before_import(db, dry_run: bool = False, changes: object = True) -> None:
    """Back the database file up before a real import that changes something."""
    from send_desktop.storage.database import backup_file

    if not dry_run and changes:
        backup_file(db.path, "before-import")


def in_one_transaction(db, source: str, dry_run: bool, work: Callable, *, batch=None,
                       report=None) -> Generator[Progress, None, None]:
    """Run the generator `work(session)` in one write transaction, the write lock taken first so
    nothing changes between checking and writing; a dry run does all of it, then rolls it back.

    `batch` (`merge.ImportBatch`) makes the transaction one import in the change log, undoable as a
    whole (`services.import_undo`); its counts are taken from `report` at the end."""
    try:
        with db.session(source) as s:
            s.connection()  # BEGIN IMMEDIATE: the write lock, now
            if batch is not None:
                s.info["batch"] = batch
            yield from work(s)
            if batch is not None and report is not None:
                record_counts(s, batch, report)
            if dry_run:
                raise DryRun()
    except DryRun:
        pass
    finally:
        release_import_memory(db)


def release_import_memory(db) -> None:
    """Give back what an import's transaction leaves behind once it has ended, committed or not:
    the write connection's page cache (up to `database.WRITE_CACHE_KB`, filled by a large import and
    otherwise kept for as long as the file is open) and the C heap's freed pages (`core.memory`), so
    that a dry run followed by the import, or one import after another, does not add up."""
    from send_desktop.core.memory import release_freed

    engine = getattr(db, "_engine", None)
    if engine is not None and not getattr(db, "read_only", False):
        try:
            con = engine.raw_connection()
            try:
                con.driver_connection.execute("PRAGMA shrink_memory")
            finally:
                con.close()
        except Exception:  # noqa: BLE001 - only memory is at stake: never fail an import for it
            pass
    release_freed()


def new_batch(path: Path, report) -> object:
    from send_desktop.xlsx.merge import ImportBatch

    return ImportBatch(Path(path).name, getattr(report, "kind", ""))


def record_counts(session, batch, report) -> None:
    """The import's counts on its `import_batch` row (written with its first change, if any)."""
    from sqlalchemy import update

    from send_desktop.storage.models import ImportBatch

    counts = {k: v for k, v in report.as_dict().items() if isinstance(v, int)}
    batch.counts = counts
    if batch.id is not None:
        session.flush()
        session.execute(update(ImportBatch).where(ImportBatch.id == batch.id).values(counts=counts))


class ChangeSet(Protocol):
    """What `import_workbook` needs of a resolved change set."""

    problems: list[Problem]
    warnings: list
    created: int
    updated: int
    unchanged: int

    def size(self) -> int: ...

    def other_counts(self) -> dict[str, dict[str, int]]: ...


def import_workbook(db, path: Path, report, *, read: Callable, resolve: Callable, apply: Callable, source: str,
                    dry_run: bool, checking: str, strategy: str | None = None, delete_missing: bool = False,
                    main: tuple | None = None, decisions: dict | None = None) -> Generator[Progress, None, object]:
    """Import a workbook in the order of the module notes and return `report`, filled in.

    `read(path)` is a generator returning the book; `resolve(session, book)` returns a `ChangeSet`
    (or is a generator that yields `Progress` and returns one) worked out inside the transaction (the session holds the lock and has written nothing, so a
    plain reader of the database sees what it sees); any of its `problems` refuses the whole file;
    `apply(session, changes)` is a generator that writes them. `checking` is the progress message
    while the change set is worked out.

    The writes go through the three-way merge (`merge.Merge`, conflicts decided one by one by
    `decisions` and the rest by `strategy`; an edited value is put in the book first, so it is read
    and resolved like any cell, `merge_decisions.place_edits`), and
    `main` = (model, sheet name, scope) names the kind's main records, whose rows deleted from an
    exported workbook are listed as warnings and, with `delete_missing`, deleted (`merge.missing`)."""
    from send_desktop.xlsx import merge as M
    from send_desktop.xlsx.book_reader import refuse
    from send_desktop.xlsx.merge_decisions import place_edits

    path = Path(path)
    strategy = M.check_strategy(strategy)
    check_writable(db, dry_run)
    yield Progress(0, 0, f"Reading {path.name}")
    book = yield from read(path)
    locate = M.locator(book)
    merge = M.Merge(M.base_position(getattr(book, "about", {}) or {}), strategy, locate, decisions)
    if problems := place_edits(book, merge.decisions, locate, merge.typed_over):
        raise refuse(path.name, problems)

    def work(s):
        yield Progress(0, 0, checking)
        changes = resolve(s, book)
        if inspect.isgenerator(changes):  # a long resolution reports its progress
            changes = yield from changes
        if changes.problems:
            raise refuse(path.name, changes.problems)
        report.created, report.updated, report.unchanged = changes.created, changes.updated, changes.unchanged
        report.warnings, report.other = list(changes.warnings), changes.other_counts()
        gone = M.missing(s, book, merge.position, *main) if main else []
        report.warnings += M.missing_warnings(gone, delete_missing)
        if not getattr(changes, "backed_up", False):  # not already, before writing as it checked (plan_stream)
            backup_before_import(db, dry_run, changes.size() or (delete_missing and gone))
        merge.install(s)
        if may_write(db, dry_run):
            yield from apply(s, changes)
            if delete_missing and gone:
                yield Progress(0, 0, "Deleting the rows no longer in the workbook")
                report.deleted = M.delete_records(s, gone)
            s.flush()
        merge.finish(path.name)
        report.conflicts = list(merge.conflicts)
        report.conflict_details = list(merge.details)
        if merge.kept:
            report.warnings.append(Problem(f"{merge.kept} field{'s' if merge.kept > 1 else ''} changed in the "
                                           "database since the export, and not in the workbook, kept as the "
                                           "database has them"))

    yield from in_one_transaction(db, import_source(source, path), dry_run, work, batch=new_batch(path, report),
                                  report=report)
    yield Progress(1, 1, "Done")
    return report
