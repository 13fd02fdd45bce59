"""Coordinate systems and geometry checks: WGS 84 storage, VN-2000 inputs, metric areas, validity.

Storage is EPSG:4326 lon/lat; areas are measured in VN-2000 / UTM 49N (EPSG:3406).
Land offices send VN-2000 / TM-3 108°15′ (EPSG:9217, or its PROJ string with the
official datum shift of QĐ 05/2007/QĐ-BTNMT). Every transformer is built with
``always_xy=True`` so longitude always comes first, whatever the CRS's axis order.
pyproj and shapely are imported inside the functions: quick commands never pay for them.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from kcn_tracker.errors import InvalidValue
from kcn_tracker.settings import METRIC_CRS, PROVINCE_BBOX, STORAGE_CRS, bundled_data_dir
from kcn_tracker.text import fold

#: The official VN-2000 -> WGS 84 shift (QĐ 05/2007/QĐ-BTNMT), PROJ position-vector convention.
VN2000_TOWGS84 = ("-191.90441429,-39.30318279,-111.45032835,"
                  "-0.00928836,0.01975479,-0.00427372,0.252906278")
#: VN-2000 / TM-3 108°15′ (Khánh Hòa and former Ninh Thuận): EPSG:9217 written out for old EPSG databases.
VN2000_TM3_10815_PROJ = (f"+proj=tmerc +lat_0=0 +lon_0=108.25 +k=0.9999 +x_0=500000 +y_0=0 "
                         f"+ellps=WGS84 +towgs84={VN2000_TOWGS84} +units=m +no_defs")
#: Friendly names a user may type after --crs (compared without accents, spaces or dashes).
CRS_ALIASES: dict[str, str] = {
    "wgs84": STORAGE_CRS,
    "vn2000": "EPSG:4756",
    "vn2000tm3": "EPSG:9217",
    "vn2000tm310815": "EPSG:9217",
    "vn2000utm48": "EPSG:3405",
    "vn2000utm48n": "EPSG:3405",
    "vn2000utm49": "EPSG:3406",
    "vn2000utm49n": "EPSG:3406",
}
#: How far outside the province boundary a feature may reach (degrees, about 5.5 km):
#: port limits and coastal sites lie just offshore, and the bundled boundary is simplified.
#: Swapped lat/lon or metres read as degrees land thousands of kilometres away.
PROVINCE_TOLERANCE_DEG = 0.05
CRS_HELP = ("EPSG:9217 (VN-2000 / TM-3 108°15′), EPSG:3405 / EPSG:3406 (VN-2000 / UTM 48N / 49N), "
            "EPSG:4326 (WGS 84), hoặc chuỗi PROJ / or a PROJ string")


def parse_crs(text: str) -> Any:
    """A pyproj CRS from an EPSG code, a known alias, a PROJ string or WKT; InvalidValue otherwise."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    raw = text.strip()
    key = fold(raw).replace(" ", "")
    candidate = CRS_ALIASES.get(key, raw)
    if key.isdigit():
        candidate = f"EPSG:{key}"
    try:
        return CRS.from_user_input(candidate)
    except CRSError:
        if candidate.upper().replace(" ", "") == "EPSG:9217":
            # EPSG databases older than v9.8.x do not know 9217: use the published definition.
            return CRS.from_proj4(VN2000_TM3_10815_PROJ)
        raise InvalidValue(f"--crs: “{text}” không phải hệ tọa độ hợp lệ / not a valid CRS; dùng / use {CRS_HELP}") from None


def _is_vn2000(crs: Any) -> bool:
    datum = crs.geodetic_crs.datum.name if crs.geodetic_crs is not None else ""
    return "vn-2000" in datum.lower() or "vietnam 2000" in datum.lower()


def transformer_to_storage(crs: Any) -> Any:
    """A transformer from ``crs`` to WGS 84 lon/lat (always_xy).

    If PROJ knows no datum shift for a VN-2000-based CRS it would silently use a
    "ballpark" (no shift, ~450 m off): then the official towgs84 is applied instead.
    """
    from pyproj import CRS, Transformer

    transformer = Transformer.from_crs(crs, STORAGE_CRS, always_xy=True)
    if _is_vn2000(crs) and "ballpark" in transformer.description.lower():
        proj4 = crs.to_proj4()
        if proj4 and "+towgs84" not in proj4:
            bound = CRS.from_proj4(proj4.replace("+type=crs", "") + f" +towgs84={VN2000_TOWGS84}")
            transformer = Transformer.from_crs(bound, STORAGE_CRS, always_xy=True)
    return transformer


