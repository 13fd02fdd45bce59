"""What every command shares: the database it works on and the one place errors are handled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # annotations only: importing sqlalchemy.orm costs ~70 ms that quick commands skip
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session

    from kcn_tracker.dbread import Reader

from kcn_tracker.settings import database_url
from kcn_tracker.text import parse_date


@dataclass
class AppContext:
    """The database selected with --db / KCN_DATABASE_URL, opened (and migrated) on first use."""

    db_url: str | None = None
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return database_url(self.db_url)

    def engine(self) -> Engine:
        """The engine, with the schema migrated and, on a brand-new database, the bundled data loaded."""
        if self._engine is None:
            from kcn_tracker.db import ensure_schema, make_engine

            self._engine = make_engine(self.url)
            if ensure_schema(self._engine):
                from kcn_tracker.bundled import load_bundled_data

                load_bundled_data(self._engine, only_if_empty=True)
        return self._engine

    @contextmanager
    def connection(self) -> Iterator[Connection | Reader]:
        """A read-only connection in one transaction (one snapshot) for plain SQL reads: on the driver itself
        where it serves (``dbread``: the quick commands skip SQLAlchemy), else a Core connection of the engine."""
        if self._engine is None:
            from kcn_tracker.dbread import reading

            with reading(self.url) as reader:
                if reader is not None:
                    yield reader
                    return
        with self.engine().connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed if the block succeeds, rolled back otherwise."""
        from kcn_tracker.db import session_scope

        with session_scope(self.engine(), write=write) as session:
            yield session


def date_option(value: str | None, *, field_name: str = "--as-of", required: bool = False) -> dt.date | None:
    """Parse a date option (dd/mm/yyyy or ISO, years 1900–2100), raising a clean error naming the option.

    An empty value means "not given" unless ``required`` (``--from ''`` is refused, not a crash).
    """
    day = parse_date(value, field=field_name)
    if day is None and required:
        from kcn_tracker.errors import InvalidValue

        raise InvalidValue(f"{field_name}: cần một ngày dd/mm/yyyy / a date is required")
    return day


FORMAT_OPTION: dict[str, Any] = dict(
    type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
    help="table: bảng tiếng Việt; json/csv: số và ngày dạng máy đọc (ISO).",
)
AS_OF_HELP = "Trạng thái tại ngày / state on DATE (dd/mm/yyyy hoặc yyyy-mm-dd); mặc định hôm nay."
