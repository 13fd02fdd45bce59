"""Helpers for the web tests: an app on a copy of the bundled register with three accounts."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from kcn_tracker.accounts import create_user
from kcn_tracker.db import session_scope
from kcn_tracker.web.app import create_app

PASSWORDS = {"admin": "quan-tri-mat-khau", "editor": "bien-tap-mat-khau", "viewer": "chi-xem-mat-khau"}
BASE = "http://testserver"
ORIGIN = {"origin": BASE}
#: What the tests pin "today" to (every edit needs a date not in the future).
TODAY = "2026-06-30"


def make_app(db_url: str, files: Path):
    """The app with accounts admin / editor / viewer (role = name)."""
    app = create_app(db_url, files_dir=files)
    with session_scope(app.state.engine, write=True) as session:
        for role, password in PASSWORDS.items():
            create_user(session, role, password, role, full_name=f"Người {role}")
    return app


def client(app) -> TestClient:
    return TestClient(app, base_url=BASE, raise_server_exceptions=False, follow_redirects=False)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def login(c: TestClient, role: str) -> str:
    """Log ``c`` in as the account ``role``; returns the session's CSRF token."""
    page = c.get("/dang-nhap")
    r = c.post("/dang-nhap", data={"csrf": csrf_of(page.text), "username": role, "password": PASSWORDS[role], "next": "/"},
               headers=ORIGIN)
    assert r.status_code == 303, r.text
    return csrf_of(c.get("/").text)


def first_code(c: TestClient, kind: str, query: str = "") -> str:
    page = c.get(f"/{kind}{query}")
    return re.search(rf'href="/{kind}/([^"?]+)"', page.text).group(1)


def add_sample_tenants(session, zones: tuple[str, str], prefix: str, names: tuple[str, str]) -> None:
    """Two generated tenant projects (test data only): ``{prefix}0001`` (FDI, registered 01/03/2025, operating
    from 01/02/2026 with 1.250 workers) in ``zones[0]``, ``{prefix}0002`` (domestic, 05/01/2026) in ``zones[1]``."""
    import datetime as dt
    from decimal import Decimal

    from kcn_tracker.tenants.register import add_tenant, update_tenant

    today = dt.date.fromisoformat(TODAY)
    add_tenant(session, {"certificate_no": f"{prefix}0001", "certificate_on": dt.date(2025, 3, 1), "name": names[0],
                         "investor": f"Công ty của {names[0]}", "zone_code": zones[0], "country": "JP", "stage": "registered",
                         "capital_usd": Decimal(12_500_000), "leased_ha": 12.5}, by="test", today=today)
    update_tenant(session, f"{prefix}0001", {"stage": "operating", "workers_vn": 1250}, effective_on=dt.date(2026, 2, 1),
                  note="Đi vào hoạt động", by="test", today=today)
    add_tenant(session, {"certificate_no": f"{prefix}0002", "certificate_on": dt.date(2026, 1, 5), "name": names[1],
                         "investor": f"Công ty của {names[1]}", "zone_code": zones[1], "country": "VN", "stage": "registered",
                         "capital_vnd": Decimal(50_000_000_000), "leased_ha": 3.0}, by="test", today=today)
