"""Import status updates from an Excel workbook (.xlsx) or a CSV file, as ordinary events.

Two passes: every row is read, matched and parsed first (all problems collected
with sheet, row and column); then, in the caller's one write transaction, each
changed row goes through ``workflow.update_record`` (which re-checks the timeline).
Any problem in either pass raises ``ValidationFailed`` and the caller rolls back,
so the database is untouched. Cells left empty mean "no change"; rows whose values
equal the current state are skipped, so importing a file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.errors import KcnError, Problem, UnknownRecord, ValidationFailed
from kcn_tracker.fields import OBSTACLE_CATEGORIES, field_spec, fields_for
from kcn_tracker.history import FieldChange
from kcn_tracker.importers.reading import SheetRows, read_table
from kcn_tracker.template import SHEETS, UPDATE_COLUMNS
from kcn_tracker.text import fold, nfc
from kcn_tracker import clock

#: Fields a spreadsheet may not change: the code identifies the row; geometry comes from GIS files.
READ_ONLY = ("code", "geometry")
_EXCEL_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
ProgressFn = Callable[[int, int], None]


@dataclass
class RowPlan:
    """One parsed row: the record it updates and the values that differ from the current state."""

    sheet: str
    row: int
    record_type: str
    code: str
    name: str
    values: dict[str, Any]
    meta: dict[str, Any]


@dataclass
class RowResult:
    """What one row changed (or would change with --dry-run)."""

    sheet: str
    row: int
    record_type: str
    code: str
    name: str
    changes: list[FieldChange]
    obstacle: str | None = None


@dataclass
class ImportReport:
    """The outcome of an import: changed rows, unchanged rows, ignored columns."""

    file: str
    results: list[RowResult] = field(default_factory=list)
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False


def _header_index(record_type: str) -> dict[str, tuple[str, str, bool]]:
    """folded header -> (kind "field"/"meta", key, machine) for Vietnamese labels and English names."""
    index: dict[str, tuple[str, str, bool]] = {}
    for spec in fields_for(record_type):
        index[fold(spec.label_vi)] = ("field", spec.name, False)
        index[fold(spec.label_en)] = ("field", spec.name, False)
        index[fold(spec.name)] = ("field", spec.name, True)
    for col in UPDATE_COLUMNS:
        for text in (col.label_vi, col.label_en):
            index[fold(text)] = ("meta", col.key, False)
        index[fold(col.key)] = ("meta", col.key, True)
    return index


def detect_record_type(sheet: SheetRows, forced: str | None) -> str | None:
    """"project" or "zone" from --kind, the sheet name, or the columns (None: not a record sheet)."""
    if forced:
        return forced
    for record_type, name in SHEETS.items():
        if fold(sheet.name) in (fold(name), record_type + "s", "energy" if record_type == "project" else "zones"):
            return record_type
    headers = {fold(h) for h in sheet.headers if h}
    only = {}
    for record_type in ("project", "zone"):
        other = "zone" if record_type == "project" else "project"
        own = {f.name for f in fields_for(record_type)} - {f.name for f in fields_for(other)}
        only[record_type] = any(k in headers and v[1] in own for k, v in _header_index(record_type).items() if v[0] == "field")
    if only["project"] != only["zone"]:
        return "project" if only["project"] else "zone"
    return None


def select_sheets(sheets: list[SheetRows], *, sheet_name: str | None, kind: str | None, file: str) -> list[tuple[SheetRows, str]]:
    """The sheets to import with their record type; a clear error for a wrong or missing sheet."""
    names = ", ".join(f"“{s.name}”" for s in sheets)
    if sheet_name:
        chosen = [s for s in sheets if fold(s.name) == fold(sheet_name)]
        if not chosen:
            raise KcnError(f"{file}: không có sheet “{sheet_name}”; các sheet / sheets: {names} (wrong sheet)")
        candidates = chosen
    else:
        candidates = sheets
    out = [(s, t) for s in candidates if (t := detect_record_type(s, kind)) is not None]
    if not out:
        wanted = " hoặc ".join(f"“{n}”" for n in SHEETS.values())
        raise KcnError(f"{file}: không tìm thấy sheet dữ liệu ({wanted}) hay cột nhận biết loại bản ghi; "
                       f"các sheet / sheets: {names}. Dùng --sheet và --kind / no data sheet found (wrong sheet?)")
    if all(not s.rows for s, _ in out):
        raise KcnError(f"{file}: tệp không có dòng dữ liệu nào / the file has no data rows (empty file)")
    return out


class _Lookup:
    """Match rows to records: exact code, exact folded name, else ``registry.resolve`` (suggestions)."""

    def __init__(self, session: Session, record_type: str) -> None:
        from kcn_tracker.registry import MODELS

        from sqlalchemy.orm import selectinload

        self.session, self.record_type = session, record_type
        model = MODELS[record_type]
        # Every record with its events in a few batched queries: a row's current state is replayed
        # from them, without one lazy load per row (issue 15: 10,000 rows).
        self.records = {r.id: r for r in session.scalars(select(model).options(selectinload(model.events)))}
        self.by_code = {r.code.lower(): r for r in self.records.values()}
        self.by_name: dict[str, list[Any]] = {}
        for r in self.records.values():
            self.by_name.setdefault(r.name_key, []).append(r)

    def find(self, code: str | None, name: str | None) -> Any:
        if code:
            found = self.by_code.get(nfc(code).lower())
            if found is None:
                raise UnknownRecord(f"không có mã “{code}” / unknown code")
            return found
        key = fold(name or "")
        if len(self.by_name.get(key, [])) == 1:
            return self.by_name[key][0]
        from kcn_tracker.registry import resolve

        return resolve(self.session, self.record_type, name or "")


def _technologies(session: Session) -> dict[str, str]:
    from kcn_tracker.models import Technology

    out = {}
    for tech in session.scalars(select(Technology)):
        for text in (tech.key, tech.label_vi, tech.label_en):
            out[fold(text)] = tech.key
    return out


def _cell_value(record_type: str, name: str, raw: Any, *, machine: bool, technologies: dict[str, str]) -> Any:
    """Parse one cell into the field's Python value (None for an empty cell); raises InvalidValue."""
    from kcn_tracker.errors import InvalidValue
    from kcn_tracker.workflow import parse_field_values

    if raw is None or (isinstance(raw, str) and nfc(raw) == ""):
        return None
    spec = field_spec(record_type, name)
    if spec.kind == "date" and (isinstance(raw, (int, float)) or _EXCEL_SERIAL.match(str(raw).strip())):
        return excel_serial_date(float(raw))
    if spec.kind in ("float", "int") and machine and isinstance(raw, str):
        try:
            raw = float(raw)  # machine CSV (English field names): plain numbers, "1.234" is 1.234
        except ValueError:
            pass
    if name == "technology":
        key = technologies.get(fold(str(raw)))
        if key is None:
            raise InvalidValue(f"công nghệ “{raw}” không tồn tại; chọn / choose: {', '.join(sorted(set(technologies.values())))}")
        return key
    try:
        return parse_field_values(record_type, {name: raw})[name]
    except ValidationFailed as exc:
        raise InvalidValue(exc.problems[0].message) from None


