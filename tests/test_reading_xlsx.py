"""Workbooks read with calamine (``importers.reading.read_xlsx``) give the rows openpyxl's reader gave.

The importer read .xlsx with openpyxl (``read_only``, ``data_only``) until calamine replaced it;
that reader stays (``read_xlsx_openpyxl``) for workbooks with error cells, and is the reference
here. The same workbooks go through both and the sheets must be equal, value for value and type for type: whole numbers
as int, dates as datetime, times, durations, booleans, empty cells as None, formulas' cached
values (number, text, error), shared and inline strings, merged cells, text in NFD returned
in NFC, leading empty rows and columns and empty rows in the middle (row numbers as in the
spreadsheet), hidden sheets left out, an empty sheet. Error cells (#N/A), which calamine gives
as empty, send the workbook to openpyxl. Broken files give the user a KcnError. Known
difference left alone: a negative number formatted as a date (Excel shows ####) is a time for
calamine, a date in 1899 for openpyxl; and rows are as wide as the cells calamine finds, where
openpyxl's read-only mode used the file's declared dimension (which also counts formatted empty
cells, and which it trusted even when wrong, cutting off columns): the difference is only
trailing empty cells under empty headers, which the importers skip (checked below).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from kcn_tracker.errors import KcnError
from kcn_tracker.importers import reading
from kcn_tracker.importers.reading import SheetRows, read_table, read_xlsx, read_xlsx_openpyxl


def _typed(sheets: list[SheetRows]) -> list:
    """Sheets with each value's type beside it (5 == 5.0 and True == 1 would hide a difference)."""
    return [(s.name, s.headers, [(n, [(type(v).__name__, v) for v in row]) for n, row in s.rows]) for s in sheets]


NFD = unicodedata.normalize("NFD", "Khánh Hòa — Nhà máy điện gió Đầm Nại")


def _workbook(path: Path) -> Path:
    book = Workbook()
    main = book.active
    main.title = "Dự án điện"
    for col, name in enumerate(["Mã", unicodedata.normalize("NFD", "Tên dự án"), "Công suất (MW)", "Ngày", "Giờ",
                                "Vận hành", "Thời lượng", "Ghi chú", "Số lớn"], start=1):
        main.cell(1, col, name)
    values = [
        ["p-1", NFD, 5, dt.datetime(2026, 3, 1), dt.time(13, 30), True, dt.timedelta(hours=30), None, 12_345_678_901_234],
        ["p-2", "Điện mặt trời", 5.0, dt.date(2026, 3, 2), dt.time(0, 0, 1), False, None, " ", 1e20],
        [None] * 9,  # an empty row in the middle keeps the numbering
        ["p-3", "Sạc", 5.5, dt.datetime(2026, 3, 1, 10, 20, 30), None, None, None, "ghi chú", -3],
        [17, 0.1, -0.0, dt.datetime(1900, 3, 1), 0.25, None, None, "=1+1", 2.5e-7],
    ]
    for r, row in enumerate(values, start=2):
        for c, value in enumerate(row, start=1):
            if value is not None:
                main.cell(r, c, value)
    main.merge_cells("A9:C9")
    main["A9"] = "ô gộp"
    main["J12"] = "cuối"
    lead = book.create_sheet("Dòng trống đầu")  # header on row 1 empty, data from C4
    lead["C4"] = "Mã"
    lead["D5"] = 42
    lead["E7"] = unicodedata.normalize("NFD", "Cam Ranh")
    lead["F5"] = 0.5
    lead["F5"].number_format = "dd/mm/yyyy"  # a date format on a fraction of a day: a time
    lead["G5"] = dt.datetime(2026, 3, 1, 10, 20, 30, 500000)
    lead["H5"] = 45000.5
    lead["H5"].number_format = "[$-42A]dd/mm/yyyy;@"  # Vietnamese locale prefix
    hidden = book.create_sheet("Ẩn")
    hidden["A1"] = "không đọc"
    hidden.sheet_state = "hidden"
    very = book.create_sheet("Ẩn hẳn")
    very["A1"] = "không đọc"
    very.sheet_state = "veryHidden"
    book.create_sheet("Trống")
    book.save(path)
    return path


def _with_cached_formulas(path: Path, errors: bool = False) -> Path:
    """As Excel saves: shared strings, formulas with cached values (a number, text), error cells if ``errors``."""
    with zipfile.ZipFile(path) as src:
        files = {name: src.read(name) for name in src.namelist()}
    sheet = files["xl/worksheets/sheet1.xml"].decode()
    shared = ["Mã chung", unicodedata.normalize("NFD", "Vân Phong"), "<&>"]
    extra = ('<row r="14"><c r="A14" t="s"><v>0</v></c><c r="B14" t="s"><v>1</v></c><c r="C14"><f>2*3</f><v>6</v></c>'
             '<c r="D14" t="str"><f>A14&amp;"x"</f><v>Mã chungx</v></c>'
             + ('<c r="E14" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="F14" s="0" t=\'e\'><v>#N/A</v></c>' if errors else '')
             + '<c r="G14" t="s"><v>2</v></c><c r="H14"><f>1/3</f><v>0.33333333333333331</v></c>'
             '<c r="I14" t="b"><f>TRUE()</f><v>1</v></c></row>')
    sheet = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:J14"/>', sheet)
    files["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", extra + "</sheetData>").encode()
    items = "".join(f"<si><t>{s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</t></si>" for s in shared)
    files["xl/sharedStrings.xml"] = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                                     f'spreadsheetml/2006/main" count="3" uniqueCount="3">{items}</sst>').encode()
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    out = path.with_name(("errors-" if errors else "excel-") + path.name)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in files.items():
            dst.writestr(name, data)
    return out


