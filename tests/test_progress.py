"""Progress against the 2030 targets: hand-computed values on tiny registers.

The pure-function tests build ``progress`` records by hand (no database); the
database tests build a tiny register with ``factories`` on SQLite and
PostgreSQL and check the loader gives the same numbers.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kcn_tracker.energy_summary import energy_summary
from kcn_tracker.progress import compute_progress, project_parts
from kcn_tracker.progress_records import (
    EventRecord,
    ObstacleRecord,
    ProgressRecords,
    RecordTimeline,
    TargetRecord,
    TechnologyRecord,
)

D = dt.date
MAPPING = {"solar": "T2a", "onshore_wind": "T2b", "lng": "T2c", "pumped_storage": "T2d", "small_hydro": "T2d",
           "waste_to_energy": "T2d", "nuclear": None}
TARGETS = (
    TargetRecord("T1", "Đất CN mới", 3000, "ha", None, D(2030, 12, 31)),
    TargetRecord("T2", "Công suất 2025-2030", 8200, "MW", D(2025, 1, 1), D(2030, 12, 31)),
    TargetRecord("T2a", "Trong đó: mặt trời", 2300, "MW", D(2025, 1, 1), D(2030, 12, 31)),
    TargetRecord("T2b", "Trong đó: gió", 1800, "MW", D(2025, 1, 1), D(2030, 12, 31)),
    TargetRecord("T2c", "Trong đó: LNG", 1500, "MW", D(2025, 1, 1), D(2030, 12, 31)),
    TargetRecord("T2d", "Trong đó: khác", 2400, "MW", D(2025, 1, 1), D(2030, 12, 31)),
    TargetRecord("T3", "Tổng đang vận hành", 14000, "MW", None, D(2030, 12, 31)),
    TargetRecord("T4", "Lấp đầy", 70, "%", None, D(2030, 12, 31)),
    TargetRecord("T5", "Lấp đầy 100% 2026", 100, "%", D(2026, 1, 1), D(2026, 12, 31)),
    TargetRecord("T6", "5 KCN mới", 5, "KCN", None, D(2030, 12, 31)),
)


def techs(mapping: dict[str, str | None] = MAPPING) -> tuple[TechnologyRecord, ...]:
    return tuple(TechnologyRecord(key, key.replace("_", " "), target) for key, target in mapping.items())


def project(code: str, created: dt.date, *later: tuple[dt.date, dict], basis: str = "document",
            obstacles: tuple[ObstacleRecord, ...] = (), **fields) -> RecordTimeline:
    """A project created on ``created`` with ``fields``; ``later`` = (day, changes) events.

    A changes dict may carry "_basis" to set that event's date_basis."""
    first = {"name": code, "technology": "solar", "capacity_mw": 100.0, "stage": "in_plan", "plan_role": "named", **fields}
    events = [EventRecord(created, first, basis, 1)]
    for seq, (day, changes) in enumerate(later, start=2):
        changes = dict(changes)
        events.append(EventRecord(day, {k: v for k, v in changes.items() if k != "_basis"}, changes.get("_basis", "document"), seq))
    return RecordTimeline(code, tuple(events), obstacles)


def zone(code: str, created: dt.date, *later: tuple[dt.date, dict], **fields) -> RecordTimeline:
    first = {"name": code, "kind": "KCN", "stage": "in_plan", **fields}
    events = [EventRecord(created, first, "document", 1)]
    events += [EventRecord(day, changes, changes.pop("_basis", "document"), seq) for seq, (day, changes) in
               enumerate(((d, dict(c)) for d, c in later), start=2)]
    return RecordTimeline(code, tuple(events))


def records(projects=(), zones=(), mapping=MAPPING) -> ProgressRecords:
    return ProgressRecords(techs(mapping), TARGETS, tuple(projects), tuple(zones))


def energy(report, target_id):
    return next(e for e in report.energy if e.target_id == target_id)


def verdict(report, target_id):
    return next(v.verdict for v in report.verdicts if v.target_id == target_id)


