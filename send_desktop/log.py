"""A rotating log file in the platform's log folder. Never log children's data or plan text."""

from __future__ import annotations

import logging
import logging.handlers

from send_desktop.paths import log_dir

_configured = False


def setup_logging(level: int = logging.INFO) -> str:
    global _configured
    path = log_dir() / "send-desktop.log"
    if not _configured:
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(level)
        _configured = True
    return str(path)
