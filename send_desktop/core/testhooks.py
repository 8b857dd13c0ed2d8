"""Named points inside long transactions where a crash test can freeze the process.

Tests start a real subprocess with SEND_DESKTOP_HOLD_AT=<name> and SEND_DESKTOP_HOLD_FILE=<path>,
wait for the file to appear (the transaction is then half done) and kill the process with
SIGKILL, to prove the database is left exactly as it was. Unset, a checkpoint costs nothing.
"""

from __future__ import annotations

import os
import time


def checkpoint(name: str) -> None:
    if os.environ.get("SEND_DESKTOP_HOLD_AT") != name:
        return
    marker = os.environ.get("SEND_DESKTOP_HOLD_FILE")
    if marker:
        with open(marker, "w", encoding="utf-8") as fh:
            fh.write(str(os.getpid()))
    while True:  # wait to be killed
        time.sleep(0.05)
