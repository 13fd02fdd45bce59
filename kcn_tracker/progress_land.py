"""Industrial land against T1, T4, T5 and T6: new land in operation, pipeline, occupancy, land fund."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kcn_tracker.progress_records import (
    EPS,
    INACTIVE,
    RULES,
    D,
    EventRecord,
    ProgressRecords,
    RecordTimeline,
    TargetRecord,
    Verdict,
)
from kcn_tracker.quantities import plus, total
from kcn_tracker.stages import ZONE_STAGES
from kcn_tracker.text import format_number as n
from kcn_tracker.text import format_percent

#: The issue counts new industrial land (T1) from the start of 2026; the T1 row gives no start date.
LAND_WINDOW_START = D(2026, 1, 1)
#: T6's second quantity lives only in the T6 note (DATA_FORMAT.md, open question 1).
LAND_FUND_T6_HA = 3500.0
OCCUPANCY_T4 = 0.70
INDUSTRIAL_KINDS = ("KCN", "CCN")
ZONE_ORDER = {s.key: s.order for s in ZONE_STAGES if s.order is not None}


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
    new_kcn_t6_inferred: bool = False
    leased_basis: str | None = None  # "tenants" (sum of tenant leases) | "reported" | None


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
    new_kcn_inferred: int = 0  # of new_kcn_total: counted among T6's 5 by a reading of 003's footnote (inferred)
    land_fund_ha: float = 0.0
    land_fund_without_area: int = 0


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
                    total, bool(state.get("new_kcn_t6")), bool(state.get("fill_2026_t5")),
                    state.get("new_kcn_t6_basis") == "inferred")


def compute_land(records: ProgressRecords, as_of: dt.date) -> tuple[LandReport, dict[str, ZoneLine]]:
    """T1, T4, T5, T6 figures from the zones' timelines on ``as_of`` (and every zone's line)."""
    t1 = next((t for t in records.targets if t.target_id == "T1"), None)
    start = (t1.period_start if t1 else None) or LAND_WINDOW_START
    end = min(as_of, (t1.deadline if t1 else None) or D(2030, 12, 31))
    r = LandReport()
    lines = {t.code: line for t in records.zones if (line := _zone_line(t, as_of)) is not None}
    _use_tenant_leases(lines, records, as_of)
    for z in lines.values():
        industrial, active = z.kind in INDUSTRIAL_KINDS, z.stage not in INACTIVE
        if industrial and z.entered_operation_on and start <= z.entered_operation_on <= end:
            if z.entered_basis == "unknown":
                r.new_zones_uncertain.append(z)  # "on or before" that day: it may predate the window
            else:
                r.new_zones.append(z)
                r.new_land_ha = plus(r.new_land_ha, z.area_ha)
                r.new_zones_without_area += z.area_ha is None
        if industrial and active and z.stage != "operating":
            key = z.stage or "unknown"
            r.pipeline_ha_by_stage[key] = plus(r.pipeline_ha_by_stage.get(key, 0.0), z.area_ha)
            r.pipeline_without_area_by_stage[key] = r.pipeline_without_area_by_stage.get(key, 0) + (z.area_ha is None)
        if industrial and z.stage == "operating":
            r.occupancy.append(z)
        if z.fill_2026_t5:
            r.fill_2026.append(z)
        if z.kind == "KCN" and active:
            r.land_fund_ha = plus(r.land_fund_ha, z.total_area_ha)
            r.land_fund_without_area += z.total_area_ha is None
        if z.new_kcn_t6 and active:
            r.new_kcn_total += 1
            r.new_kcn_operating += z.stage == "operating"
            r.new_kcn_firm += ZONE_ORDER.get(z.stage or "", 0) >= ZONE_ORDER["construction"]
            r.new_kcn_high_tech += bool(z.high_tech) and z.stage == "operating"
            r.new_kcn_inferred += z.new_kcn_t6_inferred
    known = [z for z in r.occupancy if z.kind == "KCN" and z.occupancy is not None]
    if known:
        r.t4_occupancy = total(z.leased_ha for z in known) / total(z.leasable_ha for z in known)
    r.pipeline_ha_by_stage = {k: r.pipeline_ha_by_stage[k] for k in sorted(r.pipeline_ha_by_stage, key=lambda s: ZONE_ORDER.get(s, 99))}
    return r, lines


def _use_tenant_leases(lines: dict[str, ZoneLine], records: ProgressRecords, as_of: dt.date) -> None:
    """Zones with tenant projects take leased land from them (T4/T5 and the map read it here)."""
    from kcn_tracker.tenants.derived import BASIS_REPORTED, BASIS_TENANTS, derived_leased_ha

    derived = derived_leased_ha(records.tenants, as_of) if records.tenants else {}
    for code, z in lines.items():
        if code in derived:
            z.leased_ha, z.leased_basis = derived[code], BASIS_TENANTS
            z.occupancy = z.leased_ha / z.leasable_ha if z.leasable_ha else None
            z.meets_70 = None if z.occupancy is None else z.occupancy > OCCUPANCY_T4 - EPS
        elif z.leased_ha is not None:
            z.leased_basis = BASIS_REPORTED


def _by_stage(value_firm: float, value_all: float, goal: float, still_open: bool) -> str:
    if value_firm >= goal - EPS:
        return "on_track"
    return "at_risk" if still_open and value_all >= goal - EPS else "off_track"


def land_verdicts(targets: Mapping[str, TargetRecord], land: LandReport, as_of: dt.date) -> list[Verdict]:
    """Verdicts for T1, T4, T5 and T6 (rules in ``RULES["land"]``)."""
    out = []
    rule = RULES["land"]
    if (t1 := targets.get("T1")) and t1.value:
        firm = plus(land.new_land_ha, land.pipeline_ha_by_stage.get("construction", 0.0))
        every = plus(land.new_land_ha, *land.pipeline_ha_by_stage.values())
        out.append(Verdict("T1", t1.label_vi, _by_stage(firm, every, t1.value, as_of <= (t1.deadline or D.max)), rule,
                           f"{n(land.new_land_ha)} ha đã tính; {n(firm)} ha tính cả đang xây dựng; {n(every)} ha tính mọi KCN/CCN",
                           {"counted_ha": land.new_land_ha, "firm_ha": firm, "all_ha": every, "target_ha": t1.value}))
    if t4 := targets.get("T4"):
        occ = land.t4_occupancy
        verdict = "no_data" if occ is None else "on_track" if occ > OCCUPANCY_T4 else "at_risk" if as_of <= (t4.deadline or D.max) else "off_track"
        out.append(Verdict("T4", t4.label_vi, verdict, rule, format_percent(occ),
                           {"occupancy_pct": None if occ is None else occ * 100, "target_pct": OCCUPANCY_T4 * 100}))
    if t5 := targets.get("T5"):
        below = [z for z in land.fill_2026 if z.occupancy is not None and z.occupancy < 1 - EPS]
        missing = [z for z in land.fill_2026 if z.occupancy is None]
        verdict = ("at_risk" if as_of <= (t5.deadline or D.max) else "off_track") if below else "no_data" if missing or not land.fill_2026 else "on_track"
        out.append(Verdict("T5", t5.label_vi, verdict, rule, f"{len(missing)} KCN chưa có số liệu lấp đầy" if missing else "",
                           {"zones": len(land.fill_2026), "below_full": len(below), "without_data": len(missing)}))
    if (t6 := targets.get("T6")) and t6.value:
        verdict = _by_stage(land.new_kcn_firm, land.new_kcn_total, t6.value, as_of <= (t6.deadline or D.max))
        if verdict == "on_track" and land.new_kcn_high_tech < 1:
            verdict = "at_risk"  # the count is there but no high-tech KCN has completed infrastructure yet
        out.append(Verdict("T6", t6.label_vi, verdict, rule,
                           f"{land.new_kcn_operating}/{n(t6.value)} KCN mới hoàn thành hạ tầng ({land.new_kcn_firm} từ giai đoạn "
                           f"xây dựng, {land.new_kcn_total} đang triển khai); {land.new_kcn_high_tech} định hướng công nghệ cao"
                           + (f"; {land.new_kcn_inferred} KCN xếp vào T6 theo cách đọc chú thích của 003 (suy luận)"
                              if land.new_kcn_inferred else ""),
                           {"operating": land.new_kcn_operating, "firm": land.new_kcn_firm, "total": land.new_kcn_total,
                            "high_tech": land.new_kcn_high_tech, "target": t6.value}))
        fund = "on_track" if land.land_fund_ha > LAND_FUND_T6_HA else "at_risk" if land.land_fund_without_area else "off_track"
        out.append(Verdict("T6-fund", f"T6: tổng quỹ đất công nghiệp (KCN) > {n(LAND_FUND_T6_HA)} ha", fund,
                           "Tổng diện tích các KCN chưa hủy/tạm dừng (mọi giai đoạn) so với 3.500 ha; có rủi ro nếu chưa đủ "
                           "nhưng còn KCN chưa có số liệu diện tích.",
                           f"{n(land.land_fund_ha)} ha; {land.land_fund_without_area} KCN chưa có diện tích",
                           {"land_fund_ha": land.land_fund_ha, "without_area": land.land_fund_without_area,
                            "target_ha": LAND_FUND_T6_HA}))
    return out
