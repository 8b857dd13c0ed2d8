"""The user's own settings: their name for the change log, recent files, the last export folder. Plain JSON."""

from __future__ import annotations

import json
from pathlib import Path

from send_desktop.paths import config_dir

MAX_RECENT = 8


def _file() -> Path:
    return config_dir() / "settings.json"


def load() -> dict:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save(data: dict) -> None:
    tmp = _file().with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    tmp.replace(_file())


def login_name() -> str:
    try:
        import getpass  # only when no name is stored yet

        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return "user"


def user_name() -> str | None:
    """The name recorded in the change log; None until the user has been asked."""
    name = load().get("user_name")
    return name if isinstance(name, str) and name.strip() else None


def set_user_name(name: str) -> None:
    data = load()
    data["user_name"] = " ".join(name.split()) or login_name()
    save(data)


def recent_files() -> list[str]:
    items = load().get("recent_files", [])
    return [p for p in items if isinstance(p, str)]


def add_recent_file(path) -> None:
    data = load()
    path = str(Path(path).resolve())
    items = [p for p in data.get("recent_files", []) if p != path]
    data["recent_files"] = [path] + items[: MAX_RECENT - 1]
    save(data)


def export_folder() -> str | None:
    """The folder the last export was written to (File > Export… offers it again), or None."""
    folder = load().get("export_folder")
    return folder if isinstance(folder, str) and Path(folder).is_dir() else None


def set_export_folder(folder) -> None:
    data = load()
    data["export_folder"] = str(Path(folder).resolve())
    save(data)
