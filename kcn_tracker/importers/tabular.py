"""Import status updates from an Excel workbook (.xlsx) or a CSV file, as ordinary events.

Two passes: every row is read, matched and parsed first (all problems collected
with sheet, row and column), against the records and events read once per file
(``timelines``); then, in the caller's one write transaction, the changed rows are
checked on their records' timelines as single updates are and written in bulk
(``importers.batch``). Any problem in either pass raises ``ValidationFailed`` and
the caller rolls back, so the database is untouched. Cells left empty mean "no
change"; rows whose values equal the current state are skipped, so importing a file
twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kcn_tracker.errors import InvalidValue, KcnError, Problem, UnknownRecord, ValidationFailed
from kcn_tracker.fields import DOCUMENT_NUMBER_MAX, MAX_TEXT, OBSTACLE_CATEGORIES, fields_for
from kcn_tracker.history import FieldChange, replay
from kcn_tracker.importers.columns import header_index, map_columns
from kcn_tracker.importers.reading import SheetRows, read_table
from kcn_tracker.template import SHEETS
from kcn_tracker.text import fold, nfc
from kcn_tracker.state import finish
from kcn_tracker.validation.dates import parse_date
from kcn_tracker.validation.fields import parse_value
from kcn_tracker.validation.records import check_references
from kcn_tracker.validation.texts import clean_text
from kcn_tracker.workflow import implied_changes
from kcn_tracker import clock

#: Fields a spreadsheet may not change: the code identifies the row; geometry comes from GIS files.
READ_ONLY = ("code", "geometry")
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
    record_id: int = 0


@dataclass
class RowResult:
    """What one row changed (or would change with --dry-run).

    ``changes`` is what the row's event records (old value on its effective date -> new),
    so a back-dated event is always shown; ``current_changes`` is what changes in the
    current state (different for a late event).
    """

    sheet: str
    row: int
    record_type: str
    code: str
    name: str
    changes: list[FieldChange]
    obstacle: str | None = None
    effective_on: dt.date | None = None
    late: bool = False
    current_changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome of an import: changed rows, unchanged rows, ignored columns."""

    file: str
    results: list[RowResult] = field(default_factory=list)
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False


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
        only[record_type] = any(k in headers and v[1] in own for k, v in header_index(record_type).items() if v[0] == "field")
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
    """Match rows to records: exact code, exact folded name, else ``state.resolve_id`` (suggestions)."""

    def __init__(self, session: Session, record_type: str) -> None:
        from kcn_tracker.timelines import load_timelines

        self.session, self.record_type = session, record_type
        # Every record with its events in two queries, as plain rows: a row's current state is
        # replayed from them, and the apply pass checks and extends the same timelines (issue 15).
        self.records = load_timelines(session, record_type)
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
        from kcn_tracker.state import resolve_id

        return self.records[resolve_id(self.session, self.record_type, name or "")[0]]


def excel_serial_date(serial: float) -> dt.date:
    """An Excel serial day number (1900 date system) as a date."""
    from kcn_tracker.validation.dates import excel_serial_date as convert

    return convert(serial)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, (int, float)) and not isinstance(new, bool):
        return abs(old - float(new)) <= 1e-9 * max(1.0, abs(old))
    return old == new