def reproject(geom: Any, crs: Any) -> Any:
    """``geom`` (shapely, in ``crs``) in WGS 84 lon/lat."""
    import shapely

    from pyproj import CRS

    if CRS.from_user_input(crs).equals(CRS.from_user_input(STORAGE_CRS), ignore_axis_order=True):
        return geom
    transformer = transformer_to_storage(crs)
    return shapely.transform(geom, lambda xy: _stack(transformer.transform(xy[:, 0], xy[:, 1])))


def _stack(xy: tuple[Any, Any]) -> Any:
    import numpy as np

    return np.column_stack(xy)


@functools.lru_cache(maxsize=1)
def _metric_transformer() -> Any:
    from pyproj import Transformer

    return Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)


def area_ha(geom_wgs84: Any) -> float:
    """Area in hectares of a WGS 84 geometry, measured in VN-2000 / UTM 49N."""
    import shapely

    transformer = _metric_transformer()
    metric = shapely.transform(geom_wgs84, lambda xy: _stack(transformer.transform(xy[:, 0], xy[:, 1])))
    return float(metric.area) / 10_000.0


@functools.lru_cache(maxsize=1)
def province_shape() -> Any:
    """The province polygon (data/province.geojson), widened by the tolerance and prepared."""
    import shapely
    from shapely.geometry import shape
    from shapely.ops import unary_union

    data = json.loads((bundled_data_dir() / "province.geojson").read_text(encoding="utf-8"))
    union = unary_union([shape(f["geometry"]) for f in data["features"] if f.get("geometry")])
    widened = union.buffer(PROVINCE_TOLERANCE_DEG)
    shapely.prepare(widened)
    return widened


def outside_province(geom_wgs84: Any) -> str | None:
    """Why a WGS 84 geometry is not in the province (None when it is).

    Fast path: the bounding box; then the (widened) province polygon. The message
    names the likely cause: swapped lat/lon or metres read as degrees.
    """
    minx, miny, maxx, maxy = geom_wgs84.bounds
    lon0, lat0, lon1, lat1 = PROVINCE_BBOX
    tol = PROVINCE_TOLERANCE_DEG
    where = f"lon {minx:.4f}…{maxx:.4f}, lat {miny:.4f}…{maxy:.4f}"
    if max(abs(minx), abs(maxx), abs(miny), abs(maxy)) > 360:
        return (f"tọa độ ({where}) là mét chứ không phải độ: thiếu hoặc sai --crs / "
                "coordinates look like metres read as degrees: missing or wrong --crs")
    if lon0 <= miny and maxy <= lon1 and lat0 <= minx and maxx <= lat1:
        return f"tọa độ ({where}) bị đảo vĩ độ/kinh độ / latitude and longitude are swapped"
    in_box = lon0 - tol <= minx and maxx <= lon1 + tol and lat0 - tol <= miny and maxy <= lat1 + tol
    if not in_box or not province_shape().contains(geom_wgs84):
        return f"tọa độ ({where}) nằm ngoài tỉnh Khánh Hòa / lies outside Khánh Hòa province"
    return None


def repair(geom: Any) -> tuple[Any, str | None]:
    """A valid geometry and what was repaired, or InvalidValue when the repair would be a guess.

    ``make_valid`` is accepted only when the result keeps the geometry's kind and
    number of parts and its area within 1 %, e.g. a zero-width spike drawn out
    and back. A bow-tie becoming two triangles is refused: which was meant is a guess.
    """
    import shapely
    from shapely.validation import explain_validity

    if geom is None or geom.is_empty:
        raise InvalidValue("hình học trống / empty geometry")
    if geom.is_valid:
        return geom, None
    reason = explain_validity(geom)
    try:  # "structure" drops collapsed spikes instead of keeping them as stray lines (shapely >= 2.1)
        fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    except TypeError:
        fixed = shapely.make_valid(geom)
    polygonal = fixed.geom_type in ("Polygon", "MultiPolygon")
    parts_before = len(getattr(geom, "geoms", [geom]))
    parts_after = len(getattr(fixed, "geoms", [fixed])) if polygonal else -1
    raw_area = abs(geom.area)  # shoelace area: a symmetric bow-tie cancels out to 0
    same_area = raw_area > 0 and abs(fixed.area - raw_area) <= 0.01 * raw_area
    if polygonal and parts_after == parts_before and same_area:
        return fixed, f"đã sửa hình học không hợp lệ ({reason}) / repaired invalid geometry"
    raise InvalidValue(f"hình học không hợp lệ, không tự sửa được vì kết quả không chắc chắn ({reason}) / "
                       "invalid geometry, not repaired because the fix would be a guess")
