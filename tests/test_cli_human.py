"""What people read in the terminal: Vietnamese labels instead of keys, tables that fit 80 and 120
columns without breaking the codes and keys people copy, overdue report deadlines listed first."""

from __future__ import annotations

import json

import pytest

from cli_helpers import kcn
from kcn_tracker.stages import PROJECT_STAGES, ZONE_STAGES

#: Keys that must not reach a table (stored notes may contain English words such as "district": not checked).
MACHINE_WORDS = ("onshore_wind", "capacity_operating_mw", "record_type", "in_plan", "conformity_review", "leased_ha",
                 "partly_operating", "technology_basis", "location_precision")


def test_energy_show_speaks_vietnamese(bundled_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    out = kcn(bundled_url, "energy", "show", "phuoc thai 2", "--as-of", "30/09/2025").stdout
    assert "điện mặt trời tập trung" in out and "Đất đai, giải phóng mặt bằng: " in out
    assert "theo văn bản" in out and "có tên trong 60 dự án" in out and "trung tâm huyện cũ" in out
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in out.splitlines() if line.count("│") == 3}
    assert rows["Công nghệ"] == "điện mặt trời tập trung" and rows["Căn cứ công nghệ"] == "theo văn bản"
    assert rows["Vai trò trong QHĐ VIII"] == "có tên trong 60 dự án" and rows["Độ chính xác ngày dự kiến"] == "theo tháng"
    assert rows["Độ chính xác vị trí"] == "trung tâm huyện cũ (sai số 5–25 km)" and rows["Giai đoạn"] == "Đang thi công"
    wind = kcn(bundled_url, "energy", "show", "hanbaram", "--as-of", "30/09/2025").stdout
    assert "điện gió trên bờ" in wind and "onshore_wind" not in wind


def test_changes_and_history_tables_have_no_machine_keys(bundled_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    changes = kcn(bundled_url, "changes", "--from", "30/06/2025", "--to", "30/09/2025").stdout
    history = kcn(bundled_url, "history", "phuoc thai 2").stdout
    for out in (changes, history):
        body = out
        for code in ("unnamed-", "dmt-", "dg-", "tdtn-", "tt-", "kcn-", "ccn-", "lng-", "td-", "dr-", "pin-"):
            body = " ".join(w for w in body.split() if not w.startswith(code))
        for word in MACHINE_WORDS:
            assert word not in body, word
    assert "Công suất đã vận hành (MW): — → 93" in changes and "Giai đoạn: Trong quy hoạch → " in changes
    assert "Mở vướng mắc số" in history and "(suy luận)" in history
    # the machine outputs keep the keys
    data = json.loads(kcn(bundled_url, "changes", "--from", "30/06/2025", "--to", "30/09/2025", "--format", "json").stdout)
    rows = data["data"] if isinstance(data, dict) and "data" in data else data
    assert {"record_type", "field"} <= set(rows[0]) and any(r["field"] == "capacity_operating_mw" for r in rows)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("args", [("zones", "list"), ("energy", "list"), ("stages",), ("report", "--due", "--today", "22/06/2026"),
                                  ("changes", "--from", "30/06/2025", "--to", "30/09/2025"), ("history", "lng ca na"),
                                  ("energy", "show", "lng ca na"), ("progress", "--details", "--as-of", "30/06/2026"),
                                  ("summary",), ("energy", "summary", "--by", "year"),
                                  ("energy", "summary", "--as-of", "30/06/2026")])
def test_tables_fit_the_terminal_and_keep_copied_words_whole(bundled_url, monkeypatch, width, args):
    monkeypatch.setenv("COLUMNS", str(width))
    result = kcn(bundled_url, *args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width
    words = {w for line in lines for w in line.split()}
    if args[0] == "progress":  # every figure whole: no number cut with "…" or folded
        assert "…" not in result.stdout and "8.200" in words and "6.857,5" in words
    if args[:2] == ("energy", "summary") and "--by" not in args:
        assert {"2.329,9", "1.802", "130,5", "2025–2030"} <= words  # figures and the period header whole
    if args[0] == "stages":
        assert {s.key for s in (*PROJECT_STAGES, *ZONE_STAGES)} <= words
    if args[-1] == "list":
        codes = [r["code"] for r in _rows(kcn(bundled_url, *args, "--format", "json").stdout)]
        assert len(codes) > 20 and set(codes) <= words  # every code whole on one line


def _rows(text: str) -> list[dict]:
    data = json.loads(text)
    return data["data"] if isinstance(data, dict) and "data" in data else data


def test_due_lists_overdue_reports_first(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = kcn(f"sqlite:///{tmp_path / 'x.sqlite'}", "report", "--due", "--today", "22/06/2026").stdout
    first, second, third = (out.index(t) for t in ("QUÁ HẠN 17 ngày", "QUÁ HẠN 2 ngày", "còn 3 ngày"))
    assert first < second < third
    assert out.index("05/06/2026") < out.index("20/06/2026") < out.index("25/06/2026")
    later = kcn(f"sqlite:///{tmp_path / 'x.sqlite'}", "report", "--due", "--today", "10/09/2026").stdout
    assert "QUÁ HẠN" not in later  # 45 days after the last passed deadline, it is no longer listed