def plan_rows(session: Session, sheets: list[tuple[SheetRows, str]], *, file: str, default_day: dt.date,
              today: dt.date | None = None, lookups: dict[str, _Lookup] | None = None,
              ) -> tuple[list[RowPlan], list[Problem], list[str], int]:
    """Parse and match every row; return (plans, problems, ignored columns, unchanged row count).

    Every problem of every row is collected (matching, parsing, ranges, references, dates);
    a row with problems still yields its plan for the values that parsed, so that
    ``apply_plans`` can check the stage and capacity rules in the same run. Each row is
    compared with its record's state on the row's effective date, so a sheet may hold
    several dated rows for one record and a re-import still writes nothing; two rows for
    the same record and date are refused (which one wins?). ``lookups`` (record type -> ``_Lookup``)
    keeps the records and timelines read, for the apply pass.
    """
    lookups = {} if lookups is None else lookups
    plans: list[RowPlan] = []
    problems: list[Problem] = []
    ignored: list[str] = []
    unchanged = 0
    seen: dict[tuple[str, str, dt.date], int] = {}
    for sheet, record_type in sheets:
        columns, column_problems, sheet_ignored = map_columns(sheet.headers, record_type, file=file, sheet=sheet.name)
        problems.extend(column_problems)
        ignored.extend(sheet_ignored)
        keys = {hit[1] for hit, _ in columns.values()}
        if not keys & {"code", "name"}:
            problems.append(Problem("thiếu cột bắt buộc “Mã” (code) hoặc “Tên” (name) / missing required column "
                                    "“Mã” or “Tên”", file=file, sheet=sheet.name, row=1))
            continue
        lookup = lookups.get(record_type) or lookups.setdefault(record_type, _Lookup(session, record_type))
        for row_number, cells in sheet.rows:
            plan, row_problems = _plan_row(session, sheet.name, row_number, record_type, cells, columns, lookup,
                                           file=file, default_day=default_day, today=today or clock.today())
            problems.extend(row_problems)
            if plan is None:
                continue
            key = (record_type, plan.code, plan.meta.get("effective_on") or default_day)
            if key in seen:
                problems.append(Problem(f"{plan.name}: đã có ở dòng {seen[key]} với cùng ngày hiệu lực; gộp thành một dòng / "
                                        "the same record and effective date appear in two rows", file=file,
                                        sheet=sheet.name, row=row_number))
                continue
            seen[key] = row_number
            if plan.values or plan.meta.get("obstacle_category"):
                plans.append(plan)
            elif not row_problems:
                unchanged += 1
    return plans, problems, ignored, unchanged


def _plan_row(session: Session, sheet: str, row_number: int, record_type: str, cells: list[Any], columns: dict[int, Any],
              lookup: _Lookup, *, file: str, default_day: dt.date, today: dt.date) -> tuple[RowPlan | None, list[Problem]]:
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
    headers = {key: header for key, (_, header, _) in raw.items()}
    for key, (cell, header, hit) in raw.items():
        if hit[0] == "meta":
            try:
                meta[key] = _meta_value(key, cell, today=today)
            except KcnError as exc:
                problems.append(Problem(exc.message, field=header, **where))
        elif key not in READ_ONLY and not (key == "name" and code in (None, "")):
            try:
                value = parse_value(record_type, key, cell, machine=hit[2], blank_is_no_change=True)
            except KcnError as exc:
                problems.append(Problem(exc.message, field=header, **where))
                continue
            if value is not None:
                values[key] = value
    problems += [Problem(p.message, field=headers.get(p.field or "", p.field), **where)
                 for p in check_references(session, record_type, values)]
    day = meta.get("effective_on") or default_day
    current = finish(record_type, replay(record.events, until=day))  # with defaults, as views and exports show them
    # Only cells that differ from the record's state on the row's date are requested changes: a pre-filled
    # cell left as it was never overrides, nor cancels, what the user did change (and re-imports find nothing).
    # A row whose stage cell contradicts its MW cell (a stale pre-filled stage, or a stage moved back
    # while the MW cell still says "operating") is refused: neither cell silently wins.
    requested = {k: v for k, v in values.items() if not _same(current.get(k), v)}
    try:
        implied_changes(record_type, current, values, day)
        values = {k: v for k, v in implied_changes(record_type, current, requested, day).items() if not _same(current.get(k), v)}
    except InvalidValue as exc:
        problems.append(Problem(exc.message, field=headers.get("stage", "stage"), **where))
        values = requested
    if meta.get("obstacle_category") and not meta.get("obstacle_description"):
        problems.append(Problem("vướng mắc mới cần mô tả / a new obstacle needs a description", field="Vướng mắc mới: mô tả", **where))
        meta.pop("obstacle_category")  # reported; the apply pass has nothing to open
    if meta.get("obstacle_category") and _obstacle_is_open(session, record_type, record.id, meta):
        meta.pop("obstacle_category")
    return RowPlan(sheet, row_number, record_type, record.code, record.name, values, meta, record.id), problems


#: The meta columns' Vietnamese names, for their error messages.
_META_LABELS = {"effective_on": "Ngày hiệu lực", "document_date": "Ngày văn bản", "date_basis": "Căn cứ ngày",
                "document": "Văn bản căn cứ", "update_note": "Ghi chú cập nhật",
                "obstacle_category": "Vướng mắc mới: loại", "obstacle_description": "Vướng mắc mới: mô tả"}


