"""Migrations keep data: a register at the first revision upgrades to head with nothing lost.

The whole bundled register is copied, column by column, into a database created at
the first revision (only the columns that revision has), then upgraded to head. Every
value present before must be there after, and the register must read the same.
``kcn db downgrade`` goes back; a newer unknown revision is refused (test_errors_database).
"""

from __future__ import annotations

import warnings

from sqlalchemy import MetaData, select, text

from cli_helpers import kcn
from db_dump import dump
from kcn_tracker.db import SCHEMA_HEAD, current_revision, downgrade, known_revisions, make_engine, session_scope, upgrade
from kcn_tracker.registry import views
from kcn_tracker.workflow import check_all


def _reflect(engine) -> MetaData:
    metadata = MetaData()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PostGIS geometry: no SQLAlchemy type, values passed through as text
        metadata.reflect(engine)
    return metadata


def _copy_register(source_url: str, target) -> None:
    """Insert every row of the (head) source into the target's older schema, keeping the columns it has."""
    source = make_engine(source_url)
    source_md, target_md = _reflect(source), _reflect(target)
    postgis = target.dialect.name == "postgresql"
    with source.connect() as read, target.begin() as write:
        for table in target_md.sorted_tables:
            if table.name not in source_md.tables or table.name == "alembic_version":
                continue
            columns = [c.name for c in table.columns if c.name in source_md.tables[table.name].columns]
            rows = [dict(r._mapping) for r in read.execute(select(*[source_md.tables[table.name].c[c] for c in columns]))]
            for row in rows:
                if postgis and row.get("geometry"):
                    row["geometry"] = f"SRID=4326;{row['geometry']}"
            if rows:
                write.execute(table.insert(), rows)
        if postgis:  # ids were given explicitly: move the sequences past them
            for table in target_md.sorted_tables:
                if "id" in table.columns and table.name != "alembic_version":
                    write.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                       f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"))
    source.dispose()


def _common(before: dict[str, list[str]], engine, first_md: MetaData) -> dict[str, list[str]]:
    """The rows of every first-revision table, restricted to the columns it had then, as they are now."""
    now = _reflect(engine)
    out = {}
    with engine.connect() as conn:
        for name, table in first_md.tables.items():
            if name == "alembic_version":
                continue
            columns = [now.tables[name].c[c.name] for c in table.columns]
            out[name] = sorted(repr(tuple(r)) for r in conn.execute(select(*columns)))
    return out


def test_first_revision_with_the_register_upgrades_to_head_losing_nothing(db_url, bundled_sqlite, bundled_url):
    first = known_revisions()[0]
    engine = make_engine(db_url)
    upgrade(engine, first)
    assert current_revision(engine) == first
    _copy_register(f"sqlite:///{bundled_sqlite}", engine)
    first_md = _reflect(engine)
    before = _common({}, engine, first_md)
    assert sum(len(rows) for rows in before.values()) > 500  # the whole register, not a token row

    upgrade(engine)

    assert current_revision(engine) == SCHEMA_HEAD
    assert _common(before, engine, first_md) == before
    reference = make_engine(bundled_url)
    with session_scope(engine) as s, session_scope(reference) as r:
        assert check_all(s) == []
        for record_type in ("zone", "project"):
            mine = [{k: v for k, v in row.items() if k != "id"} for row in views(s, record_type)]
            theirs = [{k: v for k, v in row.items() if k != "id"} for row in views(r, record_type)]
            assert mine == theirs
    reference.dispose()
    engine.dispose()


def test_downgrade_to_the_first_revision_and_back_keeps_the_register(db_url, bundled_sqlite):
    first = known_revisions()[0]
    engine = make_engine(db_url)
    upgrade(engine, first)
    _copy_register(f"sqlite:///{bundled_sqlite}", engine)
    first_md = _reflect(engine)
    before = _common({}, engine, first_md)
    upgrade(engine)
    downgrade(engine, first)
    assert current_revision(engine) == first
    assert _common(before, engine, first_md) == before
    upgrade(engine)
    assert _common(before, engine, first_md) == before
    engine.dispose()


