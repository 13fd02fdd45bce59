"""What ``progress.compute_progress`` returns: plain dataclasses (project lines, parts, energy
targets, stuck items and the report), and ``ProgressReport.as_dict`` for JSON, maps and reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any

from kcn_tracker.progress_land import LandReport
from kcn_tracker.progress_records import RULES, TargetFigures, Verdict


@dataclass(eq=False)
class Part:
    """MW of one project that started operating on one day."""

    code: str
    name: str
    technology: str
    target_id: str | None
    mw: float
    started_on: dt.date
    date_basis: str
    status: str = ""  # counted | before_period | after_deadline | unknown_date


@dataclass(eq=False)
class ProjectLine:
    """A project's state on the as-of day, with what remains to come online."""

    code: str
    name: str
    technology: str
    target_id: str | None
    stage: str | None
    capacity_mw: float | None
    operating_mw: float
    remaining_mw: float
    expected_cod: dt.date | None
    expected_year: int | None = None
    investor: str | None = None
    zone_code: str | None = None
    days_overdue: int | None = None  # expected_cod passed on the as-of day without full operation
    construction_completed: bool = False


@dataclass(eq=False)
class EnergyTarget:
    """One energy target (T2, T2a..T2d): counted, expected, gap per year and verdict."""

    target_id: str
    label_vi: str
    target_mw: float
    period_start_on: dt.date
    deadline_on: dt.date
    technologies: list[str] = field(default_factory=list)  # keys counting toward it (from the technology table)
    counted_mw: float = 0.0
    unknown_date_mw: float = 0.0
    firm_mw: float = 0.0
    possible_mw: float = 0.0
    overdue_mw: float = 0.0  # part of possible_mw: expected date passed (rule "overdue")
    online_by_year: dict[int, float] = field(default_factory=dict)
    expected_by_year: dict[int, float] = field(default_factory=dict)
    cumulative_by_year: dict[int, float] = field(default_factory=dict)
    gap_by_year: dict[int, float] = field(default_factory=dict)
    verdict: str = "off_track"


@dataclass(eq=False)
class StuckItem:
    record_type: str
    code: str
    name: str
    category: str
    description: str
    opened_on: dt.date
    days_open: int
    stage: str | None = None
    size: float | None = None  # remaining MW (projects) or area ha (zones)


@dataclass(eq=False)
class ProgressReport:
    """Everything ``kcn progress`` shows; ``as_dict`` for JSON, maps and reports."""

    as_of: dt.date
    energy: list[EnergyTarget]
    parts: list[Part]
    t3_known_operating_mw: float
    t3_expected_by_deadline_mw: float
    t3_target_mw: float | None
    mw_by_stage_technology: dict[str, dict[str, float]]
    late_or_undated: list[ProjectLine]
    overdue: list[ProjectLine]
    stuck: list[StuckItem]
    land: LandReport
    verdicts: list[Verdict]
    notes: list[str]
    technology_labels: dict[str, str] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=lambda: dict(RULES))
    targets: list[TargetFigures] = field(default_factory=list)

    @property
    def not_counted(self) -> list[Part]:
        """Parts not counted because their start date is unknown (could be before 2025)."""
        return [p for p in self.parts if p.status == "unknown_date"]

    def as_dict(self, *, only: tuple[str, ...] | None = None) -> dict[str, Any]:
        """Plain JSON-able data: ISO dates, rounded plain numbers, verdict keys and labels.

        ``only``: just these top-level keys (the map's panel needs four of a report whose
        project lines run to 10,000 at national scale).
        """
        if only is None:
            data = _plain(asdict(self))
        else:
            data = {key: _plain(_as_plain_data(getattr(self, key))) for key in only}
        for verdict, raw in zip(data.get("verdicts", []), self.verdicts):
            verdict["verdict_vi"] = raw.verdict_vi
        return data


def _as_plain_data(value: Any) -> Any:
    """``asdict`` for one field's value: a dataclass, a list of them, or plain data."""
    if is_dataclass(value):
        return asdict(value)  # type: ignore[arg-type]
    if isinstance(value, list):
        return [_as_plain_data(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
