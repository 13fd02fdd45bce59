"""Tenant project pages: the list (per zone, filters) and one page per tenant with its timeline, over the
tenants library (``tenants.queries``), Vietnamese numbers and dd/mm/yyyy."""

from __future__ import annotations


import pytest
from sqlalchemy import select

from kcn_tracker.db import session_scope
from kcn_tracker.models import Zone
from tests.web_helpers import TODAY, add_sample_tenants, client, login, make_app



@pytest.fixture
def app(bundled_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", TODAY)
    app = make_app(bundled_url, tmp_path / "files")
    with session_scope(app.state.engine, write=True) as session:
        first, second = session.scalars(select(Zone.code).where(Zone.kind == "KCN").order_by(Zone.code)).all()[:2]
        add_sample_tenants(session, (first, second), "200000", ("Nhà máy Một", "Xưởng Hai"))
    app.state.zones = (first, second)
    return app


def test_tenant_list_filters_by_zone_stage_and_fdi(app):
    c = client(app)
    login(c, "viewer")
    first, second = app.state.zones
    both = c.get("/doanh-nghiep").text
    assert "Nhà máy Một" in both and "Xưởng Hai" in both and "12,5" in both
    one = c.get(f"/doanh-nghiep?zone={first}").text
    assert "Nhà máy Một" in one and "Xưởng Hai" not in one
    assert "Xưởng Hai" in c.get("/doanh-nghiep?fdi=0").text and "Xưởng Hai" not in c.get("/doanh-nghiep?fdi=1").text
    operating = c.get("/doanh-nghiep?stage=operating").text
    assert "Nhà máy Một" in operating and "Xưởng Hai" not in operating
    before = c.get("/doanh-nghiep?ngay=2025-12-31").text
    assert "Nhà máy Một" in before and "Xưởng Hai" not in before


def test_tenant_page_state_and_timeline(app):
    c = client(app)
    login(c, "viewer")
    r = c.get("/doanh-nghiep/2000000001")
    assert r.status_code == 200, r.text[-600:]
    page = r.text
    assert "Nhà máy Một" in page and "1.250" in page and "01/02/2026" in page and "Đi vào hoạt động" in page
    assert "12.500.000" in page and "01/03/2025" in page
    timeline = page.split("Lịch sử", 1)[1]
    assert "12500000" not in timeline and "2025-03-01" not in timeline and "→ 12.500.000" in timeline
    earlier = c.get("/doanh-nghiep/2000000001?ngay=2025-06-01").text
    assert "1.250" not in earlier
    assert c.get("/doanh-nghiep/9999999999").status_code == 404


def test_pages_name_the_investors_country_and_industry(app):
    """People read "Nhật Bản (JP)", not a code: names from the countries table (CLDR, cited in its source)."""
    c = client(app)
    login(c, "viewer")
    listing = c.get("/doanh-nghiep").text
    assert 'data-label="Quốc tịch">Nhật Bản <span class="badge">FDI</span>' in listing
    assert 'data-label="Quốc tịch">Việt Nam</td>' in listing
    page = c.get("/doanh-nghiep/2000000001").text
    assert "<dd>Nhật Bản (JP)</dd>" in page and "<dd>JP</dd>" not in page
