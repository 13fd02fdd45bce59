"""Status updates, obstacles, history and change lists: the write side of the register."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.errors import InvalidValue, Problem, ValidationFailed
from kcn_tracker.history import ChangeResult, Record, diff_states, lock_record, record_change, record_type_of
from kcn_tracker.models import Document, Obstacle, Project, Zone
from kcn_tracker.registry import MODELS, resolve
from kcn_tracker.stages import get_stage
from kcn_tracker.text import fold, nfc
from kcn_tracker.validation.records import validate_update
from kcn_tracker import clock

#: Test seam: hold the write lock this many seconds after reading (concurrency tests only).
HOLD_ENV = "KCN_TEST_HOLD_AFTER_READ_SECONDS"


@dataclass(frozen=True)
class DocumentRef:
    """A cited document as the user typed it: số hiệu and date (title, issuer optional)."""

    number: str
    issued_on: dt.date | None = None
    title: str | None = None
    issuer: str | None = None


def find_or_add_document(session: Session, ref: DocumentRef | None) -> Document | None:
    """The document with this number (and date, if given), added to the register if new."""
    if ref is None:
        return None
    number = nfc(ref.number)
    for doc in session.scalars(select(Document)):
        same_number = fold(doc.number or doc.doc_id) == fold(number)
        if same_number and (ref.issued_on is None or doc.issued_on in (None, ref.issued_on)):
            return doc
    doc = Document(doc_id=f"user:{number}:{ref.issued_on or ''}"[:80], number=number, issued_on=ref.issued_on,
                   title=ref.title, issuer=ref.issuer)
    session.add(doc)
    return doc


def parse_field_values(record_type: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Convert user input (strings, Vietnamese numbers and dates) to field values; every problem at once.

    Each field is checked by its declaration (``kcn_tracker.fields``) through
    ``kcn_tracker.validation``: type, range, size, allowed set, geometry. Table
    references and the record's timeline need the database: ``update_record`` checks them.
    """
    from kcn_tracker.validation.fields import parse_values

    values, problems = parse_values(record_type, raw)
    if problems:
        raise ValidationFailed(problems)
    return values


def implied_changes(record_type: str, current: Mapping[str, Any], values: dict[str, Any], effective_on: dt.date) -> dict[str, Any]:
    """Fill in what an update implies, so the user types less and the record stays coherent.

    Operating MW without a stage moves a project to partly operating / operating;
    the stage "operating" without MW means the whole capacity operates from that date.
    ``current`` is the record's state ON ``effective_on`` (CLI and importer alike); a
    stage given together with MW that it contradicts raises InvalidValue (never overridden).
    """
    if record_type != "project":
        return values
    out = dict(values)
    capacity = out.get("capacity_mw", current.get("capacity_mw"))
    stage = out.get("stage")
    if stage is not None and stage == current.get("stage"):
        stage = None  # the stage it already has (a pre-filled cell) is not a request: the MW figure may move it
    operating = out.get("capacity_operating_mw")
    if operating is not None and capacity and operating > 0:
        implied = "operating" if operating >= capacity else "partly_operating"
        implied_order = get_stage("project", implied).order or 0
        if stage is None:
            current_order = get_stage("project", current["stage"]).order if current.get("stage") else 0
            if current_order is not None and implied_order > (current_order or 0):
                out["stage"] = implied
        elif (get_stage("project", stage).order or implied_order) < implied_order:
            # Never override a stage the user asked for: say that the two facts disagree.
            raise InvalidValue(
                f"giai đoạn “{get_stage('project', stage).label_vi}” mâu thuẫn với {operating:g} MW đang vận hành "
                f"(nghĩa là “{get_stage('project', implied).label_vi}”) / the stage contradicts the operating MW")
    entering_operation = out.get("stage") == "operating" and current.get("stage") != "operating"
    if entering_operation and "capacity_operating_mw" not in out and capacity:
        out["capacity_operating_mw"] = capacity
    if entering_operation and "actual_cod" not in out and not current.get("actual_cod"):
        out["actual_cod"] = effective_on
    return out


@dataclass
class UpdatePreview:
    """An update's outcome: the field changes, and whether it was written.

    ``changes`` is what changes in the current state; ``event_changes`` what the event
    itself records, old value on its effective date -> new (they differ for a late,
    back-dated event, which previews must show too).
    """

    record_name: str
    record_code: str
    changes: list[Any]
    effective_on: dt.date
    late: bool
    written: bool
    event_id: int | None = None
    event_changes: list[Any] = field(default_factory=list)


