"""Edit a record (stage, MW, areas, occupancy, investor, dates) citing a document, and create new records.

Thin: parse the form, one write transaction, one library call
(``editing.update_from_page`` / ``creation.create_record``), then redirect or re-render
the form with every problem next to its field and what the user typed kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kcn_tracker.errors import ConcurrentUpdate, KcnError, Problem, ValidationFailed
from kcn_tracker.web.deps import Viewer, checked_form, db, redirect, render, require, text
from kcn_tracker.web.forms import (DOC_FIELDS, EDIT_FIELDS, FieldErrors, dated_document, form_problems, input_value,
                                   upload_of)
from kcn_tracker.web.routes.records import record_type
from kcn_tracker.web.security.sessions import client_address

router = APIRouter()


def _current(session, rtype: str, code: str) -> tuple[Any, dict[str, str]]:
    from kcn_tracker.editing import record_by_code

    record = record_by_code(session, rtype, code)
    return record, {name: input_value(rtype, name, getattr(record, name)) for name in EDIT_FIELDS[rtype]}


def _edit_page(request: Request, rtype: str, kind: str, record: Any, values: dict[str, str], original: dict[str, str],
               *, version: int, meta: dict[str, str] | None = None, errors: FieldErrors | None = None,
               stale: bool = False, status: int = 200) -> Response:
    from kcn_tracker.stages import stages_for

    return render(request, "edit.html", status=status, rtype=rtype, kind=kind, record=record, values=values,
                  original=original, version=version, meta=meta or {}, errors=FieldErrors() if errors is None else errors,
                  stale=stale, fields=EDIT_FIELDS[rtype], stages=stages_for(rtype))


@router.get("/sua/{kind}/{code}")
def edit_form(request: Request, kind: str, code: str, viewer: Viewer = Depends(require("editor"))) -> Response:
    rtype = record_type(kind)
    with db(request) as session:
        record, values = _current(session, rtype, code)
        return _edit_page(request, rtype, kind, record, values, dict(values), version=record.version)


@router.post("/sua/{kind}/{code}")
def edit_save(request: Request, kind: str, code: str, posted=Depends(checked_form("editor"))) -> Response:
    from kcn_tracker.accounts import audit
    from kcn_tracker.attachments import MAX_PDF_BYTES, pdf_problems, store_pdf
    from kcn_tracker.editing import StaleRecord, record_by_code, update_from_page
    from kcn_tracker.models import Event

    viewer, form = posted
    rtype = record_type(kind)
    fields = EDIT_FIELDS[rtype]
    typed = {name: text(form, name).strip() for name in fields}
    original = {name: text(form, f"orig_{name}").strip() for name in fields}
    meta = {name: text(form, name) for name in DOC_FIELDS}
    changed = {name: value for name, value in typed.items() if value != original[name]}
    try:
        version = int(text(form, "version"))
    except ValueError:
        version = None
    effective_on, document, problems = dated_document(form, "effective_on")
    pdf = upload_of(form, "pdf", MAX_PDF_BYTES)
    if pdf is not None:
        problems.extend(pdf_problems(pdf[1]))
        if document is None:
            problems.append(Problem("bản scan cần số hiệu văn bản / a scan needs the document number", field="doc_number"))
    known = [*fields, *DOC_FIELDS, "pdf"]
    try:
        with db(request, write=True) as session:
            # The one validation layer, with the date and document problems, so every problem shows at once.
            problems += form_problems(session, rtype, changed, record=record_by_code(session, rtype, code),
                                      effective_on=effective_on, note=meta["note"].strip() or None)
            if problems:
                raise ValidationFailed(problems)
            preview = update_from_page(session, rtype, code, version, changed, effective_on=effective_on,
                                       document=document, date_basis=meta["date_basis"] or "document",
                                       note=meta["note"].strip() or None, by=viewer.username)
            event = session.get(Event, preview.event_id)
            if pdf is not None and event is not None and event.document is not None:
                store_pdf(session, event.document, pdf[0], pdf[1], by=viewer.username, folder=request.app.state.files_dir)
            audit(session, "record_updated", username=viewer.username, address=client_address(request),
                  target=f"{rtype}:{code}", detail=", ".join(f"{c.field}: {c.old} -> {c.new}" for c in preview.changes)[:2000])
    except StaleRecord as exc:
        with db(request) as session:
            record, current = _current(session, rtype, code)
            values = {name: typed[name] if name in changed else current[name] for name in fields}
            return _edit_page(request, rtype, kind, record, values, current, version=exc.current_version, meta=meta,
                              stale=True, status=409, errors=FieldErrors([Problem(exc.message)]))
    except ConcurrentUpdate:
        raise
    except KcnError as exc:
        with db(request) as session:
            record, _ = _current(session, rtype, code)
            return _edit_page(request, rtype, kind, record, typed, original, version=version or record.version,
                              meta=meta, errors=FieldErrors.of(exc, known), status=400)
    return redirect(f"/{kind}/{code}?da-luu=1")


@router.get("/tao/{kind}")
def create_form(request: Request, kind: str, viewer: Viewer = Depends(require("editor"))) -> Response:
    return _create_page(request, kind, {}, FieldErrors())


def _create_page(request: Request, kind: str, values: dict[str, str], errors: FieldErrors, status: int = 200) -> Response:
    from sqlalchemy import select

    from kcn_tracker.creation import CREATE_FIELDS, ZONE_KINDS
    from kcn_tracker.models import Technology, Zone
    from kcn_tracker.stages import stages_for

    rtype = record_type(kind)
    with db(request) as session:
        technologies = list(session.execute(select(Technology.key, Technology.label_vi).order_by(Technology.label_vi)))
        zones = list(session.execute(select(Zone.code, Zone.name).order_by(Zone.name))) if rtype == "project" else []
    return render(request, "create.html", status=status, rtype=rtype, kind=kind, values=values, errors=errors,
                  fields=CREATE_FIELDS[rtype], stages_options=[(s.key, s.label_vi) for s in stages_for(rtype)],
                  technologies=technologies, zones=zones,
                  zone_kinds=ZONE_KINDS)


@router.post("/tao/{kind}")
def create_save(request: Request, kind: str, posted=Depends(checked_form("editor"))) -> Response:
    from kcn_tracker.accounts import audit
    from kcn_tracker.creation import CREATE_FIELDS, create_record, source_and_name_problems

    viewer, form = posted
    rtype = record_type(kind)
    values = {name: text(form, name) for name in (*CREATE_FIELDS[rtype], *DOC_FIELDS)}
    effective_on, document, problems = dated_document(form, "effective_on")
    typed = {k: values[k].strip() for k in CREATE_FIELDS[rtype]}
    try:
        with db(request, write=True) as session:
            problems += form_problems(session, rtype, {k: v for k, v in typed.items() if v}, effective_on=effective_on)
            problems += source_and_name_problems(session, rtype, typed["name"], document)
            if problems:
                raise ValidationFailed(problems)
            record = create_record(session, rtype, {k: values[k].strip() for k in CREATE_FIELDS[rtype]},
                                   effective_on=effective_on, document=document,
                                   date_basis=values["date_basis"] or "document", by=viewer.username, origin="web")
            code = record.code
            audit(session, "record_created", username=viewer.username, address=client_address(request),
                  target=f"{rtype}:{code}", detail=record.name)
    except KcnError as exc:
        return _create_page(request, kind, values, FieldErrors.of(exc, [*CREATE_FIELDS[rtype], *DOC_FIELDS]), status=400)
    return redirect(f"/{kind}/{code}?da-luu=1")