def excel_serial_date(serial: float) -> dt.date:
    """An Excel serial day number (1900 date system) as a date."""
    return (dt.datetime(1899, 12, 30) + dt.timedelta(days=float(serial))).date()


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, (int, float)) and not isinstance(new, bool):
        return abs(old - float(new)) <= 1e-9 * max(1.0, abs(old))
    return old == new


def plan_rows(session: Session, sheets: list[tuple[SheetRows, str]], *, file: str,
              default_day: dt.date) -> tuple[list[RowPlan], list[Problem], list[str], int]:
    """Parse and match every row; return (plans, problems, ignored columns, unchanged row count).

    Each row is compared with its record's state on the row's effective date, so a
    sheet may hold several dated rows for one record and a re-import still writes
    nothing; two rows for the same record and date are refused (which one wins?).
    """
    plans: list[RowPlan] = []
    problems: list[Problem] = []
    ignored: list[str] = []
    unchanged = 0
    seen: dict[tuple[str, str, dt.date], int] = {}
    technologies = _technologies(session)
    for sheet, record_type in sheets:
        index = _header_index(record_type)
        columns = {}
        for position, header in enumerate(sheet.headers):
            hit = index.get(fold(header or ""))
            if hit is None or (hit[0] == "field" and hit[1] == "geometry"):
                if header:
                    ignored.append(f"{sheet.name}: {header}")
                continue
            columns[position] = (hit, header)
        keys = {hit[1] for hit, _ in columns.values()}
        if not keys & {"code", "name"}:
            problems.append(Problem("thiếu cột bắt buộc “Mã” (code) hoặc “Tên” (name) / missing required column "
                                    "“Mã” or “Tên”", file=file, sheet=sheet.name, row=1))
            continue
        lookup = _Lookup(session, record_type)
        for row_number, cells in sheet.rows:
            plan, row_problems = _plan_row(sheet.name, row_number, record_type, cells, columns, lookup,
                                           technologies=technologies, file=file, default_day=default_day)
            problems.extend(row_problems)
            if plan is not None:
                key = (record_type, plan.code, plan.meta.get("effective_on") or default_day)
                if key in seen:
                    problems.append(Problem(f"{plan.name}: đã có ở dòng {seen[key]} với cùng ngày hiệu lực; gộp thành một dòng / "
                                            "the same record and effective date appear in two rows", file=file,
                                            sheet=sheet.name, row=row_number))
                    continue
                seen[key] = row_number
            if plan is not None and (plan.values or plan.meta.get("obstacle_category")):
                plans.append(plan)
            elif plan is not None:
                unchanged += 1
    return plans, problems, ignored, unchanged


