"""An output that cannot be written is refused with a message before any work, for every writer.

Missing folder, a folder where a file is expected, a name that is too long, no
permission, a full disk: exit 5, a message naming the file or folder, no file (or
half a file) left behind, and the database exactly as before.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from cli_helpers import kcn, kcn_process
from db_dump import dump
from unprivileged import run_unprivileged

#: command -> (arguments before --out, the file name it writes)
WRITERS = {
    "map": (("map",), "ban-do.html"),
    "map-png": (("map", "--png"), "ban-do.png"),
    "template": (("template", "energy"), "mau.xlsx"),
    "export-xlsx": (("export", "--format", "xlsx"), "so.xlsx"),
    "export-gpkg": (("export", "--format", "gpkg"), "so.gpkg"),
    "export-kml": (("export", "--format", "kml"), "so.kml"),
    "export-csv-file": (("export", "--format", "csv", "--what", "zones"), "so.csv"),
    "tenants-template": (("tenants", "template"), "du-an-thu-cap.xlsx"),
    "indicators-xlsx": (("indicators", "--period", "2026-Q2", "--format", "xlsx"), "chi-so.xlsx"),
}
FOLDER_WRITERS = {
    "report": ("report", "--period", "2025-Q4", "--format", "md", "--no-charts"),
    "export-csv-folder": ("export", "--format", "csv"),
}


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if "sqlite" not in p.name)


def _refused(db_url: str, args: tuple[str, ...], target: Path, message: str) -> None:
    """``kcn ARGS --out TARGET`` exits 5 with exactly ``message`` and leaves the database as it was."""
    before = dump(db_url)
    result = kcn(db_url, *args, "--out", str(target))
    assert (result.exit_code, result.stderr) == (5, f"Lỗi / error: {message}\n")
    assert dump(db_url) == before


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_missing_folder(writer, engine, db_url, tmp_path):
    args, name = WRITERS[writer]
    target = tmp_path / "khong-co" / name
    _refused(db_url, args, target, f"Thư mục “{target.parent}” không tồn tại; hãy tạo thư mục trước hoặc chọn nơi khác "
                                   f"(ghi {target}) / folder {target.parent} does not exist: create it first or choose another place")
    assert _files(tmp_path) == []


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_folder_where_a_file_is_expected(writer, engine, db_url, tmp_path):
    args, name = WRITERS[writer]
    target = tmp_path / name
    target.mkdir()
    example = target / ("ket-qua" + target.suffix)
    _refused(db_url, args, target, f"“{target}” là một thư mục; hãy cho tên tệp, vd. {example} / {target} is a folder: give a file name")
    assert _files(tmp_path) == [name]


@pytest.mark.parametrize("writer", sorted(WRITERS) + sorted(FOLDER_WRITERS))
def test_name_too_long(writer, engine, db_url, tmp_path):
    args, suffix = (WRITERS[writer][0], WRITERS[writer][1].rsplit(".", 1)[1]) if writer in WRITERS else (FOLDER_WRITERS[writer], "")
    name = "bao-cao-" + "x" * 260 + (f".{suffix}" if suffix else "")
    size = len(name.encode())
    _refused(db_url, args, tmp_path / name, f"Tên tệp quá dài ({size} byte, tối đa 255): “{name[:40]}…”; hãy đặt tên ngắn hơn / "
                                            f"file name too long ({size} bytes, at most 255): choose a shorter name")
    assert _files(tmp_path) == []


@pytest.mark.parametrize("writer", sorted(FOLDER_WRITERS))
def test_a_file_where_a_folder_is_expected(writer, engine, db_url, tmp_path):
    target = tmp_path / "bao-cao"
    target.write_text("không phải thư mục", encoding="utf-8")
    _refused(db_url, FOLDER_WRITERS[writer], target, f"“{target}” là một tệp, cần một thư mục / {target} is a file, a folder is needed")
    assert target.read_text(encoding="utf-8") == "không phải thư mục"


@pytest.mark.parametrize("writer", ["map", "template", "export-xlsx", "report"])
def test_no_permission(writer, bundled_url, tmp_path):
    locked = tmp_path / "khoa"
    locked.mkdir()
    locked.chmod(0o555)
    before = dump(bundled_url)
    if writer in WRITERS:
        args, name = WRITERS[writer]
        target = locked / name
        shown = target
    else:
        args, target = FOLDER_WRITERS[writer], locked / "bao-cao"
        shown = target
    result = run_unprivileged(bundled_url, *args, "--out", str(target))
    assert (result.returncode, result.stderr) == (5, (
        f"Lỗi / error: Không có quyền ghi vào thư mục “{locked}” (ghi {shown}) / no permission to write in folder {locked}\n"))
    assert list(locked.iterdir()) == []
    assert dump(bundled_url) == before


@pytest.mark.parametrize("writer,module,function", [
    ("template", "kcn_tracker.template", "write_template"),
    ("export-xlsx", "kcn_tracker.exporters.tabular", "write_xlsx"),
    ("map", "kcn_tracker.maps", "write_briefing_map"),
])
def test_disk_full_leaves_no_half_file_and_keeps_the_old_one(writer, module, function, bundled_url, tmp_path, monkeypatch):
    import importlib

    args, name = WRITERS[writer]
    target = tmp_path / name
    target.write_bytes(b"ban cu / the previous file")

    def full_disk(*params, **kwargs):
        path = next(p for p in [*params, *kwargs.values()] if isinstance(p, Path))
        path.write_bytes(b"half a file")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(importlib.import_module(module), function, full_disk)
    before = dump(bundled_url)
    result = kcn(bundled_url, *args, "--out", str(target))
    # (export shows a transient progress bar on stderr above 300 rows: it leaves one empty line)
    assert (result.exit_code, result.stderr.lstrip("\n")) == (5, (
        f"Lỗi / error: Không đọc/ghi được “{target}”: ổ đĩa đầy; không để lại tệp dở dang / disk full; "
        f"no partial file was left / cannot read or write {target}\n"))
    assert _files(tmp_path) == [name]
    assert target.read_bytes() == b"ban cu / the previous file"
    assert dump(bundled_url) == before


def test_run_refuses_an_unwritable_map_folder_before_loading_anything(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "maps").write_text("một tệp tên maps", encoding="utf-8")
    result = kcn(db_url, "run")
    assert (result.exit_code, result.stderr) == (5, (
        "Lỗi / error: “maps” không phải thư mục, không ghi được maps/briefing.html vào đó / maps is not a folder\n"))
    assert dump(db_url) == {}


def test_written_files_are_whole_and_no_temporary_file_remains(bundled_url, tmp_path):
    for writer, (args, name) in WRITERS.items():
        result = kcn(bundled_url, *args, "--out", str(tmp_path / name))
        assert result.exit_code == 0, (writer, result.output)
    assert _files(tmp_path) == sorted(name for _, name in WRITERS.values())


def test_report_disk_full_keeps_the_previous_word_file(bundled_url, tmp_path, monkeypatch):
    import kcn_tracker.reports.docx_writer as report_docx

    folder = tmp_path / "bao-cao"
    folder.mkdir()
    previous = folder / "bao-cao-2025-Q4.docx"
    previous.write_bytes(b"ban cu / the previous report")

    def full_disk(content, path):
        path.write_bytes(b"half a report")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report_docx, "write_docx", full_disk)
    before = dump(bundled_url)
    result = kcn(bundled_url, "report", "--period", "2025-Q4", "--no-charts", "--out", str(folder))
    assert (result.exit_code, result.stderr) == (5, (
        f"Lỗi / error: Không đọc/ghi được “{previous}”: ổ đĩa đầy; không để lại tệp dở dang / disk full; "
        f"no partial file was left / cannot read or write {previous}\n"))
    assert _files(folder) == ["bao-cao-2025-Q4.docx"] and previous.read_bytes() == b"ban cu / the previous report"
    assert dump(bundled_url) == before


def test_a_reader_that_leaves_the_pipe_is_not_an_error(bundled_url):
    """``kcn progress --format csv | head -1``: the rest is not wanted; no "file error" message, no traceback."""
    process = kcn_process(bundled_url, "progress", "--format", "csv")  # about 60 kB: more than a pipe holds
    assert process.stdout.readline().startswith("section,item,field,value")
    process.stdout.close()  # as `head -1` does after its line
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 1  # click's exit status for a closed pipe
    assert stderr == "", stderr
