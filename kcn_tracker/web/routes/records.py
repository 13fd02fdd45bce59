"""Read pages: lists of zones and projects with filters and search, and one page per record."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from kcn_tracker.web.deps import Viewer, as_of, db, render, require

router = APIRouter()
TYPES = {"zones": "zone", "projects": "project"}
PAGE_SIZE = 50


def record_type(kind: str) -> str:
    """URL segment -> record type (404 for anything else)."""
    if kind not in TYPES:
        raise HTTPException(404)
    return TYPES[kind]


def list_rows(session, rtype: str, day, params, cache=None, reader: str | None = None) -> tuple[list[dict], dict]:
    """Rows of the list page: ``registry.views`` (cached until the register changes) + ``filter_views``
    + days overdue (``?qua-han=1``: only overdue, most overdue first) + the open-obstacle filter."""
    from kcn_tracker.registry import Filters, filter_views, views
    from kcn_tracker.web.cache import register_token

    filters = Filters(kind=params.get("kind") or None, technology=params.get("technology") or None,
                      stage=params.get("stage") or None, commune=params.get("commune") or None, text=params.get("q") or None)
    def compute() -> tuple[list[dict], list[str]]:
        rows = views(session, rtype, as_of=day)
        return rows, sorted({r.get("commune") for r in rows if r.get("commune")})

    if cache is None:
        rows, communes = compute()
    else:
        rows, communes = cache.get(("views", rtype, day), register_token(session.connection()), compute, reader=reader)
    from kcn_tracker.interface.queries import with_overdue

    rows = with_overdue(filter_views(rows, rtype, filters), rtype, day, only=params.get("qua-han") == "1")
    if params.get("obstacles") == "1":
        rows = [r for r in rows if r["open_obstacles"]]
    return rows, {"communes": communes}


@router.get("/du-lieu/tinh.geojson")
def province_outline(viewer: Viewer = Depends(require("viewer"))) -> Response:
    """The bundled province boundary (context layer of the small maps)."""
    from fastapi.responses import FileResponse

    from kcn_tracker.settings import bundled_data_dir

    return FileResponse(bundled_data_dir() / "province.geojson", media_type="application/geo+json",
                        headers={"cache-control": "private, max-age=86400"})


@router.get("/{kind}")
def record_list(request: Request, kind: str, viewer: Viewer = Depends(require("viewer"))) -> Response:
    from sqlalchemy import select

    from kcn_tracker.models import Technology
    from kcn_tracker.stages import stages_for

    rtype = record_type(kind)
    day = as_of(request)
    params = request.query_params
    try:
        page = max(1, int(params.get("trang", "1")))
    except ValueError:
        page = 1
    with db(request) as session:
        rows, options = list_rows(session, rtype, day, params, request.app.state.cache, viewer.username)
        technologies = list(session.execute(select(Technology.key, Technology.label_vi).order_by(Technology.label_vi)))
    total = len(rows)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    return render(request, "list.html", rtype=rtype, kind=kind, rows=rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
                  total=total, page=page, pages=pages, params=params, as_of=day, stages=stages_for(rtype),
                  technologies=technologies, communes=options["communes"],
                  query_without_page=urlencode([(k, v) for k, v in params.multi_items() if k != "trang"]))


@router.get("/{kind}/{code}")
def record_detail(request: Request, kind: str, code: str, viewer: Viewer = Depends(require("viewer"))) -> Response:
    from kcn_tracker.record_view import record_page

    rtype = record_type(kind)
    day = as_of(request)
    with db(request) as session:
        page = record_page(session, rtype, code, day)
        response = render(request, "record.html", rtype=rtype, kind=kind, page=page, as_of=day,
                          geojson=json.dumps(page.geojson) if page.geojson else "", **_figure_helpers(page))
    return response


def _figure_helpers(page) -> dict:
    """What the zone page needs to print its figures with their basis (``tenants.zone_basis``)."""
    if page.figures is None:
        return {"reported_fields": ()}
    from kcn_tracker.tenants.zone_basis import REPORTED_FIELDS, describe_basis, figure_text

    return {"reported_fields": REPORTED_FIELDS, "figure_text": figure_text, "describe_basis": describe_basis}
