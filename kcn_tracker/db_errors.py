"""Database failures as messages people can act on (Vietnamese + English), never a traceback.

``explain`` turns any SQLAlchemy / DB-API error into a ``KcnError`` that names the
file or server, and the table, field or rule involved. It is applied where a
transaction ends (``db.session_scope``), where the schema is migrated, and once more
in the CLI group for anything else, so no command handles database errors itself.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kcn_tracker.errors import ConcurrentUpdate, DatabaseError, KcnError

#: SQLite's extended code for "your read snapshot is out of date": another writer
#: committed after this transaction read, so its write would be based on a stale read.
SQLITE_BUSY_SNAPSHOT = 517

STALE = ("Bản ghi đã bị người khác thay đổi sau khi bạn đọc; không ghi gì. Hãy chạy lại lệnh. / "
         "The record changed since you read it; nothing was written. Run the command again.")
BUSY = ("Cơ sở dữ liệu đang bận ghi; không ghi gì. Hãy chạy lại lệnh. / "
        "The database is busy with another write; nothing was written. Run the command again.")
NOTHING_WRITTEN = "không ghi gì / nothing was written"

#: Named constraints (models.py) -> the field a person would fix.
CONSTRAINT_FIELDS = {
    "zone_kind": "kind", "leased_le_leasable": "leased_ha", "plan_role": "plan_role",
    "event_one_record": "zone_id/project_id", "event_date_basis": "date_basis",
    "obstacle_one_record": "zone_id/project_id", "resolved_after_opened": "resolved_on",
}


def _where(url: Any) -> str:
    """The database as people know it: the SQLite file, or host/database on a server."""
    if url is None:
        return "cơ sở dữ liệu / database"
    if url.get_backend_name() == "sqlite":
        return f"tệp / file {url.database}"
    host = f"{url.host or 'localhost'}:{url.port or 5432}"
    return f"máy chủ / server {host}, CSDL / database {url.database}"


def _table_field(exc: Any) -> tuple[str | None, str | None, str | None]:
    """(table, field, constraint) from the driver's diagnostics or the SQLite message."""
    diag = getattr(getattr(exc, "orig", None), "diag", None)
    if diag is not None and (diag.table_name or diag.constraint_name or diag.column_name):
        constraint = diag.constraint_name
        key = re.match(r"Key \(([^)]+)\)=", diag.message_detail or "")  # unique violations name their columns here
        field = diag.column_name or (key.group(1) if key else None) or CONSTRAINT_FIELDS.get(constraint or "")
        return diag.table_name, field, constraint
    text = str(getattr(exc, "orig", exc))
    match = re.search(r"constraint failed: (\w+)\.(\w+)", text)
    if match:
        return match.group(1), match.group(2), None
    match = re.search(r"CHECK constraint failed: (\w+)", text)
    if match:
        return None, CONSTRAINT_FIELDS.get(match.group(1), match.group(1)), match.group(1)
    return None, None, None


def _oversized_params(exc: Any) -> str | None:
    """For "value too long" / "out of range": the parameter (column) whose value is at fault."""
    text = str(getattr(exc, "orig", exc))
    params = exc.params if isinstance(getattr(exc, "params", None), dict) else {}
    length = re.search(r"character varying\((\d+)\)", text)
    for name, value in params.items():
        if length and isinstance(value, str) and len(value) > int(length.group(1)):
            return f"{name} ({len(value)} > {length.group(1)} ký tự / characters)"
        if not length and isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**31 - 1:
            return f"{name} ({value})"
    return None


def is_sqlalchemy_error(exc: BaseException) -> bool:
    """Whether ``exc`` is one of SQLAlchemy's, without importing it: it can only be once SQLAlchemy is loaded
    (the quick commands read without it, see ``dbread``)."""
    module = sys.modules.get("sqlalchemy.exc")
    return module is not None and isinstance(exc, module.SQLAlchemyError)


