"""A small hand-checked tenant register: two parks, a cluster, a dozen projects over 2025-2026.

The figures the tests expect are worked out by hand in the comments of the tests
(test_tenant_indicators.py); change this file only together with them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from factories import add_zone
from kcn_tracker.tenants.register import add_tenant, update_tenant

D = dt.date
TODAY = D(2026, 12, 31)
M = Decimal(1_000_000)
B = Decimal(1_000_000_000)


def _add(session: Session, cert: str, on: dt.date, zone: str, country: str, **fields: Any) -> None:
    add_tenant(session, {"certificate_no": cert, "certificate_on": on, "name": f"Dự án {cert[-2:]}", "investor": f"NĐT {cert[-2:]}",
                         "zone_code": zone, "country": country, "stage": "registered", **fields}, by="test", today=TODAY)


def _upd(session: Session, cert: str, on: dt.date, note: str | None = None, **fields: Any) -> None:
    update_tenant(session, cert, fields, effective_on=on, note=note, by="test", today=TODAY)


def build_register(session: Session) -> None:
    """Zones A (KCN, 100 ha leasable, reported 40 ha leased), B (KCN, 50 ha, reported 10 ha), C (CCN, 30 ha), and 12 tenants."""
    add_zone(session, "kcn-a", name="KCN Alpha", kind="KCN", stage="operating", leasable_ha=100.0, leased_ha=40.0, tenants_registered=3)
    add_zone(session, "kcn-b", name="KCN Beta", kind="KCN", stage="operating", leasable_ha=50.0, leased_ha=10.0, tenants_registered=4)
    add_zone(session, "ccn-c", name="CCN Gamma", kind="CCN", stage="operating", leasable_ha=30.0)
    _add(session, "1000000001", D(2025, 2, 10), "kcn-a", "JP", capital_usd=10 * M, leased_ha=10.0, industry="26")
    _upd(session, "1000000001", D(2025, 9, 1), stage="operating", workers_vn=200, workers_foreign=5, digital_tech=True)
    _upd(session, "1000000001", D(2026, 5, 10), capital_usd=15 * M)
    _add(session, "1000000002", D(2025, 4, 20), "kcn-a", "KR", capital_usd=20 * M, leased_ha=20.0, industry="27")
    _upd(session, "1000000002", D(2026, 1, 15), stage="construction")
    _add(session, "1000000003", D(2025, 6, 1), "kcn-a", "VN", capital_vnd=50 * B, leased_ha=5.5, industry="10")
    _upd(session, "1000000003", D(2025, 12, 1), stage="operating", workers_vn=120)
    _add(session, "1000000004", D(2025, 7, 1), "kcn-a", "CN", capital_usd=8 * M, leased_ha=4.5, industry="22")
    _upd(session, "1000000004", D(2026, 4, 15), note="Thu hồi GCNĐKĐT do không triển khai", stage="revoked")
    _add(session, "1000000005", D(2026, 4, 5), "kcn-b", "SG", capital_usd=30 * M, leased_ha=12.25, industry="26", high_tech=True)
    _add(session, "1000000006", D(2026, 5, 20), "kcn-b", "VN", capital_vnd=120 * B, leased_ha=8.0, industry="23")
    _add(session, "1000000007", D(2026, 6, 30), "kcn-b", "JP", capital_usd=5 * M, leased_ha=3.0, industry="28")
    _add(session, "1000000008", D(2026, 7, 1), "kcn-b", "VN", capital_vnd=10 * B, leased_ha=2.0, industry="25")
    _add(session, "1000000009", D(2025, 3, 1), "ccn-c", "VN", capital_vnd=20 * B, leased_ha=3.0, industry="16")
    _upd(session, "1000000009", D(2025, 10, 1), stage="operating", workers_vn=80)
    _add(session, "1000000010", D(2025, 8, 15), "ccn-c", "VN", capital_vnd=15 * B, leased_ha=2.5, industry="31")
    _upd(session, "1000000010", D(2026, 3, 31), stage="operating", workers_vn=60)
    _upd(session, "1000000010", D(2026, 6, 10), capital_vnd=12 * B)
    _add(session, "1000000011", D(2026, 1, 20), "ccn-c", "KR", capital_usd=2 * M, leased_ha=1.5, industry="26", high_tech=True)
    _upd(session, "1000000011", D(2026, 5, 5), stage="operating", workers_vn=40, workers_foreign=2, digital_tech=True)
    _add(session, "1000000012", D(2025, 11, 11), "kcn-a", "TW", capital_usd=6 * M, leased_ha=6.0, industry="26")
    _upd(session, "1000000012", D(2026, 2, 1), stage="operating", workers_vn=150, workers_foreign=3, digital_tech=False)
    _upd(session, "1000000012", D(2026, 6, 15), note="Tạm ngừng để sửa chữa nhà xưởng", stage="suspended")
    session.flush()
