"""Output files: checked before any work, written whole or not at all, failures explained.

Every command that writes a file (map, template, export, report, run) calls
``check_output_file`` / ``check_output_dir`` first, before it opens the database, so
an unwritable ``--out`` costs nothing and changes nothing; single files are then
written through ``atomic_output`` (a hidden temporary file in the same folder, renamed
over the target at the end), so a full disk never leaves half a file behind. Any
``OSError`` left over reaches the CLI group, which shows ``explain_os_error``.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kcn_tracker.errors import KcnError, OutputError

#: The longest file name most file systems accept (bytes, UTF-8): ext4, NTFS, APFS.
NAME_MAX = 255


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return NAME_MAX


def _check_name(path: Path, folder: Path) -> None:
    longest = _name_max(folder) if folder.is_dir() else NAME_MAX
    size = len(path.name.encode("utf-8"))
    if size > longest:
        raise OutputError(f"Tên tệp quá dài ({size} byte, tối đa {longest}): “{path.name[:40]}…”; hãy đặt tên ngắn hơn / "
                          f"file name too long ({size} bytes, at most {longest}): choose a shorter name")


def _check_folder(folder: Path, shown: Path) -> None:
    if not folder.exists():
        raise OutputError(f"Thư mục “{folder}” không tồn tại; hãy tạo thư mục trước hoặc chọn nơi khác (ghi {shown}) / "
                          f"folder {folder} does not exist: create it first or choose another place")
    if not folder.is_dir():
        raise OutputError(f"“{folder}” không phải thư mục, không ghi được {shown} vào đó / {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"Không có quyền ghi vào thư mục “{folder}” (ghi {shown}) / "
                          f"no permission to write in folder {folder}")


def check_output_file(path: Path | str, *, create_parent: bool = False) -> Path:
    """Refuse, before any work, an output file that cannot be written; return it as a Path.

    ``create_parent`` creates a missing last folder (for a command's default place,
    such as maps/); a folder the user typed must already exist.
    """
    target = Path(path).expanduser()
    folder = target.parent
    _check_name(target, folder)
    if target.is_dir():
        raise OutputError(f"“{target}” là một thư mục; hãy cho tên tệp, vd. {target / ('ket-qua' + (target.suffix or '.html'))} / "
                          f"{target} is a folder: give a file name")
    if create_parent and not folder.exists() and folder.parent.is_dir():
        try:
            folder.mkdir()
        except OSError as exc:
            raise explain_os_error(exc) from None
    _check_folder(folder, target)
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"Không có quyền ghi đè tệp “{target}” (tệp chỉ đọc hoặc đang mở) / no permission to overwrite {target}")
    return target


def check_output_dir(path: Path | str) -> Path:
    """Refuse an output folder that cannot be written; create it if only it is missing."""
    target = Path(path).expanduser()
    _check_name(target, target.parent)
    if target.exists() and not target.is_dir():
        raise OutputError(f"“{target}” là một tệp, cần một thư mục / {target} is a file, a folder is needed")
    if not target.exists():
        _check_folder(target.parent, target)
        try:
            target.mkdir()
        except OSError as exc:
            raise explain_os_error(exc) from None
    _check_folder(target, target)
    return target


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same suffix); on success it replaces ``path``.

    On any failure the temporary file is removed and ``path`` is left as it was.
    """
    temp = path.with_name(f".kcn-{secrets.token_hex(4)}.part{path.suffix}")
    try:
        yield temp
        os.replace(temp, path)
    except BaseException as exc:
        _remove(temp)
        if isinstance(exc, OSError) and exc.filename in (None, str(temp), temp):
            # Name the file the user asked for, not the temporary one (a full disk says no file name).
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise


def _remove(temp: Path) -> None:
    import shutil

    try:
        if temp.is_dir():
            shutil.rmtree(temp)
        else:
            temp.unlink(missing_ok=True)
    except OSError:
        pass


def explain_os_error(exc: OSError) -> KcnError:
    """A file-system failure as a message that names the file and says what to do."""
    raw_name = exc.filename if exc.filename is not None else ""
    name = str(raw_name)
    code = exc.errno
    reasons = {
        errno.ENOSPC: "ổ đĩa đầy; không để lại tệp dở dang / disk full; no partial file was left",
        errno.EDQUOT: "hết hạn mức ổ đĩa / disk quota exceeded",
        errno.EACCES: "không có quyền / permission denied",
        errno.EPERM: "không được phép / operation not permitted",
        errno.EROFS: "ổ đĩa chỉ đọc / read-only file system",
        errno.ENOENT: "không tồn tại (tệp hoặc thư mục) / no such file or folder",
        errno.EISDIR: "là một thư mục, cần tên tệp / is a folder, a file name is needed",
        errno.ENOTDIR: "một phần của đường dẫn không phải thư mục / part of the path is not a folder",
        errno.ENAMETOOLONG: "tên quá dài / name too long",
        errno.EEXIST: "đã tồn tại / already exists",
    }
    reason = reasons.get(code, f"{exc.strerror or exc}")
    where = f"“{name}”" if name else "tệp / file"
    return OutputError(f"Không đọc/ghi được {where}: {reason} / cannot read or write {name or 'a file'}")
