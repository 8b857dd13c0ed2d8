"""What the frozen bundle must carry besides what PyInstaller finds by following imports.

Imported by build.spec (at build time) and by tests/test_build.py (without building), so the
test checks exactly the lists the build uses. Standard library only: no PyInstaller import here.

- data files: the whole `resources/` tree and `db/migrations/` (env.py, script.py.mako,
  versions/*.py). Alembic loads env.py and every migration script from real files found under
  `script_location`, so they go in as files at `db/migrations/`, where
  `send_desktop.paths.migrations_path()` looks in the bundle (`sys._MEIPASS`).
- hidden imports: modules that are only imported by those migration files, or by name at run time
  (SQLAlchemy's SQLite dialect from the "sqlite://" URL), and every module of `send_desktop`
  (the app imports much of itself inside functions; listing them all costs nothing).
- excludes: big modules the app never uses.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the build runs on 3.11
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent

#: Folders copied into the bundle file by file, at the same relative place.
DATA_DIRS = ("resources", "db/migrations")

#: Never bundled from those folders.
_SKIP_DIR_NAMES = {"__pycache__"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}

#: Imported by name at run time, or only from the migration files.
HIDDEN_IMPORTS = [
    "alembic",
    "alembic.command",
    "alembic.config",
    "alembic.context",
    "alembic.op",
    "alembic.runtime.migration",
    "alembic.runtime.environment",
    "alembic.script",
    "alembic.ddl",
    "alembic.ddl.impl",
    "alembic.ddl.sqlite",
    "alembic.operations",
    "alembic.operations.ops",
    "alembic.operations.toimpl",
    "logging.config",
    "mako",
    "mako.template",
    "sqlite3",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.sql.default_comparator",
]

#: Large modules nothing in the app imports, kept out even if a library mentions them.
EXCLUDES = [
    "tkinter",
    "_tkinter",
    "matplotlib.backends._backend_tk",
    "matplotlib.backends.backend_tkagg",
    "matplotlib.backends.backend_tkcairo",
    "matplotlib.backends.backend_webagg",
    "matplotlib.backends.backend_webagg_core",
    "matplotlib.backends.backend_nbagg",
    "matplotlib.tests",
    "numpy.tests",
    "IPython",
    "jedi",
    "pytest",
    "_pytest",
    "pytestqt",
    "PyInstaller",
    "setuptools",
    "pkg_resources",
    "PyQt5",
    "PyQt6",
    "PySide2",
    # Qt modules the app does not use (PySide6-Essentials ships some of them).
    "PySide6.Qt3DAnimation",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DExtras",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DRender",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtMultimedia",
    "PySide6.QtNetwork",           # an offline app; it would bring TLS and network-status plugins
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuick3D",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest",
    "PySide6.QtQuickWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtUiTools",
    "PySide6.QtWebChannel",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebSockets",
]


def project_metadata(repo: Path = REPO) -> dict:
    """The [project] table of pyproject.toml: name, version, ..."""
    with open(repo / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def _files_under(folder: Path):
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if _SKIP_DIR_NAMES.intersection(path.relative_to(folder).parts) or path.suffix in _SKIP_SUFFIXES:
            continue
        yield path


def datas(repo: Path = REPO) -> list[tuple[str, str]]:
    """(source file, folder inside the bundle) pairs for PyInstaller's Analysis(datas=...)."""
    pairs = []
    for top in DATA_DIRS:
        for path in _files_under(repo / top):
            pairs.append((str(path), path.parent.relative_to(repo).as_posix()))
    return pairs


def migration_imports(repo: Path = REPO) -> list[str]:
    """Every absolute module imported by the Alembic files (env.py and versions/*.py)."""
    modules = set()
    for path in _files_under(repo / "db" / "migrations"):
        if path.suffix != ".py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.add(node.module)
    return sorted(modules)


def app_modules(repo: Path = REPO, package: str = "send_desktop") -> list[str]:
    """Every module of the app's package, found from its files (nothing is imported)."""
    names = []
    for path in _files_under(repo / package):
        if path.suffix != ".py":
            continue
        parts = list(path.relative_to(repo).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts))
    return sorted(names)


def hidden_imports(repo: Path = REPO) -> list[str]:
    return sorted(set(HIDDEN_IMPORTS) | set(migration_imports(repo)) | set(app_modules(repo)))


if __name__ == "__main__":  # a quick look: python scripts/bundle_data.py
    meta = project_metadata()
    print(f"{meta['name']} {meta['version']}")
    for src, dest in datas():
        print(f"data   {Path(src).relative_to(REPO)} -> {dest}/")
    for name in hidden_imports():
        print(f"hidden {name}")
