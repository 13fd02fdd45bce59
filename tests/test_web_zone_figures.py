"""A zone's page shows its leased land, tenant counts and capital with the basis of each figure: from its
tenant projects on the date ("theo dự án thứ cấp") or the reported figure with its document ("theo báo cáo"),
through ``tenants.zone_basis`` (the library function ``kcn zones show`` uses too)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from kcn_tracker.db import session_scope
from kcn_tracker.models import Zone
from kcn_tracker.workflow import DocumentRef, update_record
from tests.web_helpers import TODAY, add_sample_tenants, client, login, make_app

REPORT = "15/BC-BQLKKT"


@pytest.fixture
def app(bundled_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", TODAY)
    app = make_app(bundled_url, tmp_path / "files")
    today = dt.date.fromisoformat(TODAY)
    with session_scope(app.state.engine, write=True) as session:
        first, second = session.scalars(select(Zone.code).where(Zone.kind == "KCN").order_by(Zone.code)).all()[:2]
        for code in (first, second):  # a reported figure from a document, before any tenant was entered
            update_record(session, "zone", code, {"leasable_ha": "100", "leased_ha": "40", "tenants_registered": "7"},
                          effective_on=dt.date(2025, 8, 1), document=DocumentRef(REPORT, dt.date(2025, 8, 1)), by="test",
                          today=today)
        # first: 0001 (FDI, 12,5 ha, 12.500.000 USD, from 01/03/2025, operating from 01/02/2026);
        # second: 0002 (domestic, 3 ha, 50.000.000.000 đồng, from 05/01/2026)
        add_sample_tenants(session, (first, second), "400000", ("Nhà máy Năm", "Xưởng Sáu"))
    app.state.zones = (first, second)
    return app


def _figures(html: str) -> dict[str, tuple[str, str]]:
    """label -> (value, basis) of the page's figures table."""
    section = html.split('id="dat-cho-thue"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<tr class="basis-[a-z]+"><td data-label="Số liệu">([^<]*)</td><td data-label="Giá trị" class="num">([^<]*)</td>'
                      r'<td data-label="Căn cứ">([^<]*)</td>', section)
    return {label: (value, basis) for label, value, basis in rows}


def test_zone_with_tenants_shows_figures_derived_from_them(app):
    c = client(app)
    login(c, "viewer")
    first, _ = app.state.zones
    page = c.get(f"/zones/{first}").text
    figures = _figures(page)
    assert figures["Đã cho thuê (ha)"] == ("12,5", "theo dự án thứ cấp")  # not the reported 40
    assert figures["Tỷ lệ lấp đầy"] == ("12,5 %", "theo dự án thứ cấp")  # 12,5 / 100
    assert figures["Dự án thứ cấp còn hiệu lực"] == ("1", "theo dự án thứ cấp")
    assert figures["Dự án thứ cấp đang hoạt động"] == ("1", "theo dự án thứ cấp")
    assert figures["Vốn đăng ký dự án FDI (USD)"] == ("12.500.000", "theo dự án thứ cấp")
    assert figures["Vốn đăng ký dự án trong nước (đồng)"] == ("0", "theo dự án thứ cấp")
    assert f'href="/doanh-nghiep?zone={first}"' in page
    # the typed 40 ha is not shown as if it were the zone's figure
    assert ">40<" not in page.split('id="dat-cho-thue"', 1)[0].split("Trạng thái ngày", 1)[1]


def test_before_its_first_tenant_the_zone_shows_the_reported_figure_with_its_document(app):
    c = client(app)
    login(c, "viewer")
    _, second = app.state.zones
    earlier = _figures(c.get(f"/zones/{second}?ngay=2025-12-31").text)
    assert earlier["Đã cho thuê (ha)"] == ("40", f"theo báo cáo ({REPORT} ngày 01/08/2025, hiệu lực 01/08/2025)")
    assert earlier["Tỷ lệ lấp đầy"][0] == "40 %" and earlier["Tỷ lệ lấp đầy"][1].startswith("theo báo cáo (15/BC")
    assert earlier["Dự án thứ cấp còn hiệu lực"] == ("7", f"theo báo cáo ({REPORT} ngày 01/08/2025, hiệu lực 01/08/2025)")
    assert earlier["Dự án thứ cấp đang hoạt động"] == ("—", "chưa có số liệu")
    assert earlier["Vốn đăng ký dự án FDI (USD)"] == ("—", "chưa có số liệu")
    later = _figures(c.get(f"/zones/{second}").text)  # 0002 entered 05/01/2026: derived from then on
    assert later["Đã cho thuê (ha)"] == ("3", "theo dự án thứ cấp")
    assert later["Dự án thứ cấp còn hiệu lực"] == ("1", "theo dự án thứ cấp")
    assert later["Dự án thứ cấp đang hoạt động"] == ("0", "theo dự án thứ cấp")
    assert later["Vốn đăng ký dự án trong nước (đồng)"] == ("50.000.000.000", "theo dự án thứ cấp")


def test_a_zone_without_figures_says_so_and_project_pages_have_no_such_table(app):
    c = client(app)
    login(c, "viewer")
    with session_scope(app.state.engine) as session:
        other = session.scalars(select(Zone.code).where(Zone.code.not_in(app.state.zones)).order_by(Zone.code)).first()
    figures = _figures(c.get(f"/zones/{other}").text)
    assert {basis for _, basis in figures.values()} == {"chưa có số liệu"}
    project = re.search(r'href="/projects/([^"?]+)"', c.get("/projects").text).group(1)
    assert 'id="dat-cho-thue"' not in c.get(f"/projects/{project}").text


def test_occupancy_says_why_it_is_missing_and_tenant_pages_name_the_zone(app):
    c = client(app)
    login(c, "viewer")
    first, _ = app.state.zones
    with session_scope(app.state.engine, write=True) as session:
        name = session.scalars(select(Zone.name).where(Zone.code == first)).one()
        update_record(session, "zone", first, {"leasable_ha": ""}, effective_on=dt.date(2026, 6, 1),
                      document=DocumentRef("16/BC-BQLKKT", dt.date(2026, 6, 1)), by="test", today=dt.date.fromisoformat(TODAY))
    figures = _figures(c.get(f"/zones/{first}").text)
    assert figures["Tỷ lệ lấp đầy"] == ("—", "chưa có số liệu (chưa có diện tích đất công nghiệp cho thuê của khu)")
    assert figures["Đã cho thuê (ha)"] == ("12,5", "theo dự án thứ cấp")
    page = c.get("/doanh-nghiep/4000000001").text
    assert f'<a href="/zones/{first}">{name}</a>' in page
