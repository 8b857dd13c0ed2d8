"""The frozen build's recipe, checked without building (the real build runs in .ci/run).

build.spec takes what to bundle from scripts/bundle_data.py; these tests run the spec with
stand-ins for PyInstaller's classes and check what it would hand to PyInstaller.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import struct
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "build.spec"


def _load_bundle_data():
    spec = importlib.util.spec_from_file_location("_send_desktop_bundle_data", REPO / "scripts" / "bundle_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle_data = _load_bundle_data()


class _Recorder:
    """Stands in for one of PyInstaller's spec classes: remembers how it was called."""

    def __init__(self, kind, calls):
        self.kind, self.calls = kind, calls

    def __call__(self, *args, **kwargs):
        self.calls[self.kind] = (args, kwargs)
        return _Result(kwargs)


class _Result:
    def __init__(self, kwargs):
        self.kwargs = kwargs
        self.binaries = [("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
                         ("PySide6/Qt/plugins/platforms/libqvnc.so", "/x/libqvnc.so", "BINARY"),
                         ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "/x/libqoffscreen.so", "BINARY")]
        self.datas = [("PySide6/Qt/translations/qtbase_de.qm", "/x/qtbase_de.qm", "DATA")] + [
            (f"{dest}/{Path(src).name}", src, "DATA") for src, dest in kwargs.get("datas", [])]
        self.pure = []
        self.scripts = []


@pytest.fixture(scope="module")
def spec_run(tmp_path_factory):
    """Execute build.spec as PyInstaller would, with recording stand-ins; return its calls."""
    calls: dict = {}
    namespace = {name: _Recorder(name, calls) for name in ("Analysis", "PYZ", "EXE", "COLLECT")}
    dist = tmp_path_factory.mktemp("dist")
    namespace.update(SPECPATH=str(REPO), DISTPATH=str(dist), __file__=str(SPEC), __name__="__main__")
    saved_path, saved_qt = list(sys.path), sys.modules.get("PyInstaller.utils.hooks.qt", ...)
    # Keep the spec from patching a real PyInstaller in this process: make that import fail.
    sys.modules["PyInstaller.utils.hooks.qt"] = None
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        sys.path[:] = saved_path
        if saved_qt is ...:
            del sys.modules["PyInstaller.utils.hooks.qt"]
        else:
            sys.modules["PyInstaller.utils.hooks.qt"] = saved_qt
    return calls, namespace


def test_spec_is_valid_python():
    ast.parse(SPEC.read_text(encoding="utf-8"), str(SPEC))


def test_name_and_version_come_from_pyproject(spec_run):
    import send_desktop

    calls, namespace = spec_run
    meta = bundle_data.project_metadata()
    assert meta["name"] == "send-desktop"
    assert namespace["APP_VERSION"] == meta["version"]
    # The running app reports the same version as the package metadata the build is named by.
    assert send_desktop.__version__ == meta["version"]
    assert calls["EXE"][1]["name"] == "send-desktop"
    assert calls["COLLECT"][1]["name"] == "send-desktop"


def test_one_folder_console_build(spec_run):
    calls, _ = spec_run
    exe_args, exe_kwargs = calls["EXE"]
    assert exe_kwargs["exclude_binaries"] is True, "one-folder build: binaries belong to COLLECT"
    assert exe_kwargs["console"] is True, "the CLI's output must reach the terminal"
    assert "COLLECT" in calls


def test_every_migration_file_is_bundled_where_paths_looks(spec_run):
    from send_desktop.paths import bundle_root, migrations_path

    calls, _ = spec_run
    datas = calls["Analysis"][1]["datas"]
    bundled = {(Path(src).resolve(), dest) for src, dest in datas}
    migrations_dest = migrations_path().relative_to(bundle_root()).as_posix()
    migrations = REPO / "db" / "migrations"
    expected = [migrations / "env.py", migrations / "script.py.mako",
                *sorted((migrations / "versions").glob("*.py"))]
    assert len(expected) > 2, "no migration scripts found"
    for path in expected:
        dest = (Path(migrations_dest) / path.parent.relative_to(migrations)).as_posix()
        assert (path.resolve(), dest) in bundled, f"{path.relative_to(REPO)} is not bundled at {dest}/"
    # Nothing under versions/ is left out (compiled files excepted).
    for path in (migrations / "versions").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            assert any(Path(src).resolve() == path.resolve() for src, _ in datas), path


