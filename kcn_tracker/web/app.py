"""The application factory: ``create_app(database_url)`` gives the ASGI app that ``kcn serve`` runs."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from urllib.parse import quote

from kcn_tracker.errors import ConcurrentUpdate, KcnError, UnknownRecord
from kcn_tracker.web.cache import RegisterCache
from kcn_tracker.web.deps import Forbidden, NeedLogin, render
from kcn_tracker.web.security.csrf import CsrfRefused
from kcn_tracker.web.security.headers import BodyLimit, SecurityHeaders
from kcn_tracker.web.templating import make_environment

log = logging.getLogger("kcn_tracker.web")
STATIC = Path(__file__).resolve().parent / "static"
API_PREFIX = "/api/"
STATUS_TITLES = {
    400: "Yêu cầu không hợp lệ", 403: "Không có quyền", 404: "Không tìm thấy trang", 405: "Thao tác không được phép",
    409: "Dữ liệu đã thay đổi", 413: "Dữ liệu gửi lên quá lớn", 422: "Yêu cầu không hợp lệ",
    429: "Thử lại sau", 500: "Lỗi máy chủ",
}
STATUS_TEXT = {
    404: "Trang hoặc bản ghi này không tồn tại. / Not found.",
    405: "Trang này không nhận thao tác đó. / Method not allowed.",
    422: "Biểu mẫu thiếu hoặc sai dữ liệu. / The form is incomplete.",
    500: "Đã có lỗi ở máy chủ; không có gì được ghi. Hãy báo cho người quản trị. / Server error; nothing was written.",
}


def _error_page(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith(API_PREFIX):  # the JSON endpoints answer in JSON, errors too
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)
    try:
        return render(request, "error.html", status=status, title=STATUS_TITLES.get(status, "Lỗi"), message=message,
                      status_code=status)
    except Exception:  # never let the error page itself fail into a traceback
        log.exception("error page failed")
        return HTMLResponse("<!doctype html><meta charset=utf-8><title>Lỗi</title><h1>Lỗi</h1>", status_code=status)


def create_app(database_url: str, *, files_dir: str | os.PathLike[str] | None = None, migrate: bool = True) -> FastAPI:
    """The web app on ``database_url`` (schema migrated; bundled data loaded into a brand-new database)."""
    from kcn_tracker.attachments import files_dir as default_files_dir
    from kcn_tracker.db import ensure_schema, make_engine
    from kcn_tracker.web.routes import ROUTERS

    engine = make_engine(database_url)
    if migrate and ensure_schema(engine):
        from kcn_tracker.bundled import load_bundled_data

        load_bundled_data(engine, only_if_empty=True)
    app = FastAPI(title="kcn-tracker", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    app.state.templates = make_environment()
    app.state.files_dir = default_files_dir(files_dir)
    app.state.cache = RegisterCache()
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    app.mount("/static/leaflet", StaticFiles(directory=_leaflet_dir()), name="leaflet")  # before /static
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    _handlers(app)
    return app


def _leaflet_dir() -> Path:
    from kcn_tracker.maps.offline import leaflet_dir

    return leaflet_dir()


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(NeedLogin)
    async def need_login(request: Request, exc: NeedLogin) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET" or request.url.path.startswith(API_PREFIX):
            return _error_page(request, 401, "Phiên đăng nhập đã hết; hãy đăng nhập lại. / Please log in again.")
        return RedirectResponse(f"/dang-nhap?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _error_page(request, 403, exc.message)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        from kcn_tracker.accounts import audit
        from kcn_tracker.web.deps import db
        from kcn_tracker.web.security.sessions import client_address

        with db(request, write=True) as session:
            audit(session, "csrf_refused", username=None, address=client_address(request),
                  target=f"{request.method} {request.url.path}"[:200], success=False)
        return _error_page(request, 403, exc.message)

    @app.exception_handler(UnknownRecord)
    async def unknown(request: Request, exc: UnknownRecord) -> Response:
        return _error_page(request, 404, exc.message)

    @app.exception_handler(ConcurrentUpdate)
    async def concurrent(request: Request, exc: ConcurrentUpdate) -> Response:
        return _error_page(request, 409, exc.message)

    @app.exception_handler(KcnError)
    async def user_error(request: Request, exc: KcnError) -> Response:
        return _error_page(request, 400, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = STATUS_TEXT.get(exc.status_code) or (exc.detail if isinstance(exc.detail, str) else "")
        return _error_page(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return _error_page(request, 422, STATUS_TEXT[422])

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error_page(request, 500, STATUS_TEXT[500])
