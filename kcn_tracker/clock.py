"""The one source of "today" and "now": Vietnam's date, settable for tests and CI.

Vietnam (Asia/Ho_Chi_Minh) has kept UTC+7 without daylight saving since 1975, so a
fixed offset gives its date exactly without needing the tz database on the machine.
``KCN_TODAY=yyyy-mm-dd`` pins "today" for the whole process and its children (the
test suite runs once more with it set to other dates).
"""

from __future__ import annotations

import datetime as dt
import os

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
TODAY_ENV = "KCN_TODAY"


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC); used for "recorded at" stamps."""
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    """Today's date in Vietnam (or the date pinned by ``KCN_TODAY``)."""
    pinned = os.environ.get(TODAY_ENV)
    if pinned:
        return dt.date.fromisoformat(pinned.strip())
    return now().astimezone(VIETNAM).date()


def now_vietnam() -> dt.datetime:
    """The current instant in Vietnam's time (for "generated at" lines people read)."""
    return now().astimezone(VIETNAM).replace(microsecond=0)
