"""Read the event log as people ask for it: one record's history, and what changed in a period.

Plain SQL (see ``state``), no ORM objects: ``kcn history`` and ``kcn changes`` are quick
commands. Each event's field changes are found by folding the record's events in
(effective date, id) order, the same fold as every other read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from kcn_tracker.errors import InvalidValue
from kcn_tracker.state import (FOREIGN_KEYS, TABLES, FieldChange, changes_value, changes_values, citation, day_value, diff_states,
                               moment_value, run)

_DOC = "{a}.number, {a}.title, {a}.doc_id, {a}.issued_on"
_EVENT_SELECT = (f"SELECT e.{{fk}}, e.effective_on, e.date_basis, e.changes, e.note, e.recorded_by, e.recorded_at, "
                 f"{_DOC.format(a='d')} FROM events e LEFT JOIN documents d ON d.id = e.document_id")
_OBSTACLE_SELECT = (f"SELECT o.{{fk}}, o.id, o.category, o.description, o.opened_on, o.opened_basis, o.recorded_by, "
                    f"o.recorded_at, o.resolved_on, o.resolution_note, o.note, {_DOC.format(a='od')}, {_DOC.format(a='rd')} "
                    "FROM obstacles o LEFT JOIN documents od ON od.id = o.opened_document_id "
                    "LEFT JOIN documents rd ON rd.id = o.resolved_document_id")
_UPDATE_SELECT = (f"SELECT u.obstacle_id, u.effective_on, u.changes, u.note, u.recorded_by, u.recorded_at, "
                  f"{_DOC.format(a='d')} FROM obstacle_updates u JOIN obstacles o ON o.id = u.obstacle_id "
                  "LEFT JOIN documents d ON d.id = u.document_id")


@dataclass
class HistoryEntry:
    """One line of a record's history: an event's field changes, or an obstacle opened/resolved."""

    effective_on: dt.date
    kind: str  # "event", "confirmed", "obstacle_opened", "obstacle_update", "obstacle_resolved", "obstacle_dropped"
    changes: list[Any] = field(default_factory=list)
    document: str | None = None
    note: str | None = None
    date_basis: str = "document"
    recorded_by: str | None = None
    recorded_at: dt.datetime | None = None
    obstacle_id: int | None = None
    category: str | None = None


@dataclass
class ChangeItem:
    """One change in a period, classified for the quarterly report."""

    effective_on: dt.date
    record_type: str
    code: str
    name: str
    category: str  # created, stage, mw_online, occupancy, obstacle_opened, obstacle_resolved, other
    field: str | None
    old: Any
    new: Any
    document: str | None
    note: str | None


_OCCUPANCY = {"leasable_ha", "leased_ha", "tenants_registered", "tenants_operating"}


def history_entries(bind: Any, record_type: str, record_id: int) -> list[HistoryEntry]:
    """The record's events (with what each changed at its point in time) and obstacles, in time order.

    A "confirmed unchanged" event (no changes, origin ending in "confirm", see ``confirmation``)
    is a "confirmed" entry; an obstacle's later steps (``obstacle_updates`` after its first,
    except the one closing it) are "obstacle_update" entries; a dropped obstacle closes with
    "obstacle_dropped" instead of "obstacle_resolved".
    """
    fk = FOREIGN_KEYS[record_type]
    entries: list[HistoryEntry] = []
    state: dict[str, Any] = {}
    for _rid, on, basis, raw, note, by, at, *doc, origin in run(
            bind, _EVENT_SELECT.format(fk=fk).replace(" FROM events e", ", e.origin FROM events e")
            + f" WHERE e.{fk} = ? ORDER BY e.effective_on, e.id", record_id):
        changes = changes_value(raw)
        before = dict(state)
        state.update(changes)
        confirmed = not changes and str(origin or "").endswith("confirm")
        entries.append(HistoryEntry(effective_on=day_value(on), kind="confirmed" if confirmed else "event",  # type: ignore[arg-type]
                                    changes=diff_states(before, state), document=citation(*doc), note=note,
                                    date_basis=basis, recorded_by=by, recorded_at=moment_value(at)))
    updates = {ob_id: list(rows) for ob_id, rows in groupby(run(
        bind, _UPDATE_SELECT + f" WHERE o.{fk} = ? ORDER BY u.obstacle_id, u.effective_on, u.id", record_id),
        key=lambda r: r[0])}
    for row in run(bind, _OBSTACLE_SELECT.format(fk=fk).replace(" FROM obstacles o", ", o.status FROM obstacles o")
                   + f" WHERE o.{fk} = ? ORDER BY o.id", record_id):
        _rid, ob_id, category, description, opened_on, opened_basis, by, at, resolved_on, resolution, _note = row[:11]
        entries.append(HistoryEntry(day_value(opened_on), "obstacle_opened", document=citation(*row[11:15]),  # type: ignore[arg-type]
                                    note=description, date_basis=opened_basis, recorded_by=by,
                                    recorded_at=moment_value(at), obstacle_id=ob_id, category=category))
        for _ob, on, raw, note, by, at, *doc in updates.get(ob_id, [])[1:]:
            changes = changes_value(raw)
            if changes.get("status") in ("resolved", "dropped"):
                continue  # the closing step is the obstacle_resolved/obstacle_dropped entry below
            what = "; ".join(f"{k}: {v}" for k, v in changes.items())
            entries.append(HistoryEntry(day_value(on), "obstacle_update", document=citation(*doc),  # type: ignore[arg-type]
                                        note="; ".join(x for x in (what, note) if x) or None, recorded_by=by,
                                        recorded_at=moment_value(at), obstacle_id=ob_id, category=category))
        if resolved_on:
            kind = "obstacle_dropped" if row[19] == "dropped" else "obstacle_resolved"
            entries.append(HistoryEntry(day_value(resolved_on), kind, document=citation(*row[15:19]),  # type: ignore[arg-type]
                                        note=resolution or description, obstacle_id=ob_id, category=category))
    entries.sort(key=lambda e: (e.effective_on, 0 if e.kind in ("event", "confirmed") else 1))
    return entries


def news_dates(bind: Any, record_type: str, record_id: int) -> tuple[list[dt.date | None], str | None]:
    """What ``confirmation.record_news`` reads from a record, without ORM objects: the dates of its
    events and of its obstacles' steps (opened, resolved, updates), and its current stage."""
    fk, table = FOREIGN_KEYS[record_type], TABLES[record_type]
    rows = run(bind, f"SELECT effective_on, NULL FROM events WHERE {fk} = ? "
               f"UNION ALL SELECT opened_on, resolved_on FROM obstacles WHERE {fk} = ? "
               f"UNION ALL SELECT u.effective_on, NULL FROM obstacle_updates u JOIN obstacles o ON o.id = u.obstacle_id "
               f"WHERE o.{fk} = ?", record_id, record_id, record_id)
    dates = [day_value(d) for row in rows for d in row]
    stage = run(bind, f"SELECT stage FROM {table} WHERE id = ?", record_id)
    return dates, stage[0][0] if stage else None


