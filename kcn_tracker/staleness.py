"""When each record was last confirmed, which are stale, which may have stopped (plain data).

"Last confirmed" is the latest dated news of a record on or before the as-of day:
its latest event (a change, or a "confirmed unchanged" event with a document,
``kcn energy confirm``) or the latest dated step of one of its obstacles. A record
is *stale* when that day is more than ``months`` months before the as-of day
(default 6, ``--stale-months`` or ``KCN_STALE_MONTHS``); a record that is not
operating, suspended or cancelled and has had no news for 24 months is suggested as
"có thể đã dừng" (possibly stopped). Nothing is ever changed automatically: a person
decides, with a document (``kcn energy update NAME --stage suspended --note ...``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from kcn_tracker.errors import InvalidValue

DEFAULT_STALE_MONTHS = 6
MAYBE_STOPPED_MONTHS = 24
STALE_MONTHS_ENV = "KCN_STALE_MONTHS"
NOT_STOPPABLE = ("operating", "suspended", "cancelled")
MAYBE_STOPPED_VI = "có thể đã dừng"
RULE_VI = ("Chưa cập nhật: lần xác nhận cuối (sự kiện mới nhất, xác nhận “không thay đổi” có văn bản, hoặc cập nhật "
           "vướng mắc) cách ngày xem quá {months} tháng. “Có thể đã dừng”: chưa vận hành và không có tin mới {stopped} "
           "tháng; chỉ là gợi ý, không tự đổi trạng thái: người có thẩm quyền quyết định, có văn bản.")


def stale_months(explicit: int | None = None) -> int:
    """The staleness threshold in months: the option, else ``KCN_STALE_MONTHS``, else 6."""
    raw: Any = explicit if explicit is not None else os.environ.get(STALE_MONTHS_ENV) or DEFAULT_STALE_MONTHS
    try:
        months = int(raw)
    except (TypeError, ValueError):
        raise InvalidValue(f"số tháng/stale months “{raw}” phải là số nguyên / must be a whole number") from None
    if not 1 <= months <= 120:
        raise InvalidValue(f"số tháng/stale months {months}: từ 1 đến 120 / between 1 and 120")
    return months


@lru_cache(maxsize=8192)  # asked for every record of a register, whose last news dates repeat
def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (31/08 + 6 → 28/02 or 29/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def last_confirmed(dates: Iterable[dt.date | None], as_of: dt.date) -> dt.date | None:
    """The latest of these news dates on or before ``as_of``."""
    known = [d for d in dates if d is not None and d <= as_of]
    return max(known) if known else None


def assess(state: Mapping[str, Any], last: dt.date | None, as_of: dt.date, *, months: int) -> dict[str, Any]:
    """``last_confirmed``, ``days_since``, ``stale`` and ``maybe_stopped`` of one record."""
    stale = last is not None and add_months(last, months) < as_of
    stopped = (last is not None and state.get("stage") not in NOT_STOPPABLE
               and add_months(last, MAYBE_STOPPED_MONTHS) < as_of)
    return {"last_confirmed": last, "days_since": (as_of - last).days if last else None, "stale": stale,
            "maybe_stopped": stopped}


def stale_rows(records: Iterable[tuple[str, Mapping[str, Any], Iterable[dt.date | None]]], as_of: dt.date, *,
               months: int) -> list[dict[str, Any]]:
    """Stale records (record_type, state, news dates), longest silence first; cancelled ones left out."""
    rows = []
    for record_type, state, dates in records:
        if not state or state.get("stage") == "cancelled":
            continue
        found = assess(state, last_confirmed(dates, as_of), as_of, months=months)
        if found["stale"]:
            rows.append({"record_type": record_type, "code": state.get("code"), "name": state.get("name"),
                         "stage": state.get("stage"), **found})
    return sorted(rows, key=lambda r: (-(r["days_since"] or 0), r.get("name") or ""))
