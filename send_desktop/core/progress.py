"""Long work as plain generators: they yield `Progress` and return their result.

The command line drives them with a text bar, the window on a worker thread with a progress
dialog and a Cancel button; neither the work nor its tests know which.
"""

from __future__ import annotations

from typing import Callable, Generator, NamedTuple, TypeVar

from send_desktop.errors import Cancelled

T = TypeVar("T")


class Progress(NamedTuple):
    done: int
    total: int
    message: str = ""

    @property
    def fraction(self) -> float:
        return (self.done / self.total) if self.total else 0.0


Steps = Generator[Progress, None, T]


def run_steps(steps: Steps[T], on_progress: Callable[[Progress], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> T:
    """Drive a generator to its end; raises `Cancelled` (inside the work, so it rolls back)."""
    try:
        progress = next(steps)
        while True:
            if on_progress is not None:
                on_progress(progress)
            if cancelled is not None and cancelled():
                progress = steps.throw(Cancelled())
            else:
                progress = next(steps)
    except StopIteration as stop:
        return stop.value
