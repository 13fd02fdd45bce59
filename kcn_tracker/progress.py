"""Progress against the 2030 targets, computed from plain records (no database, no pandas).

Public API (maps, the periodic report and the CLI all call these, so every
surface shows the same numbers):

- Inputs, plain frozen dataclasses: ``ProgressRecords`` holding
  ``TechnologyRecord`` (key -> sub-target, editable data), ``TargetRecord``
  (T1..T12) and one ``RecordTimeline`` per project and per zone (its events,
  ``EventRecord``, and obstacles, ``ObstacleRecord``). ``progress_data.load_records``
  builds them from a database; tests build them by hand.
- ``compute_progress(records, as_of) -> ProgressReport``: energy against
  T2/T2a-d/T3, the pipeline (MW by stage x technology, expected MW per year,
  gap per year, late or undated projects, what is stuck), land against
  T1/T4/T5/T6, a verdict per target with the rule that produced it, and notes.
  ``ProgressReport.as_dict()`` gives plain JSON-able data (ISO dates, numbers).
- ``energy_summary(records, as_of, by=...) -> EnergySummary``: MW per
  technology, stage, year, zone or investor (``kcn energy summary``).
- ``project_parts(timeline, as_of)``: the MW "parts" of one project;
  ``compute_land(records, as_of)`` and ``land_verdicts(...)``: the land half alone.
- ``ProgressReport.technology_labels`` and ``EnergyTarget.technologies`` let maps
  and reports name what counts toward each target without another query.

Rules (also printed with the output, see ``RULES``):
- A *part* is every increase of a project's operating MW; it starts on the
  event's ``effective_on``. It counts toward a 2025-2030 target when
  ``period_start <= start <= min(as_of, deadline)``. A part whose event has
  ``date_basis == "unknown"`` ("on or before that date") is not counted when it
  could have started before the period (it is listed, with its MW). Operating MW
  that decreases removes MW from the latest parts first (a correction).
- Which target a technology counts toward is ``TechnologyRecord.target_id``;
  a sub-target ``T2a`` also counts toward its parent ``T2``.
- Verdicts: on track when what is counted plus what is expected by the deadline
  from projects (zones) at construction or later covers the target; at risk
  when it is covered only by also counting earlier-stage projects that have an
  expected date (for zones, which carry no expected date: any active zone);
  off track otherwise; no data when the figure cannot be assessed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

D = dt.date
# Output dataclasses use eq=False: each generated method costs import time, the budget of
# `kcn progress` is tight, and callers compare ``as_dict()`` results anyway.
EPS = 1e-9
#: The issue counts new industrial land (T1) from the start of 2026; the T1 row gives no start date.
LAND_WINDOW_START = D(2026, 1, 1)
#: T6's second quantity lives only in the T6 note (DATA_FORMAT.md, open question 1).
LAND_FUND_T6_HA = 3500.0
OCCUPANCY_T4 = 0.70
INDUSTRIAL_KINDS = ("KCN", "CCN")
INACTIVE = ("suspended", "cancelled")
PROJECT_ORDER = {"in_plan": 1, "conformity_review": 2, "prefeasibility": 3, "policy_decision": 4, "investor_approved": 5,
                 "site_clearance": 6, "construction": 7, "partly_operating": 8, "operating": 9}
ZONE_ORDER = {"in_plan": 1, "policy_decision": 2, "site_clearance": 3, "construction": 4, "operating": 5}
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

    def is_open_on(self, day: dt.date) -> bool:
        return self.opened_on <= day and (self.resolved_on is None or self.resolved_on > day)


@dataclass(frozen=True)
class RecordTimeline:
    """A zone or project: its code and its whole history (sorted by effective_on, then seq)."""

    code: str
    events: tuple[EventRecord, ...]
    obstacles: tuple[ObstacleRecord, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "events", tuple(sorted(self.events, key=lambda e: (e.effective_on, e.seq))))

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


@dataclass(frozen=True)
class ProgressRecords:
    """Everything progress needs, as plain data."""

    technologies: tuple[TechnologyRecord, ...]
    targets: tuple[TargetRecord, ...]
    projects: tuple[RecordTimeline, ...]
    zones: tuple[RecordTimeline, ...] = ()


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


@dataclass(eq=False)
class EnergyTarget:
    """One energy target (T2, T2a..T2d): counted, expected, gap per year and verdict."""

    target_id: str
    label_vi: str
    target_mw: float
    period_start: dt.date
    deadline: dt.date
    technologies: list[str] = field(default_factory=list)  # keys counting toward it (from the technology table)
    counted_mw: float = 0.0
    unknown_date_mw: float = 0.0
    firm_mw: float = 0.0
    possible_mw: float = 0.0
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
class ZoneLine:
    code: str
    name: str
    kind: str
    phase: str | None
    stage: str | None
    area_ha: float | None
    area_basis: str | None  # "leasable" | "total" | None (unknown)
    entered_operation_on: dt.date | None = None
    entered_basis: str | None = None
    leasable_ha: float | None = None
    leased_ha: float | None = None
    occupancy: float | None = None
    meets_70: bool | None = None
    high_tech: bool | None = None
    total_area_ha: float | None = None
    new_kcn_t6: bool = False
    fill_2026_t5: bool = False


@dataclass(eq=False)
class Verdict:
    target_id: str
    label_vi: str
    verdict: str
    rule: str
    detail: str = ""

    @property
    def verdict_vi(self) -> str:
        return VERDICTS[self.verdict]


@dataclass(eq=False)
class LandReport:
    new_land_ha: float = 0.0
    new_zones: list[ZoneLine] = field(default_factory=list)
    new_zones_uncertain: list[ZoneLine] = field(default_factory=list)
    new_zones_without_area: int = 0
    pipeline_ha_by_stage: dict[str, float] = field(default_factory=dict)
    pipeline_without_area_by_stage: dict[str, int] = field(default_factory=dict)
    occupancy: list[ZoneLine] = field(default_factory=list)
    t4_occupancy: float | None = None
    fill_2026: list[ZoneLine] = field(default_factory=list)
    new_kcn_operating: int = 0
    new_kcn_firm: int = 0
    new_kcn_total: int = 0
    new_kcn_high_tech: int = 0
    land_fund_ha: float = 0.0
    land_fund_without_area: int = 0


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
    stuck: list[StuckItem]
    land: LandReport
    verdicts: list[Verdict]
    notes: list[str]
    technology_labels: dict[str, str] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=lambda: dict(RULES))

    @property
    def not_counted(self) -> list[Part]:
        """Parts not counted because their start date is unknown (could be before 2025)."""
        return [p for p in self.parts if p.status == "unknown_date"]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able data: ISO dates, rounded plain numbers, verdict keys and labels."""
        data = _plain(asdict(self))
        for verdict, raw in zip(data["verdicts"], self.verdicts):
            verdict["verdict_vi"] = raw.verdict_vi
        return data


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


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value or None


