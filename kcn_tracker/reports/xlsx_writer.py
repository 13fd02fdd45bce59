"""Render a ``ReportContent``'s tables as an Excel workbook (openpyxl): one table per sheet.

Cells hold values, never formulas: numbers as numbers (shown with Excel's number
format, which Vietnamese Excel displays as 8.517,4), percentages as ratios with a
% format, dates as dates. A first sheet "Mục lục" lists every sheet with its full
title, the period and the generation time (the only thing that differs between
two runs on the same data; the workbook's created/modified are set to it too).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from kcn_tracker.inert import inert_workbook
from kcn_tracker.reports.blocks import ReportContent, Table, show

FORMATS = {"number": "#,##0.0##", "int": "#,##0", "percent": "0.0%", "date": "DD/MM/YYYY"}
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(table: Table, used: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, no []:*?/\\) people can read: the table's number
    ("Bảng 1", "Bảng PL1.8"), else the start of its title."""
    number = table.title.split(". ", 1)[0] if table.title.startswith("Bảng ") else table.title
    base = _FORBIDDEN.sub("-", number)[:31].strip() or "Bảng"
    name, count = base, 2
    while name.lower() in used:
        suffix = f" ({count})"
        name, count = base[:31 - len(suffix)] + suffix, count + 1
    used.add(name.lower())
    return name


def _value(value: Any, kind: str) -> Any:
    """Numbers and dates as themselves; anything else as the text the other formats show ("có", labels)."""
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        return value
    return show(value, kind)


def _write_table(sheet: Any, table: Table) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append([c.header for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append([_value(v, c.kind) for c, v in zip(table.columns, row)])
    for index, column in enumerate(table.columns, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(column.width, min(len(column.header), 30)) + 2
        if column.kind in FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = FORMATS[column.kind]
        elif column.width >= 30:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"


def build_workbook(content: ReportContent) -> Any:
    """The openpyxl ``Workbook`` of ``content``'s tables."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    index = book.active
    index.title = "Mục lục"
    index.append([content.title])
    index["A1"].font = Font(bold=True, size=13)
    index.append([f"Kỳ báo cáo: {content.period.label_vi} ({content.period.range_vi})"])
    index.append([content.generated_line])
    index.append([])
    index.append(["Trang tính", "Bảng", "Số dòng"])
    for cell in index[5]:
        cell.font = Font(bold=True)
    used = {index.title.lower()}
    for table in content.tables:
        name = sheet_name(table, used)
        _write_table(book.create_sheet(name), table)
        index.append([name, table.title, len(table.rows)])
    index.column_dimensions["A"].width = 26
    index.column_dimensions["B"].width = 100
    stamp = content.generated_at.astimezone(dt.timezone.utc).replace(tzinfo=None) if content.generated_at.tzinfo else content.generated_at
    book.properties.creator = book.properties.lastModifiedBy = "kcn-tracker"
    book.properties.title = content.title
    book.properties.created = book.properties.modified = stamp
    return inert_workbook(book)


def write_xlsx(content: ReportContent, path: Path) -> list[Path]:
    """Write the .xlsx; returns the files written."""
    build_workbook(content).save(str(path))
    return [path]
