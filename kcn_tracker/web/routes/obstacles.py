"""Open and resolve obstacles (vướng mắc) on a record, citing a document."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kcn_tracker.errors import KcnError
from kcn_tracker.web.deps import Viewer, checked_form, db, redirect, render, require, text
from kcn_tracker.web.forms import FieldErrors, all_problems, dated_document
from kcn_tracker.web.routes.records import record_type
from kcn_tracker.web.security.sessions import client_address

router = APIRouter()
WORK_FIELDS = ("agency", "action_requested", "deadline", "status")
OPEN_FIELDS = ("category", "description", "opened_on", *WORK_FIELDS, "doc_number", "doc_date", "doc_title", "note")
UPDATE_FIELDS = ("effective_on", *WORK_FIELDS, "doc_number", "doc_date", "doc_title", "note")
RESOLVE_FIELDS = ("resolved_on", "doc_number", "doc_date", "doc_title", "note")


def _open_page(request: Request, kind: str, code: str, values: dict, errors: FieldErrors, status: int = 200) -> Response:
    from kcn_tracker.editing import record_by_code

    with db(request) as session:
        record = record_by_code(session, record_type(kind), code)
        return render(request, "obstacle_open.html", status=status, kind=kind, record=record, values=values, errors=errors,
                      **_work_options(session))


def _work_options(session) -> dict:
    """The agency table and the open statuses, for the work-item fields of the obstacle forms."""
    from kcn_tracker.obstacles.service import list_agencies
    from kcn_tracker.obstacles.statuses import OPEN, STATUSES

    return {"agencies": [(a["key"], a["name_vi"]) for a in list_agencies(session)],
            "statuses": [(key, STATUSES[key][0]) for key in OPEN],
            "status_labels": {key: vi for key, (vi, _en) in STATUSES.items()}}


def _work_item(form, values: dict, problems: list) -> dict:
    """The work-item inputs of a form (agency key, action, deadline, status) for the obstacle library."""
    from kcn_tracker.web.forms import date_field

    return {"agency": values["agency"] or None, "action": values["action_requested"].strip() or None,
            "deadline": date_field(form, "deadline", problems), "status": values["status"] or None}


@router.get("/vuong-mac/mo/{kind}/{code}")
def open_form(request: Request, kind: str, code: str, viewer: Viewer = Depends(require("editor"))) -> Response:
    return _open_page(request, kind, code, {}, FieldErrors())


@router.post("/vuong-mac/mo/{kind}/{code}")
def open_save(request: Request, kind: str, code: str, posted=Depends(checked_form("editor"))) -> Response:
    from kcn_tracker.accounts import audit
    from kcn_tracker.workflow import open_obstacle

    viewer, form = posted
    rtype = record_type(kind)
    values = {name: text(form, name) for name in OPEN_FIELDS}
    opened_on, document, problems = dated_document(form, "opened_on")
    work = _work_item(form, values, problems)
    try:
        with db(request, write=True) as session:
            with all_problems(problems):  # the library's problems with the form's, all at once
                obstacle = open_obstacle(session, rtype, code, category=values["category"], description=values["description"],
                                         opened_on=opened_on, document=document, note=values["note"].strip() or None,
                                         by=viewer.username, **work)
            obstacle.origin = "web"
            audit(session, "obstacle_opened", username=viewer.username, address=client_address(request),
                  target=f"{rtype}:{code}", detail=f"#{obstacle.id} {values['category']}")
    except KcnError as exc:
        return _open_page(request, kind, code, values, FieldErrors.of(exc, OPEN_FIELDS), status=400)
    return redirect(f"/{kind}/{code}?da-luu=1")


def _resolve_page(request: Request, obstacle_id: int, values: dict, errors: FieldErrors, status: int = 200) -> Response:
    from kcn_tracker.errors import UnknownRecord
    from kcn_tracker.models import Obstacle

    with db(request) as session:
        obstacle = session.get(Obstacle, obstacle_id)
        if obstacle is None:
            raise UnknownRecord(f"Không có vướng mắc số {obstacle_id} / no such obstacle")
        record = obstacle.zone or obstacle.project
        kind = "zones" if obstacle.zone_id else "projects"
        return render(request, "obstacle_resolve.html", status=status, obstacle=obstacle, record=record, kind=kind,
                      values=values, errors=errors)


@router.get("/vuong-mac/{obstacle_id}/giai-quyet")
def resolve_form(request: Request, obstacle_id: int, viewer: Viewer = Depends(require("editor"))) -> Response:
    return _resolve_page(request, obstacle_id, {}, FieldErrors())


@router.post("/vuong-mac/{obstacle_id}/giai-quyet")
def resolve_save(request: Request, obstacle_id: int, posted=Depends(checked_form("editor"))) -> Response:
    from kcn_tracker.accounts import audit
    from kcn_tracker.workflow import resolve_obstacle

    viewer, form = posted
    values = {name: text(form, name) for name in RESOLVE_FIELDS}
    resolved_on, document, problems = dated_document(form, "resolved_on")
    try:
        with db(request, write=True) as session:
            with all_problems(problems):
                obstacle = resolve_obstacle(session, obstacle_id, resolved_on=resolved_on, document=document,
                                            note=values["note"].strip() or None, by=viewer.username)
            kind = "zones" if obstacle.zone_id else "projects"
            code = (obstacle.zone or obstacle.project).code
            audit(session, "obstacle_resolved", username=viewer.username, address=client_address(request),
                  target=f"{kind}:{code}", detail=f"#{obstacle_id}")
    except KcnError as exc:
        return _resolve_page(request, obstacle_id, values, FieldErrors.of(exc, RESOLVE_FIELDS), status=400)
    return redirect(f"/{kind}/{code}?da-luu=1")


def _update_page(request: Request, obstacle_id: int, values: dict, errors: FieldErrors, status: int = 200) -> Response:
    from kcn_tracker.errors import UnknownRecord
    from kcn_tracker.models import Obstacle

    with db(request) as session:
        obstacle = session.get(Obstacle, obstacle_id) if 0 < obstacle_id < 2**31 else None
        if obstacle is None:
            raise UnknownRecord(f"Không có vướng mắc số {obstacle_id} / no such obstacle")
        record = obstacle.zone or obstacle.project
        kind = "zones" if obstacle.zone_id else "projects"
        return render(request, "obstacle_update.html", status=status, obstacle=obstacle, record=record, kind=kind,
                      values=values, errors=errors, **_work_options(session))


@router.get("/vuong-mac/{obstacle_id}/cap-nhat")
def update_form(request: Request, obstacle_id: int, viewer: Viewer = Depends(require("editor"))) -> Response:
    return _update_page(request, obstacle_id, {}, FieldErrors())


@router.post("/vuong-mac/{obstacle_id}/cap-nhat")
def update_save(request: Request, obstacle_id: int, posted=Depends(checked_form("editor"))) -> Response:
    """One dated, cited step of the obstacle (status, agency, action, deadline, or news): ``update_obstacle``."""
    from kcn_tracker.accounts import audit
    from kcn_tracker.obstacles.service import update_obstacle
    from kcn_tracker.workflow import find_or_add_document

    viewer, form = posted
    values = {name: text(form, name) for name in UPDATE_FIELDS}
    effective_on, document, problems = dated_document(form, "effective_on")
    work = _work_item(form, values, problems)
    try:
        version = int(text(form, "version"))
    except ValueError:
        version = None
    try:
        with db(request, write=True) as session:
            with all_problems(problems):
                obstacle = update_obstacle(session, obstacle_id, effective_on=effective_on, document=find_or_add_document(
                    session, document), note=values["note"].strip() or None, by=viewer.username, expected_version=version,
                    origin="web", **work)
            kind = "zones" if obstacle.zone_id else "projects"
            code = (obstacle.zone or obstacle.project).code
            audit(session, "obstacle_updated", username=viewer.username, address=client_address(request),
                  target=f"{kind}:{code}", detail=f"#{obstacle_id}")
    except KcnError as exc:
        return _update_page(request, obstacle_id, values, FieldErrors.of(exc, UPDATE_FIELDS), status=400)
    return redirect(f"/{kind}/{code}?da-luu=1")