def update_record(
    session: Session,
    record_type: str,
    name: str,
    raw_values: Mapping[str, Any],
    *,
    effective_on: dt.date | None = None,
    date_basis: str = "document",
    document: DocumentRef | None = None,
    note: str | None = None,
    by: str | None = None,
    origin: str = "cli",
    dry_run: bool = False,
    today: dt.date | None = None,
    historic: bool = False,
) -> UpdatePreview:
    """Record a change to one zone or project as a new event; with ``dry_run`` nothing is kept.

    The caller owns the transaction (``session_scope(write=True)``): a dry run or
    a failure is rolled back there, leaving the database untouched. Every input is
    checked first (``validation.validate_update``: every problem in one
    ``ValidationFailed``); ``historic`` allows effective dates before 2000.
    """
    found = resolve(session, record_type, name)
    record = lock_record(session, MODELS[record_type], found.id)
    hold = float(os.environ.get(HOLD_ENV, "0") or 0)
    if hold:
        time.sleep(hold)
    today = today or clock.today()
    day = effective_on or today
    values = validate_update(session, record_type, record, raw_values, effective_on=day, today=today, historic=historic,
                             note=note, by=by, document=document)
    result: ChangeResult = record_change(
        session, record, values, effective_on=day, date_basis=date_basis,
        document=find_or_add_document(session, document), note=note, by=by, origin=origin, today=today,
        historic=historic,
    )
    if not dry_run:
        session.flush()
    return UpdatePreview(record_name=record.name, record_code=record.code, changes=result.changes,
                         effective_on=day, late=result.late, written=not dry_run,
                         event_id=result.event.id if not dry_run else None, event_changes=result.event_changes)


def open_obstacle(session: Session, record_type: str, name: str, *, category: str, description: str,
                  opened_on: dt.date | None = None, document: DocumentRef | None = None, note: str | None = None,
                  by: str | None = None, today: dt.date | None = None, historic: bool = False,
                  agency: str | None = None, action: str | None = None, deadline: dt.date | None = None,
                  deadline_basis: str | None = None, status: str | None = None) -> Obstacle:
    """Open a vướng mắc on a record (several may be open at once); every input problem at once.

    The validation layer checks the input; ``obstacles.service`` writes the obstacle and the first
    entry of its history (agency, action requested, deadline, status).
    """
    from kcn_tracker.fields import MAX_TEXT
    from kcn_tracker.obstacles.service import open_obstacle as open_on_record
    from kcn_tracker.obstacles.service import parse_category
    from kcn_tracker.validation.dates import event_date_problems
    from kcn_tracker.validation.records import first_event_date, meta_problems
    from kcn_tracker.validation.texts import clean_text

    today = today or clock.today()
    opened_on = opened_on or today
    record = resolve(session, record_type, name)
    problems: list[Problem] = []
    key = None
    try:
        key = parse_category(category)
    except InvalidValue as exc:
        problems.append(Problem(exc.message, field="category"))
    text = None
    try:
        text = clean_text(description, label="mô tả / description (--description)", max_length=MAX_TEXT, multiline=True)
        if text is None:
            problems.append(Problem("mô tả / description (--description): không được để trống / must not be empty",
                                    field="description"))
    except InvalidValue as exc:
        problems.append(Problem(exc.message, field="description"))
    try:
        action = clean_text(action, label="việc đề nghị / action (--action)", max_length=MAX_TEXT, multiline=True) if action else None
    except InvalidValue as exc:
        problems.append(Problem(exc.message, field="action_requested"))
    problems += [Problem(m, field="opened_on") for m in event_date_problems(
        opened_on, label="ngày mở / opened on (--date)", today=today, historic=historic, first_event=first_event_date(record))]
    problems += meta_problems(note=note, by=by, document=document, today=today, historic=historic)
    if problems:
        raise ValidationFailed(problems)
    return open_on_record(session, record, category=key, description=text, opened_on=opened_on,
                          document=find_or_add_document(session, document), note=nfc(note) if note else None, by=by,
                          today=dt.date.max if historic else today, agency=agency, action=action, deadline=deadline,
                          deadline_basis=deadline_basis, status=status)


#: Obstacle numbers are INTEGER columns: anything outside cannot exist (and would overflow the driver).
MAX_ID = 2**31 - 1


def resolve_obstacle(session: Session, obstacle_id: int, *, resolved_on: dt.date | None = None,
                     document: DocumentRef | None = None, note: str | None = None, today: dt.date | None = None,
                     by: str | None = None, historic: bool = False, status: str = "resolved",
                     expected_version: int | None = None) -> Obstacle:
    """Mark an open obstacle resolved (or dropped) on a date, citing a document; a second closing is refused
    (the row is locked and re-read, and its version guards a write from a stale read)."""
    from kcn_tracker.obstacles.service import close_obstacle, lock_obstacle
    from kcn_tracker.validation.dates import event_date_problems
    from kcn_tracker.validation.records import meta_problems

    today = today or clock.today()
    lock_obstacle(session, obstacle_id, expected_version=expected_version)  # before any row is added
    day = resolved_on or today
    problems = [Problem(m, field="resolved_on") for m in event_date_problems(
        day, label="ngày giải quyết / resolved on (--date)", today=today, historic=historic)]
    problems += meta_problems(note=note, by=by, document=document, today=today, historic=historic)
    if problems:
        raise ValidationFailed(problems)
    return close_obstacle(session, obstacle_id, status=status, closed_on=day,
                          document=find_or_add_document(session, document), note=nfc(note) if note else None, by=by,
                          today=dt.date.max if historic else today, expected_version=expected_version)


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


