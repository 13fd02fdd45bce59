"""The one JSON envelope of every ``--format json`` output, decided once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kcn_tracker import clock

#: Bumped when a published key changes meaning or disappears (adding a key is not a bump).
SCHEMA_VERSION = 2


def envelope(data: Any, *, schema: str, as_of: dt.date | None, generated_at: dt.datetime | None = None) -> dict[str, Any]:
    """``{"schema", "schema_version", "as_of", "generated_at", "data"}`` around plain ``data``.

    ``as_of`` is the date the data describes (null where an output has no such date);
    ``generated_at`` is when it was made, in Vietnam's time with its offset.
    """
    return {
        "schema": schema,
        "schema_version": SCHEMA_VERSION,
        "as_of": as_of.isoformat() if as_of else None,
        "generated_at": (generated_at or clock.now_vietnam()).isoformat(),
        "data": data,
    }


def plain(value: Any) -> Any:
    """JSON/CSV value: ISO dates, plain numbers, lists of plain values."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):  # exact money in the register, a JSON number here
        return int(value) if value == value.to_integral_value() else float(value)
    return value
