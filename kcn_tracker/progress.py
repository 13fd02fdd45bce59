"""Progress against the 2030 targets, computed from plain records (no database, no pandas).

Public API (maps, the periodic report and the CLI all call these, so every
surface shows the same numbers):

- Inputs, plain frozen dataclasses: ``ProgressRecords`` holding
  ``TechnologyRecord`` (key -> sub-target, editable data), ``TargetRecord``
  (T1..T12) and one ``RecordTimeline`` per project and per zone (its events,
  ``EventRecord``, and obstacles, ``ObstacleRecord``). ``progress_data.load_records``
  builds them from a database; tests build them by hand. They live in
  ``progress_records``; the land half (T1, T4-T6) lives in ``progress_land``.
- ``compute_progress(records, as_of) -> ProgressReport``: energy against
  T2/T2a-d/T3, the pipeline (MW by stage x technology, expected MW per year,
  gap per year, late or undated projects, what is stuck), land against
  T1/T4/T5/T6, a verdict per target with the rule that produced it, and notes.
  ``ProgressReport.as_dict()`` gives plain JSON-able data (ISO dates, numbers); the
  result dataclasses live in ``progress_report``.
- ``energy_summary.energy_summary(records, as_of, by=...)``: MW per
  technology, stage, year, zone or investor (``kcn energy summary``).
- ``project_parts(timeline, as_of)``: the MW "parts" of one project;
  ``progress_land.compute_land(records, as_of)`` and ``land_verdicts(...)``: the land half alone.
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
from collections.abc import Mapping
from typing import Any

from kcn_tracker.progress_land import (
    LAND_WINDOW_START,
    ZoneLine,
    compute_land,
    land_verdicts,
)
from kcn_tracker.progress_records import (
    EPS,
    INACTIVE,
    RULES,
    D,
    ProgressRecords,
    RecordTimeline,
    TargetFigures,
    Verdict,
)
from kcn_tracker.progress_report import (  # noqa: F401  (public here: callers import them from progress)
    EnergyTarget,
    Part,
    ProgressReport,
    ProjectLine,
    StuckItem,
)
from kcn_tracker.quantities import minus, plus, total
from kcn_tracker.overdue import operating_mw  # noqa: F401  (public here too: maps and tests import it from progress)
from kcn_tracker.stages import PROJECT_STAGES
from kcn_tracker.text import format_number as n

PROJECT_ORDER = {s.key: s.order for s in PROJECT_STAGES if s.order is not None}


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value or None


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
            parts.append([event.effective_on, event.date_basis, minus(now, previous)])
        elif now < previous:  # a decrease corrects the latest parts first
            excess = minus(previous, now)
            while excess > EPS and parts:
                taken = min(excess, parts[-1][2])
                parts[-1][2] = minus(parts[-1][2], taken)
                excess = minus(excess, taken)
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
        self._chains: dict[str | None, list[str]] = {}

    def chain(self, technology: str | None) -> list[str]:
        """The target a technology counts toward and its parent (T2a -> [T2a, T2])."""
        if technology not in self._chains:  # asked once per project and target: worked out once per technology
            own = self.tech[technology].target_id if technology in self.tech else None
            parent = own.rstrip("abcdefghijklmnopqrstuvwxyz") if own else None
            self._chains[technology] = [own] + ([parent] if parent != own and parent in self.targets else []) if own else []
        return self._chains[technology]

    def energy_target_ids(self) -> list[str]:
        # A technology pointing at a target missing from the targets table is reported in the notes.
        ids = {tid for t in self.tech.values() for tid in self.chain(t.key) if tid in self.targets}
        return sorted(ids, key=lambda i: (len(i), i) if i != "T2" else (0, i))


def _project_line(ctx: _Context, code: str, state: Mapping[str, Any]) -> ProjectLine:
    capacity = state.get("capacity_mw")
    operating = operating_mw(state)
    remaining = max(minus(capacity, operating), 0.0) if state.get("stage") not in INACTIVE else 0.0
    expected = _date(state.get("expected_cod"))
    year = max(expected, ctx.as_of).year if expected and remaining > EPS else None  # overdue -> as-of year (RULES["overdue"])
    late = (ctx.as_of - expected).days if expected and expected < ctx.as_of and remaining > EPS else None
    chain = ctx.chain(state.get("technology"))
    return ProjectLine(code=code, name=state.get("name") or code, technology=state.get("technology") or "",
                       target_id=chain[0] if chain else None, stage=state.get("stage"), capacity_mw=capacity,
                       operating_mw=operating, remaining_mw=remaining, expected_cod=expected, expected_year=year,
                       investor=state.get("investor"), zone_code=state.get("zone_code"), days_overdue=late,
                       construction_completed=bool(state.get("construction_completed")))


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


def _by_technology(ctx: _Context, parts: list[Part], lines: list[ProjectLine]) -> tuple[dict[str, list[Part]], dict[str, list[ProjectLine]]]:
    """Parts, and the lines with MW still to come and an expected year, per technology (each target then reads
    only its technologies' rows: five targets over 10,000 lines were five passes over all of them)."""
    parts_of: dict[str, list[Part]] = defaultdict(list)
    pending: dict[str, list[ProjectLine]] = defaultdict(list)
    for part in parts:
        parts_of[part.technology].append(part)
    for line in lines:
        if line.remaining_mw > EPS and line.expected_year is not None:
            pending[line.technology].append(line)
    return parts_of, pending


def _energy_target(ctx: _Context, target_id: str, parts_of: dict[str, list[Part]],
                   pending: dict[str, list[ProjectLine]]) -> EnergyTarget:
    t = ctx.targets[target_id]
    start, end = t.period_start or ctx.start, t.deadline or ctx.end
    result = EnergyTarget(target_id, t.label_vi, float(t.value or 0.0), start, end,
                          sorted((k for k in ctx.tech if target_id in ctx.chain(k)), key=lambda k: -(ctx.tech[k].plan_mw or 0)))
    years = range(start.year, end.year + 1)
    # Terms are gathered and each sum is taken once (``total``: exact), not re-read at every addition.
    sums: dict[str, list[float]] = defaultdict(list)
    online: dict[int, list[float]] = {y: [] for y in years}
    expected: dict[int, list[float]] = {y: [] for y in years}
    technologies = [tech for tech in sorted({*parts_of, *pending}) if target_id in ctx.chain(tech)]
    for part in (part for tech in technologies for part in parts_of.get(tech, ())):
        status = _part_status(part.started_on, part.date_basis, start, min(ctx.as_of, end))
        if status == "counted":
            sums["counted"].append(part.mw)
            online[part.started_on.year].append(part.mw)
        elif status == "unknown_date":
            sums["unknown_date"].append(part.mw)
    still_open = ctx.as_of <= end
    for line in (line for tech in technologies for line in pending.get(tech, ())):
        if still_open and line.expected_cod and line.expected_cod <= end:
            # Expected before the period opens (as-of before 2025): it can count from the first year.
            expected[max(line.expected_year, start.year)].append(line.remaining_mw)
            firm = PROJECT_ORDER.get(line.stage or "", 0) >= PROJECT_ORDER["construction"] and line.days_overdue is None
            if line.days_overdue is not None:
                sums["overdue"].append(line.remaining_mw)
            sums["firm" if firm else "possible"].append(line.remaining_mw)
    result.counted_mw, result.unknown_date_mw = total(sums["counted"]), total(sums["unknown_date"])
    result.firm_mw, result.possible_mw, result.overdue_mw = total(sums["firm"]), total(sums["possible"]), total(sums["overdue"])
    result.online_by_year = {y: total(v) for y, v in online.items()}
    result.expected_by_year = {y: total(v) for y, v in expected.items()}
    running = 0.0
    for year in years:
        running = plus(running, result.online_by_year[year], result.expected_by_year[year])
        result.cumulative_by_year[year] = running
        result.gap_by_year[year] = minus(result.target_mw, running)
    if plus(result.counted_mw, result.firm_mw) >= result.target_mw - EPS:
        result.verdict = "on_track"
    elif plus(result.counted_mw, result.firm_mw, result.possible_mw) >= result.target_mw - EPS:
        result.verdict = "at_risk"
    return result


def _stage_technology(lines: list[ProjectLine]) -> dict[str, dict[str, float]]:
    terms: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))  # summed once per cell
    for line in lines:
        if line.capacity_mw is not None:
            terms[line.stage or "unknown"][line.technology].append(line.capacity_mw)
    order = {**PROJECT_ORDER, "suspended": 10, "cancelled": 11}
    return {stage: {tech: total(mw) for tech, mw in terms[stage].items()} for stage in sorted(terms, key=lambda s: order.get(s, 99))}


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
    parts_of, pending = _by_technology(ctx, parts, lines)
    energy = [_energy_target(ctx, tid, parts_of, pending) for tid in ctx.energy_target_ids()]
    t3 = ctx.targets.get("T3")
    t3_end = (t3.deadline if t3 else None) or ctx.end
    known = total(p.mw for p in parts if p.started_on <= t3_end)
    expected = total(l.remaining_mw for l in lines if l.expected_cod and l.expected_cod <= t3_end and as_of <= t3_end)
    late = [l for l in lines if l.remaining_mw > EPS and (l.expected_cod is None or l.expected_cod > ctx.end)]
    land, zone_lines = compute_land(records, as_of)
    verdicts = [Verdict(e.target_id, e.label_vi, e.verdict, RULES["energy"],
                        f"{n(e.counted_mw)} + {n(e.firm_mw)} (thi công trở lên) + {n(e.possible_mw)} (giai đoạn sớm"
                        + (f", gồm {n(e.overdue_mw)} quá hạn" if e.overdue_mw > EPS else "") + f") / {n(e.target_mw)} MW",
                        {"counted_mw": e.counted_mw, "firm_mw": e.firm_mw, "possible_mw": e.possible_mw,
                         "overdue_mw": e.overdue_mw, "target_mw": e.target_mw})
                for e in energy]
    if t3:
        verdicts.append(Verdict("T3", t3.label_vi, "no_data", RULES["t3"], "",
                                {"known_operating_mw": known, "expected_by_deadline_mw": expected, "target_mw": t3.value}))
    verdicts.extend(land_verdicts(ctx.targets, land, as_of))
    report = ProgressReport(
        as_of=as_of, energy=energy, parts=parts, t3_known_operating_mw=known, t3_expected_by_deadline_mw=expected,
        t3_target_mw=t3.value if t3 else None, mw_by_stage_technology=_stage_technology(lines),
        late_or_undated=sorted(late, key=lambda l: (l.expected_cod or D.max, -l.remaining_mw)),
        overdue=sorted((l for l in lines if l.days_overdue is not None), key=lambda l: (-(l.days_overdue or 0), l.name)),
        stuck=_stuck(records, ctx, {l.code: l for l in lines}, zone_lines), land=land, verdicts=verdicts, notes=[],
        technology_labels={key: tech.label_vi for key, tech in ctx.tech.items()},
        targets=[TargetFigures.of(t) for t in records.targets])
    report.notes = _notes(ctx, report)
    return report


def _notes(ctx: _Context, report: ProgressReport) -> list[str]:
    notes = []
    t2 = ctx.targets.get("T2")
    children = [t for t in ctx.targets.values() if t.target_id != "T2" and t.target_id.rstrip("abcdefghijklmnopqrstuvwxyz") == "T2"]
    if t2 and t2.value is not None and children:
        children_mw = total(t.value for t in children)
        if abs(minus(children_mw, t2.value)) > EPS:
            notes.append(f"Các chỉ tiêu thành phần {', '.join(sorted(t.target_id for t in children))} cộng lại {n(children_mw)} MW, "
                         f"{'thấp' if children_mw < t2.value else 'cao'} hơn T2 ({n(t2.value)} MW) {n(abs(minus(t2.value, children_mw)))} MW; "
                         "văn bản không nói phần chênh lệch thuộc loại nào (không tự điều chỉnh).")
    for tech in ctx.tech.values():
        if tech.target_id and tech.target_id not in ctx.targets:
            notes.append(f"Công nghệ “{tech.label_vi}” được gán cho chỉ tiêu {tech.target_id} không có trong bảng chỉ tiêu: "
                         "không tính vào chỉ tiêu nào / technology mapped to an unknown target, not counted.")
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
