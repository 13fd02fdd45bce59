"""Open GIS files as (attributes, shapely geometry) features and their CRS.

GeoJSON, GeoPackage, Shapefile (a .shp, a folder holding one, or a .zip), KML and
KMZ (a zip holding doc.kml) are read with pyogrio/GDAL. Where GDAL lacks a KML
driver, Placemarks (Point, Polygon, MultiGeometry) are parsed with the stdlib XML
parser. Broken or CRS-less files get a clear message, never a traceback.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from kcn_tracker.errors import KcnError

GIS_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".kml")
_KML_NS = "{http://www.opengis.net/kml/2.2}"


@dataclass
class GisLayer:
    """Features read from a file: attribute dicts, shapely geometries (2D) and the CRS (None if unknown)."""

    attributes: list[dict[str, Any]]
    geometries: list[Any]
    crs: Any
    columns: list[str]


def open_gis(path: Path, *, layer: str | None = None) -> GisLayer:
    """Read ``path`` (unpacking .zip/.kmz into a temporary folder first)."""
    if not path.exists():
        raise KcnError(f"Không tìm thấy tệp / file not found: {path}")
    if path.is_file() and path.stat().st_size == 0:
        raise KcnError(f"{path.name}: tệp trống / the file is empty")
    suffix = path.suffix.lower()
    if suffix in (".zip", ".kmz"):
        with tempfile.TemporaryDirectory(prefix="kcn-import-") as folder:
            _unzip(path, Path(folder))
            return _read(_find_dataset(Path(folder), path.name, prefer_kml=suffix == ".kmz"), path.name, layer)
    if path.is_dir():
        return _read(_find_dataset(path, path.name, prefer_kml=False), path.name, layer)
    return _read(path, path.name, layer)


def _unzip(path: Path, folder: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise KcnError(f"{path.name}: tệp nén hỏng hoặc không phải zip / corrupted zip file")
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            if bad is not None:
                raise KcnError(f"{path.name}: tệp nén hỏng ({bad}) / corrupted zip file")
            for member in archive.infolist():
                target = (folder / member.filename).resolve()
                if not str(target).startswith(str(folder.resolve())):
                    raise KcnError(f"{path.name}: đường dẫn không an toàn trong tệp nén / unsafe path in the zip")
            archive.extractall(folder)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise KcnError(f"{path.name}: tệp nén hỏng / corrupted zip file ({exc})") from None


def _find_dataset(folder: Path, name: str, *, prefer_kml: bool) -> Path:
    found = [p for p in sorted(folder.rglob("*")) if p.suffix.lower() in GIS_SUFFIXES and not p.name.startswith(".")]
    if prefer_kml:
        found = sorted((p for p in found if p.suffix.lower() == ".kml"), key=lambda p: p.name != "doc.kml")
    if not found:
        raise KcnError(f"{name}: không có tệp GIS (.shp, .gpkg, .geojson, .kml) bên trong / no GIS file inside")
    if len({p.suffix.lower() for p in found}) > 1 or (len(found) > 1 and not prefer_kml):
        listing = ", ".join(p.name for p in found)
        raise KcnError(f"{name}: có nhiều tệp GIS ({listing}); hãy chỉ định một tệp / several GIS files inside, give one")
    return found[0]


def _read(path: Path, name: str, layer: str | None) -> GisLayer:
    import pyogrio
    import shapely
    from pyogrio.errors import DataSourceError, DataLayerError

    if path.suffix.lower() == ".kml" and not ({"KML", "LIBKML"} & set(pyogrio.list_drivers())):
        return read_kml_stdlib(path)
    try:
        if layer is None and path.suffix.lower() in (".gpkg", ".kml"):
            layers = [row[0] for row in pyogrio.list_layers(path) if row[1] is not None]
            layer = layers[0] if len(layers) == 1 else layer
            if layer is None and len(layers) > 1:
                raise KcnError(f"{name}: có nhiều lớp ({', '.join(layers)}); chọn bằng --layer / several layers, pick one")
        frame = pyogrio.read_dataframe(path, layer=layer)
    except (DataSourceError, DataLayerError) as exc:
        raise KcnError(f"{name}: không đọc được tệp GIS / cannot read the GIS file: {exc}") from None
    columns = [c for c in frame.columns if c != frame.geometry.name]
    attributes = [{c: _plain(row[c]) for c in columns} for _, row in frame.iterrows()]
    geometries = [None if g is None else shapely.force_2d(g) for g in frame.geometry]
    return GisLayer(attributes, geometries, frame.crs, columns)


def _plain(value: Any) -> Any:
    try:
        import pandas as pd

        if value is not None and not isinstance(value, (list, dict)) and pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def read_kml_stdlib(path: Path) -> GisLayer:
    """Placemarks of a KML file (name, ExtendedData, Point/Polygon/MultiGeometry), WGS 84."""
    from pyproj import CRS
    from shapely.geometry import MultiPolygon, Point, Polygon

    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        raise KcnError(f"{path.name}: KML không hợp lệ / invalid KML: {exc}") from None
    ns = _KML_NS if root.tag.startswith(_KML_NS) else ""
    attributes, geometries = [], []
    for placemark in root.iter(f"{ns}Placemark"):
        attrs: dict[str, Any] = {"Name": (placemark.findtext(f"{ns}name") or "").strip()}
        for data in placemark.iter(f"{ns}Data"):
            attrs[data.get("name", "")] = (data.findtext(f"{ns}value") or "").strip()
        for data in placemark.iter(f"{ns}SimpleData"):
            attrs[data.get("name", "")] = (data.text or "").strip()
        polygons = [Polygon(_coords(p.find(f"{ns}outerBoundaryIs/{ns}LinearRing/{ns}coordinates")),
                            [_coords(r) for r in p.findall(f"{ns}innerBoundaryIs/{ns}LinearRing/{ns}coordinates")])
                    for p in placemark.iter(f"{ns}Polygon")]
        points = [Point(_coords(p.find(f"{ns}coordinates"))[0]) for p in placemark.iter(f"{ns}Point")]
        geom = (polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)) if polygons else (points[0] if points else None)
        attributes.append(attrs)
        geometries.append(geom)
    columns = list(dict.fromkeys(k for a in attributes for k in a))
    return GisLayer(attributes, geometries, CRS.from_epsg(4326), columns)


def _coords(element: Any) -> list[tuple[float, float]]:
    if element is None or not (element.text or "").strip():
        raise KcnError("KML: thiếu tọa độ / missing coordinates")
    return [(float(parts[0]), float(parts[1])) for parts in (t.split(",") for t in element.text.split())]