# --- energy: parts ---------------------------------------------------------------------------

def test_partial_operation_counts_each_part_from_its_own_date():
    solar = project("solar-1", D(2024, 5, 1),
                    (D(2025, 3, 1), {"stage": "partly_operating", "capacity_operating_mw": 40.0}),
                    (D(2026, 6, 1), {"stage": "operating", "capacity_operating_mw": 100.0}))
    parts, _ = project_parts(solar, D(2026, 12, 31))
    assert parts == [[D(2025, 3, 1), "document", 40.0], [D(2026, 6, 1), "document", 60.0]]
    late = compute_progress(records([solar]), D(2026, 12, 31))
    assert energy(late, "T2a").counted_mw == 100.0 and energy(late, "T2").counted_mw == 100.0
    assert energy(late, "T2a").online_by_year == {2025: 40.0, 2026: 60.0, 2027: 0.0, 2028: 0.0, 2029: 0.0, 2030: 0.0}
    # --as-of before the second part: only the first 40 MW exist yet.
    early = compute_progress(records([solar]), D(2025, 12, 31))
    assert energy(early, "T2a").counted_mw == 40.0
    assert energy(early, "T2b").counted_mw == 0.0


def test_plant_online_in_2024_does_not_count_but_its_2025_extension_does():
    wind = project("wind-1", D(2023, 1, 1),
                   (D(2024, 6, 1), {"stage": "partly_operating", "capacity_operating_mw": 30.0, "investor": "X"}),
                   (D(2025, 2, 1), {"stage": "operating", "capacity_operating_mw": 50.0}),
                   technology="onshore_wind", capacity_mw=50.0)
    report = compute_progress(records([wind]), D(2026, 1, 1))
    assert energy(report, "T2b").counted_mw == 20.0
    assert [(p.mw, p.status) for p in report.parts] == [(30.0, "before_period"), (20.0, "counted")]
    assert report.t3_known_operating_mw == 50.0  # T3 knows all 50 MW operate


def test_plant_online_in_2031_does_not_count_toward_2030():
    lng = project("lng-1", D(2025, 4, 14), (D(2031, 3, 1), {"stage": "operating"}), technology="lng", capacity_mw=1500.0)
    report = compute_progress(records([lng]), D(2031, 6, 30))
    assert energy(report, "T2c").counted_mw == 0.0 and energy(report, "T2").counted_mw == 0.0
    assert [(p.mw, p.status) for p in report.parts] == [(1500.0, "after_deadline")]
    assert verdict(report, "T2c") == "off_track"


def test_t2d_takes_small_hydro_and_waste_to_energy_and_the_mapping_is_data():
    hydro = project("hydro", D(2025, 1, 1), (D(2025, 10, 1), {"stage": "operating"}), technology="small_hydro", capacity_mw=12.0)
    waste = project("waste", D(2025, 1, 1), (D(2026, 2, 1), {"stage": "operating"}), technology="waste_to_energy", capacity_mw=26.0)
    report = compute_progress(records([hydro, waste]), D(2026, 3, 31))
    assert energy(report, "T2d").counted_mw == 38.0
    assert energy(report, "T2").counted_mw == 38.0
    assert energy(report, "T2a").counted_mw == 0.0
    # Editing the technology table moves small hydro elsewhere without code changes.
    moved = compute_progress(records([hydro, waste], mapping={**MAPPING, "small_hydro": "T2a"}), D(2026, 3, 31))
    assert energy(moved, "T2d").counted_mw == 26.0 and energy(moved, "T2a").counted_mw == 12.0


def test_technology_mapped_to_an_unknown_target_is_a_note_not_a_crash():
    hydro = project("hydro", D(2025, 1, 1), (D(2025, 10, 1), {"stage": "operating"}), technology="small_hydro", capacity_mw=12.0)
    report = compute_progress(records([hydro], mapping={**MAPPING, "small_hydro": "T9z"}), D(2026, 3, 31))
    assert energy(report, "T2d").counted_mw == 0.0 and energy(report, "T2").counted_mw == 0.0
    assert any("T9z" in note for note in report.notes)


