"""A "confirmed unchanged" event: a dated, cited statement that a record is as the register says.

It changes no field; it moves the record's "last confirmed" day (see ``staleness``).
The document is required: a confirmation without a source is not one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from kcn_tracker import clock
from kcn_tracker.errors import InvalidValue
from kcn_tracker.history import lock_record, record_change
from kcn_tracker.registry import MODELS, resolve

CONFIRM_ORIGIN = "cli:confirm"
CONFIRM_NOTE = "Xác nhận không thay đổi / confirmed unchanged"


def is_confirmation(event: Any) -> bool:
    """Whether an event is a "confirmed unchanged" event."""
    return not (event.changes or {}) and str(event.origin or "").endswith("confirm")


def confirm_record(session: Session, record_type: str, name: str, *, document: Any, effective_on: dt.date | None = None,
                   note: str | None = None, by: str | None = None, today: dt.date | None = None,
                   origin: str = CONFIRM_ORIGIN, historic: bool = False) -> Any:
    """Append a "confirmed unchanged" event citing ``document`` (a ``workflow.DocumentRef``); returns the event."""
    from kcn_tracker.errors import Problem, ValidationFailed
    from kcn_tracker.validation.dates import event_date_problems
    from kcn_tracker.validation.records import first_event_date, meta_problems
    from kcn_tracker.workflow import find_or_add_document

    if document is None:
        raise InvalidValue("Xác nhận cần văn bản căn cứ (--doc) / a confirmation needs a document (--doc)")
    found = resolve(session, record_type, name)
    record = lock_record(session, MODELS[record_type], found.id)
    today = today or clock.today()
    day = effective_on or today
    problems = [Problem(m, field="effective_on") for m in event_date_problems(
        day, label="ngày xác nhận / date (--date)", today=today, historic=historic, first_event=first_event_date(record))]
    problems += meta_problems(note=note, by=by, document=document, today=today, historic=historic)
    if problems:
        raise ValidationFailed(problems)
    text = f"{CONFIRM_NOTE}: {note}" if note else CONFIRM_NOTE
    result = record_change(session, record, {}, effective_on=day, document=find_or_add_document(session, document),
                           note=text, by=by, origin=origin, today=today, historic=historic)
    session.flush()
    return result.event


def record_news(record: Any, as_of: dt.date, *, months: int | None = None) -> dict[str, Any]:
    """When the record was last confirmed on ``as_of`` (events, obstacle steps), and whether it is stale."""
    from kcn_tracker import staleness

    dates = [e.effective_on for e in record.events]
    for ob in record.obstacles:
        dates += [ob.opened_on, ob.resolved_on, *(u.effective_on for u in ob.updates)]
    state = {"stage": getattr(record, "stage", None)}
    last = staleness.last_confirmed(dates, as_of)
    months = staleness.stale_months(months)
    return {**staleness.assess(state, last, as_of, months=months), "stale_months": months}


def describe_news(news: dict[str, Any]) -> str:
    """Vietnamese: "31/07/2025 (489 ngày trước) — quá 6 tháng chưa xác nhận"."""
    from kcn_tracker import staleness

    last = news.get("last_confirmed")
    if last is None:
        return "chưa có"
    text = f"{last:%d/%m/%Y} ({news['days_since']} ngày trước)"
    if news.get("maybe_stopped"):
        text += f" — không có tin mới 24 tháng: {staleness.MAYBE_STOPPED_VI}? (gợi ý, cần người quyết định có văn bản)"
    elif news.get("stale"):
        text += f" — quá {news['stale_months']} tháng chưa xác nhận"
    return text
