"""Labels go out and come back: what the Excel export and the update template show in Vietnamese, the
importer reads back as the same keys (and still accepts the keys), through the one validation layer."""

from __future__ import annotations

import openpyxl
import pytest

from cli_helpers import kcn
from kcn_tracker.errors import InvalidValue
from kcn_tracker.fields import fields_for
from kcn_tracker.labels import labels_for
from kcn_tracker.template import SHEETS
from kcn_tracker.validation.fields import parse_value


@pytest.mark.parametrize("record_type", ["project", "zone"])
def test_every_enumerated_field_reads_its_label_and_its_key(record_type):
    checked = 0
    for spec in fields_for(record_type):
        if not spec.choices or spec.kind == "geometry":
            continue
        labels = labels_for(spec.name)
        for key in spec.choices:
            assert parse_value(record_type, spec.name, key) == key
            if spec.name != "kind":  # KCN/CCN/KKT are the words people use
                assert key in labels, (spec.name, key)
                assert parse_value(record_type, spec.name, labels[key]) == key
                assert parse_value(record_type, spec.name, labels[key].upper()) == key  # case and accents optional
            checked += 1
    assert checked >= (13 if record_type == "project" else 9)


def test_a_wrong_value_names_the_labels():
    with pytest.raises(InvalidValue) as caught:
        parse_value("project", "plan_role", "có lẽ")
    assert "“có tên trong 60 dự án” (named)" in caught.value.message and "Vai trò trong QHĐ VIII" in caught.value.message


def _state(url: str, record_type: str, code: str) -> dict:
    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.state import views

    engine = make_engine(url)
    with session_scope(engine) as session:
        found = next(v for v in views(session, record_type) if v["code"] == code)
    engine.dispose()
    return found


def _edit(path, sheet_name: str, code: str, cells: dict[str, object]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book[sheet_name]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[headers.index("Mã")].value == code)
    for header, value in cells.items():
        row[headers.index(header)].value = value
    book.save(path)


def test_export_imports_back_unchanged_then_with_other_labels(bundled_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", "2025-10-01")
    path = tmp_path / "so.xlsx"
    assert kcn(bundled_url, "export", "--format", "xlsx", "--out", str(path), "--what", "zones,projects").exit_code == 0
    book = openpyxl.load_workbook(path)
    projects = book[SHEETS["project"]]
    headers = [c.value for c in projects[1]]
    row = next(r for r in projects.iter_rows(min_row=2, values_only=True) if r[headers.index("Mã")] == "dmt-phuoc-thai-2")
    shown = dict(zip(headers, row))
    assert (shown["Vai trò trong QHĐ VIII"], shown["Độ chính xác ngày dự kiến"], shown["Độ chính xác vị trí"],
            shown["Căn cứ công nghệ"], shown["Thuộc 60 dự án QHĐ VIII"]) == (
        "có tên trong 60 dự án", "theo tháng", "trung tâm huyện cũ (sai số 5–25 km)", "theo văn bản", "có")
    untouched = kcn(bundled_url, "import", "updates", str(path), "--dry-run")
    assert untouched.exit_code == 0, untouched.output
    assert " 0 dòng thay đổi" in untouched.stdout

    _edit(path, SHEETS["project"], "dmt-phuoc-thai-2", {
        "Vai trò trong QHĐ VIII": "ngoài 60 dự án", "Độ chính xác ngày dự kiến": "Theo quy",
        "Độ chính xác vị trí": "trung tâm xã/phường", "Căn cứ công nghệ": "suy luận", "Thuộc 60 dự án QHĐ VIII": "không"})
    _edit(path, SHEETS["zone"], "kcn-doc-da-trang", {"Độ chính xác vị trí": "commune"})  # the key is still accepted
    result = kcn(bundled_url, "import", "updates", str(path), "--date", "01/10/2025")
    assert result.exit_code == 0, result.output
    project = _state(bundled_url, "project", "dmt-phuoc-thai-2")
    assert (project["plan_role"], project["expected_cod_precision"], project["location_precision"],
            project["technology_basis"], project["in_plan_60"]) == ("outside", "quarter", "commune", "inferred", False)
    assert _state(bundled_url, "zone", "kcn-doc-da-trang")["location_precision"] == "commune"

    again = tmp_path / "lai.xlsx"  # exported again, the new values read as labels and import back to nothing
    assert kcn(bundled_url, "export", "--format", "xlsx", "--out", str(again), "--what", "zones,projects").exit_code == 0
    assert " 0 dòng thay đổi" in kcn(bundled_url, "import", "updates", str(again), "--dry-run").stdout


def test_template_shows_labels_and_imports_them(bundled_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", "2025-10-01")
    path = tmp_path / "mau.xlsx"
    assert kcn(bundled_url, "template", "energy", "--out", str(path)).exit_code == 0
    book = openpyxl.load_workbook(path)
    sheet = book[SHEETS["project"]]
    headers = [c.value for c in sheet[1]]
    values = {r[headers.index("Độ chính xác ngày dự kiến")] for r in sheet.iter_rows(min_row=2, values_only=True)} - {None}
    assert values and values <= set(labels_for("expected_cod_precision").values())
    _edit(path, SHEETS["project"], "dmt-phuoc-thai-2", {"Độ chính xác ngày dự kiến": "theo năm",
                                                        "Ngày hiệu lực": "01/10/2025"})
    result = kcn(bundled_url, "import", "updates", str(path))
    assert result.exit_code == 0, result.output
    assert _state(bundled_url, "project", "dmt-phuoc-thai-2")["expected_cod_precision"] == "year"
    zones = tmp_path / "mau-khu.xlsx"
    assert kcn(bundled_url, "template", "zones", "--out", str(zones)).exit_code == 0
    assert " 0 dòng thay đổi" in kcn(bundled_url, "import", "updates", str(zones), "--dry-run").stdout
