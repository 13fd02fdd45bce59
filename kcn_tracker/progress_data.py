"""Load the plain records of ``progress`` (technologies, targets, every zone's, project's and
tenant project's event timeline and obstacles) from the database, in seven plain SELECTs.

Why not the ORM models: importing ``sqlalchemy.orm`` plus ``kcn_tracker.models``
costs about 100 ms, and compiling Core statements a few more, against a start-up
budget of ``kcn progress`` of about 0.1 s over ``import sqlalchemy``. The SELECTs
name the tables and columns of ``models.py`` (tests check the loaded records
against ``history.states_as_of`` and ``registry.views`` on both backends); the fold
of the events is the one of ``history.replay``, done in ``progress.RecordTimeline.state``.

``load_records(bind)`` takes a ``Connection``, an ORM ``Session`` or a ``dbread.Reader``, reads only and
never commits.

Today's records (``as_of`` on or after the last effective date, when the current-state
columns are the fold of every event): only the timelines whose history progress reads
come whole, i.e. projects with operating MW (their parts: when each MW started) and
operating zones (when they entered operation). Every other record's timeline is one
event, its current-state columns on its last effective date: the same state, the same
last news date for the alerts, without reading and folding a national register's tens
of thousands of events (``tests/test_progress_today.py`` checks both give the same
progress, energy summary and alerts, on both backends).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from typing import Any

from kcn_tracker.db_errors import read_errors
from kcn_tracker.progress_records import (
    EventRecord,
    ObstacleRecord,
    ProgressRecords,
    RecordTimeline,
    TargetRecord,
    TechnologyRecord,
)

#: Portable SQL (SQLite and PostgreSQL); values are converted below, as no Core types are attached.
QUERIES = {
    "technologies": "SELECT key, label_vi, target_id, plan_mw FROM technologies ORDER BY key",
    "targets": ("SELECT target_id, label_vi, value, unit, period_start, deadline, note, label_en, value_max, comparator, source "
                "FROM targets ORDER BY target_id"),
    "projects": "SELECT id, code FROM projects ORDER BY code",
    "zones": "SELECT id, code FROM zones ORDER BY code",
    # changes as JSON text on both backends: parsed a batch at a time (see _batch)
    "events": "SELECT id, zone_id, project_id, effective_on, date_basis, CAST(changes AS TEXT) FROM events ORDER BY effective_on, id",
    "obstacles": ("SELECT o.id, o.zone_id, o.project_id, o.category, o.description, o.opened_on, o.resolved_on, o.status, "
                  "o.agency_key, o.action_requested, o.deadline, (SELECT MAX(u.effective_on) FROM obstacle_updates u "
                  "WHERE u.obstacle_id = o.id) FROM obstacles o ORDER BY o.opened_on, o.id"),
    "agencies": "SELECT key, name_vi FROM agencies ORDER BY key",
    "tenant_events": ("SELECT e.id, t.certificate_no, e.effective_on, e.date_basis, CAST(e.changes AS TEXT) FROM tenant_events e "
                      "JOIN tenants t ON t.id = e.tenant_id ORDER BY e.effective_on, e.id"),
}


def _day(value: Any) -> dt.date | None:
    # SQLite hands dates back as ISO text, PostgreSQL as date objects.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _changes(value: Any) -> dict[str, Any]:
    # JSON is text on SQLite and already decoded by psycopg on PostgreSQL.
    if isinstance(value, (str, bytes)):
        return json.loads(value)
    return {sys.intern(key): item for key, item in (value or {}).items()}  # see _batch: one copy of each field name


def _batch(values: list[Any]) -> list[dict[str, Any]]:
    """The decoded ``changes`` of a batch of events. SQLite's JSON texts are parsed in one call, so the
    events share one copy of each field name (parsed one by one, every event held its own copies: a
    tenth of the memory of a national register's timelines, and a parser call per event)."""
    if values and all(isinstance(v, str) and v for v in values):
        return json.loads("[" + ",".join(values) + "]")
    return [_changes(v) for v in values]


def load_records(bind: Any, *, as_of: dt.date | None = None, history: bool = True) -> ProgressRecords:
    """Every record's whole timeline (``compute_progress`` applies ``as_of``); raises DatabaseError.

    With ``as_of`` on or after the last effective date, today's records (see the module's
    docstring): valid for computations on that day only; without ``history``, no record comes
    with its whole timeline, which only progress reads (its parts), not the alerts."""
    connection = bind if hasattr(bind, "exec_driver_sql") else bind.connection()
    with read_errors():
        if as_of is not None:
            last = _day(connection.exec_driver_sql("SELECT max(effective_on) FROM events").scalar())
            if last is None or as_of >= last:
                from kcn_tracker.progress_today import today_records

                return today_records(connection, history=history)
        # Each query's rows are read in turn and the events one by one, as they are turned into
        # records: the raw rows of a national register are never all held together.
        return _records(lambda name: connection.exec_driver_sql(QUERIES[name]).partitions(1000))


def _records(read: Any, single: Any = None) -> ProgressRecords:
    """The records from ``read(query name)``: the rows of each query of ``QUERIES`` in batches (fetchmany).
    ``single(kind, record id)``: the timeline of a record the events did not bring (today's records)."""
    rows = {name: [r for part in read(name) for r in part] for name in ("technologies", "targets", "projects", "zones", "agencies")}
    technologies = tuple(TechnologyRecord(r[0], r[1], r[2], r[3]) for r in rows["technologies"])
    targets = tuple(TargetRecord(r[0], r[1], r[2], r[3], _day(r[4]), _day(r[5]), r[6], r[7], r[8], r[9], r[10]) for r in rows["targets"])
    # Per kind ("zone", "project"), per record id: its events and obstacles.
    events: dict[str, dict[int, list[EventRecord]]] = {"zone": defaultdict(list), "project": defaultdict(list)}
    for part in read("events"):
        for (event_id, zone_id, project_id, effective_on, basis, _text), changes in zip(part, _batch([r[5] for r in part])):
            own = events["zone"][zone_id] if zone_id is not None else events["project"][project_id]
            own.append(EventRecord(_day(effective_on), changes, basis or "document", event_id))
    obstacles: dict[str, dict[int, list[ObstacleRecord]]] = {"zone": defaultdict(list), "project": defaultdict(list)}
    for (ob_id, zone_id, project_id, category, description, opened_on, resolved_on, status, agency, action, deadline,
         last_update) in (r for part in read("obstacles") for r in part):
        own_obstacles = obstacles["zone"][zone_id] if zone_id is not None else obstacles["project"][project_id]
        own_obstacles.append(ObstacleRecord(category, description, _day(opened_on), _day(resolved_on), ob_id,
                                            status or "new", agency, action, _day(deadline), _day(last_update)))

    def timelines(kind: str) -> tuple[RecordTimeline, ...]:
        own, blocked = events[kind], obstacles[kind]
        return tuple(RecordTimeline(code, tuple(own[record_id]) if record_id in own else single(kind, record_id) if single else (),
                                    tuple(blocked[record_id]) if record_id in blocked else ())
                     for record_id, code in rows[kind + "s"])

    return ProgressRecords(technologies, targets, timelines("project"), timelines("zone"),
                           tuple((r[0], r[1]) for r in rows["agencies"]), tenant_timelines(read("tenant_events")))


def tenant_timelines(parts: Any) -> tuple[RecordTimeline, ...]:
    """Tenant projects' timelines (code = certificate number) from batches of rows of ``QUERIES["tenant_events"]``."""
    by_tenant: dict[str, list[EventRecord]] = defaultdict(list)
    for part in parts:
        for (event_id, certificate_no, effective_on, basis, _text), changes in zip(part, _batch([r[4] for r in part])):
            by_tenant[certificate_no].append(EventRecord(_day(effective_on), changes, basis or "document", event_id))
    return tuple(RecordTimeline(code, tuple(events)) for code, events in by_tenant.items())


def load_tenant_timelines(bind: Any) -> tuple[RecordTimeline, ...]:
    """Every tenant project's timeline, in one SELECT (one zone's page needs no other record); raises DatabaseError."""
    connection = bind if hasattr(bind, "exec_driver_sql") else bind.connection()
    with read_errors():
        return tenant_timelines([connection.exec_driver_sql(QUERIES["tenant_events"]).all()])
