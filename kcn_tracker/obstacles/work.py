"""Ageing and overdue deadlines of obstacles, from plain rows (no database): tested directly.

A row is a mapping with at least ``opened_on`` and ``status``; optionally
``resolved_on`` (closing day), ``deadline``, ``agency_key``. ``assess`` adds the
computed figures; ``filter_rows`` applies ``kcn obstacle list`` filters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from kcn_tracker.obstacles.statuses import CLOSED


def is_open_on(row: Mapping[str, Any], day: dt.date) -> bool:
    """Opened on or before ``day`` and not closed by then."""
    closed = row.get("resolved_on")
    return row["opened_on"] <= day and (closed is None or closed > day)


def assess(row: Mapping[str, Any], as_of: dt.date) -> dict[str, Any]:
    """The row plus ``open`` (on as_of), ``age_days`` (days open, up to closing or as_of) and
    ``overdue_days`` (days past the deadline while still open; None when not overdue)."""
    out = dict(row)
    open_now = is_open_on(row, as_of)
    end = as_of if open_now or row.get("resolved_on") is None else min(row["resolved_on"], as_of)
    out["open"] = open_now
    out["age_days"] = max((end - row["opened_on"]).days, 0)
    deadline = row.get("deadline")
    out["overdue_days"] = (as_of - deadline).days if open_now and deadline is not None and deadline < as_of else None
    return out


def filter_rows(rows: Iterable[Mapping[str, Any]], *, agency: str | None = None, status: str | None = None,
                overdue: bool = False, include_closed: bool = True) -> list[dict[str, Any]]:
    """Rows (already assessed) with this agency key, this status, only overdue, or only open ones."""
    out = []
    for row in rows:
        if agency is not None and row.get("agency_key") != agency:
            continue
        if status is not None and row.get("status") != status:
            continue
        if overdue and row.get("overdue_days") is None:
            continue
        if not include_closed and row.get("status") in CLOSED:
            continue
        out.append(dict(row))
    return out


def sort_for_action(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Most overdue first, then the oldest open, closed last."""
    return sorted((dict(r) for r in rows), key=lambda r: (
        not r.get("open", True), -(r.get("overdue_days") or -1), -(r.get("age_days") or 0), r.get("id") or 0))
