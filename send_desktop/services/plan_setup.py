"""Creating plans and their rating scales, and giving a plan a scale of its own."""

from __future__ import annotations

from sqlalchemy import select, update

from send_desktop.core.scales import DEFAULT_PRESET, PRESETS, LevelSpec, ScaleSpec, validate_levels
from send_desktop.errors import UserError
from send_desktop.storage.models import Action, Outcome, Plan, Priority, RatingScale, ScaleLevel, StatusUpdate


def add_scale(session, spec: ScaleSpec, preset: str | None = None) -> RatingScale:
    problems = validate_levels(list(spec.levels))
    if problems:
        raise UserError("The rating scale cannot be used: " + " ".join(problems))
    scale = RatingScale(name=spec.name, preset=preset)
    scale.levels = [
        ScaleLevel(position=i, code=lv.code.strip(), label=lv.label.strip(), meaning=lv.meaning.strip(),
                   colour=lv.colour, complete=bool(lv.complete))
        for i, lv in enumerate(spec.levels)
    ]
    session.add(scale)
    session.flush()
    return scale


def create_plan(session, title: str, preset: str = DEFAULT_PRESET, scale: ScaleSpec | None = None) -> Plan:
    if scale is None:
        if preset not in PRESETS:
            raise UserError(f"Unknown rating scale '{preset}'; choose one of {', '.join(PRESETS)}.")
        scale_obj = add_scale(session, PRESETS[preset], preset=preset)
    else:
        scale_obj = add_scale(session, scale)
    plan = Plan(title=title.strip() or "Priority Action Plan", scale_id=scale_obj.id)
    session.add(plan)
    session.flush()
    return plan


def new_plan(db, title: str, preset: str = DEFAULT_PRESET, source: str = "window") -> int:
    with db.session(source) as s:
        return create_plan(s, title, preset).id


def change_plan_scale(db, plan_id: int, spec: ScaleSpec, mapping: dict[int, int | None],
                      source: str = "window") -> None:
    """Give a plan a new scale. `mapping` takes each old level id to an index into `spec.levels`
    (or None, for 'not rated'); every existing update is re-pointed so the history survives."""
    with db.session(source) as s:
        plan = s.get(Plan, plan_id)
        if plan is None:
            raise UserError("That plan no longer exists.")
        new_scale = add_scale(s, spec)
        new_ids = [lv.id for lv in new_scale.levels]
        action_ids = select(Action.id).join(Outcome).join(Priority).where(Priority.plan_id == plan_id)
        for old_id, index in mapping.items():
            target = new_ids[index] if index is not None else None
            s.execute(update(StatusUpdate).where(StatusUpdate.level_id == old_id,
                                                 StatusUpdate.action_id.in_(action_ids)).values(level_id=target))
        plan.scale_id = new_scale.id


def preset_spec(key: str) -> ScaleSpec:
    return PRESETS[key]


def spec_from_levels(name: str, levels: list[LevelSpec]) -> ScaleSpec:
    return ScaleSpec(key="custom", name=name, levels=tuple(levels))
