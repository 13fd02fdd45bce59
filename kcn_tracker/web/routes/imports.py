"""Spreadsheet upload: preview (every row's changes field by field, every problem), then confirm.

The preview is a dry run of ``importers.tabular.import_updates`` (rolled back); the
versions of the records it would change are kept with the stored file. Confirming
re-runs the import for real, refused (409) if any of those records changed since.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from kcn_tracker import clock
from kcn_tracker.errors import KcnError, Problem, ValidationFailed
from kcn_tracker.web.deps import Viewer, checked_form, db, redirect, render, require
from kcn_tracker.web.forms import upload_of
from kcn_tracker.web.security.sessions import client_address

router = APIRouter()
MAX_SHEET_BYTES = 10 * 1024 * 1024
SUFFIXES = (".xlsx", ".csv")


def _uploads(request: Request) -> Path:
    folder = request.app.state.files_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def preview_import(session, path: Path, *, by: str):
    """(report, versions) of a dry run; the versions are read in the same transaction, before it."""
    from kcn_tracker.editing import all_versions
    from kcn_tracker.importers.tabular import import_updates

    before = {rtype: all_versions(session, rtype) for rtype in ("zone", "project")}
    try:
        report = import_updates(session, path, by=by, dry_run=True)
    finally:
        session.rollback()  # a dry run: nothing of it is kept (the session is not used afterwards)
    versions = {f"{r.record_type}:{r.code}": before[r.record_type][r.code] for r in report.results}
    return report, versions


@router.get("/nhap")
def import_form(request: Request, viewer: Viewer = Depends(require("editor"))) -> Response:
    done = request.query_params.get("xong")
    return render(request, "import.html", problems=[], done=done, filename=None)


@router.post("/nhap")
def import_preview(request: Request, posted=Depends(checked_form("editor"))) -> Response:
    from kcn_tracker.models_accounts import ImportPreview

    viewer, form = posted
    upload = upload_of(form, "file", MAX_SHEET_BYTES)
    problems: list[Problem] = []
    if upload is None:
        problems.append(Problem("hãy chọn tệp Excel (.xlsx) hoặc CSV / choose a file", field="file"))
    elif len(upload[1]) > MAX_SHEET_BYTES:
        problems.append(Problem("tệp lớn hơn 10 MB / file larger than 10 MB", field="file"))
    elif Path(upload[0]).suffix.lower() not in SUFFIXES:
        problems.append(Problem("chỉ nhận tệp .xlsx hoặc .csv / only .xlsx or .csv files", field="file"))
    filename = upload[0] if upload else None
    if problems:
        return render(request, "import.html", status=400, problems=problems, done=None, filename=filename)
    token = secrets.token_urlsafe(24)
    stored = _uploads(request) / f"{token}{Path(upload[0]).suffix.lower()}"
    stored.write_bytes(upload[1])
    try:
        with db(request, write=True) as session:
            report, versions = preview_import(session, stored, by=viewer.username)
    except KcnError as exc:
        stored.unlink(missing_ok=True)
        found = exc.problems if isinstance(exc, ValidationFailed) else [Problem(exc.message)]
        return render(request, "import.html", status=400, problems=found, done=None, filename=filename)
    with db(request, write=True) as session:
        session.add(ImportPreview(token=token, username=viewer.username, filename=filename[:255], stored_path=str(stored),
                                  versions=versions, created_at=clock.now()))
    return render(request, "import_preview.html", report=report, token=token, filename=filename)


@router.post("/nhap/{token}/xac-nhan")
def import_confirm(request: Request, token: str, posted=Depends(checked_form("editor"))) -> Response:
    from kcn_tracker.accounts import audit
    from kcn_tracker.editing import versions_of
    from kcn_tracker.importers.tabular import import_updates
    from kcn_tracker.models_accounts import ImportPreview

    viewer, form = posted
    with db(request, write=True) as session:
        preview = session.get(ImportPreview, token)
        if preview is None or preview.username != viewer.username:
            raise HTTPException(404)
        changed = []
        for rtype in ("zone", "project"):
            wanted = {k.split(":", 1)[1]: v for k, v in preview.versions.items() if k.startswith(f"{rtype}:")}
            now = versions_of(session, rtype, sorted(wanted))
            changed += [code for code, version in wanted.items() if now.get(code) != version]
        if changed:
            return render(request, "import.html", status=409, done=None, filename=preview.filename, problems=[Problem(
                "Các bản ghi sau đã thay đổi sau khi xem trước; không ghi gì. Hãy tải tệp lên lại để xem trước lần nữa. / "
                f"These records changed since the preview; nothing written: {', '.join(changed)}")])
        report = import_updates(session, Path(preview.stored_path), by=viewer.username)
        audit(session, "import_confirmed", username=viewer.username, address=client_address(request),
              target=preview.filename, detail=f"{len(report.results)} rows")
        Path(preview.stored_path).unlink(missing_ok=True)
        session.delete(preview)
    return redirect(f"/nhap?xong={len(report.results)}")
