"""Obstacles on a database session: open, update, close (locked and versioned), list, history, agencies.

Every change is an ``ObstacleUpdate`` (dated, cited, append-only); the obstacle's
current columns are the replay of its updates, as a record's are of its events.
Functions never commit: the caller's ``session_scope`` does, or rolls back.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from kcn_tracker import clock
from kcn_tracker.errors import ConcurrentUpdate, InvalidValue, UnknownRecord
from kcn_tracker.fields import DATE_BASES, OBSTACLE_CATEGORIES
from kcn_tracker.history import current_user
from kcn_tracker.models import Agency, Obstacle, ObstacleUpdate
from kcn_tracker.obstacles.statuses import CLOSED, STATUSES, parse_status, status_label
from kcn_tracker.obstacles.work import assess
from kcn_tracker.text import fold, nfc

#: Test seam shared with record updates: hold the lock this many seconds after reading.
HOLD_ENV = "KCN_TEST_HOLD_AFTER_READ_SECONDS"
#: The fields an update may change, replayed in date order into the obstacle's columns.
TRACKED = ("status", "agency_key", "action_requested", "deadline", "deadline_basis")


class ObstacleClosed(InvalidValue):
    """The obstacle is already resolved or dropped: a second closing or a late change is refused."""


def list_agencies(session: Session) -> list[dict[str, Any]]:
    """The agency table as plain rows, by key."""
    return [{"key": a.key, "name_vi": a.name_vi, "name_en": a.name_en, "note": a.note}
            for a in session.scalars(select(Agency).order_by(Agency.key))]


def add_agency(session: Session, key: str, name_vi: str, *, name_en: str | None = None, note: str | None = None) -> Agency:
    """Add an agency to the list the office keeps (the key is what people type)."""
    key = "-".join(fold(key).split())
    if not key or len(key) > 40 or not nfc(name_vi):
        raise InvalidValue("cơ quan/agency: cần mã (≤ 40 ký tự) và tên tiếng Việt / needs a key (≤ 40 chars) and a Vietnamese name")
    if session.get(Agency, key) is not None:
        raise InvalidValue(f"cơ quan/agency “{key}” đã có / already exists")
    agency = Agency(key=key, name_vi=nfc(name_vi)[:200], name_en=(nfc(name_en)[:200] if name_en else None), note=note)
    session.add(agency)
    session.flush()
    return agency


def parse_agency(session: Session, text: str) -> str:
    """An agency key from its key or (part of) its name, accents optional; one match only."""
    wanted = fold(text)
    agencies = list(session.scalars(select(Agency)))
    exact = [a for a in agencies if text.strip().lower() == a.key or wanted in (fold(a.key), fold(a.name_vi), fold(a.name_en or ""))]
    partial = [a for a in agencies if wanted and (wanted in fold(a.name_vi) or wanted in fold(a.key))]
    for found in (exact, partial):
        if len(found) == 1:
            return found[0].key
    choices = "; ".join(f"{a.key} ({a.name_vi})" for a in sorted(agencies, key=lambda a: a.key))
    raise InvalidValue(f"cơ quan/agency: “{text}” không rõ; chọn / choose: {choices} (thêm bằng `kcn obstacle agency add`)")


def parse_category(text: str) -> str:
    """An obstacle category key from its key or Vietnamese/English label, accents optional."""
    wanted = fold(text)
    for key, (vi, en) in OBSTACLE_CATEGORIES.items():
        if wanted in (key, fold(vi), fold(en)):
            return key
    raise InvalidValue(f"loại vướng mắc/category: “{text}” không hợp lệ; chọn / choose: {', '.join(OBSTACLE_CATEGORIES)}")


def _check_day(day: dt.date, today: dt.date, *, label: str, not_before: dt.date | None = None) -> None:
    if day > today:
        raise InvalidValue(f"{label}: {day:%d/%m/%Y} ở tương lai / is in the future")
    if not_before is not None and day < not_before:
        raise InvalidValue(f"{label}: {day:%d/%m/%Y} trước ngày mở vướng mắc {not_before:%d/%m/%Y} / before it was opened")


def _check_texts(*, action: str | None, note: str | None, by: str | None, document: Any, today: dt.date) -> None:
    """The validation layer's checks of free text (length, control characters), every problem at once."""
    from kcn_tracker.errors import Problem, ValidationFailed
    from kcn_tracker.fields import MAX_TEXT
    from kcn_tracker.validation.records import meta_problems
    from kcn_tracker.validation.texts import clean_text

    problems = meta_problems(note=note, by=by, document=document, today=today)
    try:
        clean_text(action, label="việc đề nghị / action (--action)", max_length=MAX_TEXT, multiline=True)
    except InvalidValue as exc:
        problems.append(Problem(exc.message, field="action_requested"))
    if problems:
        raise ValidationFailed(problems)