def changes_between(bind: Any, start: dt.date, end: dt.date) -> list[ChangeItem]:
    """Everything that took effect after ``start`` and on or before ``end`` (a reporting period).

    A record created in the period (its first event falls in it) is listed once, as a
    new record (category "created", with the stage it was created in), not field by
    field. Events after ``end`` are never read; each record's earlier events are folded
    to know the value before each change.
    """
    if end < start:
        raise InvalidValue("--to phải sau --from / --to must not be before --from")
    items: list[ChangeItem] = []
    for record_type, table in TABLES.items():
        fk = FOREIGN_KEYS[record_type]
        # Only records with an event in the period, each with all its events up to the end (to fold them);
        # the changes as text, decoded together (``changes_values``).
        rows = run(bind, f"SELECT e.{fk}, e.effective_on, CAST(e.changes AS TEXT), e.note, {_DOC.format(a='d')}, r.code, r.name "
                   f"FROM events e JOIN {table} r ON r.id = e.{fk} LEFT JOIN documents d ON d.id = e.document_id "
                   f"WHERE e.{fk} IN (SELECT {fk} FROM events WHERE {fk} IS NOT NULL AND effective_on > ? AND effective_on <= ?) "
                   f"AND e.effective_on <= ? ORDER BY e.{fk}, e.effective_on, e.id", start, end, end)
        days: dict[Any, dt.date] = {}  # each distinct date parsed once
        citations: dict[tuple[Any, ...], str | None] = {}  # and each document cited once
        for _record_id, events in groupby(zip(rows, changes_values([r[2] for r in rows])), key=lambda r: r[0][0]):
            state: dict[str, Any] = {}
            first = True
            for row, changes in events:
                on = row[1]
                day = days.get(on) or days.setdefault(on, day_value(on))  # type: ignore[arg-type]
                if day <= start or day > end:
                    state.update(changes)  # before the period: only folded
                    first = False
                    continue
                doc = tuple(row[4:8])
                document = citations[doc] if doc in citations else citations.setdefault(doc, citation(*doc))
                code, name, note = row[8], row[9], row[3]
                if first:
                    state.update(changes)
                    items.append(ChangeItem(day, record_type, code, name, "created", "stage", None,  # type: ignore[arg-type]
                                            state.get("stage"), document, note))
                    first = False
                    continue
                for change in _apply(state, changes):
                    items.append(ChangeItem(day, record_type, code, name, _classify(change.field), change.field,  # type: ignore[arg-type]
                                            change.old, change.new, document, note))
        for row in run(bind, _OBSTACLE_SELECT.format(fk=fk).replace(" FROM obstacles o", ", r.code, r.name FROM obstacles o")
                       + f" JOIN {table} r ON r.id = o.{fk} WHERE "
                       "((o.opened_on > ? AND o.opened_on <= ?) OR (o.resolved_on > ? AND o.resolved_on <= ?)) ORDER BY o.id",
                       start, end, start, end):
            _record_id, _id, category, description, opened_on, _basis, _by, _at, resolved_on, resolution, note = row[:11]
            code, name = row[19], row[20]
            opened, resolved = day_value(opened_on), day_value(resolved_on)
            if start < opened <= end:  # type: ignore[operator]
                items.append(ChangeItem(opened, record_type, code, name, "obstacle_opened", category,  # type: ignore[arg-type]
                                        None, description, citation(*row[11:15]), note))
            if resolved and start < resolved <= end:
                items.append(ChangeItem(resolved, record_type, code, name, "obstacle_resolved", category,
                                        description, None, citation(*row[15:19]), resolution))
    items.sort(key=lambda i: (i.effective_on, i.record_type, i.name))
    return items