def test_verdict_details_are_vietnamese_sentences():
    big = project("big", D(2025, 1, 1), (D(2025, 6, 1), {"stage": "construction", "investor": "A", "expected_cod": "2027-01-01"}),
                  capacity_mw=1330.5)
    detail = next(v.detail for v in compute_progress(records([big]), D(2026, 3, 31)).verdicts if v.target_id == "T2a")
    assert detail == "0 + 1.330,5 (thi công trở lên) + 0 (giai đoạn sớm) / 2.300 MW"


def test_unknown_start_date_is_listed_not_counted():
    hanbaram = project("hanbaram", D(2025, 4, 15), (D(2025, 7, 31), {"stage": "operating", "capacity_operating_mw": 93.0,
                                                                     "_basis": "unknown"}),
                       technology="onshore_wind", capacity_mw=93.0)
    report = compute_progress(records([hanbaram]), D(2026, 3, 31))
    assert energy(report, "T2b").counted_mw == 0.0
    assert energy(report, "T2b").unknown_date_mw == 93.0 and energy(report, "T2").unknown_date_mw == 93.0
    assert [(p.code, p.mw) for p in report.not_counted] == [("hanbaram", 93.0)]
    assert any("hanbaram 93 MW" in n and "chưa rõ ngày" in n and "có thể trước 2025" in n for n in report.notes)


def test_unknown_date_before_the_period_is_simply_before_it():
    old = project("old", D(2020, 1, 1), (D(2024, 12, 31), {"stage": "operating", "_basis": "unknown"}), capacity_mw=10.0)
    report = compute_progress(records([old]), D(2026, 1, 1))
    assert [p.status for p in report.parts] == ["before_period"] and not report.not_counted


def test_decrease_corrects_the_latest_part():
    p = project("p", D(2025, 1, 1), (D(2025, 3, 1), {"capacity_operating_mw": 40.0}),
                (D(2025, 6, 1), {"capacity_operating_mw": 70.0}), (D(2025, 7, 1), {"capacity_operating_mw": 50.0}))
    parts, _ = project_parts(p, D(2025, 12, 31))
    assert parts == [[D(2025, 3, 1), "document", 40.0], [D(2025, 6, 1), "document", 10.0]]


def test_the_200_mw_gap_between_t2_and_its_parts_is_a_note():
    report = compute_progress(records([]), D(2026, 1, 1))
    gap = [n for n in report.notes if "T2a, T2b, T2c, T2d" in n]
    assert gap and "8.000 MW" in gap[0] and "8.200 MW" in gap[0] and "200 MW" in gap[0]
    t3 = [n for n in report.notes if n.startswith("T3")]
    assert t3 and "trước 2025" in t3[0]
    assert verdict(report, "T3") == "no_data"


# --- pipeline and verdicts ---------------------------------------------------------------------

def test_expected_per_year_gap_and_verdicts():
    built = project("built", D(2025, 1, 1), (D(2025, 8, 1), {"stage": "construction", "investor": "A", "expected_cod": "2027-06-30"}),
                    capacity_mw=2000.0)
    early = project("early", D(2025, 1, 1), (D(2025, 8, 1), {"stage": "investor_approved", "expected_cod": "2029-12-31"}),
                    capacity_mw=400.0)
    undated = project("undated", D(2025, 1, 1), capacity_mw=500.0)
    after = project("after", D(2025, 1, 1), (D(2025, 8, 1), {"expected_cod": "2031-06-30"}), capacity_mw=300.0)
    report = compute_progress(records([built, early, undated, after]), D(2026, 1, 1))
    solar = energy(report, "T2a")
    assert (solar.firm_mw, solar.possible_mw) == (2000.0, 400.0)
    assert solar.expected_by_year == {2025: 0.0, 2026: 0.0, 2027: 2000.0, 2028: 0.0, 2029: 400.0, 2030: 0.0}
    assert solar.cumulative_by_year[2027] == 2000.0 and solar.gap_by_year[2030] == 2300.0 - 2400.0
    assert solar.verdict == "at_risk"  # 2000 firm < 2300, 2400 with the early project
    assert {l.code for l in report.late_or_undated} == {"undated", "after"}
    assert report.mw_by_stage_technology == {"in_plan": {"solar": 800.0}, "investor_approved": {"solar": 400.0},
                                             "construction": {"solar": 2000.0}}
    # Without the early-stage project the target is not covered at all.
    alone = compute_progress(records([built]), D(2026, 1, 1))
    assert energy(alone, "T2a").verdict == "off_track"
    bigger = project("bigger", D(2025, 1, 1), (D(2025, 8, 1), {"stage": "construction", "investor": "A",
                                                               "expected_cod": "2030-06-30"}), capacity_mw=2300.0)
    assert energy(compute_progress(records([bigger]), D(2026, 1, 1)), "T2a").verdict == "on_track"


