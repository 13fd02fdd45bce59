"""Read the tenant register: every tenant's state on a date, filtered, for lists, pages and exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker import clock
from kcn_tracker.tenants.fields import from_json
from kcn_tracker.tenants.models import Tenant, TenantEvent, TenantObstacle
from kcn_tracker.text import fold


@dataclass(frozen=True)
class TenantFilters:
    """List filters; every given one must match."""

    zone: str | None = None  # zone code (exact) or name fragment
    stage: str | None = None
    fdi: bool | None = None
    country: str | None = None
    industry: str | None = None  # VSIC code: a section letter or a division prefix
    text: str | None = None


def tenant_views(session: Session, *, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Every tenant entered by ``as_of`` (default today) as a dict of its state then, plus id and open obstacles."""
    day = as_of or clock.today()
    rows = session.execute(select(TenantEvent.tenant_id, TenantEvent.changes)
                           .where(TenantEvent.effective_on <= day).order_by(TenantEvent.effective_on, TenantEvent.id)).all()
    states: dict[int, dict[str, Any]] = {}
    for tenant_id, changes in rows:
        states.setdefault(tenant_id, {}).update(changes or {})
    certificates = dict(session.execute(select(Tenant.id, Tenant.certificate_no)).all())
    obstacles: dict[int, int] = {}
    for ob in session.scalars(select(TenantObstacle).where(TenantObstacle.opened_on <= day)):
        if ob.resolved_on is None or ob.resolved_on > day:
            obstacles[ob.tenant_id] = obstacles.get(ob.tenant_id, 0) + 1
    out = []
    for tenant_id, state in states.items():
        row = {name: from_json(name, value) for name, value in state.items()}
        row.update(id=tenant_id, certificate_no=certificates[tenant_id], open_obstacles=obstacles.get(tenant_id, 0))
        out.append(row)
    out.sort(key=lambda r: (r.get("zone_code") or "", fold(r.get("name") or "")))
    return out


def filter_tenants(session: Session, rows: list[dict[str, Any]], filters: TenantFilters) -> list[dict[str, Any]]:
    """Rows matching every given filter (names accent-insensitively; stage and country by label too)."""
    from kcn_tracker.tenants.catalogue import parse_country
    from kcn_tracker.tenants.stages import parse_tenant_stage

    stage = parse_tenant_stage(filters.stage) if filters.stage else None
    country = parse_country(session, filters.country) if filters.country else None
    zone_codes = None
    if filters.zone:
        from kcn_tracker.registry import resolve

        zone_codes = {resolve(session, "zone", filters.zone).code}
    out = []
    for row in rows:
        if (stage and row.get("stage") != stage) or (country and row.get("country") != country):
            continue
        if filters.fdi is not None and bool(row.get("fdi")) != filters.fdi:
            continue
        if zone_codes is not None and row.get("zone_code") not in zone_codes:
            continue
        if filters.industry and not _industry_matches(session, row.get("industry"), filters.industry):
            continue
        if filters.text and fold(filters.text) not in fold(" ".join(str(row.get(k) or "") for k in ("name", "investor", "certificate_no", "note"))):
            continue
        out.append(row)
    return out


def _industry_matches(session: Session, code: str | None, wanted: str) -> bool:
    from kcn_tracker.tenants.models import Industry

    if not code:
        return False
    wanted = wanted.strip().upper()
    if wanted.isalpha():
        industry = session.get(Industry, code)
        return industry is not None and industry.section == wanted
    return code.startswith(wanted) or wanted.startswith(code)


def tenant_detail(session: Session, query: str, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """One tenant for a page: its state on ``as_of`` (None before it was entered), history and open obstacles."""
    from kcn_tracker.tenants.register import resolve_tenant, tenant_history

    day = as_of or clock.today()
    tenant = resolve_tenant(session, query)
    state = next((r for r in tenant_views(session, as_of=day) if r["id"] == tenant.id), None)
    obstacles = [{"id": ob.id, "category": ob.category, "description": ob.description, "opened_on": ob.opened_on}
                 for ob in tenant.obstacles if ob.opened_on <= day and (ob.resolved_on is None or ob.resolved_on > day)]
    return {"id": tenant.id, "certificate_no": tenant.certificate_no, "state": state, "obstacles": obstacles,
            "history": tenant_history(tenant, until=day)}


def form_problems(session: Session, raw: dict[str, Any]) -> dict[str, list[str]]:
    """Problems of a web form's fields, keyed by field name (empty when the values parse)."""
    from kcn_tracker.errors import ValidationFailed
    from kcn_tracker.tenants.fields import parse_tenant_values

    try:
        parse_tenant_values(session, raw)
    except ValidationFailed as exc:
        out: dict[str, list[str]] = {}
        for problem in exc.problems:
            out.setdefault(problem.field or "", []).append(problem.message)
        return out
    return {}
