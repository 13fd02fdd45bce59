"""Read spreadsheet files into plain rows: .xlsx (python-calamine) and .csv in the encodings Vietnamese offices produce.

CSV bytes are decoded as UTF-8 (with or without BOM), else as Windows-1258
(Vietnamese Excel's "CSV" export); the delimiter (comma, semicolon or tab) is
sniffed, because Excel with Vietnamese regional settings writes semicolons.
Text is returned in NFC with stray spaces removed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kcn_tracker.errors import KcnError
from kcn_tracker.text import nfc

ENCODINGS = ("utf-8-sig", "cp1258")
#: Largest cell the csv module reads (its default limit); larger cells are refused with the row number.
MAX_CELL = csv.field_size_limit()
#: Update files are a few hundred rows; anything this large is the wrong file.
MAX_FILE_BYTES = 50_000_000
#: Whole numbers below this come out as int (openpyxl and Excel write larger ones in E notation, read as float).
INT_LIMIT = 1e16
#: A worksheet cell of type error, as in <c r="A1" t="e">.
ERROR_CELL = re.compile(rb"<c\b[^>]*\bt\s*=\s*[\"']e[\"']")


@dataclass
class SheetRows:
    """One sheet: its name, header cells and data rows as (spreadsheet row number, cells)."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def read_table(path: Path) -> list[SheetRows]:
    """Every sheet of an .xlsx, or the one table of a .csv; clear errors for missing, empty or broken files."""
    if not path.exists():
        raise KcnError(f"Không tìm thấy tệp / file not found: {path}")
    if path.stat().st_size == 0:
        raise KcnError(f"{path.name}: tệp trống / the file is empty")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return [read_csv(path)]
    raise KcnError(f"{path.name}: chỉ nhận .xlsx hoặc .csv / only .xlsx or .csv files are accepted "
                   "(lưu tệp .xls cũ thành .xlsx / save old .xls files as .xlsx)")


def _cell(value: Any) -> Any:
    """A calamine value as openpyxl (``data_only``) gives it: empty → None, whole numbers → int, dates → datetime."""
    kind = type(value)
    if kind is str:
        return nfc(value) if value else None
    if kind is float:
        # openpyxl casts "5" to 5 and only "5.5" or "1E+20" to float; whole numbers that large are written in E notation
        return int(value) if value.is_integer() and -INT_LIMIT < value < INT_LIMIT else value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)  # openpyxl gives every date cell as a datetime
    return value


def read_xlsx(path: Path) -> list[SheetRows]:
    """All visible worksheets of a workbook (cached values, not formulas), rows numbered as in the spreadsheet.

    Read with calamine (Rust), ~10× faster than openpyxl's reader; the cells come out as openpyxl's
    ``data_only`` reader gave them (``_cell``; tests/test_reading_xlsx.py compares the two), but rows
    end at the last cell calamine finds, not at the file's declared dimension (formatted empty
    cells made openpyxl's rows longer by trailing empty cells, under empty headers). A
    workbook with error cells (#N/A, #DIV/0!) is read with openpyxl: calamine gives them as empty
    cells, which an update would take as "no change" where openpyxl gives the error's text.
    """
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        if _has_error_cells(path):
            return read_xlsx_openpyxl(path)
        with CalamineWorkbook.from_path(str(path)) as book:
            sheets = []
            for meta in book.sheets_metadata:
                if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
                    continue
                # skip_empty_area=False: from cell A1, so list index + 1 is the spreadsheet's row number
                cells = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
                if not cells:
                    sheets.append(SheetRows(meta.name, []))
                    continue
                out = SheetRows(meta.name, ["" if h is None else nfc(str(h)) for h in map(_cell, cells[0])])
                for number, row in enumerate(cells[1:], start=2):
                    if any(v != "" for v in row):
                        out.rows.append((number, [_cell(v) for v in row]))
                sheets.append(out)
            return sheets
    except (CalamineError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: Exception) -> KcnError:
    return KcnError(f"{path.name}: không đọc được tệp Excel, tệp hỏng hoặc không phải .xlsx / "
                    f"cannot read the workbook, corrupted or not .xlsx ({type(exc).__name__})")


def _has_error_cells(path: Path) -> bool:
    """Whether a worksheet has a cell of type error (``t="e"``); a false alarm only costs the slower reader."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name)
                # the substring test is fast; the pattern (slower) only confirms
                if (b'"e"' in xml or b"'e'" in xml) and ERROR_CELL.search(xml):
                    return True
        return False


def read_xlsx_openpyxl(path: Path) -> list[SheetRows]:
    """The visible sheets read with openpyxl (``read_only``, ``data_only``): the reader before calamine."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _unreadable(path, exc) from None
    try:
        sheets = []
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                continue
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                sheets.append(SheetRows(sheet.title, []))
                continue
            out = SheetRows(sheet.title, ["" if h is None else nfc(str(h)) for h in header])
            for number, row in enumerate(rows, start=2):
                if any(v not in (None, "") for v in row):
                    out.rows.append((number, [nfc(v) if isinstance(v, str) else v for v in row]))
            sheets.append(out)
        return sheets
    finally:
        book.close()


def decode(data: bytes, name: str) -> str:
    """Text of a CSV file: UTF-16 with its BOM (Excel's "Unicode text"), UTF-8 (BOM optional), else Windows-1258; NFC."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise KcnError(f"{name}: tệp UTF-16 bị hỏng / broken UTF-16 file") from None
    if b"\x00" in data[:4096]:
        raise KcnError(f"{name}: tệp có vẻ là UTF-16 không có BOM hoặc tệp nhị phân; hãy lưu thành “CSV UTF-8” / "
                       "looks like UTF-16 without a BOM or a binary file: save it as CSV UTF-8")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise KcnError(f"{name}: không nhận ra bảng mã (cần UTF-8 hoặc Windows-1258) / unknown text encoding")


def _delimiter(header: str) -> str:
    """The delimiter of the header line: the most frequent of comma, semicolon, tab outside quotes."""
    outside = "".join(part for index, part in enumerate(header.split('"')) if index % 2 == 0)
    return max((",", ";", "\t"), key=outside.count)


def read_csv(path: Path) -> SheetRows:
    """The CSV as one sheet named after the file; a cell over ``MAX_CELL`` characters is refused by row."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise KcnError(f"{path.name}: tệp quá lớn (hơn {MAX_FILE_BYTES // 1_000_000} MB) / the file is too large")
    text = decode(path.read_bytes(), path.name)
    if not text.strip():
        raise KcnError(f"{path.name}: tệp trống / the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.splitlines()[0]))
    try:
        header = next(reader, [])
        out = SheetRows(path.stem, [nfc(h) for h in header])
        for number, row in enumerate(reader, start=2):
            if any(cell.strip() for cell in row):
                out.rows.append((number, [nfc(cell) for cell in row]))
    except csv.Error as exc:
        raise KcnError(f"{path.name}, dòng/row {reader.line_num}: không đọc được dòng CSV (ô quá lớn, hơn {MAX_CELL} ký tự, "
                       f"hoặc dấu ngoặc kép lệch) / unreadable CSV line: a cell over {MAX_CELL} characters or "
                       f"unbalanced quotes ({exc})") from None
    return out
