"""A log file in the platform's log folder, rotated at start-up. Never log children's data or
plan text: record what happened (file names, counts, errors), not what people wrote.

Rotation happens once when the application starts (logging.handlers costs ~10 ms to import,
which the first window should not wait for): past MAX_BYTES the file is kept as .1, .2, .3.
"""

from __future__ import annotations

import logging
import os

from send_desktop.paths import log_dir

MAX_BYTES = 1_000_000
KEEP = 3
HANDLER_NAME = "send-desktop"
_configured = False


def _rotate(path) -> None:
    try:
        if os.path.getsize(path) < MAX_BYTES:
            return
    except OSError:
        return
    for n in range(KEEP - 1, 0, -1):
        older = f"{path}.{n}"
        if os.path.exists(older):
            os.replace(older, f"{path}.{n + 1}")
    os.replace(path, f"{path}.1")


def setup_logging(level: int = logging.INFO) -> str:
    global _configured
    path = log_dir() / "send-desktop.log"
    if not _configured:
        try:
            _rotate(path)
            handler: logging.Handler = logging.FileHandler(path, encoding="utf-8", delay=True)
        except OSError:  # a read-only profile must not stop the application
            handler = logging.NullHandler()
        handler.set_name(HANDLER_NAME)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(level)
        _configured = True
    return str(path)


def log_file() -> str:
    """The file this process logs to (set up on first use)."""
    setup_logging()
    for handler in logging.getLogger().handlers:
        if handler.get_name() == HANDLER_NAME and isinstance(handler, logging.FileHandler):
            handler.flush()
            return handler.baseFilename
    return setup_logging()
