"""Tenant projects (dự án thứ cấp) pages: a filtered list (per zone) and one page per tenant with its timeline.

Thin: parse the query → one read transaction → the tenants library (``tenants.queries``) → render.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kcn_tracker.text import format_date, format_number
from kcn_tracker.web.deps import Viewer, as_of, db, render, require

router = APIRouter()


def tenant_value(name: str, value: Any, labels: dict | None = None) -> str:
    """A tenant field's value for a page: Vietnamese numbers, dd/mm/yyyy, có/không, stage labels, country and
    industry names (``labels``: ``catalogue.catalogue_labels``), "—" if unknown."""
    from kcn_tracker.tenants.stages import stage_label

    if value is None or value == "":
        return "—"
    if name == "stage":
        return stage_label(value)
    if name in ("country", "industry", "zone_code") and labels:
        from kcn_tracker.tenants.catalogue import coded_label

        return coded_label(name, str(value), labels)
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, (int, float, Decimal)):
        return format_number(value)
    return str(value)


def tenant_change(name: str, stored: Any, labels: dict | None = None) -> str:
    """A value of the tenant's history (stored as JSON: ISO dates, numbers as text) shown as ``tenant_value``."""
    from kcn_tracker.tenants.fields import from_json

    return tenant_value(name, from_json(name, stored) if stored is not None else None, labels)


def _tenant_labels(session: Any) -> dict:
    from functools import partial

    from kcn_tracker.tenants.catalogue import catalogue_labels
    from kcn_tracker.tenants.fields import TENANT_FIELDS
    from kcn_tracker.tenants.stages import TENANT_STAGES, stage_label

    names = catalogue_labels(session)
    return {"tenant_fields": TENANT_FIELDS, "tenant_stages": [(s.key, s.label_vi) for s in TENANT_STAGES],
            "tenant_stage_label": stage_label, "tenant_value": partial(tenant_value, labels=names),
            "tenant_change": partial(tenant_change, labels=names), "country_names": names["country"],
            "tenant_labels": {f.name: f.label_vi for f in TENANT_FIELDS}}


@router.get("/doanh-nghiep")
def tenant_list(request: Request, viewer: Viewer = Depends(require("viewer"))) -> Response:
    """Tenants on a date, filtered by zone, stage, FDI and text (as ``kcn tenants list``)."""
    from sqlalchemy import select

    from kcn_tracker.models import Zone
    from kcn_tracker.tenants.queries import TenantFilters, filter_tenants, tenant_views

    day = as_of(request)
    params = request.query_params
    fdi = {"1": True, "0": False}.get(params.get("fdi") or "")
    filters = TenantFilters(zone=params.get("zone") or None, stage=params.get("stage") or None, fdi=fdi,
                            text=params.get("q") or None)
    with db(request) as session:
        rows = filter_tenants(session, tenant_views(session, as_of=day), filters)
        zones = list(session.execute(select(Zone.code, Zone.name).order_by(Zone.name)))
        labels = _tenant_labels(session)
    return render(request, "tenants.html", rows=rows, zones=zones, zone_names=dict(zones), params=params, as_of=day, **labels)


@router.get("/doanh-nghiep/{certificate}")
def tenant_page(request: Request, certificate: str, viewer: Viewer = Depends(require("viewer"))) -> Response:
    """One tenant: its state on the date, open obstacles and timeline (``tenants.queries.tenant_detail``)."""
    from kcn_tracker.tenants.queries import tenant_detail

    day = as_of(request)
    with db(request) as session:
        detail = tenant_detail(session, certificate, as_of=day)
        labels = _tenant_labels(session)
    return render(request, "tenant.html", detail=detail, as_of=day, **labels)
