"""A logical dump of a database (every table, every row, sorted): "exactly as before" made checkable."""

from __future__ import annotations

import warnings

from sqlalchemy import MetaData, select

from kcn_tracker.db import make_engine


def dump(url: str) -> dict[str, list[str]]:
    """Table name -> sorted row reprs, for the tables in the database's default schema."""
    engine = make_engine(url)
    try:
        metadata = MetaData()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PostGIS geometry has no SQLAlchemy type: compared as returned
            metadata.reflect(engine)
        with engine.connect() as conn:
            return {name: sorted(repr(tuple(row)) for row in conn.execute(select(table)))
                    for name, table in sorted(metadata.tables.items()) if name != "spatial_ref_sys"}
    finally:
        engine.dispose()
