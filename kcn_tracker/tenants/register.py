"""The write side of the tenant register: add, update (as dated, cited events), obstacles, history.

The same shape as ``workflow``/``history`` for zones and projects: core functions take
a ``Session`` and never commit; validation collects every problem before anything is
kept; ``history.replay`` folds the events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker import clock
from kcn_tracker.errors import AmbiguousName, InvalidValue, Problem, UnknownRecord, ValidationFailed
from kcn_tracker.history import FieldChange, current_user, diff_states, replay
from kcn_tracker.tenants.fields import (
    FIELDS_BY_NAME,
    REQUIRED_ON_ADD,
    TENANT_FIELDS,
    from_json,
    implied_tenant_changes,
    parse_tenant_values,
    tenant_timeline_problems,
    to_json,
)
from kcn_tracker.tenants.models import Tenant, TenantEvent, TenantObstacle
from kcn_tracker.text import fold, nfc
from kcn_tracker.obstacles.service import parse_category as _category
from kcn_tracker.workflow import DocumentRef, find_or_add_document


@dataclass
class TenantPreview:
    """An add or update: the field changes, and whether it was written."""

    name: str
    certificate_no: str
    changes: list[FieldChange]
    effective_on: dt.date
    late: bool
    written: bool
    created: bool = False


def resolve_tenant(session: Session, query: str) -> Tenant:
    """One tenant by certificate number (spaces and dots ignored) or accent-insensitive name."""
    digits = "".join(c for c in query if c.isdigit())
    if digits and len(digits) >= 10:
        found = session.scalars(select(Tenant).where(Tenant.certificate_no == digits)).first()
        if found is not None:
            return found
    key = fold(query)
    if not key:
        raise InvalidValue("Tên trống / empty name")
    rows = session.execute(select(Tenant.id, Tenant.certificate_no, Tenant.name, Tenant.name_key)).all()
    matches = [r for r in rows if r.name_key == key] or [r for r in rows if key in r.name_key]
    if len(matches) == 1:
        return session.get(Tenant, matches[0].id)  # type: ignore[return-value]
    if not matches:
        raise UnknownRecord(f"Không tìm thấy dự án thứ cấp “{query}” / no tenant project matches (xem `kcn tenants list`)")
    listing = "\n".join(f"  - {r.name} [{r.certificate_no}]" for r in matches[:20])
    raise AmbiguousName(f"“{query}” khớp {len(matches)} dự án; dùng số GCNĐKĐT / matches several, use the certificate number:\n{listing}")


def apply_tenant_state(tenant: Tenant, state: Mapping[str, Any]) -> None:
    """Set the tenant's columns from a replayed state (absent fields become null)."""
    for spec in TENANT_FIELDS:
        setattr(tenant, spec.name, from_json(spec.name, state.get(spec.name)))
    tenant.name_key = fold(tenant.name or "")


def record_tenant_change(session: Session, tenant: Tenant, values: Mapping[str, Any], *, effective_on: dt.date,
                         date_basis: str = "document", document: Any = None, note: str | None = None, by: str | None = None,
                         origin: str = "cli", today: dt.date | None = None) -> tuple[TenantEvent, list[FieldChange], bool]:
    """Append one event and recompute the tenant's columns; ValidationFailed (every problem) if a rule breaks."""
    today = today or clock.today()
    problems: list[Problem] = []
    if effective_on > today:
        problems.append(Problem(f"ngày hiệu lực {effective_on:%d/%m/%Y} ở tương lai: chỉ ghi điều đã xảy ra / "
                                "effective date is in the future", field="effective_on"))
    if date_basis not in ("document", "inferred", "unknown"):
        problems.append(Problem(f"date_basis “{date_basis}” không hợp lệ / invalid", field="date_basis"))
    existing = list(tenant.events)
    before = replay(existing)
    event = TenantEvent(effective_on=effective_on, date_basis=date_basis,
                        changes={k: to_json(k, v) for k, v in values.items()}, document=document, note=note,
                        recorded_by=current_user(by), recorded_at=clock.now(), origin=origin)
    timeline = [*existing, event]
    problems.extend(tenant_timeline_problems(timeline, label=tenant.name or str(values.get("name"))))
    if problems:
        raise ValidationFailed(problems)
    after = replay(timeline)
    event.tenant = tenant
    session.add(event)
    apply_tenant_state(tenant, after)
    return event, diff_states(before, after), any(e.effective_on > effective_on for e in existing)