def test_overdue_expected_date_moves_to_the_as_of_year_and_rule_is_printed():
    late = project("late", D(2025, 1, 1), (D(2025, 7, 31), {"stage": "construction", "investor": "A", "expected_cod": "2025-09-30"}),
                   capacity_mw=87.0)
    report = compute_progress(records([late]), D(2026, 5, 1))
    assert energy(report, "T2a").expected_by_year[2026] == 87.0 and energy(report, "T2a").expected_by_year[2025] == 0.0
    assert "thi công" in report.rules["energy"] and report.verdicts[0].rule == report.rules["energy"]


def test_as_of_before_the_period_counts_expected_mw_in_its_first_year():
    p = project("p", D(2024, 1, 1), (D(2024, 3, 1), {"stage": "construction", "investor": "A", "expected_cod": "2024-09-30"}))
    solar = energy(compute_progress(records([p]), D(2024, 6, 30)), "T2a")
    assert solar.expected_by_year[2025] == 100.0 and solar.firm_mw == 100.0 and solar.counted_mw == 0.0


def test_obstacles_open_as_of_with_days_open():
    ob = ObstacleRecord("land", "Vướng đất", D(2025, 7, 31), resolved_on=D(2026, 2, 1))
    p = project("p", D(2025, 1, 1), obstacles=(ob,), capacity_mw=50.0)
    open_report = compute_progress(records([p]), D(2025, 12, 31))
    assert [(s.code, s.days_open, s.size) for s in open_report.stuck] == [("p", 153, 50.0)]
    assert compute_progress(records([p]), D(2026, 2, 1)).stuck == []  # resolved that day
    assert compute_progress(records([p]), D(2025, 7, 30)).stuck == []  # not yet opened


def test_records_not_yet_created_are_absent():
    p = project("later", D(2026, 5, 1), (D(2026, 6, 1), {"stage": "operating"}))
    report = compute_progress(records([p]), D(2026, 1, 1))
    assert report.parts == [] and report.mw_by_stage_technology == {}


# --- land ---------------------------------------------------------------------------------------

def land_register():
    return [
        zone("new-leasable", D(2025, 1, 1), (D(2026, 3, 1), {"stage": "operating", "leasable_ha": 200.0, "leased_ha": 150.0}),
             total_area_ha=260.0, new_kcn_t6=True, high_tech=True),
        zone("new-total", D(2025, 1, 1), (D(2026, 9, 1), {"stage": "operating"}), total_area_ha=300.0, phase="giai đoạn 1"),
        zone("old", D(2024, 1, 1), (D(2025, 5, 1), {"stage": "operating", "leasable_ha": 100.0, "leased_ha": 60.0}),
             total_area_ha=120.0, fill_2026_t5=True),
        zone("no-data", D(2024, 1, 1), (D(2025, 5, 1), {"stage": "operating"}), fill_2026_t5=True),
        zone("building", D(2025, 1, 1), (D(2025, 6, 1), {"stage": "construction"}), total_area_ha=500.0, new_kcn_t6=True),
        zone("planned", D(2025, 1, 1), total_area_ha=2500.0),
        zone("ccn-unknown", D(2025, 1, 1), (D(2026, 4, 1), {"stage": "operating", "_basis": "unknown"}), kind="CCN",
             total_area_ha=40.0),
        zone("kkt", D(2025, 1, 1), (D(2026, 4, 1), {"stage": "operating"}), kind="KKT", total_area_ha=10000.0),
    ]


