"""Write the exported tables for spreadsheets: one .xlsx with a sheet per table, or CSV files.

The workbook has Vietnamese headers, real dates and numbers (so Excel sorts and
sums them) and Vietnamese words for the keys the importer reads back (stage,
technology) and for the history and obstacle sheets (record type, field, date
basis, category; their separate label columns are then left out); its zones and
projects sheets can be re-imported unchanged. CSV is
for tools: machine keys as headers, plain numbers, ISO dates, UTF-8 with a BOM so
Excel also opens the Vietnamese text correctly.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from kcn_tracker.exporters.tables import SHEET_TITLES, Table
from kcn_tracker.inert import csv_cell, inert_cell


def write_xlsx(tables: list[Table], out: Path) -> None:
    """One sheet per table, Vietnamese headers, bold frozen header row, filters, dd/mm/yyyy dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        table = _for_people(table)
        sheet = book.create_sheet(SHEET_TITLES[table.name])
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(column.label_vi) + 2))
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column.label_vi)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        formats = {"date": "DD/MM/YYYY", "datetime": "DD/MM/YYYY HH:MM", "float": "#,##0.###"}
        for row in table.rows:
            cells = []
            for column in table.columns:
                cell = inert_cell(WriteOnlyCell(sheet, value=_xlsx_value(row.get(column.key))))
                if column.kind in formats and row.get(column.key) is not None:
                    cell.number_format = formats[column.kind]
                cells.append(cell)
            sheet.append(cells)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)


#: Label columns made redundant once the key column itself shows the Vietnamese words.
_LABEL_COLUMNS = {"stage_label": "stage", "technology_label": "technology", "field_label": "field", "category_label": "category"}


def _for_people(table: Table) -> Table:
    """The table with Vietnamese words instead of keys (xlsx only; CSV and GIS keep the keys).

    Every enumerated value (stage, technology, kind of basis or precision, record type, category)
    is shown by its label from ``kcn_tracker.labels`` and every yes/no as "có"/"không": the words
    the template offers and the importer reads back, so the zones and projects sheets re-import.
    """
    from dataclasses import replace

    from kcn_tracker.fields import field_spec
    from kcn_tracker.labels import origin_label, value_label, yes_no

    keys = {c.key for c in table.columns}
    columns = [c for c in table.columns if not (c.key in _LABEL_COLUMNS and _LABEL_COLUMNS[c.key] in keys)]
    rows = []
    for row in table.rows:
        record_type = table.record_type or row.get("record_type")
        out = {key: yes_no(value_label(key, value, record_type=record_type, technologies=table.technologies))
               for key, value in row.items()}
        if "origin" in row:
            out["origin"] = origin_label(row["origin"])
        if "field_label" in row and row.get("field"):
            out["field"] = row["field_label"]
            kind = field_spec(row["record_type"], row["field"]).kind
            for key in ("old", "new"):
                out[key] = _change_text(row["field"], kind, row.get(key), record_type, table.technologies)
        rows.append(out)
    return replace(table, columns=columns, rows=rows)


def _change_text(name: str, kind: str, text: str | None, record_type: str | None, technologies: dict[str, str]) -> Any:
    """An old or new value of the history sheet as people write it: labels, có/không, 8.517,4, dd/mm/yyyy."""
    from kcn_tracker.labels import value_label, yes_no
    from kcn_tracker.text import format_date, format_number

    if text is None:
        return None
    try:
        if kind == "bool":
            return yes_no(text == "true")
        if kind in ("float", "int"):
            return format_number(float(text), decimals=3)
        if kind == "date":
            return format_date(dt.date.fromisoformat(text))
    except ValueError:
        return text
    return value_label(name, text, record_type=record_type, technologies=technologies)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 32000:
        return value[:32000] + "…"  # Excel's cell limit is 32,767 characters
    return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return csv_cell(value)


def write_csv_table(table: Table, out: Path) -> None:
    """One table as CSV: machine keys, plain numbers, ISO dates, plus WKT geometry for zones/projects."""
    keys = [c.key for c in table.columns]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(keys + (["wkt"] if table.geometries is not None else []))
        for index, row in enumerate(table.rows):
            cells = [_csv_value(row.get(k)) for k in keys]
            if table.geometries is not None:
                cells.append(table.geometries[index] or "")  # WKT starts with a letter: never a formula
            writer.writerow(cells)


def write_csv(tables: list[Table], out: Path) -> list[Path]:
    """A folder with one ``<table>.csv`` per table, or a single file when one table goes to a .csv path."""
    if len(tables) == 1 and out.suffix.lower() == ".csv":
        write_csv_table(tables[0], out)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = out / f"{table.name}.csv"
        write_csv_table(table, path)
        written.append(path)
    return written
