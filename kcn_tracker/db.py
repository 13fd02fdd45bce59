"""Engine, transactions and schema migrations (Alembic) for SQLite and PostgreSQL/PostGIS."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError, SQLAlchemyError

if TYPE_CHECKING:  # the ORM is imported in session_scope only: Core-only commands start ~70 ms faster
    from sqlalchemy.orm import Session

from kcn_tracker.db_errors import NOTHING_WRITTEN, STALE, explain
# SCHEMA_HEAD and the SQLite settings live in dbread (the quick commands' reader, without SQLAlchemy); public here too.
from kcn_tracker.dbread import BUSY_TIMEOUT_ENV, SCHEMA_HEAD, sqlite_pragmas  # noqa: F401
from kcn_tracker.errors import ConcurrentUpdate, DatabaseError, InvalidValue, SchemaTooNew

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


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
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"Không tạo được thư mục cho cơ sở dữ liệu {database}: {exc.strerror} / "
                                    "cannot create the database folder") from None
        engine = create_engine(url)
        event.listen(engine, "connect", sqlite_pragmas)
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
    PostgreSQL, writers lock the rows they change (SELECT ... FOR UPDATE). Any
    database failure leaves as a ``KcnError`` (see ``db_errors.explain``) after the
    rollback, so the database is exactly as before.
    """
    from sqlalchemy.orm import sessionmaker
    from sqlalchemy.orm.exc import StaleDataError

    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with engine.connect() as connection:
            connection.info["write"] = write
            session = factory(bind=connection)
            try:
                with connection.begin():
                    yield session
                    session.flush()
            finally:
                session.close()
                connection.info.pop("write", None)
    except StaleDataError:
        raise ConcurrentUpdate(STALE) from None
    except SQLAlchemyError as exc:
        raise explain(exc, engine.url) from None
    except OverflowError:  # SQLite's driver refuses integers beyond 64 bits before the database sees them
        raise DatabaseError(f"Số quá lớn cho cơ sở dữ liệu (quá 64 bit); {NOTHING_WRITTEN}. "
                            "A number is too large for the database (beyond 64 bits).") from None


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database (None for an empty database)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError) as exc:
        message = str(exc.orig).lower()
        if "no such table" in message or "does not exist" in message:
            return None
        raise explain(exc, engine.url) from None
    except SQLAlchemyError as exc:
        raise explain(exc, engine.url) from None


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def known_revisions() -> list[str]:
    """Every revision this program knows, oldest first (imports Alembic)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def check_not_newer(revision: str | None) -> None:
    """Refuse a database stamped by a newer kcn-tracker (a revision this program does not know)."""
    if revision is not None and revision != SCHEMA_HEAD and revision not in known_revisions():
        raise SchemaTooNew(
            f"Cơ sở dữ liệu này do một phiên bản kcn-tracker mới hơn tạo ra (lược đồ {revision}, chương trình này "
            f"chỉ biết đến {SCHEMA_HEAD}): hãy nâng cấp chương trình; không ghi gì. / this database was made by a newer "
            f"kcn-tracker (schema {revision}, this program knows up to {SCHEMA_HEAD}): upgrade the program; nothing was written.")


def _migrate(engine: Engine, action: str, revision: str) -> None:
    from alembic import command

    config = _alembic_config()
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:  # before BEGIN (inside a transaction the pragma is a no-op): table rebuilds need it
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    getattr(command, action)(config, revision)
                    if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                        raise DatabaseError("Nâng cấp lược đồ làm hỏng liên kết dữ liệu; không ghi gì / the migration "
                                            "would break references between tables; nothing was written")
            finally:
                if sqlite:
                    connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
    except SQLAlchemyError as exc:
        raise explain(exc, engine.url) from None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run Alembic migrations up to ``revision`` (imports Alembic only here)."""
    check_not_newer(current_revision(engine))
    _migrate(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to ``revision`` ("base" removes every table, and the data with them)."""
    check_not_newer(current_revision(engine))
    if revision != "base" and revision not in known_revisions():
        raise InvalidValue(f"Không có phiên bản lược đồ “{revision}”; có / no such schema revision; known: "
                           f"{', '.join(known_revisions())}, base")
    _migrate(engine, "downgrade", revision)


def ensure_schema(engine: Engine) -> bool:
    """Upgrade the schema if it is not current; return True if a migration ran."""
    if current_revision(engine) == SCHEMA_HEAD:
        return False
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
