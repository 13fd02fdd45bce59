"""Edits made from a page the user read earlier: refused if the record changed since.

The web form carries the record's ``version`` as it was shown. Saving locks the
record (``history.lock_record``) and compares: a different version means someone
else saved in between, and the save is refused with ``StaleRecord`` (nothing
written) so the person can look at the current state and decide. Otherwise the
ordinary ``workflow.update_record`` writes the event, with the same validation as
the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.errors import ConcurrentUpdate, UnknownRecord
from kcn_tracker.history import Record, lock_record
from kcn_tracker.registry import MODELS

STALE_MESSAGE = ("Bản ghi đã được người khác cập nhật sau khi bạn mở trang; chưa ghi gì. Hãy xem trạng thái hiện tại "
                 "bên dưới rồi lưu lại nếu vẫn đúng. / The record changed since you opened the page; nothing was written.")


class StaleRecord(ConcurrentUpdate):
    """The page the user edited showed an older version of the record."""

    def __init__(self, current_version: int) -> None:
        super().__init__(STALE_MESSAGE)
        self.current_version = current_version


def record_by_code(session: Session, record_type: str, code: str) -> Record:
    """The zone or project with exactly this code."""
    model = MODELS.get(record_type)
    record = session.scalar(select(model).where(model.code == code)) if model is not None else None
    if record is None:
        raise UnknownRecord(f"Không có bản ghi mã “{code}” / no record with code {code}")
    return record


def check_version(session: Session, record_type: str, code: str, expected_version: int | None) -> Record:
    """Lock the record and refuse (StaleRecord) if its version is not the one the page showed."""
    found = record_by_code(session, record_type, code)
    record = lock_record(session, MODELS[record_type], found.id)
    session.refresh(record)
    if expected_version is None or record.version != expected_version:
        raise StaleRecord(record.version)
    return record


def update_from_page(session: Session, record_type: str, code: str, expected_version: int | None,
                     raw_values: Mapping[str, Any], *, effective_on: dt.date | None, document: Any,
                     date_basis: str = "document", note: str | None = None, by: str, origin: str = "web",
                     today: dt.date | None = None) -> Any:
    """``workflow.update_record`` on the record with ``code``, if it is still at ``expected_version``."""
    from kcn_tracker.workflow import update_record

    check_version(session, record_type, code, expected_version)
    return update_record(session, record_type, code, raw_values, effective_on=effective_on, date_basis=date_basis,
                         document=document, note=note, by=by, origin=origin, today=today)


def versions_of(session: Session, record_type: str, codes: list[str]) -> dict[str, int]:
    """Current versions of the records with these codes (for a spreadsheet preview)."""
    model = MODELS[record_type]
    if not codes:
        return {}
    rows = session.execute(select(model.code, model.version).where(model.code.in_(codes))).all()
    return {code: version for code, version in rows}


def all_versions(session: Session, record_type: str) -> dict[str, int]:
    """code -> version of every record of a type (one query)."""
    model = MODELS[record_type]
    return dict(session.execute(select(model.code, model.version)).all())
