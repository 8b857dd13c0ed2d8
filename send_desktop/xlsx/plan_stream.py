"""Writing an officer's tracker while its rows are checked, so that a 100,000-row import does not
hold every record it makes until the end.

`plan_foreign` resolves a tracker's rows one by one (`plan_rows.resolve_actions`). Holding every
new action and status update until the whole file has been checked costs some 1.6 KB a row. With
a `Stream` on the Resolver, every STREAM_ROWS rows the records made so far are written in the
import's one transaction and let go of:

- new people, workstreams, priorities and outcomes first, then the actions, then the status
  updates their Status cells give. A new priority or outcome is written with the values its rows
  have given so far; a later row that gives another value makes an edit at the end
  (`plan_groups.finish_nodes`), and warns as it did;
- nothing more is written once a problem has been found: the file is refused at the end and the
  transaction rolled back, as before, so the database is left as it was. A dry run writes and
  rolls back (`workbook_io`), so it still finds whatever the database would refuse;
- the database is backed up before the first write (`Stream.before_first`), not after the check.

Only a workbook without an Updates sheet streams: there an action's status history is the
database's, so each Status cell can be decided on its own row. What is counted, reported and
logged is what the import without a stream gives (tests/test_plan_stream.py compares the two).
"""

from __future__ import annotations

from typing import Callable, Generator

from send_desktop.core.progress import Progress
from send_desktop.xlsx.changeset import ChangeSet, New

#: Plan rows between writes. Each write is a few statements of STREAM_ROWS records (plan_apply.CHUNK).
STREAM_ROWS = 5_000


class Stream:
    """How a Resolver writes as it goes: `write(part)` is a generator that writes a `ChangeSet`
    (`plan_apply.apply_changes` in the import's session); `before_first()` runs before the first
    write (the backup); `annotate(statuses, plan_rows)` completes the status updates of those rows
    before they are written (their narratives)."""

    def __init__(self, write: Callable[[ChangeSet], Generator], before_first: Callable[[], None] | None = None,
                 annotate: Callable[[list, list], None] | None = None):
        self.write, self.before_first, self.annotate = write, before_first, annotate
        self.started = False
        self.history = None  # the database's status history, action -> [(date, order, level)]


def flush(r, progress: Progress) -> Generator[Progress, None, None]:
    """Write what the Resolver `r` has made since the last flush (see the module notes), reporting
    `progress` (the resolution's) between statements."""
    from send_desktop.xlsx.plan_rows import db_entries, history_of, status_cells

    stream, cs = r.stream, r.cs
    if r.problems:
        return  # the file will be refused: nothing more is written
    if stream.history is None:
        stream.history = history_of(db_entries(r)[0])
    part = ChangeSet(plan=cs.plan, new_plan=cs.new_plan)
    part.people, cs.people = _split_new(cs.people)
    part.workstreams, cs.workstreams = _split_new(cs.workstreams)
    part.priorities, part.outcomes = r.stream_nodes()
    part.actions, cs.actions = cs.actions, []
    status_cells(r, stream.history, r.plan_rows)
    part.statuses, cs.statuses = cs.statuses, []
    if stream.annotate is not None:
        stream.annotate(part.statuses, r.plan_rows)
    r.plan_rows = []
    for kind, items in part.kinds():
        created = sum(isinstance(x, New) for x in items)
        done = cs.streamed.setdefault(kind, [0, 0])
        done[0] += created
        done[1] += len(items) - created
    if not part.size() and part.new_plan is None:
        return
    if not stream.started:
        stream.started = cs.backed_up = True
        if stream.before_first is not None:
            stream.before_first()
    cs.new_plan = None  # written with this part
    for _ in stream.write(part):
        yield progress


def _split_new(items: list) -> tuple[list, list]:
    """(the New records, the rest) of `items`: new people and workstreams go now, edits at the end."""
    return [x for x in items if isinstance(x, New)], [x for x in items if not isinstance(x, New)]
