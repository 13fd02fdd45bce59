"""Database failures are messages (Vietnamese + English) with an exit code, and change nothing.

Integrity and data errors, a locked, corrupt or read-only SQLite file, a database
made by a newer kcn-tracker, a PostgreSQL user who may not create PostGIS, and an
unreachable server: each names the file, server, table or field, and the database
is exactly as before.
"""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from sqlalchemy import select, text

from cli_helpers import kcn
from db_dump import dump
from factories import add_technologies, add_zone
from kcn_tracker.db import BUSY_TIMEOUT_ENV, SCHEMA_HEAD, make_engine, session_scope, upgrade
from kcn_tracker.errors import ConcurrentUpdate, DatabaseError, SchemaTooNew
from kcn_tracker.models import Document, Obstacle, Technology, Zone
from unprivileged import run_unprivileged

NEWER = ("Lỗi / error: Cơ sở dữ liệu này do một phiên bản kcn-tracker mới hơn tạo ra (lược đồ 9f00, chương trình này "
         f"chỉ biết đến {SCHEMA_HEAD}): hãy nâng cấp chương trình; không ghi gì. / this database was made by a newer "
         f"kcn-tracker (schema 9f00, this program knows up to {SCHEMA_HEAD}): upgrade the program; nothing was written.\n")


def _head(message: str) -> str:
    """The message without the driver's own detail (which names the same thing in its words)."""
    return message.split(" Chi tiết / detail:")[0]


def test_integrity_error_names_table_and_field_and_writes_nothing(engine, db_url):
    with session_scope(engine, write=True) as s:
        add_technologies(s)
    before = dump(db_url)
    with pytest.raises(DatabaseError) as refused:
        with session_scope(engine, write=True) as s:
            s.add(Technology(key="nuclear_2", label_vi="Hạt nhân 2", label_en="Nuclear 2"))
            s.add(Technology(key="solar", label_vi="trùng", label_en="duplicate"))
    constraint = ", ràng buộc / rule technologies_pkey" if engine.dialect.name == "postgresql" else ""
    assert _head(refused.value.message) == (
        f"Dữ liệu vi phạm ràng buộc của cơ sở dữ liệu (bảng / table technologies, trường / field key{constraint}); "
        "không ghi gì / nothing was written. The data breaks a database rule.")
    assert refused.value.exit_code == 4
    assert dump(db_url) == before


def test_check_constraint_names_the_field(engine, db_url):
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        add_zone(s, "kcn-a", name="KCN A")
    before = dump(db_url)
    with pytest.raises(DatabaseError) as refused:
        with session_scope(engine, write=True) as s:
            s.scalars(select(Zone)).one().kind = "XYZ"
    table = "bảng / table zones, " if engine.dialect.name == "postgresql" else ""
    assert _head(refused.value.message) == (
        f"Dữ liệu vi phạm ràng buộc của cơ sở dữ liệu ({table}trường / field kind, ràng buộc / rule zone_kind); "
        "không ghi gì / nothing was written. The data breaks a database rule.")
    assert dump(db_url) == before


def test_number_too_large_for_the_database(engine, db_url):
    before = dump(db_url)
    with pytest.raises(DatabaseError) as refused:
        with session_scope(engine) as s:
            s.get(Obstacle, 10**20)
    if engine.dialect.name == "sqlite":
        assert refused.value.message == ("Số quá lớn cho cơ sở dữ liệu (quá 64 bit); không ghi gì / nothing was written. "
                                         "A number is too large for the database (beyond 64 bits).")
    else:
        assert _head(refused.value.message) == (
            "Giá trị không vừa cột của cơ sở dữ liệu (trường / field pk_1 (100000000000000000000)); "
            "không ghi gì / nothing was written. A value does not fit its database column.")
    assert dump(db_url) == before


@pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_text_longer_than_its_column_on_postgresql(engine, db_url):
    before = dump(db_url)
    with pytest.raises(DatabaseError) as refused:
        with session_scope(engine, write=True) as s:
            s.add(Document(doc_id="d" * 81, number="1/QĐ"))
    assert _head(refused.value.message) == (
        "Giá trị không vừa cột của cơ sở dữ liệu (trường / field doc_id (81 > 80 ký tự / characters)); "
        "không ghi gì / nothing was written. A value does not fit its database column.")
    assert dump(db_url) == before