def test_new_industrial_land_since_2026_by_zone_with_area_basis():
    land = compute_progress(records(zones=land_register()), D(2026, 12, 31)).land
    assert [(z.code, z.area_ha, z.area_basis) for z in land.new_zones] == [("new-leasable", 200.0, "leasable"),
                                                                           ("new-total", 300.0, "total")]
    assert land.new_land_ha == 500.0
    assert [z.code for z in land.new_zones_uncertain] == ["ccn-unknown"]
    assert land.pipeline_ha_by_stage == {"in_plan": 2500.0, "construction": 500.0}
    # --as-of before the second zone opened
    assert compute_progress(records(zones=land_register()), D(2026, 6, 30)).land.new_land_ha == 200.0


def test_occupancy_without_data_is_unknown_not_zero():
    report = compute_progress(records(zones=land_register()), D(2026, 12, 31))
    occupancy = {z.code: z.occupancy for z in report.land.occupancy}
    assert occupancy["new-leasable"] == 0.75 and occupancy["old"] == 0.6
    assert occupancy["no-data"] is None and occupancy["new-total"] is None
    assert {z.code: z.meets_70 for z in report.land.occupancy}["no-data"] is None
    assert report.land.t4_occupancy == pytest.approx(210 / 300)  # only zones with data
    assert [(z.code, z.occupancy) for z in report.land.fill_2026] == [("old", 0.6), ("no-data", None)]
    assert verdict(report, "T5") == "at_risk"  # last day of 2026: Old is at 60 %, still time
    assert verdict(compute_progress(records(zones=land_register()), D(2027, 1, 1)), "T5") == "off_track"


def test_t6_new_kcn_and_land_fund():
    report = compute_progress(records(zones=land_register()), D(2026, 12, 31))
    land = report.land
    assert (land.new_kcn_operating, land.new_kcn_firm, land.new_kcn_total, land.new_kcn_high_tech) == (1, 2, 2, 1)
    assert land.land_fund_ha == 260 + 300 + 120 + 500 + 2500 and land.land_fund_without_area == 1
    assert verdict(report, "T6") == "off_track" and verdict(report, "T6-fund") == "on_track"
    assert verdict(report, "T1") == "at_risk"  # 500 + 500 building < 3000 <= 500 + 3000


def test_as_dict_is_plain_json():
    p = project("p", D(2025, 1, 1), (D(2025, 3, 1), {"stage": "operating"}))
    data = compute_progress(records([p], land_register()), D(2026, 1, 1)).as_dict()
    text = json.dumps(data)
    assert data["as_of"] == "2026-01-01" and data["energy"][0]["target_id"] == "T2"
    assert data["verdicts"][0]["verdict_vi"] in ("đúng tiến độ", "có rủi ro", "chậm tiến độ")
    assert '"started_on": "2025-03-01"' in text


