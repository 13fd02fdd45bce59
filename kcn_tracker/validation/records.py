"""Validation that needs the register: table references, a record's timeline, event dates, document and author.

``validate_update`` is what every writer calls (CLI options and ``--set``, spreadsheet
rows, GIS features); ``validate_form`` is the same for a web form. Both collect every
problem and raise ``ValidationFailed`` once, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kcn_tracker.errors import InvalidValue, Problem, ValidationFailed
from kcn_tracker.fields import DOCUMENT_NUMBER_MAX, MAX_TEXT, RECORDED_BY_MAX, field_spec, fields_for
from kcn_tracker.validation.dates import event_date_problems
from kcn_tracker.validation.fields import READ_ONLY_FIELDS, parse_values
from kcn_tracker.validation.texts import clean_text

EFFECTIVE_LABEL = "ngày hiệu lực / effective date (--date)"


def technology_key(session: Session, text: str) -> str | None:
    """The technology key for a key or a Vietnamese/English label (accents optional), None if unknown.

    The table is read once per session (an import checks thousands of rows).
    """
    from kcn_tracker.models import Technology
    from kcn_tracker.text import fold

    index = session.info.get("kcn_technology_index")
    if index is None:
        index = {}
        for tech in session.scalars(select(Technology)):
            for label in (tech.key, tech.label_vi, tech.label_en):
                index.setdefault(fold(label), tech.key)
        session.info["kcn_technology_index"] = index
        session.info["kcn_technology_texts"] = {}
    answers = session.info["kcn_technology_texts"]  # each text as typed is folded once (the same few labels recur)
    if text not in answers:
        answers[text] = index.get(fold(text))
    return answers[text]


def zone_code(session: Session, text: str) -> str | None:
    """The registered spelling of a zone code (case-insensitive), None if no zone has it.

    Codes found are kept for the session (an import checks thousands of rows); a code not
    among them is looked up again, so a zone added since is found.
    """
    from kcn_tracker.models import Zone

    index = session.info.get("kcn_zone_codes")
    if index is None:
        index = session.info["kcn_zone_codes"] = {}
        for code in session.scalars(select(Zone.code).order_by(Zone.id)):
            index.setdefault(code.lower(), code)
    if text.lower() not in index:
        found = session.scalars(select(Zone.code).where(func.lower(Zone.code) == text.lower())).first()
        if found is None:
            return None
        index[text.lower()] = found
    return index[text.lower()]


def check_references(session: Session, record_type: str, values: dict[str, Any]) -> list[Problem]:
    """Replace technology labels by keys and check zone codes exist (in place); the problems found."""
    from kcn_tracker.models import Technology

    problems = []
    if values.get("technology") is not None:
        key = technology_key(session, values["technology"])
        if key is None:
            keys = ", ".join(session.scalars(select(Technology.key).order_by(Technology.key)))
            problems.append(Problem(f"{field_spec(record_type, 'technology').label}: “{values['technology']}” không có trong "
                                    f"bảng công nghệ; chọn / choose: {keys}", field="technology"))
        else:
            values["technology"] = key
    if values.get("zone_code") is not None:
        code = zone_code(session, values["zone_code"])
        if code is None:
            problems.append(Problem(f"{field_spec(record_type, 'zone_code').label}: không có KCN/CCN mã “{values['zone_code']}” / "
                                    "no zone has this code (xem `kcn zones list`)", field="zone_code"))
        else:
            values["zone_code"] = code
    return problems


def first_event_date(record: Any) -> dt.date | None:
    """When the record was created: its earliest event's effective date (None for a new record)."""
    dates = [e.effective_on for e in record.events] if record is not None else []
    return min(dates) if dates else None


def field_date_problems(values: Mapping[str, Any], *, today: dt.date, historic: bool) -> list[Problem]:
    """Dates of things that happened (actual COD) follow the event-date rules, except the record's creation."""
    day = values.get("actual_cod")
    if day is None:
        return []
    return [Problem(m, field="actual_cod") for m in
            event_date_problems(day, label=field_spec("project", "actual_cod").label, today=today, historic=historic)]


def meta_problems(*, note: str | None = None, by: str | None = None, document: Any = None,
                  today: dt.date, historic: bool = False) -> list[Problem]:
    """The update's note, author (--by) and cited document (--doc, --doc-date, --doc-title)."""
    problems = []
    checks = [("note", "ghi chú / note (--note)", note, MAX_TEXT, True), ("by", "người ghi / recorded by (--by)", by, RECORDED_BY_MAX, False)]
    if document is not None:
        checks += [("doc", "số hiệu văn bản / document number (--doc)", document.number, DOCUMENT_NUMBER_MAX, False),
                   ("doc_title", "trích yếu văn bản / document title (--doc-title)", document.title, MAX_TEXT, True),
                   ("doc_issuer", "cơ quan ban hành / issuer", document.issuer, 200, False)]
    for field, label, value, limit, multiline in checks:
        try:
            clean_text(value, label=label, max_length=limit, multiline=multiline)
        except InvalidValue as exc:
            problems.append(Problem(exc.message, field=field))
    if document is not None and document.issued_on is not None:
        problems += [Problem(m, field="doc_date") for m in event_date_problems(
            document.issued_on, label="ngày văn bản / document date (--doc-date)", today=today, historic=historic)]
    return problems