def operating_mw(state: Mapping[str, Any]) -> float:
    """Operating MW of a state; "operating" without a figure means the whole capacity."""
    if state.get("capacity_operating_mw") is not None:
        return float(state["capacity_operating_mw"])
    if state.get("stage") == "operating" and state.get("capacity_mw") is not None:
        return float(state["capacity_mw"])
    return 0.0


def project_parts(timeline: RecordTimeline, as_of: dt.date) -> tuple[list[list[Any]], dict[str, Any]]:
    """The project's parts ``[started_on, date_basis, mw]`` up to ``as_of``, and its state then."""
    parts: list[list[Any]] = []
    state: dict[str, Any] = {}
    previous = 0.0
    for event in timeline.events:
        if event.effective_on > as_of:
            break
        state.update(event.changes)
        now = operating_mw(state)
        if now > previous + EPS:
            parts.append([event.effective_on, event.date_basis, now - previous])
        excess = previous - now
        while excess > EPS and parts:  # a decrease corrects the latest parts first
            taken = min(excess, parts[-1][2])
            parts[-1][2] -= taken
            excess -= taken
            if parts[-1][2] <= EPS:
                parts.pop()
        previous = now
    return parts, state


def _part_status(started_on: dt.date, basis: str, start: dt.date, end: dt.date) -> str:
    if started_on < start:
        return "before_period"  # with an unknown basis too: "on or before" a pre-period day
    if basis == "unknown":
        return "unknown_date"
    return "counted" if started_on <= end else "after_deadline"


