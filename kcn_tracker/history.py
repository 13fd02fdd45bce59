"""The event log: replay a record's history, validate it, append changes, time-travel.

A record's state on any day is the fold of its events with ``effective_on`` up to
that day, in (effective_on, id) order. Writing appends one event and recomputes
the current columns from the whole timeline, so the record and its history can
never disagree, and a late-arriving report lands in its place in time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import getpass
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.errors import InvalidTransition, InvalidValue, Problem, ValidationFailed
from kcn_tracker.fields import DATE_BASES, field_spec, fields_for
from kcn_tracker.models import Document, Event, Project, Zone
from kcn_tracker.stages import check_move, get_stage, investor_exists
from kcn_tracker.state import FieldChange, diff_states, finish, json_states, same_wkt
from kcn_tracker.text import fold
from kcn_tracker import clock

Record = Zone | Project


class EventLike(Protocol):
    """What replay needs from an event (ORM ``Event`` or a plain stand-in)."""

    id: int | None
    effective_on: dt.date
    changes: dict[str, Any]
    note: str | None


def record_type_of(record: Record) -> str:
    """ "zone" or "project"."""
    return "zone" if isinstance(record, Zone) else "project"


def current_user(explicit: str | None = None) -> str:
    """Who records a change: ``--by``, else the OS user."""
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return os.environ.get("USER", "unknown")


def to_json(record_type: str, name: str, value: Any) -> Any:
    """A field value as stored in an event (dates as ISO strings)."""
    if value is None:
        return None
    kind = field_spec(record_type, name).kind
    if kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if kind == "float":
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value)
    return value


def from_json(record_type: str, name: str, value: Any) -> Any:
    """A stored event value as the Python value of the model column."""
    if value is None:
        return None
    if field_spec(record_type, name).kind == "date":
        return dt.date.fromisoformat(value)
    return value


def _order_key(event: EventLike) -> tuple[dt.date, int]:
    return event.effective_on, event.id if event.id is not None else 10**18


def _ordered(events: Iterable[EventLike]) -> list[EventLike]:
    return sorted(events, key=_order_key)


def replay(events: Iterable[EventLike], *, until: dt.date | None = None) -> dict[str, Any]:
    """Fold events (JSON values) in time order, keeping those effective on or before ``until``."""
    return _fold(_ordered(events), until=until)


def _fold(ordered: list[EventLike], *, until: dt.date | None = None) -> dict[str, Any]:
    """``replay`` of events already in time order (``_ordered``)."""
    state: dict[str, Any] = {}
    for event in ordered:
        if until is not None and event.effective_on > until:
            break
        state.update(event.changes or {})
    return state


def timeline_problems(record_type: str, events: Iterable[EventLike], *, label: str) -> list[Problem]:
    """Every rule the timeline breaks: stage moves, MW above capacity, leased above leasable."""
    problems: list[Problem] = []
    state: dict[str, Any] = {}
    stages_seen: list[str] = []
    for event in _ordered(events):
        stage_before = state.get("stage")
        state.update(event.changes or {})
        found: list[tuple[str, str]] = []  # (field, why): the event's date is written into the message only then
        new_stage = (event.changes or {}).get("stage")
        if new_stage is not None:
            try:
                get_stage(record_type, new_stage)  # type: ignore[arg-type]
                check_move(
                    record_type,  # type: ignore[arg-type]
                    stage_before,
                    new_stage,
                    reason=event.note,
                    has_investor=investor_exists(stages_seen, state.get("investor")),
                    needs_investor=bool(state.get("needs_investor", True)),
                )
            except (InvalidTransition, InvalidValue) as exc:
                found.append(("stage", exc.message))
            stages_seen.append(new_stage)
        found += _state_problems(record_type, state)
        problems += [Problem(f"{label}, {event.effective_on:%d/%m/%Y}: {why}", field=name) for name, why in found]
    return problems


#: Per record type, the numeric fields (none may go negative): read for every event of every timeline checked.
_NUMERIC = {kind: tuple((f.name, f.label_vi) for f in fields_for(kind) if f.kind in ("float", "int")) for kind in ("zone", "project")}


def _state_problems(record_type: str, state: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, why) for each rule a state breaks."""
    problems = []
    for name, label_vi in _NUMERIC["zone" if record_type == "zone" else "project"]:
        value = state.get(name)
        if value is not None and value < 0:
            problems.append((name, f"{label_vi} không được âm / must not be negative ({value})"))
    if record_type == "project":
        cap, op = state.get("capacity_mw"), state.get("capacity_operating_mw")
        if cap is not None and op is not None and op > cap:  # exactly the database check, no tolerance
            problems.append(("capacity_operating_mw", f"công suất đã vận hành {op} MW lớn hơn công suất {cap} MW / "
                                                      "operating capacity above the project's capacity"))
    else:
        leasable, leased = state.get("leasable_ha"), state.get("leased_ha")
        if leasable is not None and leased is not None and leased > leasable:  # as the database check
            problems.append(("leased_ha", f"diện tích đã cho thuê {leased} ha lớn hơn diện tích cho thuê {leasable} ha / "
                                          "leased area above leasable area"))
        registered, operating = state.get("tenants_registered"), state.get("tenants_operating")
        if registered is not None and operating is not None and operating > registered:
            problems.append(("tenants_operating", f"số dự án hoạt động ({operating}) lớn hơn số dự án đăng ký ({registered}) / "
                                                  "more tenants operating than registered"))
    return problems