def record_history(record: Record) -> list[HistoryEntry]:
    """The record's events (with what each changed at its point in time) and obstacles, in time order."""
    record_type = record_type_of(record)
    entries: list[HistoryEntry] = []
    state: dict[str, Any] = {}
    for event in sorted(record.events, key=lambda e: (e.effective_on, e.id)):
        before = dict(state)
        state.update(event.changes or {})
        confirmed = not (event.changes or {}) and str(event.origin or "").endswith("confirm")
        entries.append(HistoryEntry(
            effective_on=event.effective_on, kind="confirmed" if confirmed else "event", changes=diff_states(before, state),
            document=event.document.citation() if event.document else None, note=event.note,
            date_basis=event.date_basis, recorded_by=event.recorded_by, recorded_at=event.recorded_at))
    for ob in record.obstacles:
        entries.append(HistoryEntry(ob.opened_on, "obstacle_opened", document=ob.opened_document.citation() if ob.opened_document else None,
                                    note=ob.description, date_basis=ob.opened_basis, recorded_by=ob.recorded_by,
                                    recorded_at=ob.recorded_at, obstacle_id=ob.id, category=ob.category))
        closing = [u for u in ob.updates if (u.changes or {}).get("status") in ("resolved", "dropped")]
        for update in sorted(ob.updates, key=lambda u: (u.effective_on, u.id))[1:]:
            if update in closing:
                continue
            what = "; ".join(f"{k}: {v}" for k, v in (update.changes or {}).items())
            entries.append(HistoryEntry(update.effective_on, "obstacle_update",
                                        document=update.document.citation() if update.document else None,
                                        note="; ".join(x for x in (what, update.note) if x) or None,
                                        recorded_by=update.recorded_by, recorded_at=update.recorded_at,
                                        obstacle_id=ob.id, category=ob.category))
        if ob.resolved_on:
            entries.append(HistoryEntry(ob.resolved_on, "obstacle_dropped" if ob.status == "dropped" else "obstacle_resolved", document=ob.resolved_document.citation() if ob.resolved_document else None,
                                        note=ob.resolution_note or ob.description, obstacle_id=ob.id, category=ob.category))
    del record_type
    entries.sort(key=lambda e: (e.effective_on, 0 if e.kind in ("event", "confirmed") else 1))
    return entries


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


def changes_between(session: Session, start: dt.date, end: dt.date) -> list[ChangeItem]:
    """Everything that took effect after ``start`` and on or before ``end`` (a reporting period).

    A record created in the period (its first event falls in it) is listed once, as a
    new record (category "created", with the stage it was created in), not field by field.
    """
    if end < start:
        raise InvalidValue("--to phải sau --from / --to must not be before --from")
    items: list[ChangeItem] = []
    for record_type, model in (("zone", Zone), ("project", Project)):
        for record in session.scalars(select(model)):
            state: dict[str, Any] = {}
            for index, event in enumerate(sorted(record.events, key=lambda e: (e.effective_on, e.id))):
                before = dict(state)
                state.update(event.changes or {})
                if not (start < event.effective_on <= end):
                    continue
                doc = event.document.citation() if event.document else None
                if index == 0:
                    items.append(ChangeItem(event.effective_on, record_type, record.code, record.name, "created", "stage",
                                            None, state.get("stage"), doc, event.note))
                    continue
                for change in diff_states(before, state):
                    items.append(ChangeItem(event.effective_on, record_type, record.code, record.name,
                                            _classify(change), change.field, change.old, change.new, doc, event.note))
            for ob in record.obstacles:
                if start < ob.opened_on <= end:
                    items.append(ChangeItem(ob.opened_on, record_type, record.code, record.name, "obstacle_opened", ob.category,
                                            None, ob.description, ob.opened_document.citation() if ob.opened_document else None, ob.note))
                if ob.resolved_on and start < ob.resolved_on <= end:
                    items.append(ChangeItem(ob.resolved_on, record_type, record.code, record.name, "obstacle_resolved", ob.category,
                                            ob.description, None, ob.resolved_document.citation() if ob.resolved_document else None, ob.resolution_note))
    items.sort(key=lambda i: (i.effective_on, i.record_type, i.name))
    return items


def _classify(change: Any) -> str:
    if change.field == "stage":
        return "stage"
    if change.field == "capacity_operating_mw":
        return "mw_online"
    if change.field in _OCCUPANCY:
        return "occupancy"
    return "other"


def check_all(session: Session) -> list[Problem]:
    """Every record's timeline re-validated (used by tests and `kcn db check`)."""
    from kcn_tracker.history import timeline_problems

    problems = []
    for record_type, model in MODELS.items():
        for record in session.scalars(select(model)):
            problems.extend(timeline_problems(record_type, record.events, label=record.name))
    return problems
