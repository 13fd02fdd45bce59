"""Export (GeoPackage, KML, xlsx, CSV, GeoJSON), the Excel template, and export → import round trips."""

import csv
import datetime as dt
import json
from xml.etree import ElementTree

import openpyxl
import pyogrio
import pytest

from factories import D
from interchange_helpers import DATA, run, seed, snapshot
from kcn_tracker.db import session_scope
from kcn_tracker.workflow import open_obstacle


@pytest.fixture
def seeded(engine):
    seed(engine)
    with session_scope(engine, write=True) as s:
        open_obstacle(s, "project", "lng", category="investor", description="Đang đánh giá hồ sơ dự thầu <HSDT>",
                      opened_on=D(2025, 7, 19))
    result = run(engine, "import", "geometry", str(DATA / "zone_boundary.geojson"), "--match-field", "TEN_KCN",
                 "--date", "01/09/2025")
    assert result.exit_code == 0, result.output
    return engine


def test_gpkg_has_layers_tables_and_proper_field_types(seeded, tmp_path):
    out = tmp_path / "kcn.gpkg"
    result = run(seeded, "export", "--format", "gpkg", "--out", str(out))
    assert result.exit_code == 0, result.output
    layers = {name: kind for name, kind in pyogrio.list_layers(out)}
    # split by geometry type (points always; polygons because one zone has a boundary), plus the records
    # without a location as attribute-only tables, the attribute tables and QGIS's layer_styles
    assert layers == {"zones_points": "Point", "zones_polygons": "Polygon", "zones_no_location": None,
                      "projects_points": "Point", "projects_no_location": None, "history": None, "obstacles": None,
                      "layer_styles": None}
    projects = pyogrio.read_info(out, layer="projects_no_location")
    types = dict(zip(projects["fields"], projects["ogr_types"]))
    assert (types["capacity_mw"], types["expected_cod"], types["open_obstacles"]) == ("OFTReal", "OFTDate", "OFTInteger64")
    assert pyogrio.read_info(out, layer="projects_points")["crs"] == "EPSG:4326"
    frame = pyogrio.read_dataframe(out, layer="projects_no_location", read_geometry=False)  # lng has no point
    lng = frame[frame.code == "lng"].iloc[0]
    assert (lng.gem_status, lng.capacity_mw, lng.open_obstacles) == ("pre-construction", 1500.0, 1)
    zones = pyogrio.read_dataframe(out, layer="zones_polygons")
    assert list(zones.code) == ["ninh-thuy"] and zones.geometry.iloc[0].geom_type == "Polygon"
    history = pyogrio.read_dataframe(out, layer="history", read_geometry=False)
    assert "surveyed" in set(history.new) and str(history.effective_on.dtype).startswith(("datetime", "object"))
    total = sum(len(pyogrio.read_dataframe(out, layer=f"projects_{s}", read_geometry=False))
                for s in ("points", "no_location"))
    assert total == 2  # every project is in one layer: none silently left out


def test_gpkg_carries_qgis_styles_from_the_map_style(seeded, tmp_path):
    import sqlite3

    from kcn_tracker import style

    out = tmp_path / "kcn.gpkg"
    assert run(seeded, "export", "--format", "gpkg", "--out", str(out)).exit_code == 0
    with sqlite3.connect(out) as db:
        rows = {name: (column, qml, default) for name, column, qml, default in
                db.execute("SELECT f_table_name, f_geometry_column, styleQML, useAsDefault FROM layer_styles")}
    assert set(rows) == {"zones_points", "zones_polygons", "zones_no_location", "projects_points",
                         "projects_no_location", "history", "obstacles"}
    column, qml, default = rows["projects_points"]
    assert column == "geom" and default == 1
    root = ElementTree.fromstring(qml)
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "stage"
    categories = {c.get("value"): c.get("label") for c in renderer.iter("category")}
    assert categories["in_plan"] == "Trong quy hoạch" and len(categories) == 11
    colours = {o.get("value") for o in root.iter("Option") if o.get("name") == "color"}
    assert style.qgis_colour(style.STAGE_GROUP_COLOURS["construction"], 0.85) in colours
    assert style.qgis_colour(style.OBSTACLE.colour) in qml and 'name="kind"' not in qml
    zones_qml = rows["zones_polygons"][1]
    assert style.qgis_colour(style.KIND_OUTLINES["KKT"].colour) in zones_qml  # outline by kind
    aliases = {a.get("field"): a.get("name") for a in ElementTree.fromstring(rows["history"][1]).iter("alias")}
    assert aliases["effective_on"] == "Ngày hiệu lực"  # Vietnamese field names in QGIS


