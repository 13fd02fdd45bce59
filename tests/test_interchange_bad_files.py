"""Bad files: each gets its own clear message, a non-zero exit and an untouched database."""

import geopandas as gpd
import openpyxl
import pytest
from shapely.geometry import Point

from interchange_helpers import DATA, run, seed, snapshot


@pytest.fixture
def seeded(engine):
    return seed(engine)


def _wrong_sheet(tmp_path):
    path = tmp_path / "wrong.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.active.append(["Họ tên", "Điện thoại"])
    book.active.append(["Lan", "0901"])
    book.save(path)
    return path


def _shapefile_without_prj(tmp_path):
    gpd.GeoDataFrame({"code": ["ninh-thuy"]}, geometry=[Point(600000, 1380000)]).to_file(tmp_path / "ranh.shp")
    assert not (tmp_path / "ranh.prj").exists()
    return tmp_path / "ranh.shp"


def _corrupted_zip(tmp_path):
    path = tmp_path / "ranh.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40 + b"not really a zip")
    return path


CASES = {
    "empty file": (lambda t: ["updates", str(DATA / "empty.csv")], 1, "tệp trống"),
    "wrong sheet": (lambda t: ["updates", str(_wrong_sheet(t))], 1, "không tìm thấy sheet dữ liệu"),
    "named sheet missing": (lambda t: ["updates", str(_wrong_sheet(t)), "--sheet", "Dự án"], 1, "không có sheet “Dự án”"),
    "missing required column": (lambda t: ["updates", str(DATA / "updates_missing_column.csv"), "--kind", "energy"], 2,
                                "thiếu cột bắt buộc “Mã” (code) hoặc “Tên”"),
    "text in a number column": (lambda t: ["updates", str(DATA / "updates_bad.csv")], 2,
                                "dòng/row 2, cột/field Công suất (MW): Công suất (MW) (capacity_mw): “abc” không phải là số"),
    "unknown project name": (lambda t: ["updates", str(DATA / "updates_bad.csv")], 2,
                             "“Phuoc Thai 9” / not found. Có phải / did you mean: Điện mặt trời Phước Thái 2?"),
    "shapefile without .prj": (lambda t: ["geometry", str(_shapefile_without_prj(t))], 1,
                               "tệp không có hệ tọa độ (Shapefile thiếu .prj?); hãy cho --crs"),
    "corrupted zip": (lambda t: ["geometry", str(_corrupted_zip(t))], 1, "tệp nén hỏng"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_is_refused_cleanly_and_nothing_changes(seeded, tmp_path, case):
    make_args, exit_code, message = CASES[case]
    before = snapshot(seeded)
    result = run(seeded, "import", *make_args(tmp_path))
    assert result.exit_code == exit_code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(seeded) == before
