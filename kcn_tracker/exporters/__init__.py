"""Exporters: the register as GeoPackage/GeoJSON (``gis``), KML (``kml``) or xlsx/CSV (``tabular``).

``export`` is the one entry point the CLI calls; the format modules import their
heavy libraries inside their functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

FORMATS = ("geojson", "gpkg", "kml", "xlsx", "csv")


def export(session: Session, fmt: str, out: Path, *, what: str | None = None, as_of: dt.date | None = None,
           progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Write the tables asked for (--what) in ``fmt`` to ``out``; return rows written per table.

    ``progress(done, total)`` is told the rows gathered so far (tables are built one by one).
    """
    from kcn_tracker.errors import InvalidValue
    from kcn_tracker.exporters.tables import build_tables, parse_what

    if fmt not in FORMATS:
        raise InvalidValue(f"--format: “{fmt}” không hỗ trợ; chọn / choose: {', '.join(FORMATS)}")
    names = parse_what(what, fmt)
    tables = []
    for name in names:
        tables += build_tables(session, (name,), as_of=as_of)
        if progress:
            gathered = sum(len(t.rows) for t in tables)
            progress(gathered, gathered + (len(names) - len(tables)) * max(1, gathered // len(tables)))
    if fmt in ("geojson", "gpkg", "kml"):
        from kcn_tracker.exporters import gis, kml

        {"geojson": gis.write_geojson, "gpkg": gis.write_gpkg, "kml": kml.write_kml}[fmt](tables, out)
    else:
        from kcn_tracker.exporters import tabular

        (tabular.write_xlsx if fmt == "xlsx" else tabular.write_csv)(tables, out)
    return {t.name: len(t.rows) for t in tables}
