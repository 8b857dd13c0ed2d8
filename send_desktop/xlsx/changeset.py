"""What an import will do, worked out before anything is written.

`plan_resolve` fills a `ChangeSet` from the workbook and the database's current state;
`plan_apply` writes it. Keeping the two apart is what lets the import check the whole workbook
first and change nothing when any of it is wrong, and makes a dry run report exactly what a
real run would: both count the same change set.

Records that do not exist yet are `New` placeholders; other records point at them (an action's
outcome, a lead who is a new person) and `ident()` turns them into ids once they are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from send_desktop.core.scales import LevelSpec
from send_desktop.errors import Problem


class New:
    """A record to create: its model, column values (which may hold other `New`s) and leads."""

    __slots__ = ("model", "values", "leads", "obj")

    def __init__(self, model, values: dict | None = None, leads: list | None = None):
        self.model = model
        self.values = values if values is not None else {}
        self.leads = leads
        self.obj = None  # the ORM object, once written

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"New({self.model.__name__}, {self.values.get('uid', '')})"


@dataclass
class Edit:
    """Fields of an existing record that differ from the workbook, with their new values."""

    model: type
    id: int
    values: dict
    leads: list | None = None  # the new lead list (ids or New people), when it changed
    #: False for a record this import created and then corrected (`plan_stream`): not "updated"
    counted: bool = True


def ident(ref):
    """The database id of an existing record (an int) or of a `New` one already written."""
    return ref.obj.id if isinstance(ref, New) else ref


@dataclass
class NewPlan:
    """The plan and its rating scale, when the database has none yet."""

    uid: str
    title: str
    scale_name: str
    preset: str | None
    levels: list[LevelSpec]
    level_refs: list[New]   # what statuses point at until the scale is written
    plan: New


@dataclass(kw_only=True)
class Resolved:
    """What every import's change set reports besides its records (`workbook_io.ChangeSet`): the
    problems that refuse the file, the warnings, and the counts of the kind's main records."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ChangeSet(Resolved):
    plan: int | New                      # the plan's id, or the New plan (see new_plan)
    new_plan: NewPlan | None = None
    people: list = field(default_factory=list)        # New / Edit, in the order they are written
    workstreams: list = field(default_factory=list)
    priorities: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    updates: list = field(default_factory=list)       # rows of the Updates sheet
    statuses: list = field(default_factory=list)      # New updates for changed Status cells
    #: records already written while the workbook was checked (`plan_stream`), by kind as
    #: `other_counts` names them ("action" too): [created, changed]
    streamed: dict = field(default_factory=dict)
    #: whether the database was backed up before those writes (so the import does not again)
    backed_up: bool = False

    def size(self) -> int:
        return sum(len(x) for x in (self.people, self.workstreams, self.priorities, self.outcomes,
                                    self.actions, self.updates, self.statuses))

    def kinds(self) -> tuple:
        """(kind, records) for each kind of record, as `other_counts` and `plan_stream` count them."""
        return (("person", self.people), ("workstream", self.workstreams), ("priority", self.priorities),
                ("outcome", self.outcomes), ("action", self.actions), ("status update", self.updates + self.statuses))

    def other_counts(self) -> dict[str, dict[str, int]]:
        """Records other than actions that the import creates or changes, for the summary."""
        out = {}
        for name, items in self.kinds():
            if name == "action":
                continue
            created = sum(isinstance(x, New) for x in items)
            changed = sum(not isinstance(x, New) and getattr(x, "counted", True) for x in items)
            before = self.streamed.get(name, (0, 0))
            created, changed = created + before[0], changed + before[1]
            if created or changed:
                out[name] = {"created": created, "updated": changed}
        return out