def _plan_row(sheet: str, row_number: int, record_type: str, cells: list[Any], columns: dict[int, Any],
              lookup: _Lookup, *, technologies: dict[str, str], file: str,
              default_day: dt.date) -> tuple[RowPlan | None, list[Problem]]:
    from kcn_tracker.history import replay
    from kcn_tracker.state import finish
    from kcn_tracker.workflow import implied_changes

    problems: list[Problem] = []
    raw = {hit[1]: (cells[pos] if pos < len(cells) else None, header, hit) for pos, (hit, header) in columns.items()}
    if all(v is None or (isinstance(v, str) and not nfc(v)) for v, _, _ in raw.values()):
        return None, []  # a blank line in the sheet
    code = raw.get("code", (None,))[0]
    name = raw.get("name", (None,))[0]
    where = dict(file=file, sheet=sheet, row=row_number)
    try:
        record = lookup.find(nfc(str(code)) if code not in (None, "") else None, nfc(str(name)) if name else None)
    except KcnError as exc:
        header = raw["code"][1] if code not in (None, "") else raw.get("name", (None, "Tên"))[1]
        return None, [Problem(exc.message, field=header, **where)]
    values: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    for key, (cell, header, hit) in raw.items():
        if hit[0] == "meta":
            try:
                meta[key] = _meta_value(key, cell)
            except KcnError as exc:
                problems.append(Problem(exc.message, field=header, **where))
    day = meta.get("effective_on") or default_day
    current = finish(record_type, replay(record.events, until=day))  # with defaults, as the export shows them
    for key, (cell, header, hit) in raw.items():
        kind, _, machine = hit
        try:
            if kind == "field" and key not in READ_ONLY and not (key == "name" and code in (None, "")):
                value = _cell_value(record_type, key, cell, machine=machine, technologies=technologies)
                if value is not None:
                    values[key] = value
        except KcnError as exc:
            problems.append(Problem(exc.message, field=header, **where))
    # What the row implies (MW generating -> partly operating...) is compared too, so a
    # second import of the same sheet finds nothing to change.
    values = {k: v for k, v in implied_changes(record_type, current, values, day).items() if not _same(current.get(k), v)}
    if meta.get("obstacle_category") and not meta.get("obstacle_description"):
        problems.append(Problem("vướng mắc mới cần mô tả / a new obstacle needs a description", field="Vướng mắc mới: mô tả", **where))
    if meta.get("obstacle_category") and _obstacle_is_open(record, meta):
        meta.pop("obstacle_category")
    plan = RowPlan(sheet, row_number, record_type, record.code, record.name, values, meta)
    return (None if problems else plan), problems


def _meta_value(key: str, cell: Any) -> Any:
    from kcn_tracker.errors import InvalidValue
    from kcn_tracker.text import parse_date

    if cell is None or (isinstance(cell, str) and not nfc(cell)):
        return None
    if key in ("effective_on", "document_date"):
        if isinstance(cell, (int, float)) or _EXCEL_SERIAL.match(str(cell).strip()):
            return excel_serial_date(float(cell))
        return parse_date(cell, field=key)
    if key == "date_basis" and fold(str(cell)) not in ("document", "inferred", "unknown"):
        raise InvalidValue(f"căn cứ ngày “{cell}”: chọn document, inferred hoặc unknown")
    if key == "obstacle_category":
        wanted = fold(str(cell))
        for category, (vi, en) in OBSTACLE_CATEGORIES.items():
            if wanted in (category, fold(vi), fold(en)):
                return category
        raise InvalidValue(f"loại vướng mắc “{cell}” không hợp lệ; chọn / choose: {', '.join(OBSTACLE_CATEGORIES)}")
    return nfc(str(cell))


