"""Fixtures: every database test runs on SQLite and on a real PostgreSQL/PostGIS.

PostgreSQL tests use ``KCN_TEST_DATABASE_URL`` (set by ``scripts/test.sh``); each
test gets its own schema, dropped afterwards. Without that URL they skip with a
message saying how to enable them, except in CI where a missing server fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from kcn_tracker.db import make_engine, upgrade

PG_ENV = "KCN_TEST_DATABASE_URL"
REPO = Path(__file__).resolve().parent.parent
ENABLE_PG = (f"PostgreSQL/PostGIS tests need {PG_ENV}=postgresql+psycopg://postgres@127.0.0.1:5432/kcn_test "
             "(scripts/test.sh installs, starts and sets it up)")


def _pg_base_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: scripts/test.sh must set up PostgreSQL/PostGIS")
        pytest.skip(ENABLE_PG)
    return url


@contextmanager
def postgres_schema() -> Iterator[str]:
    """The URL of a new, empty schema on the PostgreSQL test server, dropped afterwards."""
    base = _pg_base_url()
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema},public"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a new schema on the PostgreSQL test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kcn.sqlite'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a fresh database with the schema migrated (no data)."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def bundled_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file with the bundled register loaded once per run; copy it before writing."""
    from kcn_tracker.bundled import load_bundled_data

    path = tmp_path_factory.mktemp("bundled") / "kcn.sqlite"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    load_bundled_data(eng)
    eng.dispose()
    return str(path)


@pytest.fixture
def bundled_url(tmp_path: Path, bundled_sqlite: str) -> str:
    """A private copy of the bundled SQLite database that a test may change."""
    import shutil

    target = tmp_path / "bundled.sqlite"
    shutil.copy(bundled_sqlite, target)
    return f"sqlite:///{target}"
