"""Write the exported tables for GIS: GeoPackage (QGIS) and GeoJSON; KML is in ``exporters.kml``.

GeoPackage: each spatial table split by geometry type into layers with a declared
type (``zones_points`` Point, ``zones_polygons`` Polygon or MultiPolygon, ``projects_lines``
LineString or MultiLineString …; points always, the others when they have rows), an attribute-only
table of the records without a location (``zones_no_location``…), the attribute
tables ``history`` and ``obstacles``, and a ``layer_styles`` table with a QGIS style
per layer (``exporters.qgis_style``) so QGIS opens them styled as the map. Real field
types (Real, Integer, Date, DateTime, Boolean) are written through pyogrio's raw
writer, which keeps date-only columns as GeoPackage DATE.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kcn_tracker.interface.envelope import plain
from kcn_tracker.exporters.tables import SHEET_TITLES, Table

#: GeoPackage layers of a spatial table, by geometry: (suffix, Vietnamese title).
GEOMETRY_LAYERS = (("points", "điểm"), ("lines", "tuyến"), ("polygons", "ranh giới"))
NO_LOCATION = ("no_location", "chưa có vị trí")


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


def _write_layer(out: Path, name: str, title: str, table: Table, rows: list[int], wkb: list[Any] | None,
                 geometry_type: str | None) -> None:
    import numpy as np
    from pyogrio.raw import write

    arrays, masks = [], []
    for column in table.columns:
        array, mask = _field_array(column.kind, [table.rows[i].get(column.key) for i in rows])
        arrays.append(array)
        masks.append(mask)
    options: dict[str, Any] = dict(layer=name, driver="GPKG", append=out.exists(), encoding="UTF-8", field_mask=masks,
                                   layer_options={"DESCRIPTION": title, "IDENTIFIER": title})
    names = [c.key for c in table.columns]
    if wkb is None:
        write(out, None, arrays, names, **options)
    else:
        write(out, np.array(wkb, dtype=object), arrays, names, geometry_type=geometry_type, crs="EPSG:4326", **options)


def _by_geometry(table: Table) -> dict[str, tuple[list[int], list[Any], str]]:
    """Per layer suffix (points / lines / polygons / no_location): row indices, WKB and the declared type.

    A layer is declared single (Point, LineString, Polygon) when all its geometries are, so an export
    re-imports unchanged; otherwise Multi*, with single parts promoted.
    """
    import shapely

    groups: dict[str, tuple[list[int], list[Any]]] = {"points": ([], []), NO_LOCATION[0]: ([], [])}
    for i, wkt in enumerate(table.geometries or []):
        if not wkt:
            groups[NO_LOCATION[0]][0].append(i)
            continue
        geom = shapely.from_wkt(wkt)
        kind = geom.geom_type.removeprefix("Multi")
        suffix = {"Point": "points", "LineString": "lines", "Polygon": "polygons"}.get(kind, "polygons")
        rows, geoms = groups.setdefault(suffix, ([], []))
        rows.append(i)
        geoms.append(geom.centroid if suffix == "points" and geom.geom_type != "Point" else geom)
    out: dict[str, tuple[list[int], list[Any], str]] = {}
    for suffix, (rows, geoms) in groups.items():
        single = {"points": "Point", "lines": "LineString", "polygons": "Polygon"}.get(suffix, "")
        declared = single if all(g.geom_type == single for g in geoms) else f"Multi{single}"
        if declared.startswith("Multi"):
            multi = {"MultiLineString": shapely.MultiLineString, "MultiPolygon": shapely.MultiPolygon}[declared]
            geoms = [g if g.geom_type == declared else multi([g]) for g in geoms]
        out[suffix] = (rows, [shapely.to_wkb(g) for g in geoms], declared)
    return out


def write_gpkg(tables: list[Table], out: Path) -> list[str]:
    """A styled GeoPackage (see the module docstring); returns the layer names written."""
    from kcn_tracker.exporters.qgis_style import write_layer_styles

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()  # a GeoPackage is a database: start from an empty one, never mix two exports
    written: list[tuple[str, Table, str | None]] = []
    for table in tables:
        title = SHEET_TITLES[table.name]
        if table.geometries is None:
            _write_layer(out, table.name, title, table, list(range(len(table.rows))), None, None)
            written.append((table.name, table, None))
            continue
        parts = _by_geometry(table)
        for suffix, label in GEOMETRY_LAYERS:
            rows, wkb, geometry_type = parts.get(suffix, ([], [], "Point"))
            if rows or suffix == "points":
                name = f"{table.name}_{suffix}"
                _write_layer(out, name, f"{title} — {label}", table, rows, wkb, geometry_type)
                written.append((name, table, geometry_type))
        name = f"{table.name}_{NO_LOCATION[0]}"
        _write_layer(out, name, f"{title} — {NO_LOCATION[1]}", table, parts[NO_LOCATION[0]][0], None, None)
        written.append((name, table, None))
    write_layer_styles(out, written)
    return [name for name, _table, _type in written]
