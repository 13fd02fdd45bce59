"""Tenant register: validation (every problem at once), stage moves, money exactness, history, obstacles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from factories import add_zone
from kcn_tracker.db import session_scope
from kcn_tracker.errors import InvalidValue, ValidationFailed
from kcn_tracker.tenants.fields import parse_certificate, parse_decimal
from kcn_tracker.tenants.models import Tenant, TenantEvent
from kcn_tracker.tenants.register import (
    add_tenant,
    open_tenant_obstacle,
    resolve_tenant,
    resolve_tenant_obstacle,
    tenant_history,
    update_tenant,
)
from kcn_tracker.tenants.stages import ALLOWED_MOVES, TENANT_STAGES, check_tenant_move

D = dt.date
TODAY = D(2026, 12, 31)
BASE = {"certificate_no": "4321 000 123", "certificate_on": "15/03/2025", "name": "Nhà máy ABC", "zone_code": "ninh thuy",
        "stage": "Đã cấp GCNĐKĐT", "country": "Nhật Bản", "capital_usd": "12.500.000,50", "leased_ha": "5,2"}


@pytest.fixture
def session(engine):
    with session_scope(engine, write=True) as s:
        add_zone(s, "kcn-ninh-thuy", name="KCN Ninh Thủy", kind="KCN", stage="operating", leasable_ha=100.0)
        yield s


def test_add_parses_vietnamese_input_exactly(session):
    preview = add_tenant(session, BASE, by="t", today=TODAY)
    tenant = resolve_tenant(session, "4321000123")
    assert preview.created and tenant.certificate_no == "4321000123"
    assert tenant.capital_usd == Decimal("12500000.5") and tenant.fdi is True and tenant.country == "JP"
    assert tenant.zone_code == "kcn-ninh-thuy" and tenant.stage == "registered" and tenant.leased_ha == 5.2
    assert tenant.events[0].effective_on == D(2025, 3, 15)  # dated the certificate
    assert tenant.events[0].changes["capital_usd"] == "12500000.5"  # exact text in the event


def test_every_problem_at_once_and_nothing_written(session):
    bad = {**BASE, "certificate_no": "12-AB", "leased_ha": "năm", "stage": "xyz", "country": "Atlantis"}
    with pytest.raises(ValidationFailed) as err:
        add_tenant(session, bad, by="t", today=TODAY)
    fields = {p.field for p in err.value.problems}
    assert fields == {"certificate_no", "leased_ha", "stage", "country"}
    assert session.scalar(select(func.count()).select_from(Tenant)) == 0


def test_certificate_is_unique_and_formatted(session):
    add_tenant(session, BASE, by="t", today=TODAY)
    with pytest.raises(ValidationFailed, match="đã có trong sổ"):
        add_tenant(session, {**BASE, "name": "Khác"}, by="t", today=TODAY)
    assert parse_certificate("4321.000.123") == "4321000123" and parse_certificate("372043000123") == "372043000123"
    assert parse_certificate("43210001") == "43210001"  # Điều 37 NĐ 31/2021 fixes no length: any digits up to 20
    for bad in ("4321AB01", "1" * 21, " . "):
        with pytest.raises(InvalidValue, match="digits only"):
            parse_certificate(bad)


def test_currency_rules(session):
    with pytest.raises(ValidationFailed, match="FDI capital is registered in USD"):
        add_tenant(session, {**BASE, "capital_usd": None, "capital_vnd": "1.000.000.000"}, by="t", today=TODAY)
    with pytest.raises(ValidationFailed, match="the rate needs its date"):
        add_tenant(session, {**BASE, "fx_rate": "25.000"}, by="t", today=TODAY)
    with pytest.raises(ValidationFailed, match="do not agree"):
        add_tenant(session, {**BASE, "capital_vnd": "100", "fx_rate": "25000", "fx_rate_on": "15/03/2025"}, by="t", today=TODAY)
    add_tenant(session, {**BASE, "fx_rate": "25.450", "fx_rate_on": "15/03/2025"}, by="t", today=TODAY)
    tenant = resolve_tenant(session, "abc")
    assert tenant.capital_vnd == Decimal("318125012725")  # 12,500,000.5 × 25,450, rounded to the đồng
    update_tenant(session, "abc", {"capital_usd": "20.000.000"}, effective_on=D(2026, 1, 10), by="t", today=TODAY)
    assert (tenant.capital_vnd, tenant.fx_rate) == (None, None)  # the old conversion no longer holds


def test_stage_moves_are_declared(session):
    assert set(ALLOWED_MOVES[None]) == {"registered", "land_handed_over", "construction", "operating"}
    assert ALLOWED_MOVES["revoked"] == {}
    assert len(TENANT_STAGES) == 6
    add_tenant(session, BASE, by="t", today=TODAY)
    with pytest.raises(ValidationFailed, match="needs a reason"):
        update_tenant(session, "abc", {"stage": "revoked"}, effective_on=D(2026, 1, 1), by="t", today=TODAY)
    update_tenant(session, "abc", {"stage": "revoked"}, effective_on=D(2026, 1, 1), note="Thu hồi", by="t", today=TODAY)
    with pytest.raises(ValidationFailed, match="revoked is final"):
        update_tenant(session, "abc", {"stage": "operating"}, effective_on=D(2026, 2, 1), note="x", by="t", today=TODAY)
    check_tenant_move("registered", "operating", reason=None)  # skipping forward is normal


def test_late_event_and_history(session):
    add_tenant(session, BASE, by="t", today=TODAY)
    update_tenant(session, "abc", {"stage": "operating", "workers_vn": "300"}, effective_on=D(2026, 6, 1), by="t", today=TODAY)
    late = update_tenant(session, "abc", {"stage": "construction"}, effective_on=D(2025, 9, 1), by="t", today=TODAY)
    assert late.late
    tenant = resolve_tenant(session, "abc")
    assert tenant.stage == "operating"
    ob = open_tenant_obstacle(session, "abc", category="land", description="Chậm bàn giao đất", opened_on=D(2025, 5, 1), today=TODAY)
    resolve_tenant_obstacle(session, ob.id, resolved_on=D(2025, 8, 1), today=TODAY)
    kinds = [(e.effective_on, e.kind) for e in tenant_history(tenant)]
    assert kinds == [(D(2025, 3, 15), "event"), (D(2025, 5, 1), "obstacle_opened"), (D(2025, 8, 1), "obstacle_resolved"),
                     (D(2025, 9, 1), "event"), (D(2026, 6, 1), "event")]
    assert session.scalar(select(func.count()).select_from(TenantEvent)) == 3


def test_future_dates_refused(session):
    with pytest.raises(ValidationFailed, match="future"):
        add_tenant(session, {**BASE, "certificate_on": "01/01/2027"}, by="t", today=TODAY)


def test_parse_decimal_is_exact():
    assert parse_decimal("1.234.567.890.123,45", label="x") == Decimal("1234567890123.45")
    assert parse_decimal(1500, label="x") == Decimal(1500)
    with pytest.raises(InvalidValue):
        parse_decimal("1234567890123456789", label="x")


def test_page_helpers(session):
    from kcn_tracker.tenants.queries import form_problems, tenant_detail

    add_tenant(session, BASE, by="t", today=TODAY)
    detail = tenant_detail(session, "abc", as_of=D(2025, 6, 1))
    assert detail["state"]["capital_usd"] == Decimal("12500000.5") and detail["history"][0].kind == "event"
    assert tenant_detail(session, "abc", as_of=D(2025, 1, 1))["state"] is None  # not yet entered
    assert form_problems(session, {"leased_ha": "abc", "workers_vn": "3,5", "name": "ok"}).keys() == {"leased_ha", "workers_vn"}
    assert form_problems(session, {"name": "ok"}) == {}


def test_no_event_before_the_certificate(session):
    add_tenant(session, BASE, by="t", today=TODAY)
    with pytest.raises(ValidationFailed, match="before the project was registered"):
        update_tenant(session, "abc", {"workers_vn": "10"}, effective_on=D(2025, 1, 1), by="t", today=TODAY)
    with pytest.raises(ValidationFailed, match="before the project was registered"):
        add_tenant(session, {**BASE, "certificate_no": "4321000999"}, effective_on=D(2025, 3, 1), by="t", today=TODAY)


def test_implausible_figures_are_refused(session):
    with pytest.raises(ValidationFailed) as err:
        add_tenant(session, {**BASE, "capital_usd": "12.500.000.000.000", "workers_vn": "-3", "leased_ha": "52.000"},
                   by="t", today=TODAY)
    messages = {p.field: p.message for p in err.value.problems}
    assert set(messages) == {"capital_usd", "workers_vn", "leased_ha"}
    assert "vượt quá mức hợp lý 100.000.000.000 USD" in messages["capital_usd"]
    assert "không được âm" in messages["workers_vn"]