def test_kml_has_styled_placemarks_and_escaped_vietnamese_descriptions(seeded, tmp_path):
    from kcn_tracker import style

    out = tmp_path / "kcn.kml"
    assert run(seeded, "export", "--format", "kml", "--out", str(out)).exit_code == 0
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ElementTree.parse(out).getroot()
    folders = {f.findtext("k:name", namespaces=ns): f for f in root.iter("{http://www.opengis.net/kml/2.2}Folder")}
    assert list(folders) == ["KCN-CCN", "Dự án điện", "Chưa có vị trí"]
    marks = {p.findtext("k:name", namespaces=ns): p for p in folders["KCN-CCN"].iter("{http://www.opengis.net/kml/2.2}Placemark")}
    assert set(marks) == {"KCN Ninh Thủy"}  # the only record with a location
    unlocated = [p.findtext("k:name", namespaces=ns) for p in folders["Chưa có vị trí"].iter("{http://www.opengis.net/kml/2.2}Placemark")]
    assert len(unlocated) == 3 and all(folders["Chưa có vị trí"].find(".//k:Point", ns) is None for _ in unlocated)
    mark = marks["KCN Ninh Thủy"]
    style_el = root.find(f".//k:Style[@id='{mark.findtext('k:styleUrl', namespaces=ns)[1:]}']", ns)
    assert style_el.findtext("k:LineStyle/k:color", namespaces=ns) == style.kml_colour(style.KIND_OUTLINES["KCN"].colour)
    description = mark.findtext("k:description", namespaces=ns)
    assert "<th align=\"left\">Tổng diện tích (ha)</th><td>120</td>" in description
    assert mark.find(".//k:Polygon", ns) is not None
    text = out.read_text(encoding="utf-8")
    assert ">in_plan<" not in text and "in_plan" not in text.replace("in_plan_60", "")
    lng = [p for p in root.iter("{http://www.opengis.net/kml/2.2}Placemark") if "lng" in ElementTree.tostring(p, encoding="unicode")]
    assert lng and "Đã có QĐ chủ trương đầu tư" in lng[0].findtext("k:description", namespaces=ns)
    assert "GeoNames (geonames.org), CC BY 4.0" in root.find("k:Document", ns).findtext("k:description", namespaces=ns)


def test_kml_description_hides_commit_hashes_and_codes():
    from kcn_tracker.exporters.kml import human_value
    from kcn_tracker.exporters.tables import Table

    table = Table("zones", [], [], None, "zone")
    row = {"location_source": "GEM tracker (repo GlobalEnergyMonitor/maps @ 094c98ba) row 12",
           "location_precision": "district", "stage": "in_plan", "stage_label": "Trong quy hoạch"}
    assert human_value(table, "location_source", row) == "GEM tracker (repo GlobalEnergyMonitor/maps) row 12"
    assert human_value(table, "location_precision", row) == "trung tâm huyện cũ (sai số 5–25 km)"
    assert human_value(table, "stage", row) == "Trong quy hoạch"