def test_every_resource_is_bundled_where_paths_looks(spec_run):
    from send_desktop.paths import bundle_root, resource_path

    calls, _ = spec_run
    datas = calls["Analysis"][1]["datas"]
    resources_dest = resource_path().relative_to(bundle_root()).as_posix()
    files = [p for p in (REPO / "resources").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert files
    for path in files:
        dest = (Path(resources_dest) / path.parent.relative_to(REPO / "resources")).as_posix()
        assert (str(path), dest) in datas, f"{path.relative_to(REPO)} is not bundled at {dest}/"
    assert all(Path(src).is_file() for src, _ in datas)


def test_app_icon_is_a_256_pixel_png():
    data = (REPO / "resources" / "icons" / "send-desktop.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (256, 256)


def test_hidden_imports_cover_the_migrations_and_resolve(spec_run):
    calls, _ = spec_run
    hidden = set(calls["Analysis"][1]["hiddenimports"])
    assert set(bundle_data.migration_imports()) <= hidden
    assert {"alembic", "sqlalchemy", "send_desktop.storage.models"} <= set(bundle_data.migration_imports())
    assert {"alembic.runtime.migration", "alembic.ddl.sqlite", "sqlalchemy.dialects.sqlite",
            "logging.config"} <= hidden
    for name in sorted(bundle_data.HIDDEN_IMPORTS):
        assert importlib.util.find_spec(name) is not None, f"hidden import {name} does not exist"


def test_every_app_module_is_listed(spec_run):
    calls, _ = spec_run
    hidden = set(calls["Analysis"][1]["hiddenimports"])
    package = REPO / "send_desktop"
    for path in package.rglob("*.py"):
        if path.name == "__main__.py":
            continue
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        assert ".".join(parts) in hidden


def test_excludes_keep_what_the_app_needs(spec_run):
    calls, _ = spec_run
    excludes = set(calls["Analysis"][1]["excludes"])
    assert "tkinter" in excludes
    for needed in ("matplotlib", "openpyxl", "alembic", "sqlalchemy", "PySide6", "PySide6.QtCore",
                   "PySide6.QtGui", "PySide6.QtWidgets", "platformdirs", "numpy", "PIL"):
        assert needed not in excludes


def test_spec_drops_unused_qt_pieces_but_keeps_the_platforms_we_run_on(spec_run):
    # The spec filters the lists on the object Analysis returned (here a stand-in with samples).
    _, namespace = spec_run
    a = namespace["a"]
    kept = {b[0] for b in a.binaries} | {d[0] for d in a.datas}
    assert "PySide6/Qt/plugins/platforms/libqoffscreen.so" in kept
    assert "PySide6/Qt/lib/libQt6Core.so.6" in kept
    assert "PySide6/Qt/plugins/platforms/libqvnc.so" not in kept
    assert "PySide6/Qt/translations/qtbase_de.qm" not in kept
    assert "db/migrations/env.py" in kept


@pytest.mark.parametrize("name", ["scripts/setup", "scripts/start", "scripts/test"])
def test_scripts_are_executable(name):
    path = REPO / name
    assert path.is_file()
    if os.name == "posix":
        assert os.access(path, os.X_OK), f"{name} must be executable (chmod +x, and commit the mode)"
    assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")


def test_strip_leaves_patched_wheel_libraries_alone(spec_run):
    """PyInstaller's strip corrupts numpy's OpenBLAS (patched by patchelf), which broke the pack
    in the bundle: it stays off, and only libpython loses its debug symbols, after COLLECT."""
    calls, namespace = spec_run
    assert namespace["STRIP"] is False
    assert calls["EXE"][1]["strip"] is False and calls["COLLECT"][1]["strip"] is False
    if sys.platform.startswith("linux"):
        assert namespace["STRIP_DEBUG"] == ("libpython*.so*",)
