"""Engine, transactions and schema migrations (Alembic) for SQLite and PostgreSQL/PostGIS."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

if TYPE_CHECKING:  # the ORM is imported in session_scope only: Core-only commands start ~70 ms faster
    from sqlalchemy.orm import Session

from kcn_tracker.errors import ConcurrentUpdate, DatabaseError

#: The newest migration; a test checks it equals Alembic's head. Comparing with it
#: lets quick commands skip importing Alembic when the schema is current.
SCHEMA_HEAD = "0006"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (the pysqlite recipe), so a transaction
    # covers reads too; foreign keys on; WAL lets readers work during a write.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock at the start: two writers serialise instead of
    # one of them failing half-way with a stale snapshot.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"Địa chỉ cơ sở dữ liệu không hợp lệ / invalid database URL: {url}") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # missing driver and the like
        raise DatabaseError(f"Không mở được cơ sở dữ liệu / cannot open database {url}: {exc}") from None


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """One unit of work: commit at the end, roll back everything on any error.

    ``write=True`` takes the write lock up front on SQLite (BEGIN IMMEDIATE); on
    PostgreSQL, writers lock the rows they change (SELECT ... FOR UPDATE).
    """
    from sqlalchemy.orm import sessionmaker
    from sqlalchemy.orm.exc import StaleDataError

    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with engine.connect() as connection:
        connection.info["write"] = write
        session = factory(bind=connection)
        try:
            with connection.begin():
                yield session
                session.flush()
        except StaleDataError:
            raise ConcurrentUpdate(
                "Bản ghi đã bị người khác thay đổi sau khi bạn đọc; không ghi gì. Hãy chạy lại lệnh. / "
                "The record changed since you read it; nothing was written. Run the command again."
            ) from None
        except OperationalError as exc:
            if "locked" in str(exc).lower():
                raise ConcurrentUpdate(
                    "Cơ sở dữ liệu đang bận ghi; không ghi gì. Hãy chạy lại lệnh. / "
                    "The database is busy with another write; nothing was written. Run the command again."
                ) from None
            raise DatabaseError(f"Lỗi cơ sở dữ liệu / database error: {exc.orig}") from None
        finally:
            session.close()
            connection.info.pop("write", None)


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database (None for an empty database)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError):
        return None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run Alembic migrations up to ``revision`` (imports Alembic only here)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except OperationalError as exc:
        raise DatabaseError(f"Không nâng cấp được cơ sở dữ liệu / cannot migrate the database: {exc.orig}") from None


def ensure_schema(engine: Engine) -> bool:
    """Upgrade the schema if it is not current; return True if a migration ran."""
    try:
        if current_revision(engine) == SCHEMA_HEAD:
            return False
    except Exception as exc:
        raise DatabaseError(f"Không kết nối được cơ sở dữ liệu / cannot connect: {exc}") from None
    upgrade(engine)
    return True


def describe(engine: Engine) -> dict[str, str | None]:
    """Backend, URL (password hidden) and file path for ``kcn info``."""
    url = engine.url
    return {
        "backend": url.get_backend_name(),
        "url": url.render_as_string(hide_password=True),
        "file": url.database if url.get_backend_name() == "sqlite" else None,
        "schema_revision": current_revision(engine),
    }
