"""The rows an import has read, kept on disk a block at a time until they are checked.

An officer's tracker of 100,000 rows gives 100,000 row dicts of some twenty values each, about
1.4 KB a row in memory. They are read first and checked after (the checking needs what every
row says: the statuses for the scale, the names to merge, the repeated refs). `SpilledRows`
holds them as a list would, but every BLOCK_ROWS rows the block is pickled to a temporary file
and let go of, so the memory an import needs hardly grows with its rows:

- `append` keeps the newest row in memory until the next one comes: a reader may still change
  it (a row that continues the action above adds to that action's cells);
- iterating reads the blocks back one at a time, in order, then gives the rows not yet
  spilled. A row read back from a block is a fresh copy: a change made to it is not kept;
- the file is made only when the first block is spilled (a workbook of fewer rows never
  touches the disk), is unlinked from the start (`tempfile.TemporaryFile`: nothing is left
  behind by a crash) and goes with `close()` or when the rows are let go of.

A temporary folder that cannot take the rows (a full disk), or a file that cannot give them
back, is a `UserError` saying so in one line: the import is refused and rolled back.

The rows are a plan's actions (references, wording, officers' names), never children's data.
"""

from __future__ import annotations

import pickle
import tempfile
from typing import Iterator

from send_desktop.errors import UserError

#: rows a block holds: some 7 MB of rows in memory, 1.2 MB pickled, for a tracker's rows
BLOCK_ROWS = 5_000


def no_room(exc: OSError) -> UserError:
    """What the user is told when the temporary folder cannot take (or give back) the rows."""
    why = exc.strerror or type(exc).__name__
    return UserError(f"the rows read from the workbook could not be kept in a temporary file in "
                     f"{tempfile.gettempdir()} ({why}); free some space there, or set TMPDIR to a folder "
                     "with room, and import again. Nothing was changed.")


class SpilledRows:
    """A list of row dicts that keeps all but its newest block on disk (see the module notes)."""

    def __init__(self, block: int | None = None):
        self.block = block or BLOCK_ROWS
        self._file = None
        self._blocks: list[tuple[int, int]] = []  # (offset, size) of each pickled block, in order
        self._tail: list[dict] = []
        self._len = 0

    def append(self, row: dict) -> None:
        if len(self._tail) >= self.block:
            self._spill()
        self._tail.append(row)
        self._len += 1

    def _spill(self) -> None:
        data = pickle.dumps(self._tail, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="send-desktop-rows-")
            self._file.seek(0, 2)
            at = self._file.tell()
            self._file.write(data)
            self._file.flush()  # a full disk is found here, not when the rows are read back
        except OSError as exc:
            raise no_room(exc) from None
        self._blocks.append((at, len(data)))
        self._tail = []

    @property
    def spilled(self) -> int:
        """How many blocks are on disk."""
        return len(self._blocks)

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __iter__(self) -> Iterator[dict]:
        for at, size in list(self._blocks):
            if self._file is None:
                raise ValueError("the rows were closed")
            try:
                self._file.seek(at)
                data = self._file.read(size)
            except OSError as exc:
                raise no_room(exc) from None
            if len(data) != size:
                raise UserError("the rows read from the workbook could not be read back from their temporary "
                                "file (it was cut short); import the workbook again")
            block = pickle.loads(data)
            del data
            yield from block
            del block  # before the next block is read: only one is in memory at a time
        yield from self._tail

    def close(self) -> None:
        """Let go of the rows and the file."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._blocks, self._tail, self._len = [], [], 0

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - at interpreter exit the file may be gone already
            pass
