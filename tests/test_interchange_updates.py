"""Import of updates from .xlsx/.csv: matching, Vietnamese numbers and dates, encodings, dry run, idempotence."""

import datetime as dt
import unicodedata

import openpyxl
import pytest
from sqlalchemy import select

from factories import D
from interchange_helpers import DATA, run, seed, snapshot
from kcn_tracker.db import session_scope
from kcn_tracker.importers.reading import decode
from kcn_tracker.importers.tabular import excel_serial_date
from kcn_tracker.models import Obstacle, Project, Zone


@pytest.fixture
def seeded(engine):
    return seed(engine)


def _project(engine, code):
    with session_scope(engine) as s:
        return s.scalars(select(Project).where(Project.code == code)).one()


def test_csv_with_bom_updates_by_code_and_cites_the_document(seeded):
    result = run(seeded, "import", "updates", str(DATA / "updates_vi.csv"))
    assert result.exit_code == 0, result.output
    assert "1 dòng thay đổi, 1 dòng không đổi" in result.stdout
    with session_scope(seeded) as s:
        p = s.scalars(select(Project).where(Project.code == "pt2")).one()
        last = p.events[-1]
        assert (p.stage, p.investor) == ("construction", "Công ty CP Phước Thái")  # stray spaces collapsed
        assert last.effective_on == D(2025, 8, 1)
        assert (last.document.number, last.document.issued_on) == ("12/QĐ-UBND", D(2025, 7, 30))
        assert last.origin == "import:updates_vi.csv"