def test_energy_summary_by_year_and_by_technology():
    solar = project("solar-1", D(2024, 5, 1), (D(2025, 3, 1), {"capacity_operating_mw": 40.0}),
                    (D(2026, 6, 1), {"capacity_operating_mw": 100.0}))
    wind = project("wind-1", D(2025, 1, 1), (D(2025, 8, 1), {"expected_cod": "2028-03-31"}), technology="onshore_wind", capacity_mw=60.0)
    hanbaram = project("hb", D(2025, 1, 1), (D(2025, 7, 31), {"stage": "operating", "_basis": "unknown"}),
                       technology="onshore_wind", capacity_mw=93.0)
    recs = records([solar, wind, hanbaram])
    by_year = energy_summary(recs, D(2026, 12, 31), by="year")
    assert [(r["key"], r["technology"], r["online_mw"], r["expected_mw"]) for r in by_year.rows] == [
        (2025, "solar", 40.0, 0.0), (2026, "solar", 60.0, 0.0), (2028, "onshore_wind", 0.0, 60.0)]
    assert [p.code for p in by_year.not_counted] == ["hb"]
    by_tech = {r["key"]: r for r in energy_summary(recs, D(2026, 12, 31), by="technology").rows}
    assert by_tech["onshore_wind"]["capacity_mw"] == 153.0 and by_tech["onshore_wind"]["not_counted_mw"] == 93.0
    assert by_tech["onshore_wind"]["expected_by_deadline_mw"] == 60.0 and by_tech["solar"]["online_in_period_mw"] == 100.0
    with pytest.raises(ValueError):
        energy_summary(recs, D(2026, 1, 1), by="colour")


# --- the same numbers from a database (SQLite and PostgreSQL) -----------------------------------

def build_tiny_register(engine) -> None:
    """Solar in two parts (2025, 2026), wind from 2024 extended in 2025, a Hanbaram-like part with an
    unknown date, a zone opening in 2026 with occupancy, a 100 %-fill zone without data, an obstacle."""
    from factories import add_project, add_technologies, add_zone, change

    from kcn_tracker.db import session_scope
    from kcn_tracker.history import record_change
    from kcn_tracker.models import Obstacle, Target

    with session_scope(engine, write=True) as s:
        add_technologies(s)
        for t in TARGETS:
            s.add(Target(target_id=t.target_id, label_vi=t.label_vi, label_en=t.target_id, value=t.value, unit=t.unit,
                         period_start=t.period_start, deadline=t.deadline))
        solar = add_project(s, "solar-1", on=D(2024, 5, 1), investor="A")
        change(s, solar, D(2025, 3, 1), stage="partly_operating", capacity_operating_mw=40.0)
        change(s, solar, D(2026, 6, 1), stage="operating", capacity_operating_mw=100.0)
        wind = add_project(s, "wind-1", on=D(2023, 1, 1), technology="onshore_wind", capacity_mw=50.0, investor="B")
        change(s, wind, D(2024, 6, 1), stage="partly_operating", capacity_operating_mw=30.0)
        change(s, wind, D(2025, 2, 1), stage="operating", capacity_operating_mw=50.0)
        hb = add_project(s, "hanbaram", on=D(2025, 4, 15), technology="onshore_wind", capacity_mw=93.0, investor="C")
        record_change(s, hb, {"stage": "operating", "capacity_operating_mw": 93.0}, effective_on=D(2025, 7, 31),
                      date_basis="unknown", by="test")
        waste = add_project(s, "waste", on=D(2025, 4, 15), technology="waste_to_energy", capacity_mw=26.0, investor="D")
        change(s, waste, D(2025, 11, 1), stage="construction", expected_cod=D(2027, 6, 30))
        kcn = add_zone(s, "kcn-a", on=D(2025, 1, 1), total_area_ha=300.0)
        change(s, kcn, D(2026, 3, 1), stage="operating", leasable_ha=200.0, leased_ha=150.0)
        add_zone(s, "kcn-b", on=D(2025, 1, 1), stage="operating", fill_2026_t5=True)
        s.add(Obstacle(project=waste, category="land", description="Vướng đất", opened_on=D(2025, 11, 1),
                       recorded_by="test", recorded_at=dt.datetime.now(dt.timezone.utc)))