def timeline_check(session: Session, record_type: str, record: Any, values: Mapping[str, Any], *,
                   effective_on: dt.date, note: str | None) -> list[Problem]:
    """Stage and capacity rules of the record's timeline with ``values`` added on ``effective_on``."""
    from types import SimpleNamespace

    from kcn_tracker.history import timeline_problems, to_json

    event = SimpleNamespace(id=None, effective_on=effective_on, note=note,
                            changes={k: to_json(record_type, k, v) for k, v in values.items()})
    return timeline_problems(record_type, [*record.events, event], label=record.name)


def validate_update(session: Session, record_type: str, record: Any, raw: Mapping[str, Any], *,
                    effective_on: dt.date, today: dt.date, historic: bool = False, note: str | None = None,
                    by: str | None = None, document: Any = None, machine: bool = False,
                    require_change: bool = True) -> dict[str, Any]:
    """Clean values for an update of ``record`` on ``effective_on`` with what they imply; every problem at once.

    Checks: each field (type, range, size, choices, geometry), table references, the
    effective date (not in the future, not before 2000 unless ``historic``, not before
    the record's first event), the actual COD, note/author/document, then the record's
    timeline with the implied changes (stage moves, MW within capacity, leased within
    leasable). Raises ``ValidationFailed`` listing them all.
    """
    from kcn_tracker.history import from_json, replay
    from kcn_tracker.workflow import implied_changes

    values, problems = parse_values(record_type, raw, machine=machine)
    problems += check_references(session, record_type, values)
    problems += [Problem(m, field="effective_on") for m in event_date_problems(
        effective_on, label=EFFECTIVE_LABEL, today=today, historic=historic, first_event=first_event_date(record))]
    problems += field_date_problems(values, today=today, historic=historic)
    problems += meta_problems(note=note, by=by, document=document, today=today, historic=historic)
    if require_change and not raw and not (note and note.strip()):
        problems.append(Problem("Không có gì để cập nhật: hãy cho ít nhất một trường / nothing to update: give at least one field"))
    # The rules of the timeline run on whatever parsed, so one pass reports parsing and rule problems together.
    current = {k: from_json(record_type, k, v) for k, v in replay(record.events, until=effective_on).items()}
    try:
        values = implied_changes(record_type, current, values, effective_on)
    except InvalidValue as exc:
        problems.append(Problem(exc.message, field="stage"))
    else:
        seen = {p.message for p in problems}
        problems += [p for p in timeline_check(session, record_type, record, values, effective_on=effective_on, note=note)
                     if p.message not in seen]
    if problems:
        raise ValidationFailed(problems)
    return values


def validate_form(session: Session, record_type: str, form: Mapping[str, str | None], *, record: Any = None,
                  effective_on: dt.date | None = None, historic: bool = False, today: dt.date | None = None,
                  note: str | None = None) -> dict[str, Any]:
    """Validate a web form: raw strings in, clean field values out (or ``ValidationFailed``).

    ``form`` maps field names (``kcn_tracker.fields``: "capacity_mw", "stage", "geometry"…)
    to the strings the user typed; an empty string clears an optional field. With
    ``record`` (an existing zone or project) the change is also checked against its
    timeline on ``effective_on`` (default today, Vietnam's date); without it the form
    describes a new record and every required field (name, kind or technology, stage) must be given. On failure every
    ``Problem`` in ``exc.problems`` has ``field`` set to the form field it concerns
    ("effective_on" for the date, None for the form as a whole), so the page can show
    each message next to its input. The returned dict holds the values as typed,
    cleaned (numbers as float/int, dates as ``datetime.date``, stage and technology as
    keys), ready for ``workflow.update_record``.
    """
    from kcn_tracker import clock

    today = today or clock.today()
    day = effective_on or today
    if record is None:  # a new record: every required field must be there (the code is the caller's)
        values, problems = parse_values(record_type, form)
        problems += [Problem(f"{spec.label}: không được để trống / must not be empty", field=spec.name)
                     for spec in fields_for(record_type)
                     if spec.required and spec.name not in READ_ONLY_FIELDS and values.get(spec.name) is None
                     and not any(p.field == spec.name for p in problems)]
        problems += check_references(session, record_type, values)
        problems += [Problem(m, field="effective_on") for m in event_date_problems(
            day, label=EFFECTIVE_LABEL, today=today, historic=historic)]
        problems += field_date_problems(values, today=today, historic=historic)
        if problems:
            raise ValidationFailed(problems)
        return values
    validate_update(session, record_type, record, form, effective_on=day, today=today, historic=historic, note=note)
    values, _ = parse_values(record_type, form)
    check_references(session, record_type, values)
    return values