def test_db_downgrade_command_asks_before_removing_data(bundled_url):
    before = dump(bundled_url)
    refused = kcn(bundled_url, "db", "downgrade", "base")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Lỗi / error: Hạ cấp lược đồ về base có thể xóa dữ liệu (base: xóa mọi bảng và toàn bộ sổ). Hãy sao lưu trước, "
        "rồi chạy lại với --yes. / Downgrading the schema to base may delete data (base: every table and the whole "
        "register). Back up first, then run again with --yes.\n")
    assert dump(bundled_url) == before
    unknown = kcn(bundled_url, "db", "downgrade", "abc", "--yes")
    assert unknown.exit_code == 2
    assert unknown.stderr == (f"Lỗi / error: Không có phiên bản lược đồ “abc”; có / no such schema revision; known: "
                              f"{', '.join(known_revisions())}, base\n")
    done = kcn(bundled_url, "db", "downgrade", "base", "--yes")
    assert done.exit_code == 0, done.output
    assert done.stdout == f"Lược đồ / schema: {SCHEMA_HEAD} → base\n"
    assert set(dump(bundled_url)) <= {"alembic_version"}


def test_0007_replaces_the_uncited_catalogue_rows_and_keeps_the_office_rows(db_url):
    """A register at 0006 with the names 0005 used to ship gets the cited VSIC and CLDR rows; the office's own stay."""
    from kcn_tracker.tenants.catalogue import HAND_TYPED_COUNTRY_SOURCE, UNCHECKED_VSIC_SOURCE
    from kcn_tracker.tenants.vsic2018 import VSIC_SOURCE

    engine = make_engine(db_url)
    upgrade(engine, "0006")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM industries WHERE level = 'division' AND code NOT IN ('26', '29')"))
        connection.execute(text("UPDATE industries SET label_vi = 'Sản xuất xe có động cơ', source = :s WHERE code = '29'"),
                           {"s": UNCHECKED_VSIC_SOURCE})
        connection.execute(text("UPDATE industries SET label_vi = 'Điện tử (văn phòng đặt)', source = 'QĐ 27/2018' WHERE code = '26'"))
        connection.execute(text("UPDATE countries SET label_vi = 'Căm Bốt', source = :s WHERE code = 'KH'"),
                           {"s": HAND_TYPED_COUNTRY_SOURCE})
    upgrade(engine)
    with engine.connect() as connection:
        rows = {code: (label, source) for code, label, source in connection.execute(text("SELECT code, label_vi, source FROM industries"))}
        country = connection.execute(text("SELECT label_vi, source FROM countries WHERE code = 'KH'")).one()
    engine.dispose()
    assert sum(1 for code in rows if code.isdigit()) == 88 and sum(1 for code in rows if code.isalpha()) == 21
    assert rows["29"] == ("Sản xuất ô tô và xe có động cơ khác", VSIC_SOURCE)
    assert rows["26"] == ("Điện tử (văn phòng đặt)", "QĐ 27/2018")  # the office's wording is its own
    assert country[0] == "Campuchia" and "CLDR" in country[1]


def test_0008_leaves_the_timelines_as_the_only_per_record_event_indexes(db_url):
    """The single-column record indexes (covered by the timelines' leading column) go; downgrading brings them back."""
    from sqlalchemy import inspect

    def event_indexes(engine) -> dict[str, list[str]]:
        return {index["name"]: index["column_names"] for index in inspect(engine).get_indexes("events")}

    engine = make_engine(db_url)
    upgrade(engine)
    assert event_indexes(engine) == {"ix_events_effective_on": ["effective_on"],
                                     "ix_events_project_timeline": ["project_id", "effective_on", "id"],
                                     "ix_events_zone_timeline": ["zone_id", "effective_on", "id"]}
    downgrade(engine, "0007")
    indexes = event_indexes(engine)
    assert indexes["ix_events_project_id"] == ["project_id"] and indexes["ix_events_zone_id"] == ["zone_id"]
    upgrade(engine)
    assert "ix_events_project_id" not in event_indexes(engine) and current_revision(engine) == SCHEMA_HEAD
    engine.dispose()
