"""Geometry import: VN-2000 control point, CRS handling, province check, repair, area warning, formats."""

import json
import zipfile

import geopandas as gpd
import pytest
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import Point, Polygon
from sqlalchemy import select

from interchange_helpers import DATA, run, seed, snapshot
from kcn_tracker.db import session_scope
from kcn_tracker.errors import InvalidValue
from kcn_tracker.geometry import VN2000_TM3_10815_PROJ, outside_province, parse_crs, repair
from kcn_tracker.importers.gis_files import read_kml_stdlib
from kcn_tracker.models import Project, Zone

# Thông tư 20/2019/TT-BGTVT, point VP1 of the Khánh Hòa port limits (DOMAIN.md).
VP1_WGS84 = (109 + 26 / 60, 12 + 33 / 60 + 36.0 / 3600)
VP1_VN2000 = (109 + 25 / 60 + 53.6 / 3600, 12 + 33 / 60 + 39.7 / 3600)
SQUARE = Polygon([(109.120, 12.490), (109.130, 12.490), (109.130, 12.500), (109.120, 12.500)])


@pytest.fixture
def seeded(engine):
    return seed(engine)


def _vp1_in_tm3() -> tuple[float, float]:
    """VP1's published VN-2000 geographic coordinate (EPSG:4756) projected to TM-3 108°15′ (same datum)."""
    return Transformer.from_crs("EPSG:4756", "EPSG:9217", always_xy=True).transform(*VP1_VN2000)


def _distance_m(wkt: str, lonlat: tuple[float, float]) -> float:
    point = shapely.from_wkt(wkt)
    return Geod(ellps="WGS84").inv(point.x, point.y, *lonlat)[2]


def _geometry(engine, model, code):
    with session_scope(engine) as s:
        record = s.scalars(select(model).where(model.code == code)).one()
        return record.geometry, record.location_precision, record.location_source


@pytest.mark.parametrize("variant", ["gpkg-epsg9217", "geojson-proj-string"])
def test_vn2000_control_point_lands_within_5_m(seeded, tmp_path, variant):
    x, y = _vp1_in_tm3()
    frame = gpd.GeoDataFrame({"code": ["lng"]}, geometry=[Point(x, y)])
    if variant == "gpkg-epsg9217":
        path = tmp_path / "vp1.gpkg"
        frame.set_crs("EPSG:9217").to_file(path, driver="GPKG")
        args = []
    else:
        path = tmp_path / "vp1.geojson"  # plain GeoJSON (no CRS member): --crs with the PROJ string
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"code": "lng"}, "geometry": {"type": "Point", "coordinates": [x, y]}}]}))
        args = ["--crs", VN2000_TM3_10815_PROJ]
    result = run(seeded, "import", "geometry", str(path), "--match-field", "code", *args)
    assert result.exit_code == 0, result.output
    wkt, precision, source = _geometry(seeded, Project, "lng")
    assert _distance_m(wkt, VP1_WGS84) < 5.0
    assert precision == "surveyed" and path.name in source


def test_wrong_sign_or_missing_datum_shift_would_miss_by_hundreds_of_metres():
    x, y = _vp1_in_tm3()
    no_shift = CRS.from_proj4(VN2000_TM3_10815_PROJ.replace("+towgs84=", "+ignored="))
    wrong = CRS.from_proj4(VN2000_TM3_10815_PROJ.replace("+towgs84=-191.90441429", "+towgs84=191.90441429"))
    for crs in (no_shift, wrong):
        lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)
        assert Geod(ellps="WGS84").inv(lon, lat, *VP1_WGS84)[2] > 100


def test_parse_crs_accepts_codes_aliases_and_refuses_nonsense():
    assert parse_crs("9217").to_epsg() == 9217
    assert parse_crs("VN-2000 UTM 49N").to_epsg() == 3406
    assert parse_crs("vn2000 utm48").to_epsg() == 3405
    with pytest.raises(InvalidValue, match="--crs"):
        parse_crs("EPSG:99999999")


def test_boundary_is_imported_with_area_and_second_import_changes_nothing(seeded):
    path = DATA / "zone_boundary.geojson"
    result = run(seeded, "import", "geometry", str(path), "--match-field", "TEN_KCN")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr  # 0.01° x 0.01° at 12.5°N is about 120 ha, as recorded
    wkt, precision, _ = _geometry(seeded, Zone, "ninh-thuy")
    assert precision == "surveyed" and shapely.from_wkt(wkt).equals_exact(SQUARE.normalize(), 1e-7) or \
        shapely.from_wkt(wkt).equals(SQUARE)
    before = snapshot(seeded)
    again = run(seeded, "import", "geometry", str(path), "--match-field", "TEN_KCN")
    assert again.exit_code == 0 and "0 bản ghi thay đổi, 1 không đổi" in again.stdout
    assert snapshot(seeded) == before