class _Context:
    """Lookups shared by the computations: technologies, targets, the energy window."""

    def __init__(self, records: ProgressRecords, as_of: dt.date) -> None:
        self.as_of = as_of
        self.tech = {t.key: t for t in records.technologies}
        self.targets = {t.target_id: t for t in records.targets}
        t2 = self.targets.get("T2")
        self.start = (t2.period_start if t2 else None) or D(2025, 1, 1)
        self.end = (t2.deadline if t2 else None) or D(2030, 12, 31)

    def chain(self, technology: str | None) -> list[str]:
        """The target a technology counts toward and its parent (T2a -> [T2a, T2])."""
        own = self.tech[technology].target_id if technology in self.tech else None
        if not own:
            return []
        parent = own.rstrip("abcdefghijklmnopqrstuvwxyz")
        return [own] + ([parent] if parent != own and parent in self.targets else [])

    def energy_target_ids(self) -> list[str]:
        ids = {tid for t in self.tech.values() for tid in self.chain(t.key)}
        return sorted(ids, key=lambda i: (len(i), i) if i != "T2" else (0, i))


def _project_line(ctx: _Context, code: str, state: Mapping[str, Any]) -> ProjectLine:
    capacity = state.get("capacity_mw")
    operating = operating_mw(state)
    remaining = max((capacity or 0.0) - operating, 0.0) if state.get("stage") not in INACTIVE else 0.0
    expected = _date(state.get("expected_cod"))
    year = max(expected, ctx.as_of).year if expected and remaining > EPS else None  # overdue -> as-of year
    chain = ctx.chain(state.get("technology"))
    return ProjectLine(code=code, name=state.get("name") or code, technology=state.get("technology") or "",
                       target_id=chain[0] if chain else None, stage=state.get("stage"), capacity_mw=capacity,
                       operating_mw=operating, remaining_mw=remaining, expected_cod=expected, expected_year=year,
                       investor=state.get("investor"), zone_code=state.get("zone_code"))


def _projects(records: ProgressRecords, ctx: _Context) -> tuple[list[Part], list[ProjectLine]]:
    parts: list[Part] = []
    lines: list[ProjectLine] = []
    for timeline in records.projects:
        raw, state = project_parts(timeline, ctx.as_of)
        if not state:
            continue  # not yet in the register on that day
        line = _project_line(ctx, timeline.code, state)
        lines.append(line)
        for started_on, basis, mw in raw:
            parts.append(Part(timeline.code, line.name, line.technology, line.target_id, mw, started_on, basis,
                              _part_status(started_on, basis, ctx.start, min(ctx.as_of, ctx.end))))
    return parts, lines


def _energy_target(ctx: _Context, target_id: str, parts: list[Part], lines: list[ProjectLine]) -> EnergyTarget:
    t = ctx.targets[target_id]
    start, end = t.period_start or ctx.start, t.deadline or ctx.end
    result = EnergyTarget(target_id, t.label_vi, float(t.value or 0.0), start, end,
                          sorted((k for k in ctx.tech if target_id in ctx.chain(k)), key=lambda k: -(ctx.tech[k].plan_mw or 0)))
    years = range(start.year, end.year + 1)
    result.online_by_year = {y: 0.0 for y in years}
    result.expected_by_year = {y: 0.0 for y in years}
    for part in parts:
        if target_id not in ctx.chain(part.technology):
            continue
        status = _part_status(part.started_on, part.date_basis, start, min(ctx.as_of, end))
        if status == "counted":
            result.counted_mw += part.mw
            result.online_by_year[part.started_on.year] += part.mw
        elif status == "unknown_date":
            result.unknown_date_mw += part.mw
    still_open = ctx.as_of <= end
    for line in lines:
        if target_id not in ctx.chain(line.technology) or line.remaining_mw <= EPS or line.expected_year is None:
            continue
        if still_open and line.expected_cod and line.expected_cod <= end:
            # Expected before the period opens (as-of before 2025): it can count from the first year.
            result.expected_by_year[max(line.expected_year, start.year)] += line.remaining_mw
            firm = PROJECT_ORDER.get(line.stage or "", 0) >= PROJECT_ORDER["construction"]
            if firm:
                result.firm_mw += line.remaining_mw
            else:
                result.possible_mw += line.remaining_mw
    running = 0.0
    for year in years:
        running += result.online_by_year[year] + result.expected_by_year[year]
        result.cumulative_by_year[year] = running
        result.gap_by_year[year] = result.target_mw - running
    if result.counted_mw + result.firm_mw >= result.target_mw - EPS:
        result.verdict = "on_track"
    elif result.counted_mw + result.firm_mw + result.possible_mw >= result.target_mw - EPS:
        result.verdict = "at_risk"
    return result


