"""Report settings: `kcn report --init-settings` writes the example; the report prints what the file says."""

from __future__ import annotations

import datetime as dt

import pytest

from cli_helpers import kcn
from kcn_tracker.errors import InvalidValue
from kcn_tracker.reports import settings as report_settings


def test_init_settings_writes_the_khanh_hoa_example_and_never_overwrites(tmp_path, monkeypatch, bundled_url):
    monkeypatch.setenv("KCN_CONFIG_DIR", str(tmp_path / "cfg"))
    first = kcn(bundled_url, "report", "--init-settings")
    assert first.exit_code == 0 and str(tmp_path / "cfg" / "bao-cao.toml") in first.stdout
    loaded, path = report_settings.load()
    assert path == tmp_path / "cfg" / "bao-cao.toml"
    assert loaded == report_settings.ReportSettings()
    assert loaded.agency_name == "Ban Quản lý Khu kinh tế và Khu công nghiệp tỉnh Khánh Hòa"
    assert loaded.number_suffix == "BC-KKTKCN" and loaded.signer_name == ""
    again = kcn(bundled_url, "report", "--init-settings")
    assert again.exit_code != 0 and "không ghi đè" in again.output and "Traceback" not in again.output


def test_the_report_uses_the_settings_file(tmp_path, bundled_url):
    import docx

    path = report_settings.write_example(tmp_path / "s.toml")
    text = path.read_text(encoding="utf-8")
    text = text.replace('signer_name = ""', 'signer_name = "Nguyễn Văn A"').replace(
        'signer_authority = ""', 'signer_authority = "KT. TRƯỞNG BAN"').replace('signer_title = "TRƯỞNG BAN"', 'signer_title = "PHÓ TRƯỞNG BAN"')
    path.write_text(text, encoding="utf-8")
    result = kcn(bundled_url, "report", "--period", "2025-Q3", "--no-charts", "--out", str(tmp_path / "out"), "--settings", str(path))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "out" / "bao-cao-2025-Q3.docx"))
    texts = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert "KT. TRƯỞNG BAN" in texts and "PHÓ TRƯỞNG BAN" in texts and "Nguyễn Văn A" in texts
    assert "Số:        /BC-KKTKCN" in texts and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts


@pytest.mark.parametrize("body, message", [
    ("agency = [1, 2]\n", "phải là chữ"), ("unknown_key = \"x\"\n", "khóa không biết"), ("agency = \"x\n", "sai cú pháp")])
def test_a_bad_settings_file_is_a_clear_error(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InvalidValue, match=message):
        report_settings.load(path)


def test_date_line_follows_decree_30():
    from kcn_tracker.periods import parse_period
    from kcn_tracker.reports.blocks import ReportContent

    content = ReportContent(parse_period("2026-Q1"), "t", dt.datetime(2026, 2, 5, 8), report_settings.ReportSettings())
    assert content.place_date_line == "Khánh Hòa, ngày 05 tháng 02 năm 2026"
    content.generated_at = dt.datetime(2026, 11, 25)
    assert content.place_date_line == "Khánh Hòa, ngày 25 tháng 11 năm 2026"
