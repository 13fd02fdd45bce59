"""Scanned decisions (PDF) attached to documents, stored by content hash outside any web root.

A file is accepted only if it starts with the PDF signature ``%PDF-`` and is at most
``MAX_PDF_BYTES``; it is written once as ``<folder>/<sha256>.pdf`` (the same scan
uploaded twice is stored once) and served only as a download by its attachment id.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker import clock
from kcn_tracker.errors import Problem, UnknownRecord, ValidationFailed
from kcn_tracker.models import Document
from kcn_tracker.models_accounts import Attachment
from kcn_tracker.settings import user_data_dir

MAX_PDF_BYTES = 20 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"
ENV_FILES_DIR = "KCN_FILES_DIR"


def files_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where attachments live: ``explicit``, else ``KCN_FILES_DIR``, else ``<data folder>/files``."""
    return Path(explicit or os.environ.get(ENV_FILES_DIR) or user_data_dir() / "files")


def clean_filename(name: str | None) -> str:
    """A display name: no folders, no control characters, at most 200 characters, NFC."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C").strip()
    return (base or "tai-lieu.pdf")[:200]


def pdf_problems(data: bytes, *, field: str = "pdf") -> list[Problem]:
    """Why these bytes are not an acceptable PDF (empty, too large, not a PDF)."""
    if not data:
        return [Problem("tệp trống / the file is empty", field=field)]
    if len(data) > MAX_PDF_BYTES:
        return [Problem(f"tệp lớn hơn {MAX_PDF_BYTES // (1024 * 1024)} MB / file larger than the limit", field=field)]
    if not data.startswith(PDF_SIGNATURE):
        return [Problem("không phải tệp PDF (thiếu chữ ký %PDF-) / not a PDF file", field=field)]
    return []


def store_pdf(session: Session, document: Document, filename: str | None, data: bytes, *, by: str,
              folder: Path) -> Attachment:
    """Check and store ``data`` as an attachment of ``document`` (file written before the row)."""
    problems = pdf_problems(data)
    if problems:
        raise ValidationFailed(problems)
    digest = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}.pdf"
    if not target.exists():
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".part") as tmp:
            tmp.write(data)
        os.replace(tmp.name, target)
    attachment = Attachment(document=document, sha256=digest, filename=clean_filename(filename), size=len(data),
                            uploaded_by=by, uploaded_at=clock.now())
    session.add(attachment)
    session.flush()
    return attachment


def attachment_path(session: Session, attachment_id: int, *, folder: Path) -> tuple[Attachment, Path]:
    """The attachment row and its file on disk."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise UnknownRecord(f"Không có tệp đính kèm số {attachment_id} / no such attachment")
    path = folder / f"{attachment.sha256}.pdf"
    if not path.is_file():
        raise UnknownRecord(f"Tệp đính kèm số {attachment_id} không còn trên đĩa / the file is missing on disk")
    return attachment, path


def attachments_by_document(session: Session, document_ids: list[int]) -> dict[int, list[Attachment]]:
    """Attachments of these documents, grouped by document id."""
    out: dict[int, list[Attachment]] = {}
    if not document_ids:
        return out
    for att in session.scalars(select(Attachment).where(Attachment.document_id.in_(document_ids)).order_by(Attachment.id)):
        out.setdefault(att.document_id, []).append(att)
    return out
