"""Excel outputs speak Vietnamese: the register export and the report workbook show words, not keys."""

from __future__ import annotations

import datetime as dt

import openpyxl

from cli_helpers import kcn
from kcn_tracker.stages import PROJECT_STAGES, ZONE_STAGES

KEYS = {s.key for s in (*PROJECT_STAGES, *ZONE_STAGES)} | {"onshore_wind", "solar", "project", "zone", "document", "inferred",
                                                           "unknown", "land", "technology"}


def _column(sheet, header):
    headers = [c.value for c in sheet[1]]
    return [row[headers.index(header)] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_register_export_shows_words_not_keys(bundled_url, tmp_path):
    out = tmp_path / "so.xlsx"
    assert kcn(bundled_url, "export", "--format", "xlsx", "--out", str(out), "--as-of", "30/09/2025").exit_code == 0
    book = openpyxl.load_workbook(out)
    projects, history, obstacles = book["Dự án điện"], book["Lịch sử"], book["Vướng mắc"]
    for sheet, header in ((projects, "Giai đoạn"), (projects, "Công nghệ"), (book["KCN-CCN"], "Giai đoạn"),
                          (history, "Loại bản ghi"), (history, "Căn cứ ngày"), (history, "Trường"),
                          (obstacles, "Loại bản ghi"), (obstacles, "Loại vướng mắc"), (obstacles, "Căn cứ ngày phát sinh")):
        values = {v for v in _column(sheet, header) if v is not None}
        assert values and not values & KEYS, (sheet.title, header, values & KEYS)
    assert "Đang thi công" in _column(projects, "Giai đoạn") and "điện gió trên bờ" in _column(projects, "Công nghệ")
    assert "Tên giai đoạn" not in [c.value for c in projects[1]]  # the words are in the column itself
    stage_rows = [r for r in history.iter_rows(min_row=2, values_only=True) if r[[c.value for c in history[1]].index("Trường")] == "Giai đoạn"]
    assert stage_rows and all(r[[c.value for c in history[1]].index("Giá trị mới")] not in KEYS for r in stage_rows)
    # CSV keeps the keys for tools
    assert kcn(bundled_url, "export", "--format", "csv", "--what", "projects", "--out", str(tmp_path / "p.csv")).exit_code == 0
    assert ",construction," in (tmp_path / "p.csv").read_text(encoding="utf-8-sig")


def test_report_workbook_sheet_names_are_table_numbers(bundled_url, tmp_path):
    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.periods import parse_period
    from kcn_tracker.reports.content import build_content, write_report

    engine = make_engine(bundled_url)
    with session_scope(engine) as session:
        content = build_content(session, parse_period("2025-Q3"), generated_at=dt.datetime(2025, 10, 5), with_charts=False,
                                static_map=False)
    engine.dispose()
    path = write_report(content, tmp_path, ("xlsx",))[0]
    names = openpyxl.load_workbook(path).sheetnames
    assert names[:4] == ["Mục lục", "Bảng 1", "Bảng 2", "Bảng 3"] and "Bảng PL2.1" in names
    assert all("-" not in n for n in names)
