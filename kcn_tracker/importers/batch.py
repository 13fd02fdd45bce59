"""Apply an import's planned rows as one batch: checked row by row in memory, written in one statement per table.

Each row goes through the same validation as a single update (``validation.validate_update``)
and the same computation of its event (``history.plan_change``) on its record's timeline
as loaded once for the file (``timelines``; locked on PostgreSQL), with the file's earlier
rows for that record already in it. Only the affected timelines are checked. Then, if no
row has a problem and it is not a dry run: the new documents in one INSERT, the events in
one INSERT, and the current-state columns of the changed records in one UPDATE per set of
changed columns (each record's columns become the fold of its events, its version moves
once per row that changed them, exactly as row-by-row updates would leave it).
New obstacles (rare) go through ``workflow.open_obstacle`` afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from kcn_tracker import clock
from kcn_tracker.errors import KcnError, Problem, ValidationFailed
from kcn_tracker.fields import DOCUMENT_NUMBER_MAX
from kcn_tracker.history import current_user, plan_change, replay
from kcn_tracker.importers.tabular import ProgressFn, RowPlan, RowResult
from kcn_tracker.state import FOREIGN_KEYS, column_changes, day_value, diff_states, run
from kcn_tracker.text import fold, nfc
from kcn_tracker.timelines import Timeline, TimelineEvent, load_timelines
from kcn_tracker.validation.records import validate_update
from kcn_tracker.workflow import DocumentRef, is_cited, new_document_row

#: Events planned in the batch sort after every stored one of the same day, in file order (as their ids will),
#: and before the one being checked (``history.replay`` puts an event without id at 10**18).
_PLANNED_ID = 10**17


class DocumentBatch:
    """The documents table read once, by folded number; documents a file cites for the first time are
    collected and inserted together (the same rule as ``workflow.find_or_add_document``)."""

    def __init__(self, session: Session) -> None:
        self.by_number: dict[str, list[tuple[tuple[str, int], dt.date | None]]] = {}
        for doc_id, key, number, issued_on in run(session, "SELECT id, doc_id, number, issued_on FROM documents ORDER BY id"):
            self.by_number.setdefault(fold(number or key), []).append((("id", doc_id), day_value(issued_on)))
        self.new: list[dict[str, Any]] = []

    def cite(self, ref: DocumentRef) -> tuple[str, int]:
        """("id", id) of the registered document ``ref`` cites, or ("new", n) of one to insert."""
        cited = self.by_number.setdefault(fold(nfc(ref.number)), [])
        for key, issued_on in cited:
            if is_cited(ref, issued_on):
                return key
        key = ("new", len(self.new))
        self.new.append(new_document_row(ref))
        cited.append((key, ref.issued_on))
        return key

    def insert(self, session: Session) -> dict[tuple[str, int], int]:
        """Insert the new documents (one statement); the id of every key handed out."""
        from sqlalchemy import insert

        from kcn_tracker.models import Document

        if not self.new:
            return {}
        # One executemany, then the new rows' ids by their unique doc_id (RETURNING with the rows'
        # order would make SQLAlchemy insert them one by one on SQLite). Every id handed out from
        # now on is above the largest one committed so far, so only those rows are read back.
        last = run(session, "SELECT max(id) FROM documents")[0][0] or 0
        session.connection().execute(insert(Document.__table__), self.new)
        added = {key: doc_id for doc_id, key in run(session, "SELECT id, doc_id FROM documents WHERE id > ?", last)}
        return {("new", n): added[row["doc_id"]] for n, row in enumerate(self.new)}


@dataclass
class _Touched:
    """A record the batch changes: its folded state before and as it becomes, how many rows changed its columns."""

    record_type: str
    timeline: Timeline
    start: dict[str, Any]
    state: dict[str, Any]
    bumps: int = 0


def _lock(session: Session, plans: list[RowPlan], timelines: dict[str, dict[int, Timeline]]) -> None:
    """On PostgreSQL, lock the records the rows change and read their timelines again under the lock."""
    from kcn_tracker.state import connection_of

    if connection_of(session).dialect.name != "postgresql":
        return  # SQLite: the write transaction holds the database lock since it began (BEGIN IMMEDIATE)
    for record_type, book in timelines.items():
        ids = {p.record_id for p in plans if p.record_type == record_type and p.values}
        book.update(load_timelines(session, record_type, ids=ids, lock=True))


def apply_plans(session: Session, plans: list[RowPlan], timelines: dict[str, dict[int, Timeline]], *, file: str,
                effective_on: dt.date | None, date_basis: str, document: Any, by: str | None, dry_run: bool,
                today: dt.date | None, progress: ProgressFn | None = None,
                historic: bool = False) -> tuple[list[RowResult], list[Problem]]:
    """Check every planned row on its record's timeline, then write the batch; (results, problems).

    Nothing is written when a row has a problem (the caller raises and rolls back) or with ``dry_run``.
    """
    today = today or clock.today()
    _lock(session, plans, timelines)
    results: list[RowResult] = []
    problems: list[Problem] = []
    file_doc = document or DocumentRef(number=file[:DOCUMENT_NUMBER_MAX], title=f"Tệp nhập dữ liệu / imported file {file}")
    documents = DocumentBatch(session)
    events: list[dict[str, Any]] = []
    touched: dict[tuple[str, int], _Touched] = {}
    obstacles: list[tuple[RowPlan, DocumentRef, RowResult]] = []
    for done, plan in enumerate(plans, start=1):
        meta = plan.meta
        doc = DocumentRef(meta["document"], meta.get("document_date")) if meta.get("document") else file_doc
        result = RowResult(plan.sheet, plan.row, plan.record_type, plan.code, plan.name, [])
        try:
            if plan.values:
                _plan_event(session, plan, doc, result, timelines[plan.record_type][plan.record_id], touched, events,
                            documents, effective_on=meta.get("effective_on") or effective_on or today,
                            date_basis=meta.get("date_basis") or date_basis, today=today, historic=historic, by=by)
            if meta.get("obstacle_category"):
                obstacles.append((plan, doc, result))
            results.append(result)
        except ValidationFailed as exc:
            problems.extend(Problem(p.message, field=p.field, file=file, sheet=plan.sheet, row=plan.row) for p in exc.problems)
        except KcnError as exc:
            problems.append(Problem(exc.message, file=file, sheet=plan.sheet, row=plan.row))
        if progress:
            progress(done, len(plans))
    if not problems and not dry_run:
        _write(session, events, touched, documents, origin=f"import:{file}"[:300], by=by)
    if obstacles:
        # A dry run checks the new obstacles as a real import does, inside a savepoint it then rolls back.
        savepoint = session.begin_nested() if dry_run else None
        problems += _open_obstacles(session, obstacles, file=file, effective_on=effective_on, by=by, today=today, historic=historic)
        if savepoint is not None:
            savepoint.rollback()
    return results, problems


def _plan_event(session: Session, plan: RowPlan, doc: DocumentRef, result: RowResult, timeline: Timeline,
                touched: dict[tuple[str, int], _Touched], events: list[dict[str, Any]], documents: DocumentBatch, *,
                effective_on: dt.date, date_basis: str, today: dt.date, historic: bool, by: str | None) -> None:
    """Validate one row's change on the timeline and queue its event (``workflow.update_record`` in memory)."""
    record_type, note = plan.record_type, plan.meta.get("update_note")
    values = validate_update(session, record_type, timeline, plan.values, effective_on=effective_on, today=today,
                             historic=historic, note=note, by=by, document=doc)
    planned = plan_change(record_type, timeline.events, values, effective_on=effective_on, date_basis=date_basis, note=note,
                          label=f"{timeline.name or values.get('name')}", today=today, historic=historic, rules_checked=True)
    if planned.problems:
        raise ValidationFailed(planned.problems)
    key = (record_type, timeline.id)
    if key not in touched:
        touched[key] = _Touched(record_type, timeline, replay(timeline.events), {})
    entry = touched[key]
    # A version per row that changes the columns, as one update each would (the code is never rewritten).
    entry.bumps += bool(column_changes(record_type, (c for c in planned.changes if c.field != "code")))
    entry.state = planned.after
    timeline.events.append(TimelineEvent(_PLANNED_ID + len(events), effective_on, planned.json_changes, note))
    events.append({FOREIGN_KEYS[record_type]: timeline.id, "effective_on": effective_on, "date_basis": date_basis,
                   "changes": planned.json_changes, "document": documents.cite(doc), "note": note})
    result.changes, result.current_changes = planned.event_changes, planned.changes
    result.effective_on, result.late = effective_on, planned.late


