"""The session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS; its value is a random token."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

SESSION_COOKIE = "kcn_session"


def client_address(request: Request) -> str | None:
    """The peer address (uvicorn's --proxy-headers makes it the browser's behind a reverse proxy)."""
    return request.client.host if request.client else None


def session_token(request: Request) -> str | None:
    """The session token the browser sent, if any."""
    return request.cookies.get(SESSION_COOKIE)


def set_cookie(request: Request, response: Response, name: str, value: str, *, samesite: str = "lax",
               max_age: int | None = None) -> None:
    """Set an HttpOnly cookie, Secure when the page is served over HTTPS."""
    response.set_cookie(name, value, httponly=True, samesite=samesite, secure=request.url.scheme == "https",
                        path="/", max_age=max_age)


def clear_cookie(request: Request, response: Response, name: str) -> None:
    """Remove a cookie from the browser."""
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https")
