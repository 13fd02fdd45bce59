"""``dbread``: the quick commands read on the driver itself (no SQLAlchemy), give what the engine path
gives, step aside wherever the engine path must serve, and never write."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from cli_helpers import kcn
from kcn_tracker.db import make_engine, upgrade
from kcn_tracker.dbread import SCHEMA_HEAD, open_reader, reading
from kcn_tracker.errors import DatabaseError

D = dt.date

#: Runs quick commands in a fresh interpreter, then says which heavy modules they imported.
QUICK = """
import json, sys
from click.testing import CliRunner
from kcn_tracker.cli import cli
url, runs = sys.argv[1], json.loads(sys.argv[2])
codes = [CliRunner().invoke(cli, ["--db", url, *args]).exit_code for args in runs]
print(json.dumps({"codes": codes, "loaded": sorted(m for m in ("sqlalchemy", "alembic", "psycopg") if m in sys.modules)}))
"""


@pytest.fixture
def bundled(engine):
    """The bundled register on either backend (the engine fixture's fresh database)."""
    from kcn_tracker.bundled import load_bundled_data

    load_bundled_data(engine)
    return engine


def test_quick_commands_read_without_sqlalchemy(bundled, db_url):
    runs = [["summary"], ["progress"], ["energy", "list"], ["energy", "show", "lng ca na"], ["energy", "summary"],
            ["zones", "list", "--format", "json"], ["zones", "show", "doc da trang"], ["history", "doc da trang"],
            ["changes", "--from", "01/01/2025"], ["alerts"], ["progress", "--as-of", "01/06/2025"]]
    done = subprocess.run([sys.executable, "-c", QUICK, db_url, json.dumps(runs)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.splitlines()[-1])
    assert outcome == {"codes": [0] * len(runs), "loaded": []}


def _comparable(value):
    """A result as plain data (dataclasses, tuples and lists alike), for comparing the two paths."""
    if dataclasses.is_dataclass(value):
        return _comparable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_comparable(v) for v in value]
    return value


def test_reader_reads_what_the_engine_reads(bundled, db_url):
    from kcn_tracker.interface.queries import change_rows, record_rows, show_record
    from kcn_tracker.progress_data import load_records
    from kcn_tracker.state import record_states

    def everything(bind):
        return {
            "zones": record_rows(bind, "zone", as_of=D(2026, 6, 30)),
            "projects": record_rows(bind, "project", as_of=D(2025, 6, 30), stage="operating"),
            "late": record_rows(bind, "project", as_of=D(2031, 1, 1), overdue=True),
            "show": show_record(bind, "zone", "doc da trang", D(2026, 6, 30)),
            "changes": change_rows(bind, D(2024, 1, 1), D(2026, 12, 31)),
            "today": load_records(bind, as_of=D(2031, 1, 1)),
            "past": load_records(bind, as_of=D(2025, 3, 1)),
            "states": record_states(bind, "project", as_of=D(2025, 9, 1)),
        }

    with reading(db_url) as reader:
        assert reader is not None
        by_reader = _comparable(everything(reader))
    with bundled.connect() as connection:
        by_engine = _comparable(everything(connection))
    assert by_reader == by_engine
    assert len(by_reader["zones"]) > 30 and by_reader["changes"] and by_reader["states"]


def test_reader_values_have_the_engine_drivers_types(bundled, db_url):
    """Column by column, the same Python values and types as the engine's driver (on PostgreSQL the reader uses
    psycopg2, the engine psycopg 3): dates, timestamps with their offsets, decimals, floats, booleans, JSON, text."""
    queries = [
        "SELECT id, zone_id, project_id, effective_on, date_basis, changes, CAST(changes AS TEXT), recorded_at, note "
        "FROM events ORDER BY id",
        "SELECT id, code, capacity_mw, capacity_operating_mw, construction_completed, expected_cod, geometry IS NOT NULL "
        "FROM projects ORDER BY id",
        "SELECT id, total_area_ha, leasable_ha, high_tech, new_kcn_t6 FROM zones ORDER BY id",
        "SELECT id, capital_usd, capital_vnd, fx_rate, leased_ha, fdi FROM tenants ORDER BY id",
        "SELECT id, opened_on, resolved_on, deadline, recorded_at FROM obstacles ORDER BY id",
        "SELECT target_id, value, value_max, period_start, deadline FROM targets ORDER BY target_id",
        "SELECT CAST(12345.678 AS NUMERIC(18, 3)), CAST(-0.5 AS NUMERIC(18, 3))",  # tenants' capital columns (none bundled)
    ]
    if db_url.startswith("postgresql"):
        queries.append("SELECT code, ST_AsText(geometry) FROM zones WHERE geometry IS NOT NULL ORDER BY code")

    def typed(rows):
        return [[(value, type(value).__name__, value.utcoffset() if isinstance(value, dt.datetime) else None)
                 for value in row] for row in rows]

    with reading(db_url) as reader:
        by_reader = [typed(reader.exec_driver_sql(sql).all()) for sql in queries]
    with bundled.connect() as connection:
        by_engine = [typed(connection.exec_driver_sql(sql).all()) for sql in queries]
    assert by_reader == by_engine
    kinds = {kind for rows in by_reader for row in rows for _value, kind, _offset in row}
    assert {"str", "float", "int"} <= kinds  # the comparison covered them (SQLite: dates as text, booleans as 0/1)
    if db_url.startswith("postgresql"):
        assert {"date", "datetime", "bool", "dict", "Decimal"} <= kinds


def test_reader_never_writes(engine, db_url):
    from factories import add_zone
    from kcn_tracker.db import session_scope

    with session_scope(engine, write=True) as session:
        add_zone(session, "zone-a")
    with reading(db_url) as reader:
        if reader.dialect.name == "postgresql":  # a read-only transaction refuses it outright
            with pytest.raises(DatabaseError, match="Lỗi cơ sở dữ liệu") as failure:
                reader.exec_driver_sql("UPDATE zones SET name = 'changed'")
            assert "read-only" in str(failure.value)
        else:  # SQLite: done inside the read transaction, which is rolled back at the end
            reader.exec_driver_sql("UPDATE zones SET name = 'changed'")
            assert reader.exec_driver_sql("SELECT name FROM zones").all() == [("changed",)]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM zones")).all() == [("Zone A",)]


def test_a_failed_read_is_the_engine_paths_message(engine, db_url):
    with reading(db_url) as reader:
        with pytest.raises(DatabaseError) as failure:
            reader.exec_driver_sql("SELECT no_such_column FROM zones")
    assert str(failure.value).startswith("Lỗi cơ sở dữ liệu (")
    assert "no_such_column" in str(failure.value)


def test_reader_steps_aside_where_the_engine_path_must_serve(tmp_path):
    missing = tmp_path / "new" / "kcn.sqlite"
    assert open_reader(f"sqlite:///{missing}") is None
    assert not missing.parent.exists()  # nothing created: the engine path creates and fills it
    for url in ("sqlite://", "sqlite:///:memory:", f"sqlite:///{missing}?mode=ro", "mysql://u@h/db",
                "postgresql://postgres@127.0.0.1:1/none", "postgresql+psycopg://postgres@127.0.0.1:1/none"):
        assert open_reader(url) is None, url
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"not a database at all" * 100)
    assert open_reader(f"sqlite:///{corrupt}") is None
    result = kcn(f"sqlite:///{corrupt}", "summary")
    assert result.exit_code != 0 and "không phải cơ sở dữ liệu SQLite hoặc đã hỏng" in result.stderr
    assert corrupt.read_bytes() == b"not a database at all" * 100


def test_an_older_schema_goes_through_the_engine_and_is_migrated(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = make_engine(url)
    upgrade(engine, "0007")  # one revision behind: the reader must not serve it
    engine.dispose()
    assert open_reader(url) is None
    result = kcn(url, "summary")  # the engine path migrates it (and fills the empty register)
    assert result.exit_code == 0, result.output
    with reading(url) as reader:
        assert reader is not None and reader.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD


def test_a_new_database_is_created_by_a_quick_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'first' / 'kcn.sqlite'}"
    result = kcn(url, "summary", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"]["zones_by_kind"]["KCN"] > 0
    assert Path(tmp_path / "first" / "kcn.sqlite").is_file() and open_reader(url) is not None