def test_dry_run_prints_old_to_new_and_writes_nothing(seeded):
    before = snapshot(seeded)
    result = run(seeded, "import", "updates", str(DATA / "updates_vi.csv"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "chưa ghi" in result.stdout
    assert "Giai đoạn: Đã chấp thuận nhà đầu tư → Đang thi công" in result.stdout
    assert "Nhà đầu tư: Công ty A → Công ty CP Phước Thái" in result.stdout
    assert snapshot(seeded) == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(seeded, tmp_path):
    book = tmp_path / "u.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Dự án điện"
    ws.append(["Tên", "Công suất đã vận hành (MW)", "Ngày hiệu lực", "Vướng mắc mới: loại", "Vướng mắc mới: mô tả"])
    ws.append(["phuoc thai 2", "40", "15/10/2025", "Đất đai, giải phóng mặt bằng", "Chưa giao đất"])
    wb.save(book)
    run(seeded, "energy", "update", "pt2", "--stage", "construction", "--date", "01/08/2025")
    first = run(seeded, "import", "updates", str(book))
    assert first.exit_code == 0, first.output
    assert "mở vướng mắc" in first.stdout
    after_first = snapshot(seeded)
    second = run(seeded, "import", "updates", str(book))
    assert second.exit_code == 0, second.output
    assert "0 dòng thay đổi, 1 dòng không đổi" in second.stdout
    assert snapshot(seeded) == after_first
    with session_scope(seeded) as s:
        p = s.scalars(select(Project).where(Project.code == "pt2")).one()
        assert (p.capacity_operating_mw, p.stage) == (40.0, "partly_operating")
        assert len(list(s.scalars(select(Obstacle)))) == 1


def test_prefilled_template_with_only_the_mw_cell_changed_imports_once(seeded, tmp_path):
    # The template pre-fills the stage ("construction"); staff type only the MW now generating.
    run(seeded, "energy", "update", "pt2", "--stage", "construction", "--date", "01/08/2025")
    template = tmp_path / "t.xlsx"
    assert run(seeded, "template", "energy", "--out", str(template)).exit_code == 0
    wb = openpyxl.load_workbook(template)
    ws = wb["Dự án điện"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[headers.index("Mã")].value == "pt2")
    row[headers.index("Công suất đã vận hành (MW)")].value = "40"
    wb.save(template)
    first = run(seeded, "import", "updates", str(template), "--date", "15/10/2025")
    assert first.exit_code == 0, first.output
    assert "→ Vận hành một phần" in first.stdout and "1 dòng thay đổi" in first.stdout
    after_first = snapshot(seeded)
    # The same file again: its stage cell is now stale ("construction" while 40 MW generate); the row
    # contradicts itself, so it is refused with that reason instead of one cell silently winning.
    second = run(seeded, "import", "updates", str(template), "--date", "15/10/2025")
    assert second.exit_code == 2 and "mâu thuẫn" in second.stderr and "dòng/row 2" in second.stderr, second.output
    assert snapshot(seeded) == after_first
    fresh = tmp_path / "fresh.xlsx"
    assert run(seeded, "template", "energy", "--out", str(fresh)).exit_code == 0
    third = run(seeded, "import", "updates", str(fresh), "--date", "15/10/2025")
    assert third.exit_code == 0 and "0 dòng thay đổi" in third.stdout, third.output
    assert snapshot(seeded) == after_first


def test_vietnamese_numbers_serial_dates_nfd_and_cp1258(seeded, tmp_path):
    # Windows-1258 writes Vietnamese with combining tone marks; the name is also typed without accents.
    text = "Tên;Đất CN cho thuê (ha);Đã cho thuê (ha);Ngày hiệu lực\nninh thuy;1.200;49,9;45930\n"
    encoded = "".join(_cp1258_char(c) for c in text).encode("cp1258")
    path = tmp_path / "zones.csv"
    path.write_bytes(encoded)
    assert decode(encoded, "x").startswith("T")
    result = run(seeded, "import", "updates", str(path))
    assert result.exit_code == 0, result.output
    with session_scope(seeded) as s:
        z = s.scalars(select(Zone).where(Zone.code == "ninh-thuy")).one()
        assert (z.leasable_ha, z.leased_ha) == (1200.0, 49.9)
        assert z.events[-1].effective_on == D(2025, 9, 30)  # Excel serial 45930
    nfd = tmp_path / "nfd.csv"
    nfd.write_text(unicodedata.normalize("NFD", "Tên,Dự án thứ cấp đăng ký\n KCN  Dốc Đá Trắng ,7\n"), encoding="utf-8")
    result = run(seeded, "import", "updates", str(nfd), "--date", "01/10/2025")
    assert result.exit_code == 0, result.output
    with session_scope(seeded) as s:
        assert s.scalars(select(Zone).where(Zone.code == "doc-da-trang")).one().tenants_registered == 7


def _cp1258_char(char: str) -> str:
    """A character as Windows-1258 stores it: precomposed if it exists there, else base + combining tone mark."""
    try:
        char.encode("cp1258")
        return char
    except UnicodeEncodeError:
        base, *marks = unicodedata.normalize("NFD", char)
        if len(marks) == 1:
            return base + marks[0]
        for index, mark in enumerate(marks):  # keep the vowel's own mark (â, ê, ơ...), split the tone mark off
            candidate = unicodedata.normalize("NFC", base + mark) + "".join(marks[:index] + marks[index + 1:])
            try:
                candidate.encode("cp1258")
                return candidate
            except UnicodeEncodeError:
                continue
        raise


def test_excel_serial_dates():
    assert excel_serial_date(45930) == dt.date(2025, 9, 30)
    assert excel_serial_date(1) == dt.date(1899, 12, 31)


def test_every_problem_is_listed_and_nothing_is_written(seeded, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Mã,Công suất (MW),Dự kiến vận hành (COD)\npt2,abc,31/02/2027\nlng,1.600,\nzzz,5,\n",
                    encoding="utf-8")
    before = snapshot(seeded)
    result = run(seeded, "import", "updates", str(path))
    assert result.exit_code == 2
    assert "dòng/row 2, cột/field Công suất (MW)" in result.stderr and "không phải là số" in result.stderr
    assert "dòng/row 2, cột/field Dự kiến vận hành (COD)" in result.stderr
    assert "dòng/row 4, cột/field Mã" in result.stderr and "zzz" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(seeded) == before  # the valid row 3 was not written either


def test_timeline_problem_found_at_apply_time_rolls_back_everything(seeded, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Mã,Công suất đã vận hành (MW),Ngày hiệu lực\nlng,,\npt2,20,01/09/2025\nlng,2000,01/09/2025\n",
                    encoding="utf-8")
    before = snapshot(seeded)
    result = run(seeded, "import", "updates", str(path))
    assert result.exit_code == 2
    assert "dòng/row 4" in result.stderr and "lớn hơn công suất" in result.stderr
    assert snapshot(seeded) == before


def test_dated_rows_for_one_record_apply_in_time_and_reimport_changes_nothing(seeded, tmp_path):
    path = tmp_path / "dated.csv"
    path.write_text("Mã,Đã cho thuê (ha),Ngày hiệu lực\nninh-thuy,10,01/03/2025\nninh-thuy,25,01/06/2025\n", encoding="utf-8")
    first = run(seeded, "import", "updates", str(path))
    assert first.exit_code == 0 and "2 dòng thay đổi" in first.stdout, first.output
    after = snapshot(seeded)
    with session_scope(seeded) as s:
        assert s.scalars(select(Zone).where(Zone.code == "ninh-thuy")).one().leased_ha == 25.0
    second = run(seeded, "import", "updates", str(path))
    assert second.exit_code == 0 and "0 dòng thay đổi, 2 dòng không đổi" in second.stdout
    assert snapshot(seeded) == after
    clash = tmp_path / "clash.csv"
    clash.write_text("Mã,Đã cho thuê (ha),Ngày hiệu lực\nninh-thuy,30,01/07/2025\nninh-thuy,31,01/07/2025\n", encoding="utf-8")
    refused = run(seeded, "import", "updates", str(clash))
    assert refused.exit_code == 2 and "dòng/row 3" in refused.stderr and "đã có ở dòng 2" in refused.stderr
    assert snapshot(seeded) == after