def _stage_technology(lines: list[ProjectLine]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for line in lines:
        if line.capacity_mw is not None:
            table[line.stage or "unknown"][line.technology] += line.capacity_mw
    order = {**PROJECT_ORDER, "suspended": 10, "cancelled": 11}
    return {stage: dict(table[stage]) for stage in sorted(table, key=lambda s: order.get(s, 99))}


def _stuck(records: ProgressRecords, ctx: _Context, lines: dict[str, ProjectLine],
           zones: dict[str, ZoneLine]) -> list[StuckItem]:
    items = []
    for record_type, timelines in (("project", records.projects), ("zone", records.zones)):
        for timeline in timelines:
            line = lines.get(timeline.code) if record_type == "project" else zones.get(timeline.code)
            if line is None:
                continue
            size = line.remaining_mw if isinstance(line, ProjectLine) else line.area_ha
            for ob in timeline.obstacles:
                if ob.is_open_on(ctx.as_of):
                    items.append(StuckItem(record_type, timeline.code, line.name, ob.category, ob.description,
                                           ob.opened_on, (ctx.as_of - ob.opened_on).days, line.stage, size))
    items.sort(key=lambda i: (-i.days_open, i.name))
    return items


def compute_progress(records: ProgressRecords, as_of: dt.date) -> ProgressReport:
    """Progress against T1-T6 on ``as_of`` (state, events and obstacles as of that day)."""
    ctx = _Context(records, as_of)
    parts, lines = _projects(records, ctx)
    energy = [_energy_target(ctx, tid, parts, lines) for tid in ctx.energy_target_ids()]
    t3 = ctx.targets.get("T3")
    t3_end = (t3.deadline if t3 else None) or ctx.end
    known = sum(p.mw for p in parts if p.started_on <= t3_end)
    expected = sum(l.remaining_mw for l in lines if l.expected_cod and l.expected_cod <= t3_end and as_of <= t3_end)
    late = [l for l in lines if l.remaining_mw > EPS and (l.expected_cod is None or l.expected_cod > ctx.end)]
    land, zone_lines = compute_land(records, as_of)
    verdicts = [Verdict(e.target_id, e.label_vi, e.verdict, RULES["energy"],
                        f"{e.counted_mw:g} + {e.firm_mw:g} (thi công trở lên) + {e.possible_mw:g} (giai đoạn sớm) / {e.target_mw:g} MW")
                for e in energy]
    if t3:
        verdicts.append(Verdict("T3", t3.label_vi, "no_data", RULES["t3"]))
    verdicts.extend(land_verdicts(ctx.targets, land, as_of))
    report = ProgressReport(
        as_of=as_of, energy=energy, parts=parts, t3_known_operating_mw=known, t3_expected_by_deadline_mw=expected,
        t3_target_mw=t3.value if t3 else None, mw_by_stage_technology=_stage_technology(lines),
        late_or_undated=sorted(late, key=lambda l: (l.expected_cod or D.max, -l.remaining_mw)),
        stuck=_stuck(records, ctx, {l.code: l for l in lines}, zone_lines), land=land, verdicts=verdicts, notes=[],
        technology_labels={key: tech.label_vi for key, tech in ctx.tech.items()})
    report.notes = _notes(ctx, report)
    return report


def _notes(ctx: _Context, report: ProgressReport) -> list[str]:
    from kcn_tracker.text import format_number as n

    notes = []
    t2 = ctx.targets.get("T2")
    children = [t for t in ctx.targets.values() if t.target_id != "T2" and t.target_id.rstrip("abcdefghijklmnopqrstuvwxyz") == "T2"]
    if t2 and t2.value is not None and children:
        total = sum(t.value or 0.0 for t in children)
        if abs(total - t2.value) > EPS:
            notes.append(f"Các chỉ tiêu thành phần {', '.join(sorted(t.target_id for t in children))} cộng lại {n(total)} MW, "
                         f"{'thấp' if total < t2.value else 'cao'} hơn T2 ({n(t2.value)} MW) {n(abs(t2.value - total))} MW; "
                         "văn bản không nói phần chênh lệch thuộc loại nào (không tự điều chỉnh).")
    for part in report.not_counted:
        notes.append(f"Không tính: {part.name} {n(part.mw)} MW đang vận hành, chưa rõ ngày bắt đầu (có thể trước 2025; "
                     f"chỉ biết vào hoặc trước {part.started_on:%d/%m/%Y}) / not counted: start date unknown.")
    if report.t3_target_mw is not None:
        notes.append(f"T3 ({n(report.t3_target_mw)} MW): trong sổ đã biết {n(report.t3_known_operating_mw)} MW đang vận hành, "
                     f"dự kiến thêm {n(report.t3_expected_by_deadline_mw)} MW trước hạn; thiếu công suất nền đã vận hành "
                     "trước 2025 (tài liệu không nêu) nên không đánh giá được.")
    notes.append(f"T1 tính đất CN mới từ {LAND_WINDOW_START:%d/%m/%Y} (văn bản không nêu mốc); diện tích dùng đất CN cho thuê "
                 "nếu có, nếu không dùng tổng diện tích; KKT không tính (diện tích KKT không chỉ là đất công nghiệp).")
    return notes


def _zone_line(timeline: RecordTimeline, as_of: dt.date) -> ZoneLine | None:
    state: dict[str, Any] = {}
    entered: EventRecord | None = None
    for event in timeline.events:
        if event.effective_on > as_of:
            break
        before = state.get("stage")
        state.update(event.changes)
        if entered is None and state.get("stage") == "operating" and before != "operating":
            entered = event  # the first move into operation is when the land "entered operation"
    if not state:
        return None
    leasable, leased, total = state.get("leasable_ha"), state.get("leased_ha"), state.get("total_area_ha")
    area, basis = (leasable, "leasable") if leasable is not None else (total, "total") if total is not None else (None, None)
    occupancy = leased / leasable if leased is not None and leasable else None
    return ZoneLine(timeline.code, state.get("name") or timeline.code, state.get("kind") or "", state.get("phase"),
                    state.get("stage"), area, basis, entered.effective_on if entered else None,
                    entered.date_basis if entered else None, leasable, leased, occupancy,
                    None if occupancy is None else occupancy > OCCUPANCY_T4 - EPS, state.get("high_tech"),
                    total, bool(state.get("new_kcn_t6")), bool(state.get("fill_2026_t5")))


def compute_land(records: ProgressRecords, as_of: dt.date) -> tuple[LandReport, dict[str, ZoneLine]]:
    """T1, T4, T5, T6 figures from the zones' timelines on ``as_of`` (and every zone's line)."""
    t1 = next((t for t in records.targets if t.target_id == "T1"), None)
    start = (t1.period_start if t1 else None) or LAND_WINDOW_START
    end = min(as_of, (t1.deadline if t1 else None) or D(2030, 12, 31))
    r = LandReport()
    lines = {t.code: line for t in records.zones if (line := _zone_line(t, as_of)) is not None}
    for z in lines.values():
        industrial, active = z.kind in INDUSTRIAL_KINDS, z.stage not in INACTIVE
        if industrial and z.entered_operation_on and start <= z.entered_operation_on <= end:
            if z.entered_basis == "unknown":
                r.new_zones_uncertain.append(z)  # "on or before" that day: it may predate the window
            else:
                r.new_zones.append(z)
                r.new_land_ha += z.area_ha or 0.0
                r.new_zones_without_area += z.area_ha is None
        if industrial and active and z.stage != "operating":
            key = z.stage or "unknown"
            r.pipeline_ha_by_stage[key] = r.pipeline_ha_by_stage.get(key, 0.0) + (z.area_ha or 0.0)
            r.pipeline_without_area_by_stage[key] = r.pipeline_without_area_by_stage.get(key, 0) + (z.area_ha is None)
        if industrial and z.stage == "operating":
            r.occupancy.append(z)
        if z.fill_2026_t5:
            r.fill_2026.append(z)
        if z.kind == "KCN" and active:
            r.land_fund_ha += z.total_area_ha or 0.0
            r.land_fund_without_area += z.total_area_ha is None
        if z.new_kcn_t6 and active:
            r.new_kcn_total += 1
            r.new_kcn_operating += z.stage == "operating"
            r.new_kcn_firm += ZONE_ORDER.get(z.stage or "", 0) >= ZONE_ORDER["construction"]
            r.new_kcn_high_tech += bool(z.high_tech) and z.stage == "operating"
    known = [z for z in r.occupancy if z.kind == "KCN" and z.occupancy is not None]
    if known:
        r.t4_occupancy = sum(z.leased_ha or 0.0 for z in known) / sum(z.leasable_ha or 0.0 for z in known)
    r.pipeline_ha_by_stage = {k: r.pipeline_ha_by_stage[k] for k in sorted(r.pipeline_ha_by_stage, key=lambda s: ZONE_ORDER.get(s, 99))}
    return r, lines


def _by_stage(value_firm: float, value_all: float, goal: float, still_open: bool) -> str:
    if value_firm >= goal - EPS:
        return "on_track"
    return "at_risk" if still_open and value_all >= goal - EPS else "off_track"


def land_verdicts(targets: Mapping[str, TargetRecord], land: LandReport, as_of: dt.date) -> list[Verdict]:
    """Verdicts for T1, T4, T5 and T6 (rules in ``RULES["land"]``)."""
    out = []
    rule = RULES["land"]
    if (t1 := targets.get("T1")) and t1.value:
        firm = land.new_land_ha + land.pipeline_ha_by_stage.get("construction", 0.0)
        every = land.new_land_ha + sum(land.pipeline_ha_by_stage.values())
        out.append(Verdict("T1", t1.label_vi, _by_stage(firm, every, t1.value, as_of <= (t1.deadline or D.max)), rule,
                           f"{land.new_land_ha:g} ha đã tính; {firm:g} ha tính cả đang xây dựng; {every:g} ha tính mọi KCN/CCN"))
    if t4 := targets.get("T4"):
        occ = land.t4_occupancy
        verdict = "no_data" if occ is None else "on_track" if occ > OCCUPANCY_T4 else "at_risk" if as_of <= (t4.deadline or D.max) else "off_track"
        out.append(Verdict("T4", t4.label_vi, verdict, rule, "chưa có số liệu" if occ is None else f"{occ:.1%}"))
    if t5 := targets.get("T5"):
        below = [z for z in land.fill_2026 if z.occupancy is not None and z.occupancy < 1 - EPS]
        missing = [z for z in land.fill_2026 if z.occupancy is None]
        verdict = ("at_risk" if as_of <= (t5.deadline or D.max) else "off_track") if below else "no_data" if missing or not land.fill_2026 else "on_track"
        out.append(Verdict("T5", t5.label_vi, verdict, rule, f"{len(missing)} KCN chưa có số liệu lấp đầy" if missing else ""))
    if (t6 := targets.get("T6")) and t6.value:
        verdict = _by_stage(land.new_kcn_firm, land.new_kcn_total, t6.value, as_of <= (t6.deadline or D.max))
        if verdict == "on_track" and land.new_kcn_high_tech < 1:
            verdict = "at_risk"  # the count is there but no high-tech KCN has completed infrastructure yet
        out.append(Verdict("T6", t6.label_vi, verdict, rule,
                           f"{land.new_kcn_operating}/{t6.value:g} KCN mới hoàn thành hạ tầng ({land.new_kcn_firm} từ giai đoạn "
                           f"xây dựng, {land.new_kcn_total} đang triển khai); {land.new_kcn_high_tech} định hướng công nghệ cao"))
        fund = "on_track" if land.land_fund_ha > LAND_FUND_T6_HA else "at_risk" if land.land_fund_without_area else "off_track"
        out.append(Verdict("T6-fund", f"T6: tổng quỹ đất công nghiệp (KCN) > {LAND_FUND_T6_HA:g} ha", fund,
                           "Tổng diện tích các KCN chưa hủy/tạm dừng (mọi giai đoạn) so với 3.500 ha; có rủi ro nếu chưa đủ "
                           "nhưng còn KCN chưa có số liệu diện tích.",
                           f"{land.land_fund_ha:g} ha; {land.land_fund_without_area} KCN chưa có diện tích"))
    return out


SUMMARY_BY = ("technology", "stage", "year", "zone", "investor")


@dataclass(eq=False)
class EnergySummary:
    """``kcn energy summary``: one row per group (per year and technology for ``by="year"``)."""

    as_of: dt.date
    by: str
    rows: list[dict[str, Any]]
    not_counted: list[Part]

    def as_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))