def _apply(obstacle: Obstacle, updates: list[ObstacleUpdate]) -> None:
    """Replay the updates (date order, then id) into the obstacle's columns."""
    state: dict[str, Any] = {"status": "new"}
    for update in sorted(updates, key=lambda u: (u.effective_on, u.id or 10**18)):
        state.update({k: v for k, v in (update.changes or {}).items() if k in TRACKED})
    obstacle.status = state["status"]
    obstacle.agency_key = state.get("agency_key")
    obstacle.action_requested = state.get("action_requested")
    deadline = state.get("deadline")
    obstacle.deadline = dt.date.fromisoformat(deadline) if isinstance(deadline, str) else deadline
    obstacle.deadline_basis = state.get("deadline_basis")
    if obstacle.id is not None:
        # Every step, even news that changes no column, bumps the version: a write read before it is stale.
        flag_modified(obstacle, "status")


def _changes(session: Session, *, status: str | None, agency: str | None, action: str | None,
             deadline: dt.date | None, deadline_basis: str | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if status is not None:
        changes["status"] = parse_status(status)
    if agency is not None:
        changes["agency_key"] = parse_agency(session, agency) if agency.strip() else None
    if action is not None:
        changes["action_requested"] = nfc(action) or None
    if deadline is not None:
        changes["deadline"] = deadline.isoformat()
        changes["deadline_basis"] = deadline_basis or "document"
    if deadline_basis is not None and deadline_basis not in DATE_BASES:
        raise InvalidValue(f"căn cứ hạn/deadline basis “{deadline_basis}”: chọn / choose {', '.join(DATE_BASES)}")
    return changes


def open_obstacle(session: Session, record: Any, *, category: str, description: str, opened_on: dt.date,
                  document: Any = None, note: str | None = None, by: str | None = None, today: dt.date | None = None,
                  agency: str | None = None, action: str | None = None, deadline: dt.date | None = None,
                  deadline_basis: str | None = None, status: str | None = None, opened_basis: str = "document",
                  origin: str = "cli", recorded_at: dt.datetime | None = None) -> Obstacle:
    """Open a vướng mắc on ``record`` (a Zone or Project); its opening is the first history entry."""
    today = today or clock.today()
    key = parse_category(category)
    if not nfc(description):
        raise InvalidValue("mô tả/description: không được để trống / must not be empty")
    _check_day(opened_on, today, label="ngày mở / opened on (--date)")
    changes = {"status": "new", **_changes(session, status=status, agency=agency, action=action, deadline=deadline,
                                           deadline_basis=deadline_basis)}
    if changes["status"] in CLOSED:
        raise InvalidValue("vướng mắc mới không thể ở trạng thái đã đóng / a new obstacle cannot start closed")
    stamp = recorded_at or clock.now()
    obstacle = Obstacle(category=key, description=nfc(description), opened_on=opened_on, opened_basis=opened_basis,
                        opened_document=document, note=note, recorded_by=current_user(by), recorded_at=stamp, origin=origin)
    if record.__tablename__ == "zones":
        obstacle.zone = record
    else:
        obstacle.project = record
    first = ObstacleUpdate(effective_on=opened_on, changes=changes, document=document, note=nfc(description),
                           recorded_by=obstacle.recorded_by, recorded_at=stamp, origin=origin)
    obstacle.updates.append(first)
    _apply(obstacle, [first])
    session.add(obstacle)
    session.flush()
    return obstacle


def lock_obstacle(session: Session, obstacle_id: int, *, expected_version: int | None = None) -> Obstacle:
    """Load an obstacle for writing: a row lock on PostgreSQL (SQLite writers already hold the
    database lock), refreshed from the database so a write that waited sees the winner's result."""
    if not 0 < obstacle_id < 2**31:
        raise UnknownRecord(f"Không có vướng mắc số {obstacle_id} / no obstacle #{obstacle_id} (xem `kcn obstacle list`)")
    stmt = select(Obstacle).where(Obstacle.id == obstacle_id).execution_options(populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    obstacle = session.scalars(stmt).one_or_none()
    if obstacle is None:
        raise UnknownRecord(f"Không có vướng mắc số {obstacle_id} / no obstacle #{obstacle_id} (xem `kcn obstacle list`)")
    hold = float(os.environ.get(HOLD_ENV, "0") or 0)
    if hold:
        time.sleep(hold)
    if expected_version is not None and obstacle.version != expected_version:
        raise ConcurrentUpdate(
            f"Vướng mắc #{obstacle_id} đã bị người khác thay đổi sau khi bạn đọc (phiên bản {expected_version} → "
            f"{obstacle.version}); không ghi gì. / The record changed since you read it; nothing was written.")
    return obstacle


def update_obstacle(session: Session, obstacle_id: int, *, effective_on: dt.date | None = None, status: str | None = None,
                    agency: str | None = None, action: str | None = None, deadline: dt.date | None = None,
                    deadline_basis: str | None = None, document: Any = None, note: str | None = None,
                    by: str | None = None, today: dt.date | None = None, expected_version: int | None = None,
                    origin: str = "cli") -> Obstacle:
    """Append one dated, cited step to an open obstacle (new status, agency, action, deadline or just news)."""
    today = today or clock.today()
    obstacle = lock_obstacle(session, obstacle_id, expected_version=expected_version)
    day = effective_on or today
    if obstacle.status in CLOSED:
        raise ObstacleClosed(
            f"Vướng mắc #{obstacle.id} đã đóng ({status_label(obstacle.status).lower()}) ngày {obstacle.resolved_on:%d/%m/%Y}; "
            "không ghi thêm / already closed, nothing written.")
    _check_day(day, today, label="ngày / date (--date)", not_before=obstacle.opened_on)
    _check_texts(action=action, note=note, by=by, document=document, today=today)
    changes = _changes(session, status=status, agency=agency, action=action, deadline=deadline, deadline_basis=deadline_basis)
    if changes.get("status") in CLOSED:
        return close_obstacle(session, obstacle_id, status=changes["status"], closed_on=day, document=document,
                              note=note, by=by, today=today, expected_version=expected_version, origin=origin)
    if not changes and not (note and note.strip()) and document is None:
        raise InvalidValue("Không có gì để cập nhật / nothing to update: --status, --agency, --action, --deadline hoặc --note")
    obstacle.updates.append(ObstacleUpdate(effective_on=day, changes=changes, document=document, note=note,
                                           recorded_by=current_user(by), recorded_at=clock.now(), origin=origin))
    _apply(obstacle, obstacle.updates)
    session.flush()
    return obstacle


def close_obstacle(session: Session, obstacle_id: int, *, status: str = "resolved", closed_on: dt.date | None = None,
                   document: Any = None, note: str | None = None, by: str | None = None, today: dt.date | None = None,
                   expected_version: int | None = None, origin: str = "cli") -> Obstacle:
    """Resolve (or drop) an obstacle on a date, citing a document. A second closing is refused:
    the row is locked and re-read, and its version guards a write from a stale read."""
    today = today or clock.today()
    if status not in CLOSED:
        raise InvalidValue(f"trạng thái đóng/closing status: {', '.join(CLOSED)}")
    obstacle = lock_obstacle(session, obstacle_id, expected_version=expected_version)
    if obstacle.status in CLOSED or obstacle.resolved_on is not None:
        raise ObstacleClosed(
            f"Vướng mắc #{obstacle.id} đã đóng ({status_label(obstacle.status).lower()}) ngày {obstacle.resolved_on:%d/%m/%Y}"
            f"{' theo ' + obstacle.resolved_document.citation() if obstacle.resolved_document else ''}; "
            "không ghi đè / already closed, the first resolution is kept.")
    day = closed_on or today
    _check_day(day, today, label="ngày giải quyết / closed on (--date)", not_before=obstacle.opened_on)
    later = [u for u in obstacle.updates if u.effective_on > day]
    if later:
        raise InvalidValue(f"đã có cập nhật sau ngày {day:%d/%m/%Y} (ngày {later[-1].effective_on:%d/%m/%Y}) / "
                           "an update dated after the closing day exists")
    obstacle.updates.append(ObstacleUpdate(effective_on=day, changes={"status": status}, document=document, note=note,
                                           recorded_by=current_user(by), recorded_at=clock.now(), origin=origin))
    _apply(obstacle, obstacle.updates)
    obstacle.resolved_on = day
    obstacle.resolved_document = document
    obstacle.resolution_note = note
    session.flush()
    return obstacle


def obstacle_row(obstacle: Obstacle, agencies: Mapping[str, str], as_of: dt.date) -> dict[str, Any]:
    """One obstacle as a plain, assessed row (see ``work.assess``)."""
    record = obstacle.zone or obstacle.project
    return assess({
        "id": obstacle.id, "record_type": "zone" if obstacle.zone_id else "project", "code": record.code,
        "name": record.name, "category": obstacle.category, "description": obstacle.description,
        "opened_on": obstacle.opened_on, "opened_basis": obstacle.opened_basis, "resolved_on": obstacle.resolved_on,
        "status": obstacle.status, "status_label": status_label(obstacle.status), "agency_key": obstacle.agency_key,
        "agency": agencies.get(obstacle.agency_key or ""), "action_requested": obstacle.action_requested,
        "deadline": obstacle.deadline, "deadline_basis": obstacle.deadline_basis, "version": obstacle.version,
        "last_update_on": max((u.effective_on for u in obstacle.updates), default=obstacle.opened_on),
    }, as_of)


def obstacle_rows(session: Session, as_of: dt.date) -> list[dict[str, Any]]:
    """Every obstacle opened on or before ``as_of``, as assessed plain rows (state as of now)."""
    agencies = {a.key: a.name_vi for a in session.scalars(select(Agency))}
    return [obstacle_row(ob, agencies, as_of) for ob in session.scalars(select(Obstacle).order_by(Obstacle.id))
            if ob.opened_on <= as_of]


def obstacle_history(session: Session, obstacle_id: int) -> tuple[Obstacle, list[dict[str, Any]]]:
    """The obstacle and its updates as plain rows, in date order."""
    obstacle = session.get(Obstacle, obstacle_id) if 0 < obstacle_id < 2**31 else None
    if obstacle is None:
        raise UnknownRecord(f"Không có vướng mắc số {obstacle_id} / no obstacle #{obstacle_id}")
    agencies = {a.key: a.name_vi for a in session.scalars(select(Agency))}
    rows = []
    for u in sorted(obstacle.updates, key=lambda u: (u.effective_on, u.id)):
        changes = dict(u.changes or {})
        rows.append({"effective_on": u.effective_on, "status": changes.get("status"),
                     "status_label": status_label(changes["status"]) if "status" in changes else None,
                     "agency": agencies.get(changes.get("agency_key") or "") if "agency_key" in changes else None,
                     "action_requested": changes.get("action_requested"),
                     "deadline": dt.date.fromisoformat(changes["deadline"]) if changes.get("deadline") else None,
                     "document": u.document.citation() if u.document else None, "note": u.note,
                     "recorded_by": u.recorded_by})
    return obstacle, rows


__all__ = ["STATUSES", "ObstacleClosed", "add_agency", "close_obstacle", "list_agencies", "lock_obstacle",
           "obstacle_history", "obstacle_rows", "open_obstacle", "parse_agency", "update_obstacle"]
