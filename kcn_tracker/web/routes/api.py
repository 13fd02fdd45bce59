"""JSON endpoints (``/api/v1/…``): the same data, envelope and schemas as ``kcn … --format json``.

Thin: parse the query → one read transaction → one ``interface.queries`` call (the function
the CLI calls) → ``interface.envelope.envelope``. Login required (viewer role); the same
security headers as every page; errors are JSON ``{"error": {"status", "message"}}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from kcn_tracker import clock
from kcn_tracker.interface import queries
from kcn_tracker.web.deps import Viewer, db, require

router = APIRouter(prefix="/api/v1")  # fixed paths before "/{segment}" and "/{segment}/{code}"
#: URL segment of ``/api/v1/history/{segment}/{code}`` and of the lists -> record type.
RECORD_TYPES = {"zone": "zone", "zones": "zone", "project": "project", "projects": "project"}
LIST_FILTERS = {"kind": "kind", "technology": "technology", "stage": "stage", "commune": "commune", "q": "text"}


def _date(request: Request, name: str, *, label: str, required: bool = False) -> dt.date | None:
    """A date query parameter (dd/mm/yyyy or ISO) read as the CLI reads its options."""
    from kcn_tracker.errors import InvalidValue
    from kcn_tracker.text import parse_date

    day = parse_date(request.query_params.get(name) or None, field=label)
    if day is None and required:
        raise InvalidValue(f"{label}: cần một ngày / a date is required (?{name}=yyyy-mm-dd)")
    return day


def _record_type(segment: str) -> str:
    from starlette.exceptions import HTTPException

    if segment not in RECORD_TYPES:
        raise HTTPException(404)
    return RECORD_TYPES[segment]


def _json(data: Any, *, schema: str, as_of: dt.date | None) -> JSONResponse:
    from kcn_tracker.interface.envelope import envelope, plain

    return JSONResponse(envelope(plain(data), schema=schema, as_of=as_of),
                        headers={"cache-control": "private, no-store"})


@router.get("/progress")
def progress(request: Request, viewer: Viewer = Depends(require("viewer"))) -> JSONResponse:
    """``kcn progress --format json [--as-of]``."""
    from kcn_tracker.web.routes.dashboard import progress_report  # the dashboard's, cached until the register changes

    day = _date(request, "as_of", label="as_of") or clock.today()
    return _json(queries.progress_data(progress_report(request, day)), schema="progress", as_of=day)


@router.get("/summary")
def summary(request: Request, viewer: Viewer = Depends(require("viewer"))) -> JSONResponse:
    """``kcn summary --format json [--as-of]``."""
    day = _date(request, "as_of", label="as_of") or clock.today()
    with db(request) as session:
        data = queries.summary_data(queries.register_summary(session, day))
    return _json(data, schema="summary", as_of=day)


@router.get("/energy-summary")
def energy_summary(request: Request, viewer: Viewer = Depends(require("viewer"))) -> JSONResponse:
    """``kcn energy summary --by {technology|stage|year|zone|investor} [--as-of]``."""
    from kcn_tracker.energy_summary import SUMMARY_BY
    from kcn_tracker.validation.texts import parse_choice

    by = parse_choice(request.query_params.get("by") or "technology", SUMMARY_BY, label="by")
    day = _date(request, "as_of", label="as_of") or clock.today()
    with db(request) as session:
        data = queries.energy_summary_data(session.connection(), day, by)
    return _json(data, schema=queries.energy_summary_output(by), as_of=day)


@router.get("/changes")
def changes(request: Request, viewer: Viewer = Depends(require("viewer"))) -> JSONResponse:
    """``kcn changes --from --to`` (``to`` default today)."""
    start = _date(request, "from", label="from", required=True)
    end = _date(request, "to", label="to") or clock.today()
    with db(request) as session:
        data = queries.changes_data(session, start, end)  # type: ignore[arg-type]
    return _json(data, schema="changes", as_of=end)


@router.get("/{segment}")
def record_list(request: Request, segment: str, viewer: Viewer = Depends(require("viewer"))) -> JSONResponse:
    """``kcn zones list`` / ``kcn energy list`` with the list pages' filters (kind, technology, stage, commune, q)
    and ``overdue=1`` (``--overdue``)."""
    rtype = _record_type(segment if segment in ("zones", "projects") else "")
    day = _date(request, "as_of", label="as_of") or clock.today()
    filters = {name: request.query_params.get(param) or None for param, name in LIST_FILTERS.items()}
    with db(request) as session:
        data = queries.list_data(session, rtype, as_of=day, overdue=request.query_params.get("overdue") == "1", **filters)
    return _json(data, schema=queries.LIST_OUTPUT[rtype], as_of=day)


@router.get("/history/{segment}/{code}")
def history(request: Request, segment: str, code: str, viewer: Viewer = Depends(require("viewer"))) -> JSONResponse:
    """``kcn history CODE [--zone] [--as-of]`` (without ``as_of``: the whole history, dated today)."""
    rtype = _record_type(segment)
    day = _date(request, "as_of", label="as_of")
    with db(request) as session:
        data = queries.history_data(session, code, (rtype,), day)
    return _json(data, schema="history", as_of=day or clock.today())


@router.get("/{segment}/{code}")
def record_show(request: Request, segment: str, code: str, viewer: Viewer = Depends(require("viewer"))) -> JSONResponse:
    """``kcn zones show CODE`` / ``kcn energy show CODE`` with ``--as-of``."""
    rtype = _record_type(segment if segment in ("zones", "projects") else "")
    day = _date(request, "as_of", label="as_of") or clock.today()
    with db(request) as session:
        data = queries.show_data(session, rtype, code, day)
    return _json(data, schema=queries.SHOW_OUTPUT[rtype], as_of=day)
