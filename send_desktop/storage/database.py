"""Opening the user's document: locking, pragmas, backups, migrations and short sessions.

A database file is opened through `open_database`, which
- takes an advisory lock, or opens the file read-only when another instance holds it;
- refuses a file written by a newer version of the application;
- backs the file up and migrates it in one transaction when its schema is older;
- hands out one short session per unit of work (`Database.session`).
Nothing here imports Qt, and nothing here imports SQLAlchemy until the first write: start-up
reads the plan with the standard library's sqlite3 (see `Database.reading`), which keeps the
first window within a few tens of milliseconds of a bare Qt window.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
import threading
from pathlib import Path

from send_desktop.errors import DatabaseOpenError, NewerDatabaseError, ReadOnlyError, UserError
from send_desktop.storage.filelock import FileLock

log = logging.getLogger(__name__)

#: Every schema revision this version knows, oldest first. The last one is the head;
#: `tests/test_migrations.py` checks it matches the migration scripts under db/.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
HEAD = REVISIONS[-1]


def read_revision(path: Path) -> str | None:
    """The schema revision stored in a file, without SQLAlchemy or Alembic (fast at start-up)."""
    con = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)
    try:
        row = con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not row:
            tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise DatabaseOpenError(f"{path} is an SQLite file but not a send-desktop database.")
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(f"{path} is not a send-desktop database ({exc}).") from None
    finally:
        con.close()


def backup_file(path: Path, reason: str) -> Path:
    """A consistent copy (SQLite's online backup) in the backups folder beside the file."""
    from send_desktop.paths import backups_dir_for

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backups_dir_for(path) / f"{Path(path).stem}-{stamp}-{reason}.sqlite"
    src = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    log.info("backup written: %s", target.name)
    return target


def save_copy(path: Path, target: Path) -> None:
    """Save a consistent copy of an open database elsewhere (File > Save a Copy)."""
    src = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)
    if Path(target).exists():
        Path(target).unlink()
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file to send on
    finally:
        dst.close()
        src.close()


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    uri = f"file:{Path(path).as_posix()}" + ("?mode=ro" if read_only else "")
    con = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=5)
    con.isolation_level = None  # we issue BEGIN ourselves so DDL is transactional too
    cur = con.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    if not read_only:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
    return con


#: The page cache of the connection that writes, in KiB (SQLite's default is 2,000 KiB). Pages are
#: taken only as they are used, and an import of 100,000 plan rows fills it: at 16 MB it writes as
#: fast as at 64 MB (the plan, audit and KPI imports timed both ways, 3 December) and its memory
#: stays 50 MB lower, so that a large import's memory hardly grows with its rows.
WRITE_CACHE_KB = 16_384


def _make_engine(path: Path, read_only: bool):
    from sqlalchemy import create_engine, event

    def connect():
        con = _connect(path, read_only)
        if not read_only:  # an import's transaction touches every page of the tables and indexes it grows
            con.execute(f"PRAGMA cache_size=-{WRITE_CACHE_KB}")
        return con

    engine = create_engine("sqlite://", creator=connect)

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if not read_only else "BEGIN")

    return engine


