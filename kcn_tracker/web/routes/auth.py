"""Log in and out. A new session token at every login; logout deletes the session row."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from kcn_tracker.accounts import LoginRefused, LoginThrottled, authenticate, close_session
from kcn_tracker.web.deps import checked_form, db, read_form, redirect, render, text
from kcn_tracker.web.security.csrf import LOGIN_CSRF_COOKIE, check_token, new_token
from kcn_tracker.web.security.sessions import SESSION_COOKIE, clear_cookie, client_address, session_token, set_cookie

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no //host, no scheme): no open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _login_page(request: Request, *, status: int = 200, error: str | None = None, username: str = "",
                next_url: str = "/") -> Response:
    token = new_token()
    response = render(request, "login.html", status=status, error=error, username=username, login_csrf=token,
                      next_url=_safe_next(next_url))
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, samesite="strict")
    return response


@router.get("/dang-nhap")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next_url=next)


@router.post("/dang-nhap")
def login(request: Request, form: FormData = Depends(read_form)) -> Response:
    check_token(request.cookies.get(LOGIN_CSRF_COOKIE), form.get("csrf"))
    username, password = text(form, "username"), text(form, "password")
    address = client_address(request)
    old = session_token(request)
    try:
        opened = authenticate(request.app.state.engine, username, password, address=address, replaces=old)
    except (LoginRefused, LoginThrottled) as exc:
        status = 429 if isinstance(exc, LoginThrottled) else 401
        return _login_page(request, status=status, error=exc.message, username=username, next_url=text(form, "next"))
    response = redirect(_safe_next(text(form, "next")))
    set_cookie(request, response, SESSION_COOKIE, opened.token)
    clear_cookie(request, response, LOGIN_CSRF_COOKIE)
    return response


@router.post("/dang-xuat")
def logout(request: Request, posted=Depends(checked_form("viewer"))) -> Response:
    with db(request, write=True) as session:
        close_session(session, session_token(request), address=client_address(request))
    response = redirect("/dang-nhap")
    clear_cookie(request, response, SESSION_COOKIE)
    return response
