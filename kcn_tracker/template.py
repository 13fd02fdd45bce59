"""The Excel update template: which columns it has, what they mean, and the workbook itself.

The importer (``importers.tabular``) reads the same declarations, so a column
added here is understood there. openpyxl is imported only inside ``write_template``.

The workbook is made to be filled in by office staff: readable column widths, the
header row and the code/name columns frozen, Vietnamese drop-downs for every enumerated
column (stage, technology, kind, date precision, date basis, obstacle category) whose
labels (``kcn_tracker.labels``) the importer reads back,
the sheet protected so only the input columns can be edited (the code column and
the header are locked; no password, it guards against slips, not people), and a
"Hướng dẫn" sheet with the steps, every column explained and an example row.
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
                 "Chọn: “theo văn bản” (ngày ghi trong văn bản), “suy luận” (ngày suy ra), “chưa rõ” (xảy ra vào "
                 "hoặc trước ngày hiệu lực). Trống = theo văn bản."),
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

def parse_date_basis(text: str) -> str:
    """The date-basis key from a cell: its Vietnamese label (``labels``) or the key, accents and case optional."""
    from kcn_tracker.fields import DATE_BASES
    from kcn_tracker.labels import labels_for
    from kcn_tracker.validation.texts import parse_choice

    return parse_choice(text, DATE_BASES, label="Căn cứ ngày / date basis", labels=labels_for("date_basis"))  # type: ignore[return-value]


def choice_lists(session: Session, record_type: str) -> dict[str, list[str]]:
    """column key -> the Vietnamese values its drop-down offers (every enumerated column of the template)."""
    from kcn_tracker.fields import DATE_BASES
    from kcn_tracker.labels import labels_for
    from kcn_tracker.models import Technology
    from kcn_tracker.stages import stages_for

    lists: dict[str, list[str]] = {}
    for name in TEMPLATE_FIELDS[record_type]:
        spec = field_spec(record_type, name)
        if name == "stage":
            lists[name] = [s.label_vi for s in stages_for(record_type)]  # type: ignore[arg-type]
        elif name == "technology":
            lists[name] = [t.label_vi for t in session.query(Technology).order_by(Technology.key)]
        elif spec.choices:
            labels = labels_for(name)
            lists[name] = [labels.get(key, key) for key in spec.choices]
    lists["obstacle_category"] = [vi for vi, _ in OBSTACLE_CATEGORIES.values()]
    lists["date_basis"] = [labels_for("date_basis")[key] for key in DATE_BASES]
    return lists


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
}


def column_label(record_type: str, name: str) -> str:
    """The Vietnamese header of a record field."""
    return field_spec(record_type, name).label_vi


def help_rows(record_type: str) -> list[tuple[str, str, str]]:
    """(Vietnamese header, English name, explanation) for each column of the template."""
    from kcn_tracker.labels import labels_for

    rows = []
    for name in TEMPLATE_FIELDS[record_type]:
        spec = field_spec(record_type, name)
        explanation = _FIELD_HELP.get(name, _KIND_HELP[spec.kind])
        if spec.choices and name not in _FIELD_HELP:
            labels = labels_for(name)
            explanation = "Chọn trong danh sách: " + ", ".join(f"“{labels.get(c, c)}”" for c in spec.choices) + "."
        rows.append((spec.label_vi, f"{spec.name} ({spec.label_en})", explanation))
    rows += [(c.label_vi, f"{c.key} ({c.label_en})", c.help_vi) for c in UPDATE_COLUMNS]
    return rows


def template_rows(session: Session, record_type: str) -> list[list[Any]]:
    """The current records as template rows, every enumerated value shown by its Vietnamese label."""
    from kcn_tracker.labels import value_label, yes_no
    from kcn_tracker.registry import views

    out = []
    for view in views(session, record_type):
        technologies = {view.get("technology"): view.get("technology_label")}
        row = [yes_no(value_label(name, view.get(name), record_type=record_type, technologies=technologies))
               for name in TEMPLATE_FIELDS[record_type]]
        out.append(row + [None] * len(UPDATE_COLUMNS))
    return out


def write_template(session: Session, record_type: str, out: Path) -> int:
    """Write the update workbook for "project" or "zone" to ``out``; return the number of records."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    rows = template_rows(session, record_type)
    lists = choice_lists(session, record_type)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEETS[record_type]
    headers = [column_label(record_type, n) for n in TEMPLATE_FIELDS[record_type]] + [c.label_vi for c in UPDATE_COLUMNS]
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "C2"
    last_row = max(len(rows) + 500, 1000)
    _format_columns(sheet, record_type, headers, rows)
    _add_lists(book, sheet, record_type, lists, last_row=last_row)
    _protect(sheet, last_row=last_row, columns=len(headers))
    _help_sheet(book, record_type, headers)
    for printed in (sheet, book[HELP_SHEET]):  # printed on A4 landscape; the data sheet repeats its header row
        printed.page_setup.orientation = "landscape"
        printed.page_setup.paperSize = printed.PAPERSIZE_A4
    sheet.print_title_rows = "1:1"
    out.parent.mkdir(parents=True, exist_ok=True)
    inert_workbook(book).save(out)
    return len(rows)