@pytest.fixture
def calamine_only(monkeypatch):
    """The workbook must be read by calamine: the openpyxl reader is out of reach of read_xlsx."""
    def refuse(path):
        raise AssertionError("read with openpyxl")
    monkeypatch.setattr(reading, "read_xlsx_openpyxl", refuse)


def test_calamine_reads_what_openpyxl_read(tmp_path, calamine_only):
    path = _workbook(tmp_path / "book.xlsx")
    sheets = read_xlsx(path)
    assert _typed(sheets) == _typed(read_xlsx_openpyxl(path))  # the function imported here, not the patched one
    assert [s.name for s in sheets] == ["Dự án điện", "Dòng trống đầu", "Trống"]
    main = sheets[0]
    assert main.headers[1] == "Tên dự án" and unicodedata.is_normalized("NFC", main.rows[0][1][1])
    assert [n for n, _ in main.rows] == [2, 3, 5, 6, 9, 12]
    assert [type(v) for v in main.rows[0][1][2:7]] == [int, dt.datetime, dt.time, bool, dt.timedelta]
    assert sheets[1].headers == [""] * 8 and [n for n, _ in sheets[1].rows] == [4, 5, 7]
    assert sheets[1].rows[1][1][5:] == [dt.time(12), dt.datetime(2026, 3, 1, 10, 20, 30, 500000), dt.datetime(2023, 3, 15, 12)]
    assert sheets[2] == SheetRows("Trống", [])


def test_cached_values_and_shared_strings(tmp_path, calamine_only):
    path = _with_cached_formulas(_workbook(tmp_path / "book.xlsx"))
    sheets = read_table(path)
    assert _typed(sheets) == _typed(read_xlsx_openpyxl(path))
    last = sheets[0].rows[-1]
    assert last[0] == 14 and last[1][:4] == ["Mã chung", "Vân Phong", 6, "Mã chungx"]
    assert last[1][6:9] == ["<&>", 1 / 3, True]


def test_error_cells_are_read_as_their_text(tmp_path):
    plain = _with_cached_formulas(_workbook(tmp_path / "book.xlsx"))
    path = _with_cached_formulas(_workbook(tmp_path / "book.xlsx"), errors=True)
    assert not reading._has_error_cells(plain) and reading._has_error_cells(path)
    sheets = read_table(path)
    assert sheets[0].rows[-1][1][4:6] == ["#DIV/0!", "#N/A"]
    assert _typed(sheets) == _typed(read_xlsx_openpyxl(path))


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken", b""])
def test_broken_workbook_is_a_user_error(tmp_path, content):
    path = tmp_path / "hỏng.xlsx"
    path.write_bytes(content)
    with pytest.raises(KcnError, match="hỏng|trống"):
        read_table(path)


def test_workbook_without_sheets_xml_is_a_user_error(tmp_path):
    path = _workbook(tmp_path / "book.xlsx")
    with zipfile.ZipFile(path) as src:
        files = {name: src.read(name) for name in src.namelist() if name != "xl/worksheets/sheet1.xml"}
    broken = tmp_path / "thiếu.xlsx"
    with zipfile.ZipFile(broken, "w") as dst:
        for name, data in files.items():
            dst.writestr(name, data)
    with pytest.raises(KcnError, match="không đọc được tệp Excel"):
        read_xlsx(broken)


def _trimmed(sheets: list[SheetRows]) -> list:
    def trim(cells):
        cells = list(cells)
        while cells and cells[-1] in (None, ""):
            cells.pop()
        return cells
    return [(s.name, trim(s.headers), [(n, trim(row)) for n, row in s.rows]) for s in sheets]


def test_formatted_empty_cells_only_add_trailing_empty_cells(tmp_path, calamine_only):
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.append(["Mã", "Tên"])
    sheet.append(["p-1", "Nha Trang"])
    sheet["J20"].font = sheet["E3"].font = Font(bold=True)  # the declared dimension becomes A1:J20
    path = tmp_path / "formatted.xlsx"
    book.save(path)
    sheets, before = read_xlsx(path), read_xlsx_openpyxl(path)
    assert len(before[0].headers) == 10 and sheets[0].headers == ["Mã", "Tên"]
    assert _trimmed(sheets) == _trimmed(before) == [("Sheet", ["Mã", "Tên"], [(2, ["p-1", "Nha Trang"])])]
