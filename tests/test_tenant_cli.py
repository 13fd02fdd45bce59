"""`kcn tenants` and `kcn indicators` as people run them: exit codes, messages, dry runs, Excel round trip."""

from __future__ import annotations

import json

import pytest

from cli_helpers import kcn

ADD = ["tenants", "add", "--certificate", "4321000123", "--certificate-date", "15/03/2025", "--name", "Nhà máy linh kiện ABC",
       "--investor", "ABC Co", "--country", "JP", "--zone", "ninh thuy", "--industry", "26", "--stage", "registered",
       "--capital-usd", "12.500.000", "--leased", "5,2", "--doc", "4321000123"]


def _data(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["data"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KCN_TODAY", "2026-07-15")


def test_add_update_list_show_history(bundled_url):
    result = kcn(bundled_url, *ADD)
    assert result.exit_code == 0, result.output
    assert "Đã thêm: Nhà máy linh kiện ABC [4321000123], hiệu lực 15/03/2025" in result.output
    assert "Vốn đăng ký (USD): — → 12.500.000" in result.output
    result = kcn(bundled_url, "tenants", "update", "4321000123", "--stage", "operating", "--workers-vn", "350", "--date", "30/06/2026")
    assert result.exit_code == 0 and "Giai đoạn: Đã cấp GCNĐKĐT (registered) → Đang hoạt động (operating)" in result.output
    rows = _data(kcn(bundled_url, "tenants", "list", "--zone", "ninh thuy", "--format", "json"))
    assert [(r["certificate_no"], r["stage"], r["capital_usd"], r["workers_vn"]) for r in rows] == [("4321000123", "operating", 12500000, 350)]
    early = _data(kcn(bundled_url, "tenants", "list", "--as-of", "31/12/2025", "--format", "json"))
    assert [r["stage"] for r in early] == ["registered"]
    show = kcn(bundled_url, "tenants", "show", "abc", "--format", "csv").output
    assert "country,JP" in show and "leased_ha,5.2" in show
    history = _data(kcn(bundled_url, "tenants", "history", "abc", "--format", "json"))
    assert [h["effective_on"] for h in history] == ["2025-03-15", "2026-06-30"] and history[0]["document"] == "4321000123"


def test_user_errors_are_clean_and_write_nothing(bundled_url):
    result = kcn(bundled_url, "tenants", "add", "--certificate", "12-AB", "--name", "X", "--zone", "ninh thuy", "--stage", "abc")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "digits only, at most 20" in result.stderr and "thiếu Ngày cấp GCNĐKĐT lần đầu" not in result.stderr  # parse problems first
    dry = kcn(bundled_url, *ADD, "--dry-run")
    assert dry.exit_code == 0 and dry.output.startswith("Sẽ ghi (chạy thử, chưa ghi)")
    assert _data(kcn(bundled_url, "tenants", "list", "--format", "json")) == []
    missing = kcn(bundled_url, "tenants", "show", "khong co")
    assert missing.exit_code == 2 and "Không tìm thấy dự án thứ cấp" in missing.stderr


def test_indicators_command_and_base_figure(bundled_url, tmp_path):
    assert kcn(bundled_url, *ADD).exit_code == 0
    refused = kcn(bundled_url, "indicators", "set-base", "manufacturing_enterprises", "1234", "--year", "2025")
    assert refused.exit_code == 2 and "--doc" in refused.stderr
    ok = kcn(bundled_url, "indicators", "set-base", "manufacturing_enterprises", "1.234", "--year", "2025", "--doc", "NGTK 2025")
    assert ok.exit_code == 0 and "Đã ghi manufacturing_enterprises năm 2025: 1.234" in ok.output
    again = kcn(bundled_url, "indicators", "set-base", "manufacturing_enterprises", "1300", "--year", "2025", "--doc", "NGTK 2025")
    assert again.exit_code == 2 and "--replace" in again.stderr
    data = _data(kcn(bundled_url, "indicators", "--period", "2025-Q1", "--format", "json"))
    summary = {r["key"]: r for r in data["summary"]["rows"]}
    assert summary["new_count"]["fdi"] == 1 and summary["new_capital"]["fdi"] == 12500000
    assert summary["T12"]["total"] == 0  # no tenant operates in a CCN: 0 per 1,000 enterprises
    notes = data["summary"]["notes"]
    assert "Mục tiêu T9 (bảng mục tiêu, `kcn progress`): 80 % đến 31/12/2030." in notes
    assert "Mục tiêu T12 (bảng mục tiêu, `kcn progress`): cải thiện so với kỳ trước (không có con số) đến 31/12/2026." in notes
    csv_out = kcn(bundled_url, "indicators", "--period", "2025-Q1", "--format", "csv", "--table", "countries").output
    assert csv_out.splitlines()[1].startswith("JP,Nhật Bản,1,12.5,")
    out = tmp_path / "chi-so.xlsx"
    assert kcn(bundled_url, "indicators", "--period", "2025", "--format", "xlsx", "--out", str(out)).exit_code == 0
    from openpyxl import load_workbook

    book = load_workbook(out)
    assert book.sheetnames == ["chi-so", "thu-hut-dau-tu", "ha-tang-lap-day", "san-xuat-kinh-doanh", "lao-dong", "theo-quoc-gia", "theo-nganh"]
    attracted = book["thu-hut-dau-tu"]
    assert [c.value for c in attracted[3]][:3] == ["1. Dự án cấp mới", 1, 12.5]
    bad = kcn(bundled_url, "indicators", "--period", "2026-Q5")
    assert bad.exit_code == 2 and "--period" in bad.stderr


def test_template_import_preview_and_reimport(bundled_url, tmp_path):
    assert kcn(bundled_url, *ADD).exit_code == 0
    sheet = tmp_path / "du-an.xlsx"
    assert kcn(bundled_url, "tenants", "template", "--out", str(sheet)).exit_code == 0
    from openpyxl import load_workbook

    book = load_workbook(sheet)
    ws = book["Dự án thứ cấp"]
    headers = [c.value for c in ws[1]]
    lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1 for v in ws.data_validations.dataValidation}
    country_column = ws.cell(row=1, column=headers.index("Quốc tịch nhà đầu tư") + 1).column_letter
    assert country_column in lists and book["Danh mục"].sheet_state == "hidden"
    assert "Nhật Bản" in [c.value for c in book["Danh mục"]["B"]]  # picked by name; the import reads names and codes
    assert ws.cell(row=2, column=headers.index("Quốc tịch nhà đầu tư") + 1).value == "Nhật Bản"
    ws.cell(row=2, column=headers.index("Lao động Việt Nam") + 1, value=420)
    ws.cell(row=2, column=headers.index("Ngày hiệu lực") + 1, value="30/06/2026")
    new = {"Số GCNĐKĐT (mã số dự án)": "4321000456", "Ngày cấp GCNĐKĐT lần đầu": "01/04/2026", "Tên dự án": "Xưởng may XYZ",
           "Quốc tịch nhà đầu tư": "Việt Nam", "Thuộc KCN/CCN (mã)": "ninh thuy", "Giai đoạn": "Đã cấp GCNĐKĐT",
           "Vốn đăng ký (đồng)": "45.000.000.000", "Diện tích đất thuê (ha)": 2.5}
    ws.append([new.get(h) for h in headers])
    book.save(sheet)
    preview = kcn(bundled_url, "tenants", "import", str(sheet), "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert "Xem trước (chưa ghi): 1 dự án mới, 1 dự án thay đổi, 0 dòng không đổi." in preview.output
    assert len(_data(kcn(bundled_url, "tenants", "list", "--format", "json"))) == 1  # nothing written
    assert kcn(bundled_url, "tenants", "import", str(sheet)).exit_code == 0
    rows = {r["certificate_no"]: r for r in _data(kcn(bundled_url, "tenants", "list", "--format", "json"))}
    assert rows["4321000123"]["workers_vn"] == 420 and rows["4321000456"]["fdi"] is False
    assert rows["4321000456"]["capital_vnd"] == 45000000000
    again = kcn(bundled_url, "tenants", "import", str(sheet))
    assert "0 dự án mới, 0 dự án thay đổi, 2 dòng không đổi." in again.output


def test_import_reports_every_bad_row(bundled_url, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("certificate_no,certificate_on,name,zone_code,stage,country,capital_usd\n"
                    "12A,01/01/2026,A,ninh thuy,registered,JP,10\n"
                    "4321000999,32/01/2026,B,ninh thuy,registered,JP,10\n", encoding="utf-8")
    result = kcn(bundled_url, "tenants", "import", str(path))
    assert result.exit_code == 2
    assert "dòng/row 2, cột/field certificate_no" in result.stderr and "dòng/row 3, cột/field certificate_on" in result.stderr


def test_catalogues(bundled_url):
    listing = kcn(bundled_url, "tenants", "industries", "--format", "csv").output
    assert "C,section,C,\"Công nghiệp chế biến, chế tạo\"" in listing and "QĐ 27/2018/QĐ-TTg" in listing
    added = kcn(bundled_url, "tenants", "industries", "add", "2610", "Sản xuất linh kiện điện tử", "--source", "QĐ 27/2018/QĐ-TTg")
    assert added.exit_code == 0
    assert kcn(bundled_url, "tenants", "countries", "add", "QA", "Qatar", "Qatar").exit_code == 0
    assert kcn(bundled_url, "tenants", "countries", "add", "QAT", "Qatar", "Qatar").exit_code == 2


def test_outputs_match_their_declared_schemas(engine, db_url):
    """Every tenant JSON output validates against its schema; CSV headers are the declared columns."""
    from kcn_tracker.db import session_scope
    from test_machine_interface import _check_csv, _check_json
    from tenant_fixture import build_register

    with session_scope(engine, write=True) as s:
        build_register(s)
    cases = [(("tenants", "list", "--as-of", "30/06/2026"), "tenants-list"),
             (("tenants", "show", "1000000001", "--as-of", "30/06/2026"), "tenants-show"),
             (("tenants", "history", "1000000004"), "tenants-history"),
             (("tenants", "industries"), "tenants-industries"), (("tenants", "countries"), "tenants-countries"),
             *[(("indicators", "--period", "2026-Q2", "--table", t), f"indicators-{t}")
               for t in ("summary", "attracted", "zones", "business", "workers", "countries", "industries")]]
    for args, schema in cases:
        _check_json(db_url, args, schema)
        _check_csv(db_url, args, schema)
    whole = _check_json(db_url, ("indicators", "--period", "2026-Q2", "--as-of", "15/05/2026"), "indicators")
    assert whole["as_of"] == "2026-05-15"


def test_schema_files_are_current():
    from kcn_tracker.interface.catalogue import data_schema
    from kcn_tracker.tenants.schemas import tenant_schemas

    for name, schema in tenant_schemas().items():
        assert data_schema(name) == json.loads(json.dumps(schema)), f"regenerate: python -m kcn_tracker.tenants.schemas ({name})"


@pytest.mark.parametrize("args", [("tenants", "list"), ("tenants", "show", "abc"), ("tenants", "history", "abc"),
                                  ("indicators", "--period", "2026-Q2"), ("indicators", "--period", "2026-Q2", "--format", "json")])
def test_quick_tenant_commands_skip_heavy_imports(bundled_url, args):
    from test_fast_imports import HEAVY, loaded_modules

    assert kcn(bundled_url, *ADD).exit_code == 0
    modules = loaded_modules(bundled_url, *args)
    ran = "kcn_tracker.tenants.queries" if args[0] == "tenants" and args[1] == "list" else (
        "kcn_tracker.tenants.register" if args[0] == "tenants" else "kcn_tracker.tenants.indicators")
    assert ran in modules  # the command really ran
    assert sorted(m for m in modules if m.split(".")[0] in (*HEAVY, "openpyxl")) == []


def test_control_characters_refused_and_markup_printed_literally(bundled_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no cell is folded over two lines
    args = list(ADD)
    args[args.index("Nhà máy linh kiện ABC")] = "Nhà máy \x1b[31mĐỏ\x1b[0m"
    refused = kcn(bundled_url, *args)
    assert refused.exit_code == 2 and "Tên dự án (name)" in refused.stderr and "\x1b" not in refused.stderr
    args[args.index("Nhà máy \x1b[31mĐỏ\x1b[0m")] = "Nhà máy [bold]x[/bold]"
    assert kcn(bundled_url, *args).exit_code == 0
    for command in (("tenants", "list"), ("tenants", "show", "4321000123"), ("tenants", "history", "4321000123")):
        shown = kcn(bundled_url, *command)
        assert shown.exit_code == 0 and "[bold]x[/bold]" in shown.output, command


def test_zones_show_prints_each_figure_with_its_basis(bundled_url):
    assert kcn(bundled_url, *ADD).exit_code == 0
    table = kcn(bundled_url, "zones", "show", "ninh thuy", "--as-of", "01/08/2025").output
    assert "5,2 — theo dự án thứ cấp" in table  # the tenant's lease, not a typed figure
    assert "12.500.000 — theo dự án thứ cấp" in table and "Vốn đăng ký dự án FDI (USD)" in table
    other = kcn(bundled_url, "zones", "show", "du long", "--as-of", "01/08/2025").output
    assert "Dự án thứ cấp còn hiệu lực" in other and "theo dự án thứ cấp" not in other and "chưa có số liệu" in other
    plain = _data(kcn(bundled_url, "zones", "show", "ninh thuy", "--as-of", "2025-08-01", "--format", "json"))
    figures = {f["key"]: f for f in plain["figures"]}
    assert list(figures) == ["leased_ha", "occupancy_pct", "tenants_registered", "tenants_operating", "capital_usd", "capital_vnd"]
    assert figures["leased_ha"] == {"key": "leased_ha", "value": 5.2, "basis": "tenants", "document": None, "effective_on": None}
    assert figures["capital_usd"]["value"] == 12_500_000 and figures["capital_usd"]["basis"] == "tenants"
    assert figures["tenants_registered"]["value"] == 1 and figures["capital_vnd"] == {
        "key": "capital_vnd", "value": 0, "basis": "tenants", "document": None, "effective_on": None}
    untenanted = _data(kcn(bundled_url, "zones", "show", "du long", "--as-of", "2025-08-01", "--format", "json"))
    assert [f["basis"] for f in untenanted["figures"]] == [None] * 6  # no tenants entered, no figure reported


def test_terminal_tables_name_the_country_and_machine_outputs_keep_the_code(bundled_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the list table's every column fits
    assert kcn(bundled_url, *ADD).exit_code == 0
    show = kcn(bundled_url, "tenants", "show", "4321000123").output
    assert "Nhật Bản (JP)" in show and "26 — Sản xuất sản phẩm điện tử" in show
    assert "Nhật Bản" in kcn(bundled_url, "tenants", "list").output
    assert _data(kcn(bundled_url, "tenants", "list", "--format", "json"))[0]["country"] == "JP"
    history = kcn(bundled_url, "tenants", "history", "4321000123").output
    assert "Quốc tịch nhà đầu tư" in history and "country:" not in history  # labels, never internal keys


def test_a_country_added_without_names_takes_cldr_names_and_cites_them(bundled_url):
    added = kcn(bundled_url, "tenants", "countries", "add", "QA")
    assert added.exit_code == 0 and "Qatar" in added.output and "CLDR" in added.output
    rows = _data(kcn(bundled_url, "tenants", "countries", "--format", "json"))
    qatar = next(r for r in rows if r["code"] == "QA")
    assert qatar["label_vi"] == "Qatar" and "Babel" in qatar["source"]
    assert next(r for r in rows if r["code"] == "KR")["label_vi"] == "Hàn Quốc"
    unknown = kcn(bundled_url, "tenants", "countries", "add", "QQ")
    assert unknown.exit_code == 2 and "CLDR" in unknown.stderr


def test_list_is_readable_at_80_columns(bundled_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert kcn(bundled_url, *ADD).exit_code == 0
    table = kcn(bundled_url, "tenants", "list").output
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "kcn-ninh-thuy" in table and "Nhật Bản" in table and "12.500.000" in table  # codes and figures whole
    assert "..." not in table and "…" not in table