def _apply(state: dict[str, Any], changes: dict[str, Any]) -> list[FieldChange]:
    """``state.update(changes)``, returning what ``diff_states(before, state)`` would: the fields whose value
    changed, in the state's field order (without copying the state: ``kcn changes`` folds every event)."""
    old = [(name, state.get(name)) for name in changes]
    state.update(changes)
    changed = [FieldChange(name, value, state[name]) for name, value in old if value != state[name]]
    if len(changed) > 1:
        position = {name: index for index, name in enumerate(state)}
        changed.sort(key=lambda change: position[change.field])
    return changed


def _classify(name: str) -> str:
    if name == "stage":
        return "stage"
    if name == "capacity_operating_mw":
        return "mw_online"
    if name in _OCCUPANCY:
        return "occupancy"
    return "other"


def last_changes(bind: Any, record_type: str, day: dt.date) -> dict[int, dict[str, Any]]:
    """Per record id: the date, date basis, document citation and note of its last event on or before ``day``.

    One query: each record's events ranked from the latest (effective date, then id: the
    timeline's order) and only the first of each, with its document, come back (the map reads
    this for every record: at 10,000 projects 10,052 rows instead of 25,053). No ORM objects.
    """
    fk = FOREIGN_KEYS[record_type]
    ranked = (f"SELECT e.{fk}, e.effective_on, e.date_basis, e.note, e.recorded_by, e.recorded_at, e.document_id, "
              f"ROW_NUMBER() OVER (PARTITION BY e.{fk} ORDER BY e.effective_on DESC, e.id DESC) AS latest "
              f"FROM events e WHERE e.{fk} IS NOT NULL AND e.effective_on <= ?")
    sql = (_EVENT_SELECT.replace("e.changes", "NULL").format(fk=fk).replace("FROM events e", f"FROM ({ranked}) e")
           + " WHERE e.latest = 1")
    return {record_id: {"on": day_value(on), "basis": basis, "document": citation(*doc), "note": note}
            for record_id, on, basis, _changes, note, _by, _at, *doc in run(bind, sql, day)}