def test_locked_sqlite_file_is_busy_and_nothing_written(bundled_url, monkeypatch):
    monkeypatch.setenv(BUSY_TIMEOUT_ENV, "200")
    before = dump(bundled_url)
    holder = sqlite3.connect(bundled_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = kcn(bundled_url, "zones", "update", "ninh thuy", "--leased", "1", "--date", "01/09/2025")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 3
    assert result.stderr == ("Lỗi / error: Cơ sở dữ liệu đang bận ghi; không ghi gì. Hãy chạy lại lệnh. / "
                             "The database is busy with another write; nothing was written. Run the command again.\n")
    assert dump(bundled_url) == before


def test_corrupt_sqlite_file_is_named_and_left_untouched(tmp_path):
    path = tmp_path / "hong.sqlite"
    garbage = bytes(range(256)) * 16
    path.write_bytes(garbage)
    for args in (("summary",), ("zones", "update", "ninh thuy", "--leased", "1"), ("map", "--out", str(tmp_path / "m.html"))):
        result = kcn(f"sqlite:///{path}", *args)
        assert result.exit_code == 4, args
        assert result.stderr == (
            f"Lỗi / error: tệp / file {path} không phải cơ sở dữ liệu SQLite hoặc đã hỏng; không sửa gì trên tệp. "
            "The file is not a SQLite database or is corrupt; it was left untouched. "
            "Dùng --db để chọn tệp khác / choose another with --db.\n")
    assert path.read_bytes() == garbage
    assert not (tmp_path / "m.html").exists()


def test_read_only_sqlite_file_reads_but_refuses_writes(tmp_path, bundled_sqlite):
    import shutil

    path = tmp_path / "chi-doc.sqlite"
    shutil.copy(bundled_sqlite, path)
    path.chmod(0o444)
    url = f"sqlite:///{path}"
    before = dump(url)
    write = run_unprivileged(url, "zones", "update", "ninh thuy", "--leased", "1", "--date", "01/09/2025")
    assert write.returncode == 4, write.stderr
    assert write.stderr == (
        f"Lỗi / error: Không ghi được vào tệp / file {path}: tệp chỉ đọc (hoặc thư mục của nó không cho ghi); "
        "không ghi gì / nothing was written. The database file is read-only (or its folder is not writable); nothing was written.\n")
    read = run_unprivileged(url, "zones", "show", "ninh thuy", "--format", "json")
    assert read.returncode == 0, read.stderr
    assert '"code": "kcn-ninh-thuy"' in read.stdout
    assert dump(url) == before


def test_database_from_a_newer_program_is_refused_by_every_command(engine, db_url, tmp_path):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9f00'"))
    before = dump(db_url)
    for args in (("summary",), ("info",), ("db", "upgrade"), ("zones", "list"), ("progress",),
                 ("zones", "update", "x", "--leased", "1"), ("map", "--out", str(tmp_path / "m.html"))):
        result = kcn(db_url, *args)
        assert (result.exit_code, result.stderr) == (4, NEWER), args
    assert dump(db_url) == before
    with pytest.raises(SchemaTooNew):
        upgrade(engine)


@pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_postgresql_user_without_postgis_privilege(db_url):
    base = db_url.split("?")[0]
    admin = make_engine(base.rsplit("/", 1)[0] + "/postgres")
    suffix = uuid.uuid4().hex[:8]
    role, database = f"kcn_limited_{suffix}", f"kcn_nopostgis_{suffix}"
    with admin.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(text(f"CREATE DATABASE {database} OWNER {role}"))
    try:
        host = base.split("@", 1)[1].rsplit("/", 1)[0]
        url = f"postgresql+psycopg://{role}@{host}/{database}"
        result = kcn(url, "summary")
        assert result.exit_code == 4
        assert result.stderr == (
            f"Lỗi / error: Người dùng PostgreSQL “{role}” không có quyền tạo phần mở rộng PostGIS trong máy chủ / server "
            f"{host}, CSDL / database {database}; không ghi gì. Nhờ quản trị viên chạy: CREATE EXTENSION postgis; / "
            f"the PostgreSQL user “{role}” may not create the PostGIS extension; nothing was written. "
            "Ask an administrator to run CREATE EXTENSION postgis; in that database.\n")
        assert dump(url) == {}
    finally:
        with admin.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


def test_unreachable_server_is_named():
    result = kcn("postgresql+psycopg://kcn@127.0.0.1:1/kcn", "summary")
    assert result.exit_code == 4
    assert _head(result.stderr) == (
        "Lỗi / error: Không kết nối được máy chủ / server 127.0.0.1:1, CSDL / database kcn: kiểm tra máy chủ đang chạy "
        "và địa chỉ --db / cannot reach the database server: check it is running and the --db URL.")
    assert "Traceback" not in result.output


def test_stale_sqlite_snapshot_is_a_stale_read_not_busy(tmp_path):
    """SQLite's BUSY_SNAPSHOT (a read transaction whose snapshot another writer outdated) is a stale read."""
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine, write=True) as s:
        add_technologies(s)
    with pytest.raises(ConcurrentUpdate, match="The record changed since you read it"):
        with session_scope(engine) as reader:
            reader.get(Technology, "solar")
            with session_scope(engine, write=True) as writer:
                writer.get(Technology, "solar").label_vi = "mới"
            reader.get(Technology, "solar").label_vi = "cũ"
    with session_scope(engine) as s:
        assert s.get(Technology, "solar").label_vi == "mới"