def test_database_register_gives_hand_computed_numbers(engine):
    from kcn_tracker.db import session_scope
    from kcn_tracker.progress_data import load_records

    build_tiny_register(engine)
    with session_scope(engine) as session:
        from_session = load_records(session)
    with engine.connect() as connection:
        from_connection = load_records(connection)
    assert from_session == from_connection
    before = compute_progress(from_session, D(2025, 12, 31))
    after = compute_progress(from_session, D(2026, 6, 30))
    assert (energy(before, "T2a").counted_mw, energy(after, "T2a").counted_mw) == (40.0, 100.0)
    assert energy(after, "T2b").counted_mw == 20.0 and energy(after, "T2b").unknown_date_mw == 93.0
    assert energy(after, "T2d").firm_mw == 26.0 and energy(after, "T2d").expected_by_year[2027] == 26.0
    assert energy(after, "T2").counted_mw == 120.0
    assert [p.code for p in after.not_counted] == ["hanbaram"]
    assert (before.land.new_land_ha, after.land.new_land_ha) == (0.0, 200.0)
    assert {z.code: z.occupancy for z in after.land.occupancy} == {"kcn-a": 0.75, "kcn-b": None}
    assert [(s.code, s.days_open) for s in after.stuck] == [("waste", 241)]


def test_loader_states_match_history_and_registry(bundled_url):
    from sqlalchemy import select

    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.history import states_as_of
    from kcn_tracker.models import Project, Zone
    from kcn_tracker.progress_data import load_records
    from kcn_tracker.registry import views

    engine = make_engine(bundled_url)
    with session_scope(engine) as session:
        recs = load_records(session)
        for model, timelines in ((Project, recs.projects), (Zone, recs.zones)):
            codes = dict(session.execute(select(model.id, model.code)).all())
            for day in (D(2025, 4, 14), D(2025, 7, 31), D(2026, 1, 1)):
                expected = {codes[i]: state for i, state in states_as_of(session, model, day).items()}
                got = {t.code: t.state(day) for t in timelines if t.state(day)}
                assert got == expected
        day = D(2026, 1, 1)
        stuck = {(s.code, s.days_open) for s in compute_progress(recs, day).stuck}
        from_views = {(row["code"], ob["days_open"]) for kind in ("project", "zone")
                      for row in views(session, kind, as_of=day) for ob in row["open_obstacles"]}
    engine.dispose()
    assert stuck == from_views and len(stuck) == 5


def load_records_from(url):
    from kcn_tracker.db import make_engine
    from kcn_tracker.progress_data import load_records

    engine = make_engine(url)
    with engine.connect() as connection:
        records = load_records(connection)
    engine.dispose()
    return records


def test_bundled_register_hanbaram_and_targets(bundled_url):
    from kcn_tracker.db import make_engine
    from kcn_tracker.progress_data import load_records

    engine = make_engine(bundled_url)
    with engine.connect() as connection:
        report = compute_progress(load_records(connection), D(2026, 1, 1))
    engine.dispose()
    assert [(p.code, p.mw, p.status) for p in report.not_counted] == [("dg-hanbaram", 93.0, "unknown_date")]
    assert energy(report, "T2").target_mw == 8200 and energy(report, "T2b").counted_mw == 0.0
    # Phước Thái 2 + 3 (construction completed, expected 9/2025) are overdue on 01/01/2026: rule "overdue" counts
    # them as at risk in the as-of year, never as firm (issue 14).
    t2a = energy(report, "T2a")
    assert (t2a.firm_mw, t2a.overdue_mw, t2a.expected_by_year[2026]) == (0.0, 130.5, 130.5)
    assert t2a.possible_mw >= 130.5
    assert [(l.code, l.days_overdue, l.construction_completed) for l in report.overdue] == [
        ("dmt-phuoc-thai-2", 93, True), ("dmt-phuoc-thai-3", 93, True), ("td-song-giang-1", 1, False)]
    assert "overdue" in report.rules and "có rủi ro" in report.rules["overdue"]
    later = compute_progress(load_records_from(bundled_url), D(2026, 12, 2))
    assert [(l.code, l.days_overdue) for l in later.overdue][:3] == [
        ("dmt-phuoc-thai-2", 428), ("dmt-phuoc-thai-3", 428), ("td-song-giang-1", 336)]
    assert report.land.fill_2026 and all(z.occupancy is None for z in report.land.fill_2026)