def add_tenant(session: Session, raw: Mapping[str, Any], *, effective_on: dt.date | None = None,
               date_basis: str = "document", document: DocumentRef | None = None, note: str | None = None,
               by: str | None = None, origin: str = "cli", dry_run: bool = False, today: dt.date | None = None,
               known_new: bool = False) -> TenantPreview:
    """Enter a new tenant project; its first event is dated the certificate date unless ``effective_on`` is given.

    ``known_new``: the caller (an import) has already checked the certificate number is not registered.
    """
    values = parse_tenant_values(session, raw)
    missing = [n for n in REQUIRED_ON_ADD if values.get(n) in (None, "")]
    problems = [Problem(f"thiếu {FIELDS_BY_NAME[n].label_vi} / {FIELDS_BY_NAME[n].label_en} is required", field=n) for n in missing]
    if values.get("certificate_no") and not known_new and session.scalars(
            select(Tenant.id).where(Tenant.certificate_no == values["certificate_no"])).first():
        problems.append(Problem(f"số GCNĐKĐT {values['certificate_no']} đã có trong sổ / already registered "
                                "(dùng `kcn tenants update`)", field="certificate_no"))
    if values.get("fdi") is None and values.get("country") is None:
        problems.append(Problem("cần Quốc tịch nhà đầu tư hoặc Dự án FDI (có/không) / give the country or FDI yes/no", field="country"))
    if problems:
        raise ValidationFailed(problems)
    values = {k: v for k, v in implied_tenant_changes({}, values).items() if v is not None}
    tenant = Tenant(certificate_no=values["certificate_no"], name=values["name"], name_key=fold(values["name"]))
    session.add(tenant)
    day = effective_on or values["certificate_on"]
    try:
        _, changes, _ = record_tenant_change(session, tenant, values, effective_on=day, date_basis=date_basis,
                                             document=find_or_add_document(session, document), note=note, by=by,
                                             origin=origin, today=today)
    except ValidationFailed:
        session.expunge(tenant)  # a refused entry leaves nothing pending in the session
        raise
    if not known_new:
        session.flush()
    return TenantPreview(tenant.name, tenant.certificate_no, changes, day, False, not dry_run, created=True)


def update_tenant(session: Session, query: str | Tenant, raw: Mapping[str, Any], *, effective_on: dt.date | None = None,
                  date_basis: str = "document", document: DocumentRef | None = None, note: str | None = None,
                  by: str | None = None, origin: str = "cli", dry_run: bool = False,
                  today: dt.date | None = None) -> TenantPreview:
    """Record a change (adjusted certificate, stage, realised capital, workers...) as a new event."""
    # A Tenant object comes from a caller that read (and on PostgreSQL locked) it already: an import.
    tenant = query if isinstance(query, Tenant) else resolve_tenant(session, query)
    if not isinstance(query, Tenant) and session.get_bind().dialect.name == "postgresql":
        session.refresh(tenant, with_for_update=True)
    if "certificate_no" in raw:
        raise InvalidValue("số GCNĐKĐT nhận diện dự án, không sửa được / the certificate number identifies the project")
    values = parse_tenant_values(session, raw)
    if not values and not note:
        raise InvalidValue("Không có gì để cập nhật / nothing to update: give at least one field")
    day = effective_on or today or clock.today()
    current = {k: from_json(k, v) for k, v in replay(tenant.events, until=day).items()}
    values = implied_tenant_changes(current, values)
    _, changes, late = record_tenant_change(session, tenant, values, effective_on=day, date_basis=date_basis,
                                            document=find_or_add_document(session, document), note=note, by=by,
                                            origin=origin, today=today)
    if not isinstance(query, Tenant):
        session.flush()
    return TenantPreview(tenant.name, tenant.certificate_no, changes, day, late, not dry_run)


