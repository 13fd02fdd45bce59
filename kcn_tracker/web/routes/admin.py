"""Administration: user accounts (add, role, disable, password) and the audit log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kcn_tracker.errors import KcnError
from kcn_tracker.web.deps import Viewer, checked_form, db, redirect, render, require, text
from kcn_tracker.web.forms import FieldErrors
from kcn_tracker.web.security.sessions import client_address

router = APIRouter()
USER_FIELDS = ("username", "full_name", "role", "password", "confirm")


def _users_page(request: Request, *, values: dict | None = None, errors: FieldErrors | None = None,
                status: int = 200) -> Response:
    from kcn_tracker.accounts import ROLE_LABELS, list_users

    with db(request) as session:
        users = list_users(session)
        return render(request, "admin_users.html", status=status, users=users, roles=ROLE_LABELS, values=values or {},
                      errors=FieldErrors() if errors is None else errors, done=request.query_params.get("xong"))


@router.get("/quan-tri/nguoi-dung")
def users(request: Request, viewer: Viewer = Depends(require("admin"))) -> Response:
    return _users_page(request)


@router.post("/quan-tri/nguoi-dung")
def add_user(request: Request, posted=Depends(checked_form("admin"))) -> Response:
    from kcn_tracker.accounts import create_user

    viewer, form = posted
    values = {name: text(form, name) for name in USER_FIELDS}
    try:
        with db(request, write=True) as session:
            create_user(session, values["username"], values["password"], values["role"], confirm=values["confirm"],
                        full_name=values["full_name"] or None, by=viewer.username, address=client_address(request))
    except KcnError as exc:
        values.pop("password"), values.pop("confirm")
        return _users_page(request, values=values, errors=FieldErrors.of(exc, USER_FIELDS), status=400)
    return redirect("/quan-tri/nguoi-dung?xong=1")


@router.post("/quan-tri/nguoi-dung/{username}")
def change_user(request: Request, username: str, posted=Depends(checked_form("admin"))) -> Response:
    from kcn_tracker.accounts import set_active, set_password, set_role

    viewer, form = posted
    action = text(form, "action")
    address = client_address(request)
    try:
        with db(request, write=True) as session:
            if action == "role":
                set_role(session, username, text(form, "role"), by=viewer.username, address=address)
            elif action in ("disable", "enable"):
                set_active(session, username, action == "enable", by=viewer.username, address=address)
            elif action == "password":
                set_password(session, username, text(form, "password"), confirm=text(form, "confirm"),
                             by=viewer.username, address=address)
            else:
                from kcn_tracker.errors import InvalidValue

                raise InvalidValue("thao tác không hợp lệ / unknown action")
    except KcnError as exc:
        return _users_page(request, errors=FieldErrors.of(exc, ()), status=400)
    return redirect("/quan-tri/nguoi-dung?xong=1")


@router.get("/quan-tri/nhat-ky")
def audit_log(request: Request, viewer: Viewer = Depends(require("admin"))) -> Response:
    from kcn_tracker.accounts import audit_entries

    params = request.query_params
    with db(request) as session:
        entries = audit_entries(session, username=params.get("user") or None, action=params.get("action") or None,
                                failures_only=params.get("failures") == "1")
        return render(request, "audit.html", entries=entries, params=params)
