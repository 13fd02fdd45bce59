"""Database plumbing: migrations, SQLite pragmas, default location, timelines consistent."""

from pathlib import Path

from sqlalchemy import text

from kcn_tracker.db import MIGRATIONS_DIR, SCHEMA_HEAD, current_revision, make_engine, session_scope
from kcn_tracker.settings import database_url, default_database_url, user_data_dir
from kcn_tracker.workflow import check_all


def test_schema_head_constant_matches_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_migrated_database_is_at_head(engine):
    assert current_revision(engine) == SCHEMA_HEAD


def test_sqlite_has_foreign_keys_and_wal(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_default_database_is_a_per_user_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("KCN_DATABASE_URL", raising=False)
    monkeypatch.setenv("KCN_DATA_DIR", str(tmp_path))
    assert user_data_dir() == Path(tmp_path)
    assert default_database_url() == f"sqlite:///{tmp_path / 'kcn.sqlite'}" == database_url()
    monkeypatch.setenv("KCN_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///other.sqlite") == "sqlite:///other.sqlite"


def test_postgis_geometry_column_on_postgresql(engine):
    from kcn_tracker.bundled import load_bundled_data

    load_bundled_data(engine)
    with engine.connect() as conn:
        if engine.dialect.name != "postgresql":
            assert conn.execute(text("SELECT typeof(geometry) FROM zones WHERE geometry IS NOT NULL LIMIT 1")).scalar() == "text"
            return
        kind, srid = conn.execute(text(
            "SELECT type, srid FROM geometry_columns WHERE f_table_name = 'projects' AND f_table_schema = current_schema()")).one()
        assert (kind, srid) == ("GEOMETRY", 4326)
        inside = conn.execute(text("SELECT count(*) FROM projects WHERE ST_Within(geometry, ST_MakeEnvelope(108.5, 11.3, 109.5, 12.9, 4326))")).scalar()
        total = conn.execute(text("SELECT count(*) FROM projects WHERE geometry IS NOT NULL")).scalar()
        assert inside == total > 0


def test_bundled_timelines_satisfy_every_rule(engine):
    from kcn_tracker.bundled import load_bundled_data

    load_bundled_data(engine)
    with session_scope(engine) as s:
        assert check_all(s) == []
