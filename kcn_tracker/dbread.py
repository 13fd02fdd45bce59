"""Read-only connections for the quick commands, straight on the driver (sqlite3, psycopg2).

``kcn summary``, ``progress``, ``energy list`` and the other quick commands read with
plain SQL through ``exec_driver_sql`` (``state``, ``progress_data``): SQLAlchemy only
passes the statements to the driver. Importing it costs more than the rest of such a
command on the bundled register (``import sqlalchemy`` is the yardstick of issue 15),
so for them ``open_reader`` opens the driver itself and hands back a ``Reader``, the
part of a Core ``Connection`` those reads use: ``exec_driver_sql``, ``dialect.name``,
results with ``all``, ``first``, ``scalar`` and ``partitions``.

On PostgreSQL the reader takes psycopg2, not the engine's psycopg 3: importing psycopg 3 costs
about 110 ms (it loads asyncio, ssl, importlib.metadata and logging), psycopg2's C module about
15 ms, and a quick command on a national register has little more than that to spend. Both
drivers hand back the same values for what is read here (dates, timestamps with their offsets,
decimals, JSON; ``tests/test_dbread.py`` compares them type by type).

It serves only the common case: an existing SQLite file or a ``postgresql+psycopg``
URL, whose schema is at ``SCHEMA_HEAD``. Anything else (a new database to create, a
schema to migrate, a URL with options, a file that does not open) returns None and
the command takes the engine path (``AppContext.engine``), which creates, migrates and
explains failures as before. A failure while reading becomes the same ``KcnError`` as on
the engine path (``db_errors.explain``). One read transaction (one snapshot) per reader,
read-only on PostgreSQL, rolled back at the end: nothing is ever written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

#: The newest migration; a test checks it equals Alembic's head. Comparing with it lets quick commands skip
#: SQLAlchemy and Alembic when the schema is current. 0001 -> 0002 -> 0004 (web accounts) -> 0003 (obstacle
#: work items) -> 0005 (tenants) -> 0006 (read indexes) -> 0007 (cited catalogues) -> 0008 (timeline indexes only)
SCHEMA_HEAD = "0008"
SQLITE_BUSY_TIMEOUT_MS = 15000
#: Overrides the busy timeout (milliseconds), e.g. for a test that holds the lock on purpose.
BUSY_TIMEOUT_ENV = "KCN_SQLITE_BUSY_TIMEOUT_MS"


def sqlite_pragmas(dbapi_connection: Any, _record: Any = None) -> None:
    """Every SQLite connection's settings (the engine's "connect" listener too): the program emits BEGIN
    itself (the pysqlite recipe), so a transaction covers reads; foreign keys on; a busy timeout; WAL lets
    readers work during a write."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    timeout = os.environ.get(BUSY_TIMEOUT_ENV, "")
    cursor.execute(f"PRAGMA busy_timeout={int(timeout) if timeout.isdigit() else SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


class Rows:
    """A statement's rows, fetched: what the reads take of a Core ``Result``."""

    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows

    def all(self) -> list[Any]:
        return self._rows

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def partitions(self, size: int) -> Iterator[list[Any]]:
        for start in range(0, len(self._rows), size):
            yield self._rows[start:start + size]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)


class Reader:
    """A read-only connection on the driver, in one transaction (see the module's docstring)."""

    def __init__(self, driver_connection: Any, backend: str, url: str) -> None:
        self.driver_connection = driver_connection
        self.dialect = SimpleNamespace(name=backend)
        self.url = url

    def exec_driver_sql(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        """The rows of ``sql`` (the driver's own placeholders); a failure is a ``KcnError``."""
        try:
            cursor = self.driver_connection.cursor()
            try:
                cursor.execute(sql, tuple(params))
                return Rows(cursor.fetchall() if cursor.description is not None else [])
            finally:
                cursor.close()
        except Exception as exc:
            raise _explained(exc, self.url) from None


def _explained(exc: Exception, url: str) -> Exception:
    """A driver error as the engine path would word it; anything else (a bug) as it is."""
    if type(exc).__module__.split(".")[0] not in ("sqlite3", "psycopg2"):
        return exc
    from sqlalchemy.engine import make_url  # a failure only: the time no longer matters

    from kcn_tracker.db_errors import explain

    return explain(exc, make_url(url))


def _sqlite(url: str) -> Any:
    path = url[len("sqlite:///"):]
    if not path or path == ":memory:" or path.startswith("file:") or not Path(path).expanduser().is_file():
        return None  # nothing to read yet: the engine path creates the file and loads the bundled data
    import sqlite3

    connection = sqlite3.connect(str(Path(path).expanduser()))
    sqlite_pragmas(connection)
    connection.execute("BEGIN")
    return connection


def _postgres(url: str) -> Any:
    import psycopg2  # not psycopg 3: see the module's docstring

    connection = psycopg2.connect("postgresql://" + url[len("postgresql+psycopg://"):])
    connection.set_session(readonly=True)
    return connection


def open_reader(url: str) -> Reader | None:
    """A reader on ``url``'s database, or None where the engine path must serve (see the module's docstring)."""
    if url.startswith("sqlite:///") and "?" not in url and "%" not in url:  # no options, no escapes to decode
        backend, opener = "sqlite", _sqlite
    elif url.startswith("postgresql+psycopg://"):
        backend, opener = "postgresql", _postgres
    else:
        return None
    try:
        driver_connection = opener(url)
    except Exception:
        return None  # the engine path opens it again and explains the failure
    if driver_connection is None:
        return None
    reader = Reader(driver_connection, backend, url)
    try:
        current = reader.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD
    except Exception:
        current = False
    if not current:
        close(reader)
        return None
    return reader


def close(reader: Reader) -> None:
    """End the read transaction (nothing was written) and the connection."""
    try:
        reader.driver_connection.rollback()
    finally:
        reader.driver_connection.close()


@contextmanager
def reading(url: str) -> Iterator[Reader | None]:
    """``open_reader`` as a context: the reader (closed at the end), or None."""
    reader = open_reader(url)
    try:
        yield reader
    finally:
        if reader is not None:
            close(reader)
