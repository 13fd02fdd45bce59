"""Geometry typed as WKT (``--set geometry=…``, web forms) or read from GIS files.

A geometry is accepted when it parses, is not empty, has finite coordinates, is of a
type the map and the exports draw (``fields.GEOMETRY_TYPES``: no MultiPoint, no
collection), is valid (or repaired only where the repair is certain, see
``geometry.repair``) and lies in Khánh Hòa within the coastal tolerance
(``geometry.PROVINCE_TOLERANCE_DEG``). It is stored as 2-D WGS 84 WKT.
shapely is imported inside the functions: quick commands never pay for it.
"""

from __future__ import annotations

import warnings
from typing import Any

from kcn_tracker.errors import InvalidValue
from kcn_tracker.fields import GEOMETRY_TYPES

#: A WKT longer than this is not a zone boundary (the largest bundled one is a few kB).
MAX_WKT = 2_000_000


def check_shape(geom: Any, *, label: str) -> Any:
    """The geometry made 2-D and checked (type, finite, valid, in the province); InvalidValue otherwise."""
    import numpy as np
    import shapely

    from kcn_tracker.geometry import outside_province, repair

    if geom is None or geom.is_empty:
        raise InvalidValue(f"{label}: hình học trống / empty geometry")
    if geom.geom_type not in GEOMETRY_TYPES:
        raise InvalidValue(f"{label}: kiểu {geom.geom_type} không dùng được trên bản đồ; chọn / use one of: "
                           f"{', '.join(GEOMETRY_TYPES)}")
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        raise InvalidValue(f"{label}: tọa độ không hữu hạn / non-finite coordinates")
    geom = shapely.force_2d(geom)
    try:
        geom, _ = repair(geom)
    except InvalidValue as exc:
        raise InvalidValue(f"{label}: {exc.message}") from None
    if (why := outside_province(geom)) is not None:
        raise InvalidValue(f"{label}: {why}")
    return geom


def parse_wkt(value: object, *, label: str) -> str | None:
    """Checked WKT (rounded to 1e-8°, about 1 mm) from text; empty -> None."""
    import shapely
    from shapely.errors import ShapelyError

    if value is None:
        return None
    text = str(value).strip()
    if text == "":
        return None
    if len(text) > MAX_WKT:
        raise InvalidValue(f"{label}: WKT quá dài / WKT too long")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # overflowing coordinates become inf, refused below
            geom = shapely.from_wkt(text)
    except (ShapelyError, ValueError, TypeError):
        raise InvalidValue(f"{label}: “{text[:40]}” không phải WKT hợp lệ, vd. “POINT (109.1 12.2)” / "
                           "is not valid WKT (longitude first, WGS 84)") from None
    return shapely.to_wkt(check_shape(geom, label=label), rounding_precision=8, trim=True)
