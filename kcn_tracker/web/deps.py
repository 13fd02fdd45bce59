"""What every route shares: the database, the logged-in user, role checks, forms with CSRF, rendering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from kcn_tracker import clock
from kcn_tracker.errors import InvalidValue, KcnError
from kcn_tracker.text import parse_date
from kcn_tracker.web.security.csrf import check_origin, check_token
from kcn_tracker.web.security.sessions import client_address, session_token

ROLE_ORDER = {"viewer": 0, "editor": 1, "admin": 2}


@dataclass(frozen=True)
class Viewer:
    """The logged-in user of this request."""

    username: str
    full_name: str | None
    role: str
    csrf: str

    def can(self, role: str) -> bool:
        return ROLE_ORDER[self.role] >= ROLE_ORDER[role]


class NeedLogin(Exception):
    """No valid session: go to the login page."""


class Forbidden(KcnError):
    """The user's role does not allow this."""


@contextmanager
def db(request: Request, *, write: bool = False) -> Iterator[Any]:
    """One transaction on the app's database."""
    from kcn_tracker.db import session_scope

    with session_scope(request.app.state.engine, write=write) as session:
        yield session


def current_viewer(request: Request) -> Viewer:
    """The user of the session cookie (NeedLogin if none): checked on every request, so a
    logged-out or disabled session stops working at once."""
    from kcn_tracker.accounts import session_user

    token = session_token(request)
    touch_needed = False
    with db(request) as session:
        found = session_user(session, token, touch=False)
        if found is not None:
            user, row = found
            viewer = Viewer(user.username, user.full_name, user.role, row.csrf_token)
            last = row.last_seen if row.last_seen.tzinfo else row.last_seen.replace(tzinfo=dt.timezone.utc)
            touch_needed = clock.now() - last > dt.timedelta(minutes=1)
    if found is None:
        raise NeedLogin()
    if touch_needed:
        with db(request, write=True) as session:
            session_user(session, token, touch=True)
    request.state.viewer = viewer
    return viewer


def require(role: str):
    """A dependency: the logged-in user, refused (403, audited) below ``role``."""

    def dependency(request: Request, viewer: Viewer = Depends(current_viewer)) -> Viewer:
        if not viewer.can(role):
            from kcn_tracker.accounts import audit

            with db(request, write=True) as session:
                audit(session, "forbidden", username=viewer.username, address=client_address(request),
                      target=f"{request.method} {request.url.path}"[:200], success=False)
            raise Forbidden("Tài khoản của bạn không có quyền làm việc này / your role does not allow this")
        return viewer

    return dependency


async def read_form(request: Request) -> FormData:
    """The posted form, after the Origin check (files up to the body limit)."""
    check_origin(request)
    return await request.form(max_files=5, max_fields=200)


def checked_form(role: str):
    """A dependency for POST routes: the user (at least ``role``) and the form, CSRF token checked."""

    def dependency(request: Request, form: FormData = Depends(read_form),
                   viewer: Viewer = Depends(require(role))) -> tuple[Viewer, FormData]:
        check_token(viewer.csrf, form.get("csrf"))
        request.app.state.cache.wrote(viewer.username)
        return viewer, form

    return dependency


def as_of(request: Request) -> dt.date:
    """The date a read page shows (``?ngay=yyyy-mm-dd``; default today in Vietnam)."""
    raw = request.query_params.get("ngay")
    try:
        day = parse_date(raw, field="ngày xem") if raw else None
    except InvalidValue:
        day = None
    return day or clock.today()


def text(form: FormData, name: str) -> str:
    """A text field of the form ('' if absent or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the common context (user, CSRF token, today)."""
    env = request.app.state.templates
    viewer = getattr(request.state, "viewer", None)
    html = env.get_template(template).render(request=request, viewer=viewer, csrf=viewer.csrf if viewer else "",
                                             today=clock.today(), path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def redirect(url: str) -> RedirectResponse:
    """POST-redirect-GET."""
    return RedirectResponse(url, status_code=303)
