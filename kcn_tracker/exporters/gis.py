"""Write the exported tables for GIS: GeoPackage (QGIS), KML (Google Earth), GeoJSON.

GeoPackage: layers ``zones`` and ``projects`` (WGS 84) and attribute tables
``history`` and ``obstacles``, with real field types (Real, Integer, Date,
DateTime, Boolean) written through pyogrio's raw writer, which keeps date-only
columns as GeoPackage DATE. KML: one folder per table, styled placemarks (colour by
technology or zone kind) and an HTML description in Vietnamese (values escaped).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from kcn_tracker.exporters.tables import SHEET_TITLES, Table
from kcn_tracker.cli.render import human, plain
from kcn_tracker import clock

KML_NS = "http://www.opengis.net/kml/2.2"
#: KML colours are aabbggrr. Technologies and kinds not listed are grey.
TECHNOLOGY_COLOURS = {
    "solar": "ff00c8ff", "rooftop_solar": "ff66e0ff", "onshore_wind": "ffe0a000", "lng": "ff3030e0",
    "pumped_storage": "ffb04080", "small_hydro": "ffe06000", "large_hydro": "ff903000", "waste_to_energy": "ff306080",
    "battery_storage": "ff60c060", "nuclear": "ff8000c0", "transmission": "ff404040",
}
ZONE_COLOURS = {"KCN": "ff2080ff", "CCN": "ff20c060", "KKT": "ffc05020"}
_GREY = "ff909090"


def write_geojson(tables: list[Table], out: Path) -> int:
    """One FeatureCollection of zones and projects (property ``record_type``), WGS 84."""
    import shapely
    from shapely.geometry import mapping

    features = []
    for table in tables:
        for row, wkt in zip(table.rows, table.geometries or []):
            geometry = mapping(shapely.from_wkt(wkt)) if wkt else None
            features.append({"type": "Feature", "geometry": geometry,
                             "properties": {"record_type": table.record_type, **{k: plain(v) for k, v in row.items()}}})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1),
                   encoding="utf-8")
    return len(features)


def _field_array(kind: str, values: list[Any]) -> tuple[Any, Any]:
    """A numpy array of the GDAL-friendly dtype and a null mask."""
    import numpy as np

    mask = np.array([v is None for v in values], dtype=bool)
    if kind == "float":
        return np.array([np.nan if v is None else float(v) for v in values], dtype="float64"), mask
    if kind == "int":
        return np.array([0 if v is None else int(v) for v in values], dtype="int64"), mask
    if kind == "bool":
        return np.array([bool(v) for v in values], dtype="bool"), mask
    if kind == "date":
        return np.array([v.isoformat() if v else "NaT" for v in values], dtype="datetime64[D]"), mask
    if kind == "datetime":
        return np.array([v.isoformat() if v else "NaT" for v in values], dtype="datetime64[s]"), mask
    return np.array([None if v is None else str(v) for v in values], dtype=object), mask


def write_gpkg(tables: list[Table], out: Path) -> None:
    """A GeoPackage: spatial layers for zones/projects, attribute tables for history/obstacles."""
    import numpy as np
    import shapely
    from pyogrio.raw import write

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()  # a GeoPackage is a database: start from an empty one, never mix two exports
    for table in tables:
        arrays, masks = zip(*(_field_array(c.kind, [r.get(c.key) for r in table.rows]) for c in table.columns)) \
            if table.rows else ([np.array([], dtype=object)] * len(table.columns), [np.array([], dtype=bool)] * len(table.columns))
        options: dict[str, Any] = dict(layer=table.name, driver="GPKG", append=out.exists(), encoding="UTF-8",
                                       field_mask=list(masks), layer_options={"DESCRIPTION": SHEET_TITLES[table.name]})
        if table.geometries is not None:
            wkb = np.array([shapely.to_wkb(shapely.from_wkt(w)) if w else None for w in table.geometries], dtype=object)
            write(out, wkb, list(arrays), [c.key for c in table.columns], geometry_type="Unknown", crs="EPSG:4326", **options)
        else:
            write(out, None, list(arrays), [c.key for c in table.columns], **options)


def _description(table: Table, row: dict[str, Any]) -> str:
    """An HTML table of the row's Vietnamese labels and values (every value escaped)."""
    lines = ['<table border="1" cellpadding="3" style="border-collapse:collapse">']
    for column in table.columns:
        value = row.get(column.key)
        if value is None or column.key in ("lon", "lat"):
            continue
        lines.append(f"<tr><th align=\"left\">{html.escape(column.label_vi)}</th>"
                     f"<td>{html.escape(human(value))}</td></tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _style_id(table: Table, row: dict[str, Any]) -> str:
    key = row.get("technology") if table.record_type == "project" else row.get("kind")
    return f"{table.name}-{key or 'other'}"


def _add_styles(document: Any) -> None:
    def style(style_id: str, colour: str) -> None:
        element = ET.SubElement(document, "Style", id=style_id)
        icon = ET.SubElement(element, "IconStyle")
        ET.SubElement(icon, "color").text = colour
        ET.SubElement(ET.SubElement(icon, "Icon"), "href").text = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
        line = ET.SubElement(element, "LineStyle")
        ET.SubElement(line, "color").text = colour
        ET.SubElement(line, "width").text = "2"
        poly = ET.SubElement(element, "PolyStyle")
        ET.SubElement(poly, "color").text = "66" + colour[2:]  # translucent fill

    for key, colour in TECHNOLOGY_COLOURS.items():
        style(f"projects-{key}", colour)
    for key, colour in ZONE_COLOURS.items():
        style(f"zones-{key}", colour)
    style("projects-other", _GREY)
    style("zones-other", _GREY)


def _kml_geometry(parent: Any, geom: Any) -> None:
    if geom.geom_type == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = f"{geom.x:.7f},{geom.y:.7f}"
    elif geom.geom_type == "Polygon":
        polygon = ET.SubElement(parent, "Polygon")
        rings = [("outerBoundaryIs", geom.exterior)] + [("innerBoundaryIs", r) for r in geom.interiors]
        for tag, ring in rings:
            coords = " ".join(f"{x:.7f},{y:.7f}" for x, y in ring.coords)
            ET.SubElement(ET.SubElement(ET.SubElement(polygon, tag), "LinearRing"), "coordinates").text = coords
    elif geom.geom_type == "LineString":
        ET.SubElement(ET.SubElement(parent, "LineString"), "coordinates").text = " ".join(f"{x:.7f},{y:.7f}" for x, y in geom.coords)
    else:  # Multi* and collections
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in geom.geoms:
            _kml_geometry(multi, part)


def write_kml(tables: list[Table], out: Path) -> int:
    """A KML document with one folder per table; records without a location are left out."""
    import shapely

    root = ET.Element("kml", {"xmlns": KML_NS})
    document = ET.SubElement(root, "Document")
    ET.SubElement(document, "name").text = f"kcn-tracker {clock.today():%d/%m/%Y}"
    _add_styles(document)
    count = 0
    for table in tables:
        folder = ET.SubElement(document, "Folder")
        ET.SubElement(folder, "name").text = SHEET_TITLES[table.name]
        for row, wkt in zip(table.rows, table.geometries or []):
            if not wkt:
                continue
            placemark = ET.SubElement(folder, "Placemark")
            ET.SubElement(placemark, "name").text = str(row.get("name") or row.get("code"))
            ET.SubElement(placemark, "description").text = _description(table, row)
            ET.SubElement(placemark, "styleUrl").text = "#" + _style_id(table, row)
            data = ET.SubElement(placemark, "ExtendedData")
            ET.SubElement(ET.SubElement(data, "Data", name="code"), "value").text = str(row.get("code"))
            _kml_geometry(placemark, shapely.from_wkt(wkt))
            count += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    return count