def _meta_value(key: str, cell: Any, *, today: dt.date) -> Any:
    label = _META_LABELS.get(key, key)
    if key in ("effective_on", "document_date"):
        return parse_date(cell, label=label)
    if key == "date_basis":
        from kcn_tracker.template import parse_date_basis

        text = clean_text(cell, label=label, max_length=40)
        return None if text is None else parse_date_basis(text)  # the template's Vietnamese choice, or the key
    if key == "obstacle_category":
        text = clean_text(cell, label=label, max_length=200)
        if text is None:
            return None
        wanted = fold(text)
        for category, (vi, en) in OBSTACLE_CATEGORIES.items():
            if wanted in (category, fold(vi), fold(en)):
                return category
        raise InvalidValue(f"loại vướng mắc “{text}” không hợp lệ; chọn / choose: {', '.join(OBSTACLE_CATEGORIES)}")
    limit = DOCUMENT_NUMBER_MAX if key == "document" else MAX_TEXT
    return clean_text(cell, label=label, max_length=limit, multiline=key != "document")


def _obstacle_is_open(session: Session, record_type: str, record_id: int, meta: dict[str, Any]) -> bool:
    """An identical obstacle is already open: re-importing the file must not open it twice."""
    from kcn_tracker.timelines import open_obstacle_texts

    wanted = fold(meta.get("obstacle_description") or "")
    return any(category == meta["obstacle_category"] and fold(description) == wanted
               for category, description in open_obstacle_texts(session, record_type, record_id))


def import_updates(session: Session, path: Path, *, sheet: str | None = None, kind: str | None = None,
                   effective_on: dt.date | None = None, date_basis: str = "document", document: Any = None,
                   by: str | None = None, dry_run: bool = False, today: dt.date | None = None,
                   progress: ProgressFn | None = None, historic: bool = False) -> ImportReport:
    """Validate every row of ``path``, then apply the changed ones in the caller's transaction.

    Every problem of the file is listed in one ``ValidationFailed`` (columns, matching,
    parsing, ranges, stage and capacity rules, with sheet, row and column); the caller's
    ``session_scope`` then rolls back. A file that changes records needs an effective
    date: its "Ngày hiệu lực" column or ``effective_on`` (--date); without either it is
    refused rather than dated today. With ``dry_run`` the caller must roll back too.
    """
    file = path.name
    sheets = select_sheets(read_table(path), sheet_name=sheet, kind=kind, file=file)
    lookups: dict[str, _Lookup] = {}
    plans, problems, ignored, unchanged = plan_rows(session, sheets, file=file, lookups=lookups,
                                                    default_day=effective_on or today or clock.today(), today=today)
    if effective_on is None and any(p.values for p in plans) and not _has_date_column(sheets):
        problems.insert(0, Problem("thiếu cột “Ngày hiệu lực” và không có --date: không biết thay đổi có hiệu lực ngày nào / "
                                   "no “Ngày hiệu lực” (effective date) column and no --date: the file is refused",
                                   file=file, row=1, field="Ngày hiệu lực"))
    from kcn_tracker.importers.batch import apply_plans
    from kcn_tracker.workflow import documents_indexed

    with documents_indexed(session):  # new obstacles' documents: the table is read once, not once per row
        results, apply_problems = apply_plans(session, plans, {t: lk.records for t, lk in lookups.items()}, file=file,
                                              effective_on=effective_on, date_basis=date_basis, document=document, by=by,
                                              dry_run=dry_run, today=today, progress=progress, historic=historic)
    seen = {(p.sheet, p.row, p.message) for p in problems}
    problems += [p for p in apply_problems if (p.sheet, p.row, p.message) not in seen and not _repeats(p, problems)]
    if problems:
        raise ValidationFailed(sorted(problems, key=lambda p: (p.sheet or "", p.row or 0)))
    unchanged += sum(1 for r in results if not r.changes and not r.current_changes and not r.obstacle)
    return ImportReport(file=file, results=[r for r in results if r.changes or r.current_changes or r.obstacle],
                        unchanged=unchanged, ignored_columns=ignored, written=not dry_run)


def _has_date_column(sheets: list[tuple[SheetRows, str]]) -> bool:
    return all(any(header_index(t).get(fold(h or ""), ("", ""))[1] == "effective_on" for h in s.headers) for s, t in sheets)


def _repeats(problem: Problem, found: list[Problem]) -> bool:
    """The apply pass re-finds a problem the plan pass already reported for that row (same field, same words)."""
    return any(p.sheet == problem.sheet and p.row == problem.row and problem.message.endswith(p.message.split(": ", 1)[-1])
               for p in found)