def test_xlsx_has_one_sheet_per_table_with_vietnamese_headers(seeded, tmp_path):
    out = tmp_path / "so.xlsx"
    assert run(seeded, "export", "--format", "xlsx", "--out", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["KCN-CCN", "Dự án điện", "Lịch sử", "Vướng mắc"]
    headers = [c.value for c in book["Dự án điện"][1]]
    assert headers[:3] == ["Mã", "Tên", "Công nghệ"] and "Trạng thái GEM (GEM status)" in headers
    obstacles = book["Vướng mắc"]
    row = {h.value: c.value for h, c in zip(obstacles[1], obstacles[2])}
    assert row["Mô tả"] == "Đang đánh giá hồ sơ dự thầu <HSDT>" and row["Ngày phát sinh"] == dt.datetime(2025, 7, 19)


def test_csv_folder_and_single_table_and_geojson(seeded, tmp_path):
    assert run(seeded, "export", "--format", "csv", "--out", str(tmp_path / "csv")).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == ["history.csv", "obstacles.csv", "projects.csv", "zones.csv"]
    single = tmp_path / "p.csv"
    assert run(seeded, "export", "--format", "csv", "--what", "projects", "--out", str(single)).exit_code == 0
    rows = list(csv.DictReader(single.open(encoding="utf-8-sig")))
    assert {r["code"]: r["capacity_mw"] for r in rows} == {"lng": "1500.0", "pt2": "87.0"}
    gj = tmp_path / "a.geojson"
    assert run(seeded, "export", "--format", "geojson", "--out", str(gj)).exit_code == 0
    data = json.loads(gj.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 4
    bad = run(seeded, "export", "--format", "geojson", "--what", "history", "--out", str(gj))
    assert bad.exit_code == 2 and "zones,projects" in bad.stderr


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_export_then_import_changes_nothing(seeded, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    assert run(seeded, "export", "--format", fmt, "--out", str(out)).exit_code == 0
    before = snapshot(seeded)
    files = [out] if fmt == "xlsx" else [out / "zones.csv", out / "projects.csv"]
    for path in files:
        result = run(seeded, "import", "updates", str(path))
        assert result.exit_code == 0, result.output
        assert " 0 dòng thay đổi" in result.stdout
    assert snapshot(seeded) == before


def test_round_trip_gpkg_geometry_changes_nothing(seeded, tmp_path):
    out = tmp_path / "kcn.gpkg"
    assert run(seeded, "export", "--format", "gpkg", "--what", "zones", "--out", str(out)).exit_code == 0
    only_surveyed = tmp_path / "surveyed.gpkg"
    frame = pyogrio.read_dataframe(out, layer="zones_polygons")
    pyogrio.write_dataframe(frame[frame.location_precision == "surveyed"], only_surveyed, layer="zones")
    before = snapshot(seeded)
    result = run(seeded, "import", "geometry", str(only_surveyed))
    assert result.exit_code == 0 and "0 bản ghi thay đổi, 1 không đổi" in result.stdout, result.output
    assert snapshot(seeded) == before


def test_template_prefills_records_with_drop_downs_and_help_sheet(seeded, tmp_path):
    out = tmp_path / "mau.xlsx"
    result = run(seeded, "template", "energy", "--out", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    sheet = book["Dự án điện"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["Mã", "Tên", "Công nghệ", "Công suất (MW)", "Giai đoạn"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)}
    assert set(rows) == {"lng", "pt2"}
    assert rows["lng"][4] == "Đã có QĐ chủ trương đầu tư, đang lựa chọn nhà đầu tư" and rows["lng"][2] == "lng"
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    stage_col, tech_col = "E", "C"
    obstacle_col = openpyxl.utils.get_column_letter(headers.index("Vướng mắc mới: loại") + 1)
    assert {stage_col, tech_col, obstacle_col} <= set(lists)
    lists = {column[0].value: [c.value for c in column[1:] if c.value] for column in book["Danh mục"].iter_cols()}
    assert lists["Giai đoạn"][0] == "Trong quy hoạch" and len(lists["Giai đoạn"]) == 11
    assert lists["Độ chính xác ngày dự kiến"] == ["theo ngày", "theo tháng", "theo quý", "theo năm"]
    help_rows = [r for r in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert ("Mã", "code (Code)") == help_rows[[r[0] for r in help_rows].index("Cột / column") + 1][:2]
    assert book["Danh mục"].sheet_state == "hidden"
    unchanged = run(seeded, "import", "updates", str(out))
    assert unchanged.exit_code == 0 and "0 dòng thay đổi, 2 dòng không đổi" in unchanged.stdout
