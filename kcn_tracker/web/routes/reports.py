"""Downloads and the briefing map: periodic report, exports, Excel templates, attached PDFs.

Each calls the same library function as its CLI command (``kcn report``, ``kcn export``,
``kcn template``, ``kcn map --offline``) into a temporary folder and sends the file.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException

from kcn_tracker import clock
from kcn_tracker.web.deps import Viewer, as_of, db, render, require

router = APIRouter()
REPORT_FORMATS = {"docx": "Word (.docx)", "xlsx": "Excel (.xlsx)", "html": "Trang web (.html)", "md": "Markdown (.md)"}
EXPORT_FORMATS = {"xlsx": "Excel (.xlsx)", "csv": "CSV (nén .zip)", "geojson": "GeoJSON", "kml": "KML (Google Earth)",
                  "gpkg": "GeoPackage (QGIS)"}
MEDIA = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".html": "text/html",
         ".md": "text/markdown", ".zip": "application/zip", ".geojson": "application/geo+json",
         ".kml": "application/vnd.google-earth.kml+xml", ".gpkg": "application/geopackage+sqlite3", ".pdf": "application/pdf"}
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", re.S)


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "tep"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(path: Path, filename: str, *, cleanup: Path | None = None) -> FileResponse:
    """Send a file as a download (never displayed inline), deleting ``cleanup`` afterwards."""
    media = MEDIA.get(path.suffix, "application/octet-stream")
    task = BackgroundTask(shutil.rmtree, cleanup, ignore_errors=True) if cleanup else None
    return FileResponse(path, media_type=media, headers={"content-disposition": content_disposition(filename)},
                        background=task)


@router.get("/tai-ve")
def downloads_page(request: Request, viewer: Viewer = Depends(require("viewer"))) -> Response:
    from kcn_tracker.periods import next_deadlines

    return render(request, "downloads.html", report_formats=REPORT_FORMATS, export_formats=EXPORT_FORMATS,
                  deadlines=next_deadlines(clock.today())[:4], as_of=as_of(request))


@router.get("/tai-ve/bao-cao")
def report_download(request: Request, period: str, format: str = "docx",
                    viewer: Viewer = Depends(require("viewer"))) -> Response:
    from kcn_tracker.periods import parse_period
    from kcn_tracker.reports.content import build_content, write_report
    from kcn_tracker.reports.settings import load as load_settings

    if format not in REPORT_FORMATS:
        raise HTTPException(404)
    chosen = parse_period(period)
    folder = Path(tempfile.mkdtemp(prefix="kcn-report-"))
    with db(request) as session:
        content = build_content(session, chosen, generated_at=clock.now_vietnam(), with_charts=format != "md",
                                settings=load_settings()[0])
    written = [p for p in write_report(content, folder, (format,)) if p.suffix == f".{format}"]
    return download(written[0], written[0].name, cleanup=folder)


@router.get("/tai-ve/du-lieu")
def export_download(request: Request, format: str = "xlsx", viewer: Viewer = Depends(require("viewer"))) -> Response:
    from kcn_tracker.exporters import export

    if format not in EXPORT_FORMATS:
        raise HTTPException(404)
    day = as_of(request)
    folder = Path(tempfile.mkdtemp(prefix="kcn-export-"))
    stem = f"kcn-{day.isoformat()}"
    out = folder / (stem if format == "csv" else f"{stem}.{format}")
    with db(request) as session:
        export(session, format, out, as_of=day)
    if format == "csv":
        archive = folder / f"{stem}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*.csv")):
                zf.write(path, path.relative_to(folder))
        out = archive
    return download(out, out.name, cleanup=folder)


@router.get("/tai-ve/mau/{kind}")
def template_download(request: Request, kind: str, viewer: Viewer = Depends(require("viewer"))) -> Response:
    from kcn_tracker.template import write_template

    rtype = {"zones": "zone", "projects": "project"}.get(kind)
    if rtype is None:
        raise HTTPException(404)
    folder = Path(tempfile.mkdtemp(prefix="kcn-template-"))
    out = folder / f"mau-cap-nhat-{kind}.xlsx"
    with db(request) as session:
        write_template(session, rtype, out)
    return download(out, out.name, cleanup=folder)


@router.get("/tep/{attachment_id}")
def attachment_download(request: Request, attachment_id: int, viewer: Viewer = Depends(require("viewer"))) -> Response:
    from kcn_tracker.attachments import attachment_path

    with db(request) as session:
        attachment, path = attachment_path(session, attachment_id, folder=request.app.state.files_dir)
        name = attachment.filename
    return download(path, name)


def _script_hashes(html: str) -> list[str]:
    return [f"'sha256-{base64.b64encode(hashlib.sha256(m.group(1).encode('utf-8')).digest()).decode()}'"
            for m in _INLINE_SCRIPT.finditer(html)]


@router.get("/ban-do")
def briefing_map(request: Request, viewer: Viewer = Depends(require("viewer"))) -> Response:
    """``kcn map --offline`` as a page; its own inline scripts are allowed by hash, nothing else."""
    from kcn_tracker.maps import MapOptions, briefing_html, collect_briefing

    with db(request) as session:
        html = briefing_html(collect_briefing(session, MapOptions(as_of=as_of(request))), offline=True)
    csp = (f"default-src 'self'; script-src 'self' {' '.join(_script_hashes(html))}; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
           "frame-ancestors 'none'")
    return HTMLResponse(html, headers={"content-security-policy": csp})
