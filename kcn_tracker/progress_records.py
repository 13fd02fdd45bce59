"""Plain input records of the progress computations, verdicts and the rules printed with them.

Built from a database by ``progress_data.load_records`` or by hand in tests; shared by
``progress`` (energy) and ``progress_land`` (industrial land).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

D = dt.date
# Output dataclasses use eq=False: each generated method costs import time, the budget of
# `kcn progress` is tight, and callers compare ``as_dict()`` results anyway.
EPS = 1e-9
INACTIVE = ("suspended", "cancelled")
VERDICTS = {"on_track": "đúng tiến độ", "at_risk": "có rủi ro", "off_track": "chậm tiến độ", "no_data": "chưa đủ số liệu"}
RULES = {
    "energy": ("Đúng tiến độ: MW đã vận hành trong kỳ + MW dự kiến vận hành trước hạn của các dự án từ giai đoạn "
               "đang thi công trở lên ≥ mục tiêu; có rủi ro: chỉ đủ khi tính thêm dự án giai đoạn sớm hơn có ngày dự kiến "
               "trước hạn; chậm tiến độ: các trường hợp còn lại. / On track: counted + expected by the deadline from "
               "projects at construction or later covers the target; at risk: covered only with earlier-stage projects "
               "that have an expected date; off track otherwise."),
    "land": ("Đất CN mới (T1): tính từ 01/01/2026 các KCN/CCN chuyển sang đang hoạt động; đúng tiến độ nếu đã tính + KCN/CCN "
             "đang xây dựng hạ tầng ≥ mục tiêu; có rủi ro nếu chỉ đủ khi tính mọi KCN/CCN còn lại (khu không có ngày dự "
             "kiến); chậm tiến độ nếu không. Diện tích: đất CN cho thuê nếu có, nếu không thì tổng diện tích. T6: như trên "
             "với số KCN mới; cần ≥ 1 KCN định hướng công nghệ cao. T4/T5: tỷ lệ lấp đầy = đã cho thuê / đất CN cho thuê."),
    "overdue": ("Quá hạn: MW còn lại của dự án có ngày dự kiến vận hành đã qua mà chưa vận hành được chuyển sang năm của "
                "ngày xem và chỉ tính là “có rủi ro” (như giai đoạn sớm), không tính là chắc chắn, dù dự án đang thi công "
                "hay đã thi công xong. / Overdue: the remaining MW of a project whose expected date has passed moves to the "
                "as-of year and counts as at risk only, never as firm."),
    "t3": "T3: không đánh giá được vì thiếu công suất đã vận hành trước 2025 / cannot be assessed: the pre-2025 base is missing.",
}


@dataclass(frozen=True)
class EventRecord:
    """One event of a record's timeline (``changes`` hold JSON values: dates as ISO strings)."""

    effective_on: dt.date
    changes: Mapping[str, Any]
    date_basis: str = "document"
    seq: int = 0


@dataclass(frozen=True)
class ObstacleRecord:
    """A vướng mắc: open on day d if opened_on <= d < resolved_on."""

    category: str
    description: str
    opened_on: dt.date
    resolved_on: dt.date | None = None
    obstacle_id: int | None = None
    status: str = "new"
    agency_key: str | None = None
    action_requested: str | None = None
    deadline: dt.date | None = None
    last_update_on: dt.date | None = None

    def is_open_on(self, day: dt.date) -> bool:
        return self.opened_on <= day and (self.resolved_on is None or self.resolved_on > day)


_EVENT_ORDER = attrgetter("effective_on", "seq")


@dataclass(frozen=True)
class RecordTimeline:
    """A zone or project: its code and its whole history (sorted by effective_on, then seq)."""

    code: str
    events: tuple[EventRecord, ...]
    obstacles: tuple[ObstacleRecord, ...] = ()

    def __post_init__(self) -> None:
        if len(self.events) > 1 or not isinstance(self.events, tuple):  # one event (most of today's records): in order
            object.__setattr__(self, "events", tuple(sorted(self.events, key=_EVENT_ORDER)))

    def state(self, day: dt.date) -> dict[str, Any]:
        """The fold of the events effective on or before ``day`` (as ``history.replay``)."""
        state: dict[str, Any] = {}
        for event in self.events:
            if event.effective_on > day:
                break
            state.update(event.changes)
        return state


@dataclass(frozen=True)
class TechnologyRecord:
    key: str
    label_vi: str
    target_id: str | None = None
    plan_mw: float | None = None


@dataclass(frozen=True)
class TargetRecord:
    target_id: str
    label_vi: str
    value: float | None
    unit: str | None = None
    period_start: dt.date | None = None
    deadline: dt.date | None = None
    note: str | None = None
    label_en: str | None = None
    value_max: float | None = None
    comparator: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class ProgressRecords:
    """Everything progress needs, as plain data."""

    technologies: tuple[TechnologyRecord, ...]
    targets: tuple[TargetRecord, ...]
    projects: tuple[RecordTimeline, ...]
    zones: tuple[RecordTimeline, ...] = ()
    agencies: tuple[tuple[str, str], ...] = ()  # (key, Vietnamese name) of the agency table
    #: Tenant projects (code = certificate number); a zone with tenants takes its leased land from them.
    tenants: tuple[RecordTimeline, ...] = ()


@dataclass(eq=False)
class Verdict:
    target_id: str
    label_vi: str
    verdict: str
    rule: str
    detail: str = ""
    #: the figures behind ``detail`` as plain numbers (None where unknown), for tools
    inputs: dict[str, float | int | None] = field(default_factory=dict)

    @property
    def verdict_vi(self) -> str:
        return VERDICTS[self.verdict]


@dataclass(eq=False)
class TargetFigures:
    """A target as tools read it: its value, comparator, period and deadline as plain data."""

    target_id: str
    label_vi: str
    label_en: str | None
    value: float | None
    value_max: float | None
    unit: str | None
    comparator: str | None
    period_start_on: dt.date | None
    deadline_on: dt.date | None
    source: str | None

    @classmethod
    def of(cls, t: TargetRecord) -> TargetFigures:
        return cls(t.target_id, t.label_vi, t.label_en, t.value, t.value_max, t.unit, t.comparator,
                   t.period_start, t.deadline, t.source)
