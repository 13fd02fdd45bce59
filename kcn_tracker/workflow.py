"""Status updates, obstacles, history and change lists: the write side of the register."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.errors import InvalidValue, Problem, ValidationFailed
from kcn_tracker.journal import ChangeItem, HistoryEntry, history_entries
from kcn_tracker.journal import changes_between as journal_changes
from kcn_tracker.history import ChangeResult, Record, lock_record, record_change, record_type_of
from kcn_tracker.models import Document, Obstacle
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


#: ``Session.info`` key of the documents index that ``documents_indexed`` keeps for one block of work.
_DOCUMENTS = "kcn_documents_by_number"


@contextmanager
def documents_indexed(session: Session) -> Iterator[None]:
    """Within the block, ``find_or_add_document`` reads the documents table once, not once per call.

    For imports: 10,000 rows each citing its own document read the table 10,000 times
    (quadratic) without it. Documents added in the block join the index.
    """
    session.info[_DOCUMENTS] = None  # built on first use
    try:
        yield
    finally:
        session.info.pop(_DOCUMENTS, None)


def _documents_numbered(session: Session, number: str) -> list[Document]:
    """Documents whose folded number (or id) is ``number``'s, oldest first."""
    if _DOCUMENTS not in session.info:
        return [d for d in session.scalars(select(Document).order_by(Document.id)) if fold(d.number or d.doc_id) == fold(number)]
    index = session.info[_DOCUMENTS]
    if index is None:
        index = session.info[_DOCUMENTS] = {}
        for doc in session.scalars(select(Document).order_by(Document.id)):
            index.setdefault(fold(doc.number or doc.doc_id), []).append(doc)
    return index.get(fold(number), [])


def is_cited(ref: DocumentRef, issued_on: dt.date | None) -> bool:
    """Whether a registered document of ``ref``'s number and this date is the one ``ref`` cites
    (a date missing on either side does not tell them apart)."""
    return ref.issued_on is None or issued_on in (None, ref.issued_on)


def new_document_row(ref: DocumentRef) -> dict[str, Any]:
    """The columns of the document added to the register for ``ref`` when none is cited yet."""
    number = nfc(ref.number)
    return {"doc_id": f"user:{number}:{ref.issued_on or ''}"[:80], "number": number, "issued_on": ref.issued_on,
            "title": ref.title, "issuer": ref.issuer}


def find_or_add_document(session: Session, ref: DocumentRef | None) -> Document | None:
    """The document with this number (and date, if given), added to the register if new."""
    if ref is None:
        return None
    number = nfc(ref.number)
    for doc in _documents_numbered(session, number):
        if is_cited(ref, doc.issued_on):
            return doc
    doc = Document(**new_document_row(ref))
    session.add(doc)
    if session.info.get(_DOCUMENTS) is not None:
        session.info[_DOCUMENTS].setdefault(fold(number), []).append(doc)
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


def record_history(record: Record) -> list[HistoryEntry]:
    """The record's events (with what each changed at its point in time) and obstacles, in time order."""
    from sqlalchemy.orm import object_session

    return history_entries(object_session(record), record_type_of(record), record.id)


def changes_between(session: Session, start: dt.date, end: dt.date) -> list[ChangeItem]:
    """Everything that took effect after ``start`` and on or before ``end`` (see ``journal.changes_between``)."""
    return journal_changes(session, start, end)


def check_all(session: Session) -> list[Problem]:
    """Every record's timeline re-validated (used by tests and `kcn db check`)."""
    from kcn_tracker.history import timeline_problems

    problems = []
    for record_type, model in MODELS.items():
        for record in session.scalars(select(model)):
            problems.extend(timeline_problems(record_type, record.events, label=record.name))
    return problems