@contextmanager
def read_errors() -> Iterator[None]:
    """SQLAlchemy's errors in the block as "cannot read the database" (a ``dbread.Reader`` raises its own)."""
    try:
        yield
    except Exception as exc:
        if not is_sqlalchemy_error(exc):
            raise
        raise DatabaseError(f"Không đọc được cơ sở dữ liệu / cannot read the database: {exc}") from None


def explain(exc: BaseException, url: Any = None) -> KcnError:
    """The ``KcnError`` to show for a database failure ``exc`` on the database at ``url``."""
    from sqlalchemy import exc as sa

    if isinstance(exc, KcnError):
        return exc
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    low = text.lower()
    where = _where(url)
    if isinstance(exc, sa.IntegrityError):
        table, field, constraint = _table_field(exc)
        parts = [f"bảng / table {table}" if table else None, f"trường / field {field}" if field else None,
                 f"ràng buộc / rule {constraint}" if constraint else None]
        named = ", ".join(p for p in parts if p) or text.splitlines()[0]
        return DatabaseError(f"Dữ liệu vi phạm ràng buộc của cơ sở dữ liệu ({named}); {NOTHING_WRITTEN}. "
                             f"The data breaks a database rule. Chi tiết / detail: {text.splitlines()[0]}")
    if isinstance(exc, sa.DataError):
        field = _oversized_params(exc)
        named = f"trường / field {field}" if field else text.splitlines()[0]
        return DatabaseError(f"Giá trị không vừa cột của cơ sở dữ liệu ({named}); {NOTHING_WRITTEN}. "
                             f"A value does not fit its database column. Chi tiết / detail: {text.splitlines()[0]}")
    if getattr(orig, "sqlite_errorcode", None) == SQLITE_BUSY_SNAPSHOT:
        return ConcurrentUpdate(STALE)
    if "database is locked" in low or "database table is locked" in low:
        return ConcurrentUpdate(BUSY)
    if "readonly database" in low:
        return DatabaseError(f"Không ghi được vào {where}: tệp chỉ đọc (hoặc thư mục của nó không cho ghi); {NOTHING_WRITTEN}. "
                             "The database file is read-only (or its folder is not writable); nothing was written.")
    if "file is not a database" in low or "database disk image is malformed" in low:
        return DatabaseError(f"{where} không phải cơ sở dữ liệu SQLite hoặc đã hỏng; không sửa gì trên tệp. "
                             "The file is not a SQLite database or is corrupt; it was left untouched. "
                             "Dùng --db để chọn tệp khác / choose another with --db.")
    if "unable to open database file" in low:
        return DatabaseError(f"Không mở được {where} (thư mục không tồn tại hoặc không có quyền) / "
                             "cannot open the database file (missing folder or no permission).")
    if "permission denied to create extension" in low or ("postgis" in low and "permission" in low):
        user = getattr(url, "username", None) or "?"
        return DatabaseError(
            f"Người dùng PostgreSQL “{user}” không có quyền tạo phần mở rộng PostGIS trong {where}; không ghi gì. "
            f"Nhờ quản trị viên chạy: CREATE EXTENSION postgis; / the PostgreSQL user “{user}” may not create the "
            "PostGIS extension; nothing was written. Ask an administrator to run CREATE EXTENSION postgis; in that database.")
    if isinstance(exc, sa.OperationalError) and url is not None and url.get_backend_name() != "sqlite":
        if any(s in low for s in ("connection", "could not", "timeout", "server closed", "no route", "refused", "resolve host")):
            return DatabaseError(f"Không kết nối được {where}: kiểm tra máy chủ đang chạy và địa chỉ --db / "
                                 f"cannot reach the database server: check it is running and the --db URL. "
                                 f"Chi tiết / detail: {text.splitlines()[0] if text else type(exc).__name__}")
    first = text.splitlines()[0] if text else type(exc).__name__
    return DatabaseError(f"Lỗi cơ sở dữ liệu ({where}); {NOTHING_WRITTEN}. Database error: {first}")
