"""The Excel update template as staff use it: readable, frozen header, Vietnamese drop-downs that the
importer reads back, code column locked, an instruction sheet with an example row that is never imported."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from cli_helpers import kcn
from kcn_tracker.db import make_engine, session_scope
from kcn_tracker.stages import parse_stage
from kcn_tracker.labels import labels_for
from kcn_tracker.template import HELP_SHEET, LISTS_SHEET, SHEETS, parse_date_basis


@pytest.fixture
def template(bundled_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", "2026-12-01")
    path = tmp_path / "cap-nhat.xlsx"
    assert kcn(bundled_url, "template", "energy", "--out", str(path)).exit_code == 0
    return path


def _lists(book, sheet):
    """{header: allowed values} of the drop-downs."""
    headers = [c.value for c in sheet[1]]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        ref = validation.formula1.split("!")[1].replace("$", "")
        values = [c.value for row in book[LISTS_SHEET][ref] for c in row]
        found[headers[openpyxl.utils.column_index_from_string(column) - 1]] = values
    return found


def test_layout_widths_frozen_header_and_protection(template):
    book = openpyxl.load_workbook(template)
    sheet = book[SHEETS["project"]]
    headers = [c.value for c in sheet[1]]
    width = {h: sheet.column_dimensions[get_column_letter(i)].width for i, h in enumerate(headers, 1)}
    assert width["Tên"] >= 40 and width["Mã"] >= 20 and min(width.values()) >= 12
    assert sheet.freeze_panes == "C2"
    assert sheet.protection.sheet and not sheet.protection.autoFilter and not sheet.protection.formatColumns
    code, name = headers.index("Mã") + 1, headers.index("Tên") + 1
    assert sheet.cell(row=2, column=code).protection.locked and sheet.cell(row=1, column=name).protection.locked
    for column in range(2, len(headers) + 1):  # every input column is editable, on filled and empty rows
        assert not sheet.cell(row=2, column=column).protection.locked
        assert not sheet.cell(row=900, column=column).protection.locked
    assert sheet.cell(row=900, column=code).protection.locked


def test_drop_downs_are_vietnamese_and_the_importer_reads_them(template):
    book = openpyxl.load_workbook(template)
    lists = _lists(book, book[SHEETS["project"]])
    assert lists["Căn cứ ngày"] == list(labels_for("date_basis").values()) == [
        "theo văn bản", "suy luận", "chưa rõ (vào hoặc trước ngày này)"]
    assert lists["Độ chính xác ngày dự kiến"] == ["theo ngày", "theo tháng", "theo quý", "theo năm"]
    assert lists["Giai đoạn"][0] == "Trong quy hoạch" and "Đang thi công" in lists["Giai đoạn"]
    assert [parse_stage("project", label).label_vi for label in lists["Giai đoạn"]] == lists["Giai đoạn"]
    assert [parse_date_basis(label) for label in lists["Căn cứ ngày"]] == ["document", "inferred", "unknown"]
    assert all(not any(c.isascii() and c == "_" for c in v) for values in lists.values() for v in values)


def test_instruction_sheet_has_an_example_row_that_is_never_imported(template, bundled_url):
    book = openpyxl.load_workbook(template)
    data_headers = [c.value for c in book[SHEETS["project"]][1]]
    help_rows = list(book[HELP_SHEET].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(help_rows) if list(r[:len(data_headers)]) == data_headers)
    example = dict(zip(data_headers, help_rows[at + 1]))
    assert example["Mã"] == "dmt-vi-du" and example["Giai đoạn"] == "Đang thi công" and example["Căn cứ ngày"] == "theo văn bản"
    untouched = kcn(bundled_url, "import", "updates", str(template), "--dry-run")
    assert untouched.exit_code == 0, untouched.output
    assert " 0 dòng thay đổi" in untouched.stdout and "vi-du" not in untouched.output


def test_round_trip_with_vietnamese_choices(template, bundled_url):
    from kcn_tracker.models import Project

    book = openpyxl.load_workbook(template)
    sheet = book[SHEETS["project"]]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[headers.index("Mã")].value == "lng-ca-na")
    row[headers.index("Giai đoạn")].value = "Đã chấp thuận nhà đầu tư"
    row[headers.index("Ngày hiệu lực")].value = "20/11/2026"
    row[headers.index("Căn cứ ngày")].value = "suy luận"
    row[headers.index("Văn bản căn cứ (số hiệu)")].value = "999/QĐ-UBND"
    book.save(template)
    result = kcn(bundled_url, "import", "updates", str(template))
    assert result.exit_code == 0, result.output
    engine = make_engine(bundled_url)
    with session_scope(engine) as session:
        project = session.scalars(select(Project).where(Project.code == "lng-ca-na")).one()
        event = max(project.events, key=lambda e: (e.effective_on, e.id))
        assert (event.changes.get("stage"), event.date_basis, event.effective_on.isoformat()) == (
            "investor_approved", "inferred", "2026-11-20")
    engine.dispose()


def test_a_wrong_date_basis_is_named():
    from kcn_tracker.errors import InvalidValue

    assert parse_date_basis("Theo van ban") == "document" and parse_date_basis("unknown") == "unknown"
    assert parse_date_basis("chưa rõ") == "unknown"  # a label's bracketed explanation may be left out
    with pytest.raises(InvalidValue, match="suy luận"):
        parse_date_basis("hôm qua")
