"""Collecting less often while a long job makes many objects that all live until it ends.

Python's cyclic collector runs a young collection every 700 allocations and, now and then, a full
one over every tracked object. An export of a plan makes some 60,000 openpyxl cells, an import of
a large tracker millions of small objects, none of them in reference cycles that need collecting
promptly; at the default pace the collector re-scans them for up to 40% of the job's time. The
threshold is process-wide, so it is raised only for the job and restored after (nested uses keep
the highest); collection still happens, just less often.
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
