"""Collecting less often while a long job makes many objects that all live until it ends.

Python's cyclic collector runs a young collection every 700 allocations and, now and then, a full
one over every tracked object. An export of a plan makes some 60,000 openpyxl cells, an import of
a large tracker millions of small objects, none of them in reference cycles that need collecting
promptly; at the default pace the collector re-scans them for up to 40% of the job's time. The
threshold is process-wide, so it is raised only for the job and restored after (nested uses keep
the highest); collection still happens, just less often.

A job that makes millions of objects that all live until it ends (an import of a 100,000-row
tracker: its rows, then the records worked out from them) gains nothing from collecting at any
pace: each young or middle collection only re-scans survivors, a fifth of that import's time.
`no_collections` turns the collector off for such a job and back on after; memory that reference
counting frees (nearly all of it) is freed as usual, and the few cycles wait for the next collection.
"""

from __future__ import annotations

import contextlib
import gc

#: allocations between young collections during a job (the default is 700)
JOB_THRESHOLD = 50_000


@contextlib.contextmanager
def fewer_collections(threshold: int = JOB_THRESHOLD):
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], threshold), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextlib.contextmanager
def no_collections():
    """No cyclic collection during the job (see the module notes); the collector's state is restored after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
