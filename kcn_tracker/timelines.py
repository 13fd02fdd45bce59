"""Records with their event timelines as plain rows: for work on thousands of records at once (imports).

``load_timelines`` reads every record of a type (or the given ones, locked on PostgreSQL)
and all their events in two ordered queries, without ORM objects: a ``Timeline`` has the
record's id, code and name, and its events in fold order as ``TimelineEvent`` tuples,
which ``history.replay``, ``history.timeline_problems`` and ``validation.validate_update``
take as they take ORM events. A batch appends the events it plans to the timeline, so
the next row of the same record is checked against them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kcn_tracker.state import FOREIGN_KEYS, TABLES, changes_value, connection_of, day_value, run


class TimelineEvent(NamedTuple):
    """What the fold and the rules read from an event."""

    id: int | None
    effective_on: dt.date
    changes: dict[str, Any]
    note: str | None


@dataclass
class Timeline:
    """One zone or project and its events in (effective date, id) order."""

    id: int
    code: str
    name: str
    name_key: str
    events: list[TimelineEvent] = field(default_factory=list)


def _postgres(bind: Any) -> bool:
    return connection_of(bind).dialect.name == "postgresql"


def _where_ids(bind: Any, column: str, ids: list[int] | None) -> tuple[str, tuple[Any, ...]]:
    if ids is None:
        return "", ()
    if _postgres(bind):
        return f" AND {column} = ANY(?)", (list(ids),)
    return f" AND {column} IN ({', '.join(str(int(i)) for i in ids)})", ()  # integers only: no injection


def load_timelines(bind: Any, record_type: str, *, ids: Iterable[int] | None = None,
                   lock: bool = False) -> dict[int, Timeline]:
    """Every record of ``record_type`` (or those in ``ids``) with its events; ``lock`` takes their row locks
    on PostgreSQL first (SELECT ... FOR UPDATE: a concurrent writer waits; SQLite writers hold the
    database lock already)."""
    table, fk = TABLES[record_type], FOREIGN_KEYS[record_type]
    wanted = None if ids is None else sorted(set(ids))
    if wanted == []:
        return {}
    where, params = _where_ids(bind, "id", wanted)
    locking = " ORDER BY id FOR UPDATE" if lock and _postgres(bind) else ""
    out = {rid: Timeline(rid, code, name, name_key)
           for rid, code, name, name_key in run(bind, f"SELECT id, code, name, name_key FROM {table} WHERE 1 = 1{where}{locking}",
                                                *params)}
    where, params = _where_ids(bind, fk, wanted)
    for rid, event_id, on, changes, note in run(bind, f"SELECT {fk}, id, effective_on, changes, note FROM events "
                                                      f"WHERE {fk} IS NOT NULL{where} ORDER BY {fk}, effective_on, id", *params):
        out[rid].events.append(TimelineEvent(event_id, day_value(on), changes_value(changes), note))  # type: ignore[arg-type]
    return out


def open_obstacle_texts(bind: Any, record_type: str, record_id: int) -> list[tuple[str, str]]:
    """(category, description) of the record's obstacles not yet resolved."""
    fk = FOREIGN_KEYS[record_type]
    return [tuple(r) for r in run(bind, f"SELECT category, description FROM obstacles WHERE {fk} = ? AND resolved_on IS NULL",
                                  record_id)]  # type: ignore[misc]