def _group_key(ctx: _Context, line: ProjectLine, by: str, zone_names: Mapping[str, str]) -> tuple[str, str]:
    from kcn_tracker.stages import label

    if by == "technology":
        tech = ctx.tech.get(line.technology)
        return line.technology, tech.label_vi if tech else line.technology
    if by == "stage":
        return line.stage or "unknown", label("project", line.stage) if line.stage else "—"
    if by == "zone":
        return line.zone_code or "", zone_names.get(line.zone_code or "", line.zone_code or "ngoài KCN/CCN")
    return line.investor or "", line.investor or "chưa có / không nêu nhà đầu tư"


def energy_summary(records: ProgressRecords, as_of: dt.date, *, by: str = "technology") -> EnergySummary:
    """MW per group on ``as_of``: capacity, operating, brought online in the period (known dates),
    not counted (unknown start date), remaining, and remaining expected by the deadline."""
    if by not in SUMMARY_BY:
        raise ValueError(f"by must be one of {SUMMARY_BY}")
    ctx = _Context(records, as_of)
    parts, lines = _projects(records, ctx)
    lines = [line for line in lines if line.capacity_mw is not None]  # transmission and nuclear carry no MW
    if by == "year":
        return EnergySummary(as_of, by, _by_year(ctx, parts, lines), [p for p in parts if p.status == "unknown_date"])
    zone_names = {z.code: (z.events[0].changes.get("name") if z.events else None) or z.code for z in records.zones}
    groups: dict[str, dict[str, Any]] = {}
    key_of: dict[str, str] = {}
    for line in lines:
        key, label_vi = _group_key(ctx, line, by, zone_names)
        key_of[line.code] = key
        row = groups.setdefault(key, {"key": key, "label": label_vi, "projects": 0, "capacity_mw": 0.0, "operating_mw": 0.0,
                                      "online_in_period_mw": 0.0, "not_counted_mw": 0.0, "remaining_mw": 0.0,
                                      "expected_by_deadline_mw": 0.0})
        row["projects"] += 1
        row["capacity_mw"] += line.capacity_mw or 0.0
        row["operating_mw"] += line.operating_mw
        row["remaining_mw"] += line.remaining_mw
        if line.expected_cod and line.expected_cod <= ctx.end and as_of <= ctx.end:
            row["expected_by_deadline_mw"] += line.remaining_mw
    for part in parts:
        if part.code in key_of:
            column = {"counted": "online_in_period_mw", "unknown_date": "not_counted_mw"}.get(part.status)
            if column:
                groups[key_of[part.code]][column] += part.mw
    rows = sorted(groups.values(), key=lambda r: -r["capacity_mw"])
    return EnergySummary(as_of, by, rows, [p for p in parts if p.status == "unknown_date"])


def _by_year(ctx: _Context, parts: list[Part], lines: list[ProjectLine]) -> list[dict[str, Any]]:
    """Rows (year, technology): MW brought online that year (known dates) and remaining MW expected that year."""
    cells: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for part in parts:
        if part.status in ("counted", "before_period", "after_deadline"):
            cells[(part.started_on.year, part.technology)][0] += part.mw
    for line in lines:
        if line.expected_year is not None and line.remaining_mw > EPS:
            cells[(line.expected_year, line.technology)][1] += line.remaining_mw
    rows = []
    for (year, tech), (online, expected) in sorted(cells.items()):
        label_vi = ctx.tech[tech].label_vi if tech in ctx.tech else tech
        rows.append({"key": year, "technology": tech, "label": label_vi, "online_mw": online, "expected_mw": expected})
    return rows