def test_area_more_than_10_percent_off_is_warned(seeded, tmp_path):
    big = shapely.affinity.scale(SQUARE, 1.2, 1.2)  # 1.44 x 120 ha
    path = tmp_path / "big.geojson"
    gpd.GeoDataFrame({"code": ["ninh-thuy"]}, geometry=[big], crs="EPSG:4326").to_file(path, driver="GeoJSON")
    result = run(seeded, "import", "geometry", str(path))
    assert result.exit_code == 0, result.output
    assert "Cảnh báo / warning" in result.stderr and "120 ha" in result.stderr and "173" in result.stderr


@pytest.mark.parametrize("geojson, message", [
    ("vn2000_bad_swapped.geojson", "đảo vĩ độ/kinh độ"),
])
def test_swapped_coordinates_are_refused_naming_the_feature(seeded, geojson, message):
    before = snapshot(seeded)
    result = run(seeded, "import", "geometry", str(DATA / geojson))
    assert result.exit_code == 2
    assert message in result.stderr and "ninh-thuy" in result.stderr
    assert snapshot(seeded) == before


def test_metres_read_as_degrees_and_far_points_are_refused():
    x, y = _vp1_in_tm3()
    assert "mét" in outside_province(Point(x, y))
    assert "ngoài tỉnh" in outside_province(Point(105.85, 21.03))  # Hà Nội
    assert outside_province(Point(*VP1_WGS84)) is None  # offshore port limit, within the tolerance


def test_repair_only_when_unambiguous():
    spike = Polygon([(0, 0), (10, 0), (10, 10), (5, 10), (5, 12), (5, 10), (0, 10)])
    fixed, note = repair(spike)
    assert fixed.is_valid and fixed.area == pytest.approx(100.0) and "sửa" in note
    bow_tie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    with pytest.raises(InvalidValue, match="không tự sửa"):
        repair(bow_tie)
    assert repair(SQUARE) == (SQUARE, None)


def test_shapefile_zip_and_kmz_are_read(seeded, tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.GeoDataFrame({"TEN": ["Doc Da Trang"]}, geometry=[shapely.affinity.translate(SQUARE, 0.1, 0.2)],
                     crs="EPSG:4326").to_crs("EPSG:3405").to_file(folder / "ranh_gioi.shp")
    archive = tmp_path / "ranh_gioi.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.iterdir():
            z.write(part, part.name)
    result = run(seeded, "import", "geometry", str(archive), "--match-field", "ten", "--kind", "zones", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dốc Đá Trắng" in result.stdout and "chưa ghi" in result.stdout
    kml = tmp_path / "doc.kml"
    kml.write_text(KML, encoding="utf-8")
    kmz = tmp_path / "site.kmz"
    with zipfile.ZipFile(kmz, "w") as z:
        z.write(kml, "doc.kml")
    refused = run(seeded, "import", "geometry", str(kmz), "--match-field", "Name")
    assert refused.exit_code == 2 and "“Trạm”" in refused.stderr  # an unmatched placemark: nothing written
    kml.write_text(KML.split("<Placemark><name>Trạm")[0] + "</Document></kml>", encoding="utf-8")
    with zipfile.ZipFile(kmz, "w") as z:
        z.write(kml, "doc.kml")
    result = run(seeded, "import", "geometry", str(kmz), "--match-field", "Name")
    assert result.exit_code == 0, result.output
    wkt, precision, _ = _geometry(seeded, Project, "pt2")
    assert precision == "surveyed" and shapely.from_wkt(wkt).geom_type == "Polygon"


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Phước Thái 2</name>
<ExtendedData><Data name="mw"><value>87</value></Data></ExtendedData>
<Polygon><outerBoundaryIs><LinearRing><coordinates>108.95,11.55,0 108.96,11.55,0 108.96,11.56,0 108.95,11.56,0 108.95,11.55,0
</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>Trạm</name><Point><coordinates>108.9,11.6</coordinates></Point></Placemark></Document></kml>"""


def test_stdlib_kml_reader_for_gdal_without_kml_driver(tmp_path):
    path = tmp_path / "a.kml"
    path.write_text(KML, encoding="utf-8")
    layer = read_kml_stdlib(path)
    assert [a["Name"] for a in layer.attributes] == ["Phước Thái 2", "Trạm"]
    assert layer.attributes[0]["mw"] == "87"
    assert layer.geometries[0].area == pytest.approx(0.0001) and layer.geometries[1].equals(Point(108.9, 11.6))
    assert layer.crs.to_epsg() == 4326
