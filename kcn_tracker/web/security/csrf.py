"""CSRF: a per-session token in every form, plus an Origin (or Referer) check on every POST."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from kcn_tracker.errors import KcnError

LOGIN_CSRF_COOKIE = "kcn_login_csrf"


class CsrfRefused(KcnError):
    """A state-changing request without the right token or from another site."""

    exit_code = 2


def expected_origin(request: Request) -> str:
    """The origin this server is reached at, as the browser sees it."""
    host = request.headers.get("host", "")
    return f"{request.url.scheme}://{host}"


def check_origin(request: Request) -> None:
    """Refuse a POST whose Origin (or, without it, Referer) is another site."""
    allowed = expected_origin(request)
    origin = request.headers.get("origin")
    if origin is not None:
        if origin != allowed:
            raise CsrfRefused("Yêu cầu đến từ trang khác; bị từ chối / request from another origin refused")
        return
    referer = request.headers.get("referer")
    if referer is not None and not (referer == allowed or referer.startswith(allowed + "/")):
        raise CsrfRefused("Yêu cầu đến từ trang khác; bị từ chối / request from another origin refused")


def check_token(expected: str | None, given: object) -> None:
    """Refuse when the form's token is missing or differs (constant-time comparison)."""
    if not expected or not isinstance(given, str) or not hmac.compare_digest(expected.encode(), given.encode()):
        raise CsrfRefused("Thiếu hoặc sai mã bảo vệ biểu mẫu (CSRF); hãy tải lại trang / missing or wrong form token, reload the page")


def new_token() -> str:
    """A fresh random token."""
    return secrets.token_urlsafe(32)