class Database:
    """An open database file. Use `with db.session() as s:` for each unit of work that writes
    (SQLAlchemy ORM, change-logged) and `with db.reading() as con:` for fast plain reads."""

    def __init__(self, path: Path, read_only: bool, lock: FileLock | None, user: str):
        self.path = Path(path)
        self.read_only = read_only
        self.read_only_reason = ""
        self._lock = lock
        self.user = user
        self._engine = None
        self._factory = None
        self._readers: dict[int, sqlite3.Connection] = {}  # one per thread: a worker may read too
        # Reads in progress, so `close` waits for a worker's read instead of closing its
        # connection under it (sqlite3 crashes the process when a connection in use is closed).
        self._reads = threading.Condition()
        self._busy = 0
        self._closed = False
        self.import_batch = None  # while set, every session is part of that import (storage.changelog)

    @property
    def engine(self):
        if self._engine is None:
            self._engine = _make_engine(self.path, self.read_only)
        return self._engine

    def _session_factory(self):
        if self._factory is None:
            from sqlalchemy.orm import sessionmaker

            from send_desktop.storage import changelog

            self._factory = sessionmaker(bind=self.engine, expire_on_commit=False)
            changelog.install(self._factory)
        return self._factory

    @staticmethod
    def prepare_orm() -> None:
        """Import and configure the ORM ahead of the first edit (called off the UI thread)."""
        from sqlalchemy.orm import configure_mappers

        import send_desktop.storage.changelog  # noqa: F401  (imports the models)

        configure_mappers()

    @contextlib.contextmanager
    def session(self, source: str = "window"):
        """One transaction: committed when the block ends, rolled back on any error."""
        from sqlalchemy.exc import OperationalError

        session = self._session_factory()()
        session.info["user"] = self.user
        session.info["source"] = source
        if self.import_batch is not None:
            session.info["batch"] = self.import_batch
        try:
            with session.begin():
                yield session
                if self.read_only and (session.new or session.dirty or session.deleted):
                    raise ReadOnlyError(self.read_only_message())
        except OperationalError as exc:
            if "readonly" in str(exc).replace(" ", "").lower():
                raise ReadOnlyError(self.read_only_message()) from None
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def reading(self):
        """A consistent read-only view (one read transaction) through plain sqlite3."""
        with self._reads:
            if self._closed:
                raise UserError(f"{self.path.name} has been closed.")
            self._busy += 1
        try:
            key = threading.get_ident()
            con = self._readers.get(key)
            if con is None:
                # A normal connection told to refuse writes: a `mode=ro` one cannot start up a WAL
                # file that no other connection has open.
                con = self._readers[key] = _connect(self.path, read_only=self.read_only)
                con.execute("PRAGMA query_only=ON")
            con.execute("BEGIN")
            try:
                yield con
            finally:
                con.execute("COMMIT")
        finally:
            with self._reads:
                self._busy -= 1
                self._reads.notify_all()

    def read_only_message(self) -> str:
        return self.read_only_reason or f"{self.path.name} is open read-only; changes cannot be saved."

    def close(self, wait: float = 30.0) -> None:
        """Close the file. A read running on another thread (a background report) is waited for,
        up to `wait` seconds; reads asked for afterwards are refused with a `UserError`."""
        with self._reads:
            self._closed = True
            self._reads.wait_for(lambda: self._busy == 0, timeout=wait)
        for con in self._readers.values():
            con.close()
        self._readers.clear()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _upgrade(engine, target: str = HEAD) -> None:
    from send_desktop.storage.migrate import upgrade

    upgrade(engine, target)


def open_database(path, *, create: bool = False, user: str = "", read_only: bool = False,
                  target_revision: str = HEAD) -> Database:
    """Open (or with `create`, make) a database file, migrated to the current schema.

    Raises a `UserError` subclass with a message fit for the user when the file cannot be used.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise DatabaseOpenError(f"{path} does not exist.")
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path.is_dir():
        raise DatabaseOpenError(f"{path} is a folder, not a database file.")

    lock = None
    forced_read_only = read_only
    reason = ""
    if not read_only:
        lock = FileLock(path)
        if not lock.acquire():
            lock = None
            forced_read_only = True
            reason = (f"{path.name} is already open in another send-desktop window or process; "
                      "this copy is read-only so the other one's work is not damaged.")
            if not path.exists() or path.stat().st_size == 0:
                raise DatabaseOpenError(f"{path} is being created by another process; try again.")
    try:
        revision = read_revision(path) if path.exists() and path.stat().st_size else None
        if revision is not None and revision not in REVISIONS:
            raise NewerDatabaseError(
                f"{path.name} was written by a newer version of send-desktop (schema {revision}); "
                f"this version understands schemas up to {HEAD}. Install the newer version to open it."
            )
        if revision != target_revision:
            if forced_read_only:
                if revision is None:
                    raise DatabaseOpenError(f"{path} is empty and cannot be created read-only.")
                if REVISIONS.index(revision) < REVISIONS.index(target_revision):
                    raise DatabaseOpenError(
                        f"{path.name} needs upgrading, which cannot be done while it is open elsewhere.")
            else:
                if revision is not None:
                    backup_file(path, f"before-upgrade-{revision}-to-{target_revision}")
                engine = _make_engine(path, read_only=False)
                try:
                    _upgrade(engine, target_revision)
                finally:
                    engine.dispose()
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    db = Database(path, forced_read_only, lock, user)
    db.read_only_reason = reason
    return db
