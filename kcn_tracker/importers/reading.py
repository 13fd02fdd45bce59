"""Read spreadsheet files into plain rows: .xlsx (openpyxl) and .csv in the encodings Vietnamese offices produce.

CSV bytes are decoded as UTF-8 (with or without BOM), else as Windows-1258
(Vietnamese Excel's "CSV" export); the delimiter (comma, semicolon or tab) is
sniffed, because Excel with Vietnamese regional settings writes semicolons.
Text is returned in NFC with stray spaces removed.
"""

from __future__ import annotations

import codecs
import csv
import io
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


@dataclass
class SheetRows:
    """One sheet: its name, header cells and data rows as (spreadsheet row number, cells)."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def _clean(value: Any) -> Any:
    return nfc(value) if isinstance(value, str) else value


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


def read_xlsx(path: Path) -> list[SheetRows]:
    """All visible sheets of a workbook (values, not formulas)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise KcnError(f"{path.name}: không đọc được tệp Excel, tệp hỏng hoặc không phải .xlsx / "
                       f"cannot read the workbook, corrupted or not .xlsx ({type(exc).__name__})") from None
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
                    out.rows.append((number, [_clean(v) for v in row]))
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