def open_tenant_obstacle(session: Session, query: str, *, category: str, description: str, opened_on: dt.date | None = None,
                         document: DocumentRef | None = None, by: str | None = None, today: dt.date | None = None) -> TenantObstacle:
    """Open a vướng mắc on a tenant project (same categories as zones and projects)."""
    today = today or clock.today()
    day = opened_on or today
    if not nfc(description or ""):
        raise InvalidValue("mô tả/description: không được để trống / must not be empty")
    if day > today:
        raise InvalidValue("ngày mở/opened on: ở tương lai / is in the future")
    tenant = resolve_tenant(session, query)
    obstacle = TenantObstacle(tenant=tenant, category=_category(category), description=nfc(description), opened_on=day,
                              opened_document=find_or_add_document(session, document), recorded_by=current_user(by),
                              recorded_at=clock.now())
    session.add(obstacle)
    session.flush()
    return obstacle


def resolve_tenant_obstacle(session: Session, obstacle_id: int, *, resolved_on: dt.date | None = None,
                            document: DocumentRef | None = None, note: str | None = None,
                            today: dt.date | None = None) -> TenantObstacle:
    """Mark a tenant's open obstacle resolved on a date."""
    today = today or clock.today()
    obstacle = session.get(TenantObstacle, obstacle_id)
    if obstacle is None:
        raise UnknownRecord(f"Không có vướng mắc dự án thứ cấp số {obstacle_id} / no tenant obstacle #{obstacle_id}")
    day = resolved_on or today
    if obstacle.resolved_on is not None or day > today or day < obstacle.opened_on:
        raise InvalidValue("vướng mắc đã giải quyết, hoặc ngày giải quyết ở tương lai / trước ngày mở / already resolved, "
                           "or the date is in the future or before it was opened")
    obstacle.resolved_on, obstacle.resolution_note = day, note
    obstacle.resolved_document = find_or_add_document(session, document)
    session.flush()
    return obstacle


@dataclass
class TenantHistoryEntry:
    """One line of a tenant's history."""

    effective_on: dt.date
    kind: str  # event | obstacle_opened | obstacle_resolved
    changes: list[FieldChange] = field(default_factory=list)
    document: str | None = None
    note: str | None = None
    recorded_by: str | None = None
    obstacle_id: int | None = None


def tenant_history(tenant: Tenant, *, until: dt.date | None = None) -> list[TenantHistoryEntry]:
    """The tenant's events (each with what it changed) and obstacles, in time order."""
    entries: list[TenantHistoryEntry] = []
    state: dict[str, Any] = {}
    for event in sorted(tenant.events, key=lambda e: (e.effective_on, e.id)):
        before = dict(state)
        state.update(event.changes or {})
        entries.append(TenantHistoryEntry(event.effective_on, "event", diff_states(before, state),
                                          event.document.citation() if event.document else None, event.note, event.recorded_by))
    for ob in tenant.obstacles:
        entries.append(TenantHistoryEntry(ob.opened_on, "obstacle_opened", [], ob.opened_document.citation() if ob.opened_document else None,
                                          f"[{ob.category}] {ob.description}", ob.recorded_by, ob.id))
        if ob.resolved_on:
            entries.append(TenantHistoryEntry(ob.resolved_on, "obstacle_resolved", [],
                                              ob.resolved_document.citation() if ob.resolved_document else None,
                                              ob.resolution_note or ob.description, None, ob.id))
    entries.sort(key=lambda e: (e.effective_on, e.kind != "event"))
    return [e for e in entries if until is None or e.effective_on <= until]


def check_tenants(session: Session) -> list[Problem]:
    """Every tenant's timeline re-validated (the counterpart of ``workflow.check_all``)."""
    problems: list[Problem] = []
    for tenant in session.scalars(select(Tenant).order_by(Tenant.id)):
        problems.extend(tenant_timeline_problems(tenant.events, label=tenant.name))
    return problems
