"""The Excel update template: which columns it has, what they mean, and the workbook itself.

The importer (``importers.tabular``) reads the same declarations, so a column
added here is understood there. openpyxl is imported only inside ``write_template``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kcn_tracker.fields import OBSTACLE_CATEGORIES, field_spec
from kcn_tracker.inert import inert_workbook

#: Sheet names of the template (and of the xlsx export), per record type.
SHEETS: dict[str, str] = {"project": "Dự án điện", "zone": "KCN-CCN"}
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"

#: Record fields offered in the template, in column order.
TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    "project": ("code", "name", "technology", "capacity_mw", "stage", "capacity_operating_mw", "expected_cod",
                "expected_cod_precision", "actual_cod", "investor", "commune", "note"),
    "zone": ("code", "name", "kind", "phase", "stage", "total_area_ha", "leasable_ha", "leased_ha",
             "tenants_registered", "tenants_operating", "developer", "commune", "note"),
}


@dataclass(frozen=True)
class UpdateColumn:
    """A column about the update itself (when, which document), not a record field."""

    key: str
    label_vi: str
    label_en: str
    help_vi: str


UPDATE_COLUMNS: tuple[UpdateColumn, ...] = (
    UpdateColumn("effective_on", "Ngày hiệu lực", "Effective date",
                 "Ngày thay đổi có hiệu lực (dd/mm/yyyy); trống = --date hoặc hôm nay. Không được ở tương lai."),
    UpdateColumn("date_basis", "Căn cứ ngày", "Date basis",
                 "document (ngày ghi trong văn bản), inferred (suy ra), unknown (xảy ra vào hoặc trước ngày hiệu lực)."),
    UpdateColumn("document", "Văn bản căn cứ (số hiệu)", "Document number",
                 "Số hiệu văn bản, vd. 215/QĐ-UBND; trống = trích dẫn chính tệp này."),
    UpdateColumn("document_date", "Ngày văn bản", "Document date", "Ngày ban hành văn bản (dd/mm/yyyy)."),
    UpdateColumn("update_note", "Ghi chú cập nhật", "Update note",
                 "Ghi chú của lần cập nhật; bắt buộc (lý do) khi lùi giai đoạn, tạm dừng hoặc hủy."),
    UpdateColumn("obstacle_category", "Vướng mắc mới: loại", "New obstacle: category",
                 "Chọn trong danh sách để mở một vướng mắc mới (kèm mô tả)."),
    UpdateColumn("obstacle_description", "Vướng mắc mới: mô tả", "New obstacle: description",
                 "Mô tả vướng mắc mới; một vướng mắc giống hệt đang mở sẽ không bị mở lại."),
)

_KIND_HELP = {
    "str": "Chữ.",
    "float": "Số; dấu phẩy thập phân, dấu chấm hàng nghìn (1.200 hoặc 49,9).",
    "int": "Số nguyên.",
    "date": "Ngày dd/mm/yyyy.",
    "bool": "có / không.",
    "stage": "Chọn trong danh sách (xem `kcn stages`).",
}
_FIELD_HELP = {
    "code": "Mã bản ghi: dùng để nhận diện dòng, không sửa. Trống thì nhận diện theo Tên (không dấu cũng được).",
    "name": "Tên; dùng để nhận diện dòng khi không có Mã.",
    "technology": "Chọn trong danh sách công nghệ.",
    "kind": "KCN, CCN hoặc KKT.",
    "expected_cod_precision": "day, month, quarter hoặc year.",
}


def column_label(record_type: str, name: str) -> str:
    """The Vietnamese header of a record field."""
    return field_spec(record_type, name).label_vi


def help_rows(record_type: str) -> list[tuple[str, str, str]]:
    """(Vietnamese header, English name, explanation) for each column of the template."""
    rows = []
    for name in TEMPLATE_FIELDS[record_type]:
        spec = field_spec(record_type, name)
        rows.append((spec.label_vi, f"{spec.name} ({spec.label_en})", _FIELD_HELP.get(name, _KIND_HELP[spec.kind])))
    rows += [(c.label_vi, f"{c.key} ({c.label_en})", c.help_vi) for c in UPDATE_COLUMNS]
    return rows


def template_rows(session: Session, record_type: str) -> list[list[Any]]:
    """The current records as template rows (stage and technology shown by their Vietnamese labels)."""
    from kcn_tracker.registry import views
    from kcn_tracker.stages import label

    out = []
    for view in views(session, record_type):
        row = []
        for name in TEMPLATE_FIELDS[record_type]:
            value = view.get(name)
            if name == "stage":
                value = label(record_type, value) if value else None  # type: ignore[arg-type]
            elif name == "technology":
                value = view.get("technology_label") or value
            row.append(value)
        out.append(row + [None] * len(UPDATE_COLUMNS))
    return out


def write_template(session: Session, record_type: str, out: Path) -> int:
    """Write the update workbook for "project" or "zone" to ``out``; return the number of records."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from kcn_tracker.models import Technology
    from kcn_tracker.stages import stages_for

    rows = template_rows(session, record_type)
    lists = {
        "stage": [s.label_vi for s in stages_for(record_type)],  # type: ignore[arg-type]
        "technology": [t.label_vi for t in session.query(Technology).order_by(Technology.key)],
        "obstacle_category": [vi for vi, _ in OBSTACLE_CATEGORIES.values()],
        "date_basis": ["document", "inferred", "unknown"],
    }
    book = Workbook()
    sheet = book.active
    sheet.title = SHEETS[record_type]
    headers = [column_label(record_type, n) for n in TEMPLATE_FIELDS[record_type]] + [c.label_vi for c in UPDATE_COLUMNS]
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    _format_columns(sheet, record_type, headers, len(rows))
    _add_lists(book, sheet, record_type, lists, last_row=max(len(rows) + 500, 1000))
    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.append(["Cột / column", "Tên trường / field", "Giải thích / explanation"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for row in help_rows(record_type):
        help_sheet.append(list(row))
    help_sheet.append([])
    help_sheet.append(["Cách dùng", "", "Sửa hoặc thêm giá trị, để trống ô không đổi, rồi chạy: "
                       "kcn import updates TỆP.xlsx --dry-run (xem trước), sau đó bỏ --dry-run để ghi."])
    for column, width in zip("ABC", (32, 40, 100)):
        help_sheet.column_dimensions[column].width = width
    out.parent.mkdir(parents=True, exist_ok=True)
    inert_workbook(book).save(out)
    return len(rows)


def _format_columns(sheet: Any, record_type: str, headers: list[str], n_rows: int) -> None:
    from openpyxl.utils import get_column_letter

    names = list(TEMPLATE_FIELDS[record_type]) + [c.key for c in UPDATE_COLUMNS]
    for index, (name, header) in enumerate(zip(names, headers), start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(45, len(header) + 4))
        is_date = name in ("effective_on", "document_date") or (
            name in TEMPLATE_FIELDS[record_type] and field_spec(record_type, name).kind == "date")
        if is_date:
            for (cell,) in sheet.iter_rows(min_row=2, max_row=n_rows + 1, min_col=index, max_col=index):
                cell.number_format = "DD/MM/YYYY"


def _add_lists(book: Any, sheet: Any, record_type: str, lists: dict[str, list[str]], *, last_row: int) -> None:
    """Drop-down lists (data validation) referring to a hidden sheet of allowed values."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    names = list(TEMPLATE_FIELDS[record_type]) + [c.key for c in UPDATE_COLUMNS]
    lists_sheet = book.create_sheet(LISTS_SHEET)
    for list_index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(list_index)
        lists_sheet.cell(row=1, column=list_index, value=key)
        for row, value in enumerate(values, start=2):
            lists_sheet.cell(row=row, column=list_index, value=value)
        if key not in names:
            continue
        target = get_column_letter(names.index(key) + 1)
        validation = DataValidation(type="list", formula1=f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
                                    allow_blank=True, showErrorMessage=True,
                                    errorTitle="Giá trị không hợp lệ", error="Chọn một giá trị trong danh sách.")
        validation.add(f"{target}2:{target}{last_row}")
        sheet.add_data_validation(validation)
    lists_sheet.sheet_state = "hidden"