def _obstacle_is_open(record: Any, meta: dict[str, Any]) -> bool:
    """An identical obstacle is already open: re-importing the file must not open it twice."""
    wanted = fold(meta.get("obstacle_description") or "")
    return any(ob.resolved_on is None and ob.category == meta["obstacle_category"] and fold(ob.description) == wanted
               for ob in record.obstacles)


def apply_plans(session: Session, plans: list[RowPlan], *, file: str, effective_on: dt.date | None, date_basis: str,
                document: Any, by: str | None, dry_run: bool, today: dt.date | None,
                progress: ProgressFn | None = None) -> tuple[list[RowResult], list[Problem]]:
    """Write each planned row as an event (``update_record``) and open new obstacles; collect problems."""
    from kcn_tracker.workflow import DocumentRef, open_obstacle, update_record

    results: list[RowResult] = []
    problems: list[Problem] = []
    origin = f"import:{file}"[:300]
    file_doc = document or DocumentRef(number=file, title=f"Tệp nhập dữ liệu / imported file {file}")
    for done, plan in enumerate(plans, start=1):
        meta = plan.meta
        doc = DocumentRef(meta["document"], meta.get("document_date")) if meta.get("document") else file_doc
        where = dict(file=file, sheet=plan.sheet, row=plan.row)
        try:
            result = RowResult(plan.sheet, plan.row, plan.record_type, plan.code, plan.name, [])
            if plan.values:
                preview = update_record(session, plan.record_type, plan.code, plan.values,
                                        effective_on=meta.get("effective_on") or effective_on,
                                        date_basis=meta.get("date_basis") or date_basis, document=doc,
                                        note=meta.get("update_note"), by=by, origin=origin, dry_run=dry_run, today=today)
                result.changes = preview.changes
            if meta.get("obstacle_category"):
                open_obstacle(session, plan.record_type, plan.code, category=meta["obstacle_category"],
                              description=meta["obstacle_description"], opened_on=meta.get("effective_on") or effective_on,
                              document=doc, note=meta.get("update_note"), by=by, today=today)
                result.obstacle = f"[{meta['obstacle_category']}] {meta['obstacle_description']}"
            results.append(result)
        except ValidationFailed as exc:
            problems.extend(Problem(p.message, field=p.field, **where) for p in exc.problems)
        except KcnError as exc:
            problems.append(Problem(exc.message, **where))
        if progress:
            progress(done, len(plans))
    return results, problems


def import_updates(session: Session, path: Path, *, sheet: str | None = None, kind: str | None = None,
                   effective_on: dt.date | None = None, date_basis: str = "document", document: Any = None,
                   by: str | None = None, dry_run: bool = False, today: dt.date | None = None,
                   progress: ProgressFn | None = None) -> ImportReport:
    """Validate every row of ``path``, then apply the changed ones in the caller's transaction.

    Raises ``ValidationFailed`` listing every problem; the caller's ``session_scope``
    then rolls back. With ``dry_run`` the caller must roll back too (nothing is kept).
    """
    file = path.name
    sheets = select_sheets(read_table(path), sheet_name=sheet, kind=kind, file=file)
    plans, problems, ignored, unchanged = plan_rows(session, sheets, file=file,
                                                    default_day=effective_on or today or clock.today())
    if problems:
        raise ValidationFailed(problems)
    from kcn_tracker.workflow import documents_indexed

    with documents_indexed(session):  # the documents table is read once per file, not once per row
        results, problems = apply_plans(session, plans, file=file, effective_on=effective_on, date_basis=date_basis,
                                        document=document, by=by, dry_run=dry_run, today=today, progress=progress)
    if problems:
        raise ValidationFailed(problems)
    unchanged += sum(1 for r in results if not r.changes and not r.obstacle)
    return ImportReport(file=file, results=[r for r in results if r.changes or r.obstacle], unchanged=unchanged,
                        ignored_columns=ignored, written=not dry_run)
