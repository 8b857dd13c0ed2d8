"""The framework that ships with the application, kept as JSON in `resources/frameworks/`.

It is JSON rather than Python so it is the same format a council edits and imports (what ships
is an example of the contract, not a special case), and so `docs/examples/default-framework.json`
can be checked against it byte for byte. The wording is the project's own.
"""

from __future__ import annotations

import json
from functools import lru_cache

from send_desktop.audits.framework import Framework, framework_from_json, framework_to_json
from send_desktop.paths import resource_path

DEFAULT_FRAMEWORK_FILE = ("frameworks", "default-framework.json")


@lru_cache(maxsize=1)
def default_framework() -> Framework:
    """The default framework, parsed once (frameworks are immutable, so sharing one is safe)."""
    path = resource_path(*DEFAULT_FRAMEWORK_FILE)
    return framework_from_json(json.loads(path.read_text(encoding="utf-8")))


def framework_json_text(fw: Framework) -> str:
    """The canonical file text of a framework: every key, two-space indent, UTF-8, final newline."""
    return json.dumps(framework_to_json(fw), indent=2, ensure_ascii=False) + "\n"