def _write(session: Session, events: list[dict[str, Any]], touched: dict[tuple[str, int], _Touched],
           documents: DocumentBatch, *, origin: str, by: str | None) -> None:
    """The batch's documents, events and current-state columns: one INSERT or UPDATE each (per column set)."""
    from kcn_tracker.models import Event
    from kcn_tracker.registry import MODELS

    if not events:
        return
    session.flush()  # nothing of the caller's may be pending: ORM objects are expired after the Core writes
    ids = documents.insert(session)
    stamp, author = clock.now(), current_user(by)
    rows = []
    for event in events:
        kind, number = event.pop("document")
        rows.append({"zone_id": None, "project_id": None, **event, "document_id": number if kind == "id" else ids[(kind, number)],
                     "recorded_by": author, "recorded_at": stamp, "origin": origin})
    connection = session.connection()
    connection.execute(Event.__table__.insert(), rows)
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    for entry in touched.values():
        new = column_changes(entry.record_type, (c for c in diff_states(entry.start, entry.state) if c.field != "code"))
        if "name" in new:
            new["name_key"] = fold(new["name"] or "")
        changed = sorted(new)
        values = {f"v_{k}": v for k, v in new.items()}
        if entry.bumps:
            groups.setdefault((entry.record_type, tuple(changed)), []).append({"b_id": entry.timeline.id, "b_bump": entry.bumps, **values})
    for (record_type, columns), params in groups.items():
        table = MODELS[record_type].__table__
        stmt = (table.update().where(table.c.id == bindparam("b_id"))
                .values({**{name: bindparam(f"v_{name}", type_=table.c[name].type) for name in columns},
                         "version": table.c.version + bindparam("b_bump")}))
        connection.execute(stmt, params)
    session.expire_all()  # a record the caller holds is read again, with its new columns and version


def _open_obstacles(session: Session, obstacles: list[tuple[RowPlan, DocumentRef, RowResult]], *, file: str,
                    effective_on: dt.date | None, by: str | None, today: dt.date, historic: bool) -> list[Problem]:
    """The rows' new obstacles, one by one (``workflow.open_obstacle``); the problems found."""
    from kcn_tracker.workflow import open_obstacle

    problems: list[Problem] = []
    for plan, doc, result in obstacles:
        meta = plan.meta
        try:
            open_obstacle(session, plan.record_type, plan.code, category=meta["obstacle_category"],
                          description=meta["obstacle_description"], opened_on=meta.get("effective_on") or effective_on,
                          document=doc, note=meta.get("update_note"), by=by, today=today, historic=historic)
            result.obstacle = f"[{meta['obstacle_category']}] {meta['obstacle_description']}"
        except ValidationFailed as exc:
            problems.extend(Problem(p.message, field=p.field, file=file, sheet=plan.sheet, row=plan.row) for p in exc.problems)
        except KcnError as exc:
            problems.append(Problem(exc.message, file=file, sheet=plan.sheet, row=plan.row))
    return problems
