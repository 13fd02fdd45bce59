"""Status updates: events, late reports, refused moves, partial operation, occupancy, obstacles."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from factories import D, add_project, add_technologies, add_zone
from kcn_tracker.db import session_scope
from kcn_tracker.errors import InvalidValue, KcnError, ValidationFailed
from kcn_tracker.models import Event, Obstacle, Project, Zone
from kcn_tracker.registry import views
from kcn_tracker.workflow import DocumentRef, changes_between, open_obstacle, record_history, resolve_obstacle, update_record

TODAY = D(2026, 11, 22)


@pytest.fixture
def seeded(engine):
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        add_project(s, "pt2", name="Điện mặt trời Phước Thái 2", capacity_mw=87.0)
        add_project(s, "lng", name="LNG Cà Ná", technology="lng", capacity_mw=1500.0, stage="policy_decision", on=D(2025, 4, 14))
        add_zone(s, "ninh-thuy", name="KCN Ninh Thủy", stage="operating")
    return engine


def _snapshot(engine):
    with session_scope(engine) as s:
        return (s.scalar(select(func.count()).select_from(Event)), s.scalar(select(func.count()).select_from(Obstacle)),
                [(p.code, p.stage, p.capacity_operating_mw, p.version) for p in s.scalars(select(Project).order_by(Project.code))],
                [(z.code, z.leased_ha, z.leasable_ha, z.version) for z in s.scalars(select(Zone))])


def test_update_appends_an_event_with_document_and_author(seeded):
    with session_scope(seeded, write=True) as s:
        preview = update_record(s, "project", "phuoc thai 2", {"stage": "construction", "investor": "Công ty A"},
                                effective_on=D(2025, 8, 1), document=DocumentRef("12/QĐ-UBND", D(2025, 7, 30)),
                                by="lan", today=TODAY)
    assert [c.field for c in preview.changes] == ["stage", "investor"]
    with session_scope(seeded) as s:
        project = s.scalars(select(Project).where(Project.code == "pt2")).one()
        last = project.events[-1]
        assert (project.stage, project.investor, project.version) == ("construction", "Công ty A", 2)
        assert (last.recorded_by, last.document.number, last.document.issued_on) == ("lan", "12/QĐ-UBND", D(2025, 7, 30))


def test_late_report_is_inserted_in_time_and_state_recomputed(seeded):
    with session_scope(seeded, write=True) as s:
        update_record(s, "project", "pt2", {"stage": "operating", "investor": "A"}, effective_on=D(2026, 3, 1), today=TODAY)
        late = update_record(s, "project", "pt2", {"stage": "construction", "investor": "A"}, effective_on=D(2025, 9, 1), today=TODAY)
    assert late.late and late.changes == []  # the later "operating" still wins today
    with session_scope(seeded) as s:
        as_of = {r["code"]: r for r in views(s, "project", as_of=D(2025, 12, 31))}
        assert as_of["pt2"]["stage"] == "construction"
        assert {r["code"]: r for r in views(s, "project", as_of=TODAY)}["pt2"]["stage"] == "operating"
        project = s.scalars(select(Project).where(Project.code == "pt2")).one()
        assert [e.effective_on for e in project.events] == [D(2025, 4, 15), D(2025, 9, 1), D(2026, 3, 1)]


def test_partial_operation_moves_stage_and_never_exceeds_capacity(seeded):
    with session_scope(seeded, write=True) as s:
        update_record(s, "project", "pt2", {"stage": "construction", "investor": "A"}, effective_on=D(2025, 8, 1), today=TODAY)
        p = update_record(s, "project", "pt2", {"capacity_operating_mw": "40"}, effective_on=D(2025, 10, 1), today=TODAY)
        assert {c.field: c.new for c in p.changes} == {"capacity_operating_mw": 40.0, "stage": "partly_operating"}
        p = update_record(s, "project", "pt2", {"capacity_operating_mw": "87"}, effective_on=D(2026, 1, 5), today=TODAY)
        assert {c.field: c.new for c in p.changes}["stage"] == "operating"
    before = _snapshot(seeded)
    with pytest.raises(ValidationFailed, match="lớn hơn công suất"), session_scope(seeded, write=True) as s:
        update_record(s, "project", "pt2", {"capacity_operating_mw": "1.200"}, effective_on=D(2026, 2, 1), today=TODAY)
    assert _snapshot(seeded) == before


@pytest.mark.parametrize("values, effective_on, message", [
    ({"stage": "flying"}, D(2026, 1, 1), "không tồn tại"),
    ({"stage": "operating"}, D(2026, 1, 1), "chưa có nhà đầu tư"),
    ({"stage": "in_plan"}, D(2026, 1, 1), "lý do"),
    ({"capacity_operating_mw": "-5"}, D(2026, 1, 1), "âm"),
    ({"capacity_mw": "abc"}, D(2026, 1, 1), "không phải là số"),
    ({"expected_cod": "32/13/2027"}, D(2026, 1, 1), "không phải ngày"),
    ({"stage": "construction", "investor": "B"}, D(2027, 1, 1), "tương lai"),
    ({"colour": "red"}, D(2026, 1, 1), "không sửa được"),
])
def test_bad_updates_are_refused_and_leave_the_database_untouched(seeded, values, effective_on, message):
    before = _snapshot(seeded)
    with pytest.raises(KcnError, match=message), session_scope(seeded, write=True) as s:
        update_record(s, "project", "lng", values, effective_on=effective_on, today=TODAY)
    assert _snapshot(seeded) == before


def test_zone_occupancy_history_and_leased_above_leasable(seeded):
    with session_scope(seeded, write=True) as s:
        update_record(s, "zone", "ninh thuy", {"leasable_ha": "150", "leased_ha": "90,5", "tenants_registered": "12"},
                      effective_on=D(2026, 3, 31), today=TODAY)
        update_record(s, "zone", "ninh thuy", {"leased_ha": "120"}, effective_on=D(2026, 6, 30), today=TODAY)
    before = _snapshot(seeded)
    with pytest.raises(ValidationFailed, match="lớn hơn diện tích cho thuê"), session_scope(seeded, write=True) as s:
        update_record(s, "zone", "ninh thuy", {"leased_ha": "151"}, effective_on=D(2026, 9, 30), today=TODAY)
    assert _snapshot(seeded) == before
    with session_scope(seeded) as s:
        q1 = {r["code"]: r for r in views(s, "zone", as_of=D(2026, 4, 1))}["ninh-thuy"]
        assert (q1["leasable_ha"], q1["leased_ha"]) == (150.0, 90.5)
        items = changes_between(s, D(2026, 3, 31), D(2026, 6, 30))
        assert [(i.category, i.field, i.old, i.new) for i in items] == [("occupancy", "leased_ha", 90.5, 120.0)]


def test_obstacles_open_resolve_and_appear_in_history_and_changes(seeded):
    with session_scope(seeded, write=True) as s:
        a = open_obstacle(s, "project", "pt2", category="land", description="Thủ tục đất đai", opened_on=D(2025, 7, 31), today=TODAY)
        open_obstacle(s, "project", "pt2", category="đấu nối lưới điện", description="Chưa có đường dây", opened_on=D(2026, 1, 2), today=TODAY)
        resolve_obstacle(s, a.id, resolved_on=D(2026, 5, 4), document=DocumentRef("9/TB-UBND"), today=TODAY)
    with session_scope(seeded) as s:
        row = {r["code"]: r for r in views(s, "project", as_of=D(2026, 2, 1))}["pt2"]
        assert sorted(o["category"] for o in row["open_obstacles"]) == ["grid", "land"]
        assert [o["category"] for o in {r["code"]: r for r in views(s, "project", as_of=TODAY)}["pt2"]["open_obstacles"]] == ["grid"]
        kinds = [e.kind for e in record_history(s.scalars(select(Project).where(Project.code == "pt2")).one())]
        assert kinds == ["event", "obstacle_opened", "obstacle_opened", "obstacle_resolved"]
        period = changes_between(s, D(2026, 3, 31), D(2026, 6, 30))
        assert [(i.category, i.document) for i in period] == [("obstacle_resolved", "9/TB-UBND")]
    with pytest.raises(ValidationFailed, match="category") as refused, session_scope(seeded, write=True) as s:
        open_obstacle(s, "project", "pt2", category="weather", description="", today=TODAY)
    assert [p.field for p in refused.value.problems] == ["category", "description"]  # both problems at once
    with pytest.raises(InvalidValue, match="đã giải quyết"), session_scope(seeded, write=True) as s:
        resolve_obstacle(s, a.id, today=TODAY)


def test_dry_run_changes_nothing(seeded):
    before = _snapshot(seeded)
    with session_scope(seeded, write=True) as s:
        preview = update_record(s, "zone", "ninh thuy", {"leasable_ha": "10"}, effective_on=D(2026, 1, 1), dry_run=True, today=TODAY)
        s.rollback()
    assert preview.changes[0].new == 10.0 and not preview.written
    assert _snapshot(seeded) == before


def test_current_record_always_equals_replayed_history(seeded):
    with session_scope(seeded, write=True) as s:
        update_record(s, "project", "lng", {"investor": "Liên danh X", "stage": "investor_approved"}, effective_on=D(2026, 2, 1), today=TODAY)
        update_record(s, "project", "lng", {"expected_cod": "31/12/2030"}, effective_on=D(2025, 12, 1), today=TODAY)
    with session_scope(seeded) as s:
        current = {r["code"]: r for r in views(s, "project", as_of=TODAY)}["lng"]
        lng = s.scalars(select(Project).where(Project.code == "lng")).one()
        assert (lng.stage, lng.investor, lng.expected_cod) == (current["stage"], current["investor"], current["expected_cod"])
        assert lng.expected_cod == dt.date(2030, 12, 31)


def test_implied_changes_only_on_entering_operation_and_mw_beats_a_stale_stage():
    from kcn_tracker.workflow import implied_changes

    running = {"stage": "operating", "capacity_mw": 93.0, "capacity_operating_mw": 93.0, "actual_cod": None}
    assert implied_changes("project", running, {"stage": "operating", "capacity_operating_mw": 93.0}, D(2025, 10, 15)) == \
        {"stage": "operating", "capacity_operating_mw": 93.0}
    building = {"stage": "construction", "capacity_mw": 87.0}
    assert implied_changes("project", building, {"stage": "construction", "capacity_operating_mw": 40.0}, D(2025, 10, 15)) == \
        {"stage": "partly_operating", "capacity_operating_mw": 40.0}
    assert implied_changes("project", building, {"stage": "operating"}, D(2026, 1, 5)) == \
        {"stage": "operating", "capacity_operating_mw": 87.0, "actual_cod": D(2026, 1, 5)}