def _protect(sheet: Any, *, last_row: int, columns: int) -> None:
    """Lock the header and the code column; every other cell of the data rows stays editable."""
    from openpyxl.styles import Protection

    unlocked = Protection(locked=False)
    for row in sheet.iter_rows(min_row=2, max_row=last_row, min_col=2, max_col=columns):
        for cell in row:
            cell.protection = unlocked
    protection = sheet.protection
    protection.sheet = True
    # Allowed on the protected sheet (False = not protected): widen columns and rows, filter, sort.
    protection.formatColumns = protection.formatRows = protection.autoFilter = protection.sort = False
    sheet.auto_filter.ref = f"A1:{sheet.cell(row=1, column=columns).column_letter}{last_row}"


EXAMPLE_VALUES: dict[str, dict[str, str]] = {
    "project": {"code": "dmt-vi-du", "name": "Nhà máy điện mặt trời Ví Dụ", "stage": "Đang thi công",
                "capacity_operating_mw": "20,5", "effective_on": "15/10/2025", "date_basis": "theo văn bản",
                "document": "123/QĐ-UBND", "document_date": "10/10/2025",
                "update_note": "Phát điện một phần theo biên bản nghiệm thu"},
    "zone": {"code": "kcn-vi-du", "name": "KCN Ví Dụ", "stage": "Đang hoạt động", "leasable_ha": "150",
             "leased_ha": "90,5", "effective_on": "30/06/2026", "date_basis": "theo văn bản", "document": "45/BC-KKTKCN",
             "document_date": "05/07/2026", "obstacle_category": "Đất đai, giải phóng mặt bằng",
             "obstacle_description": "Còn 3 hộ chưa nhận tiền bồi thường"},
}


def _help_sheet(book: Any, record_type: str, headers: list[str]) -> None:
    """Steps, an example row (on this sheet only: it is never imported) and every column explained."""
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet = book.create_sheet(HELP_SHEET)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append(["Hướng dẫn cập nhật sổ theo dõi / how to fill in this workbook"])
    sheet["A1"].font = Font(bold=True, size=13)
    steps = [
        f"1. Trên sheet “{SHEETS[record_type]}”, mỗi dòng là một bản ghi hiện có. Chỉ sửa ô cần thay đổi; để nguyên ô không đổi.",
        "2. Cột Mã bị khóa (nhận diện dòng, không sửa). Các ô có mũi tên: chọn trong danh sách.",
        "3. Số: dấu phẩy thập phân, dấu chấm hàng nghìn (1.200 hoặc 49,9). Ngày: dd/mm/yyyy.",
        "4. Ghi Ngày hiệu lực và Văn bản căn cứ cho mỗi dòng có thay đổi.",
        "5. Lưu tệp, rồi xem trước: kcn import updates TỆP.xlsx --dry-run; đúng thì chạy lại không có --dry-run để ghi.",
    ]
    for step in steps:
        sheet.append([step])
    sheet.append([])
    sheet.append(["Ví dụ một dòng đã điền (chỉ để tham khảo, dòng này không được nhập):"])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    names = list(TEMPLATE_FIELDS[record_type]) + [c.key for c in UPDATE_COLUMNS]
    example = EXAMPLE_VALUES[record_type]
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.alignment = bold, wrap
        cell.fill = PatternFill("solid", fgColor="DDE4F0")
    sheet.append([example.get(name) for name in names])
    for cell in sheet[sheet.max_row]:
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
    sheet.append([])
    sheet.append(["Cột / column", "Tên trường / field", "Giải thích / explanation"])
    for cell in sheet[sheet.max_row][:3]:
        cell.font = bold
    for row in help_rows(record_type):
        sheet.append(list(row))
        sheet.cell(row=sheet.max_row, column=3).alignment = wrap
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 34
    sheet.column_dimensions["C"].width = 90
    for index in range(4, len(headers) + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 16


def _format_columns(sheet: Any, record_type: str, headers: list[str], rows: list[list[Any]]) -> None:
    """Widths from the header and the longest value (names get room to be read), dates as dd/mm/yyyy."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    names = list(TEMPLATE_FIELDS[record_type]) + [c.key for c in UPDATE_COLUMNS]
    for index, (name, header) in enumerate(zip(names, headers), start=1):
        letter = get_column_letter(index)
        longest = max((len(str(row[index - 1])) for row in rows if row[index - 1] is not None), default=0)
        widest = 60 if name in ("name", "note", "update_note", "obstacle_description") else 40
        sheet.column_dimensions[letter].width = max(12, min(widest, max(longest, min(len(header), 24)) + 2))
        is_date = name in ("effective_on", "document_date") or (
            name in TEMPLATE_FIELDS[record_type] and field_spec(record_type, name).kind == "date")
        kind = field_spec(record_type, name).kind if name in TEMPLATE_FIELDS[record_type] else "str"
        for (cell,) in sheet.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=index, max_col=index):
            if is_date:
                cell.number_format = "DD/MM/YYYY"
            elif kind in ("float", "int"):  # grouped digits; Vietnamese Excel shows 1.233,8
                cell.number_format = "#,##0.###" if kind == "float" else "#,##0"
            elif name in ("name", "note"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _add_lists(book: Any, sheet: Any, record_type: str, lists: dict[str, list[str]], *, last_row: int) -> None:
    """Drop-down lists (data validation) referring to a hidden sheet of allowed values."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    names = list(TEMPLATE_FIELDS[record_type]) + [c.key for c in UPDATE_COLUMNS]
    headers = {c.key: c.label_vi for c in UPDATE_COLUMNS} | {n: column_label(record_type, n) for n in TEMPLATE_FIELDS[record_type]}
    lists_sheet = book.create_sheet(LISTS_SHEET)
    for list_index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(list_index)
        lists_sheet.cell(row=1, column=list_index, value=headers.get(key, key))
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
