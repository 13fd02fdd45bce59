"""Compact geometry for the page: points as [lon, lat] at 1e-5°, rings as delta-encoded integers.

Inside the page payload a line's or polygon's rings are kept as their JSON text (``Raw``):
a national register's zones would otherwise hold hundreds of thousands of Python ints.
"""

from __future__ import annotations

import json
from typing import Any

from kcn_tracker.errors import InvalidValue

QUANTUM = 1e5  # coordinates are stored as integers of 1e-5 degree (about 1 m)


class Raw(str):
    """JSON text, written into the page as it is (the nested rings of a geometry)."""


def encode_geometry(wkt: str | None) -> dict[str, Any] | None:
    """A compact geometry: points as [lon, lat] rounded to 5 decimals; lines and polygons as
    rings of integers (1e-5°), the first vertex absolute and the others as deltas."""
    geom = _encode(wkt)[0]
    return {"t": geom["t"], "q": json.loads(geom["q"])} if geom and "q" in geom else geom


def _encode(wkt: str | None) -> tuple[dict[str, Any] | None, tuple[float, float, float, float] | None]:
    """``encode_geometry`` plus the bounding box (west, south, east, north), computed on the way."""
    if not wkt:
        return None, None
    if wkt.startswith("POINT") and "EMPTY" not in wkt:  # the common case: no shapely needed
        lon, lat = (round(float(v), 5) for v in wkt[wkt.index("(") + 1: wkt.index(")")].split()[:2])
        return {"t": "Point", "c": [lon, lat]}, (lon, lat, lon, lat)
    import shapely

    geom = shapely.from_wkt(wkt)
    if geom.is_empty:
        return None, None
    if geom.geom_type == "Point":
        return _encode(f"POINT ({geom.x} {geom.y})")
    return {"t": geom.geom_type, "q": Raw(_parts(geom))}, tuple(geom.bounds)  # type: ignore[return-value]


def _parts(geom: Any) -> str:
    """Nested rings/lines of a shapely geometry, each delta-encoded (the GeoJSON nesting), as JSON text."""
    kind = geom.geom_type
    if kind == "Polygon":
        return "[" + ",".join(_ring(r.coords) for r in (geom.exterior, *geom.interiors)) + "]"
    if kind == "LineString":
        return _ring(geom.coords)
    if kind in ("MultiPolygon", "MultiLineString"):
        return "[" + ",".join(_parts(g) for g in geom.geoms) + "]"
    raise InvalidValue(f"geometry: kiểu {kind} chưa được hỗ trợ trên bản đồ / not supported on the map")


def _ring(coords: Any) -> str:
    return "[" + ",".join(map(str, _deltas(coords))) + "]"


def _deltas(coords: Any) -> list[int]:
    import numpy as np

    ints = np.round(np.asarray(coords, dtype=float)[:, :2] * QUANTUM).astype(np.int64)
    ints[1:] = np.diff(ints, axis=0)
    return ints.ravel().tolist()


def _quantise(coords: Any) -> Any:
    """Delta-encode GeoJSON coordinate arrays (any nesting)."""
    if coords and isinstance(coords[0][0], (int, float)):
        return _deltas(coords)
    return [_quantise(part) for part in coords]


def decode_geometry(geom: dict[str, Any] | None) -> dict[str, Any] | None:
    """GeoJSON geometry from ``encode_geometry`` output (the inverse, at 1e-5° precision)."""
    if geom is None:
        return None
    if geom["t"] == "Point":
        return {"type": "Point", "coordinates": geom["c"]}

    def ring(flat: list[int]) -> list[list[float]]:
        out, x, y = [], 0, 0
        for i in range(0, len(flat), 2):
            x, y = x + flat[i], y + flat[i + 1]
            out.append([x / QUANTUM, y / QUANTUM])
        return out

    def walk(part: Any) -> Any:
        return ring(part) if not part or isinstance(part[0], int) else [walk(p) for p in part]

    rings = geom["q"]
    return {"type": geom["t"], "coordinates": walk(json.loads(rings) if isinstance(rings, str) else rings)}


def _anchor(geom: dict[str, Any] | None) -> tuple[float, float] | None:
    return tuple(geom["c"]) if geom and geom["t"] == "Point" else None  # type: ignore[return-value]


def _bounds(boxes: list[tuple[float, float, float, float] | None]) -> list[list[float]] | None:
    """[[south, west], [north, east]] around bounding boxes (None when there is none)."""
    boxes = [b for b in boxes if b]
    if not boxes:
        return None
    return [[min(b[1] for b in boxes), min(b[0] for b in boxes)], [max(b[3] for b in boxes), max(b[2] for b in boxes)]]


def encode_geometry_from_geojson(geometry: dict[str, Any]) -> dict[str, Any] | None:
    """``encode_geometry`` for a GeoJSON geometry dict."""
    if geometry["type"] == "Point":
        return {"t": "Point", "c": [round(geometry["coordinates"][0], 5), round(geometry["coordinates"][1], 5)]}
    return {"t": geometry["type"], "q": _quantise(geometry["coordinates"])}
