"""Form helpers shared by the edit, create and obstacle pages: which fields, how they are shown,
and every validation problem placed next to its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from starlette.datastructures import FormData, UploadFile

from kcn_tracker.errors import InvalidValue, KcnError, Problem, ValidationFailed
from kcn_tracker.fields import field_spec
from kcn_tracker.text import format_number, parse_date

EDIT_FIELDS = {
    "project": ("stage", "capacity_mw", "capacity_operating_mw", "investor", "expected_cod"),
    "zone": ("stage", "total_area_ha", "leasable_ha", "leased_ha", "tenants_registered", "tenants_operating", "developer"),
}
DOC_FIELDS = ("effective_on", "date_basis", "doc_number", "doc_date", "doc_title", "note")
META_LABELS = {
    "effective_on": "Ngày hiệu lực", "date_basis": "Căn cứ ngày", "doc_number": "Số hiệu văn bản",
    "doc_date": "Ngày ban hành", "doc_title": "Trích yếu", "note": "Ghi chú / lý do", "pdf": "Bản scan (PDF)",
    "category": "Loại vướng mắc", "description": "Mô tả", "opened_on": "Ngày phát sinh", "resolved_on": "Ngày giải quyết",
}
#: Problem.field names of the validation layer that a form shows under another input's name.
FIELD_ALIASES = {"doc": "doc_number"}


def input_value(record_type: str, name: str, value: Any) -> str:
    """A value as typed in a form: Vietnamese numbers ("49,9"), ISO dates for date inputs, keys for stages."""
    if value is None:
        return ""
    try:
        kind = field_spec(record_type, name).kind
    except KeyError:
        kind = "str"
    if kind == "float":
        return format_number(value, decimals=6)
    if kind == "int":
        return str(int(value))
    if kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return str(value)


class FieldErrors(dict):
    """field name -> list of messages; ``general`` for problems without a known field."""

    def __init__(self, problems: Iterable[Problem] = (), known: Iterable[str] = ()) -> None:
        super().__init__()
        self.general: list[str] = []
        names = set(known)
        for p in problems:
            field = FIELD_ALIASES.get(p.field or "", p.field)
            if field in names:
                self.setdefault(field, []).append(p.message)
            else:
                self.general.append(str(p))

    @classmethod
    def of(cls, exc: KcnError, known: Iterable[str]) -> FieldErrors:
        problems = exc.problems if isinstance(exc, ValidationFailed) else [Problem(exc.message)]
        return cls(problems, known)


def date_field(form: FormData, name: str, problems: list[Problem]) -> dt.date | None:
    """A date input of the form; a problem (on ``name``) if it cannot be read."""
    raw = form.get(name)
    try:
        return parse_date(raw if isinstance(raw, str) else None, field=META_LABELS.get(name, name))
    except InvalidValue as exc:
        problems.append(Problem(exc.message, field=name))
        return None


def document_ref(form: FormData, problems: list[Problem]) -> Any:
    """The cited document (number, date, title) of a form, or None when no number was typed."""
    from kcn_tracker.workflow import DocumentRef

    number = (form.get("doc_number") or "").strip() if isinstance(form.get("doc_number"), str) else ""
    issued = date_field(form, "doc_date", problems)
    title = form.get("doc_title") if isinstance(form.get("doc_title"), str) else ""
    if not number:
        if issued or (title or "").strip():
            problems.append(Problem("cần số hiệu văn bản / the document number is missing", field="doc_number"))
        return None
    if len(number) > 80:
        problems.append(Problem("số hiệu văn bản quá dài (tối đa 80 ký tự) / too long", field="doc_number"))
    return DocumentRef(number=number, issued_on=issued, title=(title or "").strip() or None)


def dated_document(form: FormData, date_name: str) -> tuple[dt.date | None, Any, list[Problem]]:
    """The date field ``date_name`` and the cited document of a form, with the problems found reading them."""
    problems: list[Problem] = []
    day = date_field(form, date_name, problems)
    return day, document_ref(form, problems), problems


def form_problems(session: Any, record_type: str, typed: dict[str, str], *, record: Any = None,
                  effective_on: dt.date | None = None, note: str | None = None) -> list[Problem]:
    """The problems ``validation.validate_form`` (the one validation layer) finds in what was typed, keyed by field."""
    from kcn_tracker.validation import validate_form

    try:
        validate_form(session, record_type, typed, record=record, effective_on=effective_on, note=note)
    except ValidationFailed as exc:
        return list(exc.problems)
    return []


@contextmanager
def all_problems(problems: list[Problem]) -> Iterator[None]:
    """Run a library call; raise ``ValidationFailed`` with the form's ``problems`` and the call's together.

    A form's own reading problems (a date that is not a date) must not hide what the library's
    validation finds in the other inputs, so the call runs even when ``problems`` is not empty
    (it writes nothing when it finds a problem, and the transaction is rolled back on any).
    """
    try:
        yield
    except ValidationFailed as exc:
        raise ValidationFailed([*problems, *exc.problems]) from None
    except KcnError as exc:  # one refusal without a field: shown with the form's problems (if any)
        if not problems:
            raise
        raise ValidationFailed([*problems, Problem(exc.message)]) from None
    if problems:
        raise ValidationFailed(problems)


def upload_of(form: FormData, name: str, limit: int) -> tuple[str, bytes] | None:
    """Synchronous variant for routes running in the thread pool (the file is spooled already)."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    upload.file.seek(0)
    return upload.filename, upload.file.read(limit + 1)
