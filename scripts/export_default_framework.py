"""Write docs/examples/: the default framework as FRAMEWORK.json, and the example audit's result.

    python scripts/export_default_framework.py

Run it after editing resources/frameworks/default-framework.json or the grading rules;
tests/test_audit_framework.py and tests/test_cli_audit_score.py fail until the examples match, so
the documented examples never drift from what the application does. docs/examples/audit.json is
written by hand and only read here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
EXAMPLES = REPO / "docs" / "examples"


def main() -> int:
    from send_desktop.audits.audit_json import score_audit_file
    from send_desktop.audits.default_framework import default_framework, framework_json_text

    fw = default_framework()
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    (EXAMPLES / "default-framework.json").write_text(framework_json_text(fw), encoding="utf-8")
    result = score_audit_file(fw, EXAMPLES / "audit.json")
    (EXAMPLES / "audit-result.json").write_text(json.dumps(result.to_contract(), indent=2, ensure_ascii=False) + "\n",
                                                encoding="utf-8")
    print(f"wrote {EXAMPLES / 'default-framework.json'} and {EXAMPLES / 'audit-result.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
