"""Create a new zone or power project, recorded as its first event with the cited source.

Used by ``kcn zones add`` / ``kcn energy add`` and by the web form: a record that does
not exist yet cannot be updated or imported, so creating one is its own step, and like
every change it cites the document it comes from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker import clock
from kcn_tracker.errors import KcnError, Problem, ValidationFailed
from kcn_tracker.history import Record, record_change
from kcn_tracker.models import Project, Zone
from kcn_tracker.registry import MODELS, parse_technology
from kcn_tracker.text import fold, nfc

ZONE_KINDS = ("KCN", "CCN", "KKT")
#: Fields a new record may be created with (the rest are set later by updates or GIS imports).
CREATE_FIELDS = {
    "zone": ("name", "kind", "phase", "stage", "commune", "address_as_written", "developer", "total_area_ha",
             "leasable_ha", "leased_ha", "tenants_registered", "tenants_operating", "note"),
    "project": ("name", "technology", "stage", "capacity_mw", "investor", "commune", "address_as_written",
                "expected_cod", "voltage_kv", "zone_code", "plan_role", "note"),
}
REQUIRED = {"zone": ("name", "kind", "stage"), "project": ("name", "technology", "stage")}


def make_code(session: Session, record_type: str, name: str) -> str:
    """A readable, unique code from the name: "KCN Nam Cam Ranh" -> "kcn-nam-cam-ranh"."""
    model = MODELS[record_type]
    base = fold(name).replace(" ", "-")[:70] or record_type
    code, n = base, 1
    while session.scalar(select(model.id).where(model.code == code)) is not None:
        n += 1
        code = f"{base}-{n}"
    return code


def source_and_name_problems(session: Session, record_type: str, name: Any, document: Any) -> list[Problem]:
    """What a new record needs beyond its field values: a cited source document and a name not yet used."""
    problems = []
    if document is None or not nfc(document.number or ""):
        problems.append(Problem("cần số hiệu văn bản nguồn / the source document number is required", field="doc_number"))
    name = nfc(str(name or ""))
    model = MODELS[record_type]
    if name and session.scalar(select(model.id).where(model.name_key == fold(name))) is not None:
        problems.append(Problem(f"đã có bản ghi tên “{name}” / a record with this name exists", field="name"))
    return problems


def create_record(session: Session, record_type: str, raw: Mapping[str, Any], *, effective_on: dt.date | None,
                  document: Any, date_basis: str = "document", by: str | None = None, origin: str = "cli",
                  today: dt.date | None = None) -> Record:
    """Add a zone or project from user input; every problem at once, nothing written on failure.

    ``document`` (a ``workflow.DocumentRef``) is required: it becomes the record's
    ``source`` and the first event's document.
    """
    from kcn_tracker.workflow import find_or_add_document, parse_field_values

    problems: list[Problem] = []
    given = {k: v for k, v in raw.items() if k in CREATE_FIELDS[record_type] and v not in (None, "")}
    for name in REQUIRED[record_type]:
        if not nfc(str(given.get(name) or "")):
            problems.append(Problem("bắt buộc / required", field=name))
    values: dict[str, Any] = {}
    special = {"kind", "technology"}
    try:
        values = parse_field_values(record_type, {k: v for k, v in given.items() if k not in special})
    except ValidationFailed as exc:
        problems.extend(exc.problems)
    if record_type == "zone" and given.get("kind"):
        kind = nfc(str(given["kind"])).upper()
        if kind not in ZONE_KINDS:
            problems.append(Problem(f"loại “{given['kind']}”: chọn / choose {', '.join(ZONE_KINDS)}", field="kind"))
        values["kind"] = kind
    if record_type == "project" and given.get("technology"):
        try:
            values["technology"] = parse_technology(session, str(given["technology"]))
        except KcnError as exc:
            problems.append(Problem(exc.message, field="technology"))
    problems += source_and_name_problems(session, record_type, given.get("name"), document)
    name = nfc(str(given.get("name") or ""))
    model = MODELS[record_type]
    zone_code = values.get("zone_code")
    if zone_code and session.scalar(select(Zone.id).where(Zone.code == zone_code)) is None:
        problems.append(Problem(f"không có KCN/CCN mã “{zone_code}” / no such zone code", field="zone_code"))
    if problems:
        raise ValidationFailed(problems)
    doc = find_or_add_document(session, document)
    day = effective_on or today or clock.today()
    values["source"] = doc.citation() if doc else None
    values.setdefault("location_precision", "none")
    code = make_code(session, record_type, name)
    record: Record
    if record_type == "zone":
        record = Zone(code=code, name=name, name_key=fold(name), kind=values["kind"], location_precision="none")
    else:
        record = Project(code=code, name=name, name_key=fold(name), technology=values["technology"], location_precision="none")
    session.add(record)
    values["code"] = code
    record_change(session, record, values, effective_on=day, date_basis=date_basis, document=doc,
                  note="Tạo bản ghi mới / record created", by=by, origin=origin, today=today)
    session.flush()
    return record