def apply_state(record: Record, state: Mapping[str, Any]) -> None:
    """Set the record's columns from a replayed state (``state.finish``: absent fields take their default)."""
    for name, value in finish(record_type_of(record), state).items():
        if name == "code" and record.code:
            continue
        if name == "geometry" and same_wkt(record.geometry, value):
            continue  # PostGIS spells the same shape its own way: rewriting it would move the version for nothing
        setattr(record, name, value)
    record.name_key = fold(record.name or "")


@dataclass
class ChangeResult:
    """What an update did (or would do with --dry-run)."""

    record: Record
    event: Event
    changes: list[FieldChange]
    late: bool
    event_changes: list[FieldChange] = field(default_factory=list)


@dataclass
class PlannedChange:
    """One new event worked out on a timeline, before anything is written (``plan_change``).

    ``after`` is the JSON state after the whole timeline with the event (what the current
    columns become); ``changes`` is what changes in that state, ``event_changes`` what the
    event records on its effective date; ``problems`` the rules it breaks (empty: it may be written).
    """

    json_changes: dict[str, Any]
    after: dict[str, Any]
    changes: list[FieldChange]
    event_changes: list[FieldChange]
    late: bool
    problems: list[Problem]


def plan_change(record_type: str, existing: list[EventLike], changes: Mapping[str, Any], *, effective_on: dt.date,
                date_basis: str, note: str | None, label: str, today: dt.date, historic: bool,
                rules_checked: bool = False) -> PlannedChange:
    """The event ``changes`` would add to the timeline ``existing`` on ``effective_on``: its JSON, the states
    before and after, and every rule it breaks (event date, date basis, stage moves, capacities).
    ``rules_checked``: ``validation.validate_update`` has just checked this timeline with these
    changes (``timeline_check``), so the stage and capacity rules are not run a second time.

    The one computation behind ``record_change`` (one record, ORM) and the importer's batch
    (``importers.batch``, thousands of records without ORM objects).
    """
    from types import SimpleNamespace

    from kcn_tracker.validation.dates import event_date_problems

    first = min((e.effective_on for e in existing), default=None)
    problems = [Problem(m, field="effective_on") for m in event_date_problems(
        effective_on, label="ngày hiệu lực / effective date", today=today, historic=historic, first_event=first)]
    if date_basis not in DATE_BASES:
        problems.append(Problem(f"date_basis “{date_basis}” không hợp lệ / invalid", field="date_basis"))
    json_changes = {name: to_json(record_type, name, value) for name, value in changes.items()}
    event = SimpleNamespace(id=None, effective_on=effective_on, changes=json_changes, note=note)
    timeline = [*existing, event]
    if not rules_checked:
        problems.extend(timeline_problems(record_type, timeline, label=label))
    # Each timeline sorted once for its four folds; the new event (no id) sorts after the existing ones of its day.
    ordered_existing = _ordered(existing)
    ordered = list(ordered_existing)
    bisect.insort(ordered, event, key=_order_key)
    before, after = _fold(ordered_existing), _fold(ordered)
    late = any(e.effective_on > effective_on for e in existing)
    event_changes = diff_states(_fold(ordered_existing, until=effective_on), _fold(ordered, until=effective_on))
    return PlannedChange(json_changes, after, diff_states(before, after), event_changes, late, problems)


def record_change(
    session: Session,
    record: Record,
    changes: Mapping[str, Any],
    *,
    effective_on: dt.date,
    date_basis: str = "document",
    document: Document | None = None,
    note: str | None = None,
    by: str | None = None,
    origin: str = "cli",
    today: dt.date | None = None,
    recorded_at: dt.datetime | None = None,
    historic: bool = False,
) -> ChangeResult:
    """Append one event to ``record`` and recompute its current state; never commits.

    Raises ValidationFailed (every problem at once) if the timeline with the new
    event breaks a rule or its date is refused (future, before 2000 unless
    ``historic``, before the record's first event); the caller's transaction then rolls back.
    """
    record_type = record_type_of(record)
    planned = plan_change(record_type, list(record.events), changes, effective_on=effective_on, date_basis=date_basis,
                          note=note, today=today or clock.today(), historic=historic,
                          label=f"{record.name or changes.get('name')}")
    if planned.problems:
        raise ValidationFailed(planned.problems)
    event = Event(
        effective_on=effective_on,
        date_basis=date_basis,
        changes=planned.json_changes,
        document=document,
        note=note,
        recorded_by=current_user(by),
        recorded_at=recorded_at or clock.now(),
        origin=origin,
    )
    if record_type == "zone":
        event.zone = record  # type: ignore[assignment]
    else:
        event.project = record  # type: ignore[assignment]
    session.add(event)
    apply_state(record, planned.after)
    return ChangeResult(record=record, event=event, changes=planned.changes, late=planned.late,
                        event_changes=planned.event_changes)


def lock_record(session: Session, model: type[Record], record_id: int) -> Record:
    """Load a record for update (row lock on PostgreSQL; SQLite already holds the write lock).

    The record may already sit in the session (name resolution loaded it before the
    lock was taken): ``populate_existing`` overwrites it with the row as it is once
    the lock is held, and its events are reloaded, so a writer that waited for
    another one builds on that one's change instead of failing the version check.
    """
    stmt = select(model).where(model.id == record_id).execution_options(populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    record = session.scalars(stmt).one()
    session.expire(record, ["events", "obstacles"])
    return record


def states_as_of(session: Session, model: type[Record], day: dt.date) -> dict[int, dict[str, Any]]:
    """Replayed state (JSON values) of every record of ``model`` on ``day`` (records not yet created are absent)."""
    return json_states(session, "zone" if model is Zone else "project", day)
