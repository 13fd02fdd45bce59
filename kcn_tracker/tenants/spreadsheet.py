"""The tenant Excel template and its import (preview with --dry-run), like the zone and project updates.

One row per project, identified by its certificate number: a known number updates the
project (only cells that differ from its state on the row's date, so a re-import
changes nothing), a new number adds a project. Every row is parsed first and every
problem reported at once (sheet, row, column); then all rows are written in the
caller's one transaction, or none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kcn_tracker import clock
from kcn_tracker.errors import KcnError, Problem, ValidationFailed
from kcn_tracker.history import replay
from kcn_tracker.importers.reading import read_table
from kcn_tracker.importers.tabular import _meta_value, excel_serial_date
from kcn_tracker.template import UPDATE_COLUMNS
from kcn_tracker.tenants.fields import TENANT_FIELDS, from_json, parse_tenant_values
from kcn_tracker.tenants.models import Tenant
from kcn_tracker.text import fold, nfc
from kcn_tracker.workflow import DocumentRef

SHEET = "Dự án thứ cấp"
#: Update columns of the shared template that apply to tenants (no obstacle columns here).
META = tuple(c for c in UPDATE_COLUMNS if not c.key.startswith("obstacle"))


def _headers() -> dict[str, tuple[str, str]]:
    """folded header -> ("field"|"meta", key): Vietnamese labels, English labels and keys."""
    index: dict[str, tuple[str, str]] = {}
    for spec in TENANT_FIELDS:
        for text in (spec.label_vi, spec.label_en, spec.name):
            index[fold(text)] = ("field", spec.name)
    for col in META:
        for text in (col.label_vi, col.label_en, col.key):
            index[fold(text)] = ("meta", col.key)
    return index


def write_tenant_template(session: Session, out: Path) -> int:
    """The workbook: current tenants (labels shown), drop-down lists, a help sheet. Returns the number of projects."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from kcn_tracker.tenants.catalogue import catalogue_labels
    from kcn_tracker.tenants.queries import tenant_views
    from kcn_tracker.tenants.stages import stage_label

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([f.label_vi for f in TENANT_FIELDS] + [c.label_vi for c in META])
    rows = tenant_views(session)
    countries = catalogue_labels(session)["country"]  # people pick the country by name; the import reads names and codes
    for row in rows:
        values = []
        for spec in TENANT_FIELDS:
            value = row.get(spec.name)
            value = stage_label(value) if spec.name == "stage" and value else value
            value = countries.get(value, value) if spec.name == "country" and value else value
            values.append(float(value) if spec.kind == "decimal" and value is not None else ("có" if value is True else "không" if value is False else value))
        sheet.append(values + [None] * len(META))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    for index, spec in enumerate(TENANT_FIELDS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, min(40, len(spec.label_vi) + 2))
    _add_lists(session, book, sheet, last_row=len(rows) + 1000)
    help_sheet = book.create_sheet("Hướng dẫn")
    help_sheet.append(["Cột", "Trường", "Giải thích"])
    for spec in TENANT_FIELDS:
        help_sheet.append([spec.label_vi, f"{spec.name} ({spec.label_en})", f"kiểu: {spec.kind}"])
    for col in META:
        help_sheet.append([col.label_vi, col.key, col.help_vi])
    help_sheet.append([])
    help_sheet.append(["Cách dùng", "", "Mỗi dòng một dự án, nhận diện bằng số GCNĐKĐT; số mới = dự án mới. Ô trống = không đổi. "
                       "Chạy: kcn tenants import TỆP.xlsx --dry-run (xem trước), rồi bỏ --dry-run để ghi."])
    book.save(out)
    return len(rows)


