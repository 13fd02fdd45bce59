"""Indicators, derived zone figures and T4 on a hand-checked register, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kcn_tracker.db import session_scope
from kcn_tracker.errors import InvalidValue
from kcn_tracker.periods import parse_period, quarter
from kcn_tracker.tenants.base import set_base_figure
from kcn_tracker.tenants.indicators import compute_indicators
from kcn_tracker.tenants.records import load_tenant_data
from kcn_tracker.workflow import DocumentRef
from tenant_fixture import B, D, M, build_register


@pytest.fixture
def data(engine):
    with session_scope(engine, write=True) as s:
        from factories import add_technologies

        add_technologies(s)
        build_register(s)
        set_base_figure(s, "manufacturing_enterprises", "1.500", year=2025, document=DocumentRef("NGTK 2025"), by="test")
    with session_scope(engine) as s:
        yield load_tenant_data(s)


def test_q2_flows_by_hand(data):
    ind = compute_indicators(data, parse_period("2026-Q2"))
    # New: 5 (SG, 30M USD), 7 (JP, 5M USD, on the last day), 6 (VN, 120 bn VND); 8 is 01/07, outside.
    assert (ind.fdi.new.count, ind.fdi.new.capital) == (2, 35 * M)
    assert (ind.ddi.new.count, ind.ddi.new.capital) == (1, 120 * B)
    # Adjusted: 1 from 10M to 15M USD (+5M); 10 from 15 bn to 12 bn VND (-3 bn).
    assert (ind.fdi.adjusted.count, ind.fdi.adjusted.capital) == (1, 5 * M)
    assert (ind.ddi.adjusted.count, ind.ddi.adjusted.capital) == (1, -3 * B)
    # Revoked: 4 (CN, 8M USD) on 15/04/2026.
    assert (ind.fdi.revoked.count, ind.fdi.revoked.capital) == (1, 8 * M)
    assert (ind.ddi.revoked.count, ind.ddi.revoked.capital) == (0, 0)


def test_q2_stocks_by_hand(data):
    ind = compute_indicators(data, parse_period("2026-Q2"))
    # Valid on 30/06/2026: FDI 1,2,5,7,11,12; domestic 3,6,9,10 (4 revoked, 8 not yet registered).
    assert (ind.valid_fdi, ind.valid_ddi) == (6, 4)
    # Operating: 1, 11 (FDI); 3, 9, 10 (domestic); 12 is suspended.
    assert (ind.operating_fdi, ind.operating_ddi) == (2, 3)
    assert ind.capital_usd == Decimal(78) * M  # 15 + 20 + 30 + 5 + 2 + 6
    assert ind.capital_vnd == Decimal(202) * B  # 50 + 120 + 20 + 12
    assert (ind.workers_vn, ind.workers_foreign) == (650, 10)  # 200+120+80+60+40+150; 5+2+3
    assert (ind.kcn_operating, ind.ccn_operating) == (2, 3)
    assert ind.t9 == pytest.approx(0.5)  # of 1 and 3 (KCN, operating) only 1 applies digital technology
    assert ind.t11 == 2  # 5 and 11 are high-tech and valid
    assert ind.t12 == pytest.approx(2.0) and ind.t12_year == 2025  # 3 × 1000 / 1500, the 2025 figure (no 2026 one)
    assert ind.t12_source == "NGTK 2025"


def test_derived_occupancy_equals_the_hand_sum(data):
    zones = {z.code: z for z in compute_indicators(data, parse_period("2026-Q2")).zones}
    a, b, c = zones["kcn-a"], zones["kcn-b"], zones["ccn-c"]
    assert a.leased_ha == 41.5  # 10 + 20 + 5.5 + 6.0, summed exactly: revoked 4 (4.5 ha) left; reported 40 ha not used
    assert a.occupancy == pytest.approx(0.415) and a.basis == "tenants" and a.basis_vi == "theo dự án thứ cấp"
    assert b.leased_ha == 23.25 and b.occupancy == pytest.approx(0.465)
    assert c.leased_ha == pytest.approx(7.0) and (c.registered, c.operating) == (3, 3)
    assert (a.registered, a.operating, a.valid_fdi, a.valid_ddi) == (4, 2, 3, 1)  # 1, 2, 3, 12; 1 and 3 operate
    assert a.capital_usd == 41 * M and a.capital_vnd == 50 * B


def test_a_zone_without_tenants_keeps_its_reported_figure(data):
    zones = {z.code: z for z in compute_indicators(data, quarter(2025, 4)).zones}
    assert zones["kcn-b"].basis == "reported" and zones["kcn-b"].basis_vi == "theo báo cáo"
    assert zones["kcn-b"].leased_ha == 10.0 and zones["kcn-b"].registered == 4
    assert zones["kcn-a"].leased_ha == pytest.approx(46.0)  # 4 still valid on 31/12/2025


def test_as_of_inside_the_period(data):
    ind = compute_indicators(data, parse_period("2026-Q2"), as_of=D(2026, 5, 15))
    assert (ind.fdi.new.count, ind.ddi.new.count) == (1, 0)  # only 5 (05/04); 6 is 20/05
    assert ind.fdi.adjusted.count == 1 and ind.ddi.adjusted.count == 0  # 10 is adjusted on 10/06
    assert ind.valid_fdi + ind.valid_ddi == 8  # 1,2,3,5,9,10,11,12
    with pytest.raises(InvalidValue):
        compute_indicators(data, parse_period("2026-Q2"), as_of=D(2026, 7, 1))


def test_revoked_project_leaves_the_counts(data):
    before = compute_indicators(data, quarter(2026, 1))
    after = compute_indicators(data, parse_period("2026-Q2"))
    kcn_a = lambda ind: next(z for z in ind.zones if z.code == "kcn-a")  # noqa: E731
    assert kcn_a(before).registered == 5 and kcn_a(after).registered == 4
    assert kcn_a(before).leased_ha - kcn_a(after).leased_ha == pytest.approx(4.5)
    assert before.capital_usd - 8 * M + 5 * M == after.capital_usd - 35 * M  # revoked out, adjusted and new in


def test_by_country_and_industry(data):
    ind = compute_indicators(data, parse_period("2026-Q2"))
    countries = {g.key: g for g in ind.by_country}
    assert (countries["SG"].new_count, countries["SG"].capital_usd) == (1, 30 * M)
    assert (countries["JP"].new_count, countries["JP"].capital_usd) == (1, 10 * M)  # 7 new 5M + 1 adjusted +5M
    assert (countries["VN"].new_count, countries["VN"].capital_vnd) == (1, 117 * B)  # 120 bn new - 3 bn
    assert countries["JP"].label == "Nhật Bản"
    sections = {g.key: g for g in ind.by_industry}
    assert set(sections) == {"C"} and sections["C"].new_count == 3 and sections["C"].capital_usd == 40 * M


def test_progress_t4_uses_tenant_leases(engine, data):
    from kcn_tracker.progress_data import load_records
    from kcn_tracker.progress_land import compute_land

    with session_scope(engine) as s:
        land, lines = compute_land(load_records(s), D(2026, 6, 30))
        early = compute_land(load_records(s), D(2025, 12, 31))[1]
    assert lines["kcn-a"].leased_ha == pytest.approx(41.5) and lines["kcn-a"].leased_basis == "tenants"
    assert land.t4_occupancy == pytest.approx((41.5 + 23.25) / 150)
    assert early["kcn-b"].leased_ha == 10.0 and early["kcn-b"].leased_basis == "reported"


def test_map_zones_take_the_tenant_leases(engine, data):
    from kcn_tracker.maps import MapOptions, collect_briefing
    from kcn_tracker.maps.payload import zone_properties

    with session_scope(engine) as s:
        briefing = collect_briefing(s, MapOptions(as_of=D(2026, 6, 30)))
        early = collect_briefing(s, MapOptions(as_of=D(2025, 12, 31)))
    props = {z["code"]: zone_properties(z) for z in briefing.zones}
    assert props["kcn-a"]["leased"] == pytest.approx(41.5) and props["kcn-a"]["leased_basis"] == "tenants"
    assert props["kcn-a"]["occ"] == pytest.approx(0.415)
    before = {z["code"]: zone_properties(z) for z in early.zones}
    assert before["kcn-b"]["leased"] == 10.0 and before["kcn-b"]["leased_basis"] == "reported"


def test_fixture_timelines_satisfy_every_rule(engine, data):
    from kcn_tracker.tenants.register import check_tenants

    with session_scope(engine) as s:
        assert check_tenants(s) == []
        assert len(data.tenants) == 12


def test_report_appendix_iv_carries_the_tenant_tables(engine, data):
    import datetime as dt

    from kcn_tracker.reports.content import build_content

    with session_scope(engine) as s:
        content = build_content(s, parse_period("2026-Q2"), generated_at=dt.datetime(2026, 7, 1, 8, 0), with_charts=False,
                                static_map=False)
    tables = {t.title.split(" ")[1]: t for t in content.tables if t.title.startswith("Bảng PL4.")}
    assert list(tables) == ["PL4.1.", "PL4.2.", "PL4.3.", "PL4.4.", "PL4.5.", "PL4.6.", "PL4.7."]
    attracted = tables["PL4.2."].rows
    assert attracted[0][1:] == ["1. Dự án cấp mới", 2, 35.0, 1, 120.0]  # STT, label, FDI n, million USD, DDI n, bn VND
    assert attracted[2][1:] == ["3. Dự án chấm dứt hoạt động", 1, 8.0, 0, 0.0]
    occupancy = {row[1]: row for row in tables["PL4.3."].rows}
    assert occupancy["KCN Alpha"][7:9] == [41.5, 0.415] and occupancy["KCN Alpha"][-1] == "theo dự án thứ cấp"
