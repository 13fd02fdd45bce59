"""Expected dates that have passed without the event that fulfils them, from plain states.

An expectation is a date field of a record's state (``expected_cod``,
``expected_first_power``, ``expected_construction_start`` for projects;
``expected_infrastructure_done`` for zones) and the condition that fulfils it.
On the as-of day an expectation is *overdue* when its date is before that day, the
condition does not hold, and the record is neither suspended nor cancelled. The
number of days overdue is ``as_of - expected``. States are plain mappings, as
``history.replay`` (ISO strings) or ``registry.views`` (dates) give them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kcn_tracker.stages import PROJECT_STAGES
from kcn_tracker.text import format_date

INACTIVE = ("suspended", "cancelled")
_ORDER = {s.key: s.order or 0 for s in PROJECT_STAGES}


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return value if isinstance(value, dt.date) else None


def operating_mw(state: Mapping[str, Any]) -> float:
    """Operating MW of a project state ("operating" without a figure: the whole capacity)."""
    if state.get("capacity_operating_mw") is not None:
        return float(state["capacity_operating_mw"])
    if state.get("stage") == "operating" and state.get("capacity_mw") is not None:
        return float(state["capacity_mw"])
    return 0.0


def _fully_operating(state: Mapping[str, Any]) -> bool:
    capacity = state.get("capacity_mw")
    return state.get("stage") == "operating" or (capacity is not None and operating_mw(state) >= float(capacity) - 1e-9)


@dataclass(frozen=True)
class Expectation:
    """An expected-date field, what it expects (Vietnamese), and when it is fulfilled."""

    field: str
    record_type: str
    label_vi: str
    fulfilled: Callable[[Mapping[str, Any]], bool]


EXPECTATIONS: tuple[Expectation, ...] = (
    Expectation("expected_cod", "project", "Vận hành thương mại", _fully_operating),
    Expectation("expected_first_power", "project", "Phát điện tổ máy/phần đầu tiên", lambda s: operating_mw(s) > 0),
    Expectation("expected_construction_start", "project", "Khởi công",
                lambda s: _ORDER.get(s.get("stage") or "", 0) >= _ORDER["construction"]),
    Expectation("expected_infrastructure_done", "zone", "Hoàn thành hạ tầng", lambda s: s.get("stage") == "operating"),
)
#: The fields of a state the expectations read (``max_days_overdue``): a list reads only these and what it shows.
FIELDS = {"project": ("stage", "capacity_mw", "capacity_operating_mw", "expected_cod", "expected_first_power",
                      "expected_construction_start"),
          "zone": ("stage", "expected_infrastructure_done")}
_BY_TYPE = {record_type: tuple(e for e in EXPECTATIONS if e.record_type == record_type) for record_type in FIELDS}
#: The rule, printed with every list and report that shows overdue items.
RULE_VI = ("Quá hạn: ngày dự kiến (vận hành, phát điện, khởi công, hoàn thành hạ tầng) đã qua vào ngày xem mà chưa có sự "
           "kiện tương ứng trong sổ; số ngày = ngày xem − ngày dự kiến (ngày dự kiến theo tháng/quý/năm lưu là ngày cuối kỳ). "
           "Dự án tạm dừng/hủy không tính.")


def overdue_items(record_type: str, state: Mapping[str, Any], as_of: dt.date) -> list[dict[str, Any]]:
    """The record's overdue expectations on ``as_of`` as plain rows (most overdue first)."""
    if not state or state.get("stage") in INACTIVE:
        return []
    rows = []
    for exp in _BY_TYPE.get(record_type, ()):
        expected = _date(state.get(exp.field))
        if expected is None or expected >= as_of or exp.fulfilled(state):
            continue
        capacity = state.get("capacity_mw")
        remaining = max(float(capacity) - operating_mw(state), 0.0) if record_type == "project" and capacity is not None else None
        rows.append({"record_type": record_type, "code": state.get("code"), "name": state.get("name"),
                     "expectation": exp.field, "expectation_vi": exp.label_vi, "expected_on": expected,
                     "days_overdue": (as_of - expected).days, "stage": state.get("stage"), "remaining_mw": remaining,
                     "construction_completed": bool(state.get("construction_completed"))})
    return sorted(rows, key=lambda r: -r["days_overdue"]) if len(rows) > 1 else rows


def max_days_overdue(record_type: str, state: Mapping[str, Any], as_of: dt.date) -> int | None:
    """Days of the record's most overdue expectation, None when nothing is overdue (``overdue_items``' first,
    without building its rows: a list asks it of every record)."""
    if not state or state.get("stage") in INACTIVE:
        return None
    most = None
    for exp in _BY_TYPE.get(record_type, ()):
        expected = _date(state.get(exp.field))
        if expected is None or expected >= as_of or exp.fulfilled(state):
            continue
        days = (as_of - expected).days
        if most is None or days > most:
            most = days
    return most


def overdue_rows(record_type: str, states: Iterable[Mapping[str, Any]], as_of: dt.date) -> list[dict[str, Any]]:
    """Every overdue expectation of these records, most overdue first."""
    rows = [row for state in states for row in overdue_items(record_type, state, as_of)]
    return sorted(rows, key=lambda r: (-r["days_overdue"], r.get("name") or ""))


def describe(row: Mapping[str, Any]) -> str:
    """One Vietnamese line: "Vận hành thương mại dự kiến 30/09/2025, quá hạn 428 ngày"."""
    return f"{row['expectation_vi']} dự kiến {format_date(row['expected_on'])}, quá hạn {row['days_overdue']} ngày"