def _add_lists(session: Session, book: Any, sheet: Any, *, last_row: int) -> None:
    """Drop-down lists (stage, country, industry, zone, yes/no) from a hidden sheet of allowed values."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kcn_tracker.models import Zone
    from kcn_tracker.tenants.models import Country, Industry
    from kcn_tracker.tenants.stages import TENANT_STAGES

    yes_no = ["có", "không"]
    lists = {
        "stage": [s.label_vi for s in TENANT_STAGES],
        "country": [c.label_vi for c in session.scalars(select(Country).order_by(Country.label_vi))],
        "industry": [i.code for i in session.scalars(select(Industry).order_by(Industry.code))],
        "zone_code": [z.code for z in session.scalars(select(Zone).where(Zone.kind.in_(("KCN", "CCN", "KKT"))).order_by(Zone.code))],
        "fdi": yes_no, "high_tech": yes_no, "digital_tech": yes_no,
    }
    names = [f.name for f in TENANT_FIELDS]
    hidden = book.create_sheet("Danh mục")
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        hidden.cell(row=1, column=index, value=key)
        for row, value in enumerate(values, start=2):
            hidden.cell(row=row, column=index, value=value)
        if not values:
            continue
        target = get_column_letter(names.index(key) + 1)
        validation = DataValidation(type="list", formula1=f"'Danh mục'!${letter}$2:${letter}${len(values) + 1}", allow_blank=True,
                                    showErrorMessage=True, errorTitle="Giá trị không hợp lệ", error="Chọn một giá trị trong danh sách.")
        validation.add(f"{target}2:{target}{last_row}")
        sheet.add_data_validation(validation)
    hidden.sheet_state = "hidden"


@dataclass
class TenantImportReport:
    """What an import added and changed (or would, with --dry-run)."""

    file: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    lines: list[str] = field(default_factory=list)


def _cell(spec_kind: str, raw: Any) -> Any:
    if spec_kind == "date" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return excel_serial_date(float(raw))
    return raw


def _parse_row(session: Session, cells: dict[str, Any]) -> dict[str, Any]:
    kinds = {f.name: f.kind for f in TENANT_FIELDS}
    raw = {k: _cell(kinds[k], v) for k, v in cells.items() if v is not None and not (isinstance(v, str) and not nfc(v))}
    return parse_tenant_values(session, raw)


def import_tenants(session: Session, path: Path, *, effective_on: dt.date | None = None, by: str | None = None,
                   dry_run: bool = False, today: dt.date | None = None) -> TenantImportReport:
    """Validate every row of ``path``, then add or update in the caller's transaction (ValidationFailed lists every problem)."""
    from kcn_tracker.tenants.register import add_tenant, update_tenant

    file = path.name
    sheets = read_table(path)
    index = _headers()
    problems: list[Problem] = []
    plans: list[tuple[int, str, dict[str, Any], dict[str, Any]]] = []
    # Every tenant with its events in two queries: rows are matched and compared without a query each.
    query = select(Tenant).options(selectinload(Tenant.events))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Tenant)  # one lock for the whole import (SQLite holds the write lock already)
    known: dict[str, Tenant | None] = {t.certificate_no: t for t in session.scalars(query)}
    for sheet in sheets:
        columns = {pos: index[fold(h)] for pos, h in enumerate(sheet.headers) if h and fold(h) in index}
        if ("field", "certificate_no") not in columns.values():
            continue
        for row_number, cells in sheet.rows:
            fields = {key: cells[pos] if pos < len(cells) else None for pos, (kind, key) in columns.items() if kind == "field"}
            meta_raw = {key: cells[pos] if pos < len(cells) else None for pos, (kind, key) in columns.items() if kind == "meta"}
            where = dict(file=file, sheet=sheet.name, row=row_number)
            try:
                meta = {k: _meta_value(k, v, today=today or clock.today()) for k, v in meta_raw.items()}
                values = _parse_row(session, fields)
            except ValidationFailed as exc:
                problems.extend(Problem(p.message, field=p.field, **where) for p in exc.problems)
                continue
            except KcnError as exc:
                problems.append(Problem(exc.message, **where))
                continue
            plans.append((row_number, sheet.name, values, meta))
    if not plans and not problems:
        raise KcnError(f"{file}: không có sheet có cột “Số GCNĐKĐT” hoặc không có dòng dữ liệu / no tenant rows found")
    if problems:
        raise ValidationFailed(problems)
    report = TenantImportReport(file)
    for row_number, sheet_name, values, meta in plans:
        where = dict(file=file, sheet=sheet_name, row=row_number)
        doc = DocumentRef(meta["document"], meta.get("document_date")) if meta.get("document") else None
        kwargs = dict(date_basis=meta.get("date_basis") or "document", document=doc, note=meta.get("update_note"), by=by,
                      origin=f"import:{file}", dry_run=dry_run, today=today)
        certificate = values.get("certificate_no")
        try:
            if certificate not in known:
                # A new project's first event is its certificate date unless the row gives a date (not --date).
                preview = add_tenant(session, values, effective_on=meta.get("effective_on"), known_new=True, **kwargs)
                known[certificate] = None  # a second row for it in the same file is an update
                report.added += 1
                report.lines.append(f"dòng {row_number}: thêm {preview.name} [{preview.certificate_no}]")
                continue
            tenant = known[certificate] or session.scalars(select(Tenant).where(Tenant.certificate_no == certificate)).one()
            day = meta.get("effective_on") or effective_on or today or clock.today()
            current = {k: from_json(k, v) for k, v in replay(tenant.events, until=day).items()}
            changed = {k: v for k, v in values.items() if k != "certificate_no" and current.get(k) != v}
            if not changed:
                report.unchanged += 1
                continue
            preview = update_tenant(session, tenant, changed,
                                    effective_on=day, **kwargs)
            report.updated += 1
            report.lines.append(f"dòng {row_number}: {preview.name}: " + "; ".join(f"{c.field} {c.old} → {c.new}" for c in preview.changes))
        except ValidationFailed as exc:
            problems.extend(Problem(p.message, field=p.field, **where) for p in exc.problems)
        except KcnError as exc:
            problems.append(Problem(exc.message, **where))
    if problems:
        raise ValidationFailed(problems)
    session.flush()
    return report
