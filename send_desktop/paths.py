"""Where things live: resources in the source tree or the frozen bundle, and the user's folders.

One helper for both cases so nothing else needs to know whether it runs frozen.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from send_desktop import APP_NAME


def bundle_root() -> Path:
    """The folder holding `resources/` and `db/`: the PyInstaller bundle or the source checkout."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return bundle_root().joinpath("resources", *parts)


def migrations_path() -> Path:
    return bundle_root() / "db" / "migrations"


class _HomeDirs:
    """All user folders under one root: set SEND_DESKTOP_HOME for tests and portable use."""

    def __init__(self, root: str):
        self.user_data_dir = str(Path(root) / "data")
        self.user_log_dir = str(Path(root) / "logs")
        self.user_config_dir = str(Path(root) / "config")


def _dirs():
    home = os.environ.get("SEND_DESKTOP_HOME")
    if home:
        return _HomeDirs(home)
    import platformdirs

    return platformdirs.PlatformDirs(APP_NAME, appauthor=False)


def data_dir() -> Path:
    path = Path(_dirs().user_data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "send-desktop.sqlite"


def backups_dir_for(db_path: Path) -> Path:
    """Backups sit beside the database, so a copy on a memory stick travels with its history."""
    path = Path(db_path).resolve().parent / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = Path(_dirs().user_log_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    path = Path(_dirs().user_config_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path
