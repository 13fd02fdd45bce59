"""The validation layer: number and date rules (with Hypothesis), text, geometry, dates of events, web forms."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from cli_helpers import kcn
from factories import D
from interchange_helpers import run, seed, snapshot
from kcn_tracker.db import session_scope
from kcn_tracker.errors import InvalidValue, ValidationFailed
from kcn_tracker.fields import FIELDS, fields_for
from kcn_tracker.models import Project, Zone
from kcn_tracker.text import format_date, format_number
from kcn_tracker.validation import clean_text, parse_date, parse_decimal, parse_integer, validate_form
from kcn_tracker.validation.numeric import MAX_MAGNITUDE

TODAY = D(2026, 3, 1)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    """The CLI's "today" is TODAY whatever the machine's clock says (dates below are chosen around it)."""
    monkeypatch.setenv("KCN_TODAY", TODAY.isoformat())


@pytest.fixture
def seeded(engine):
    return seed(engine)


@pytest.mark.parametrize("text, value", [
    ("0.500", Decimal("0.5")), ("1.200", 1200), ("49,9", Decimal("49.9")), ("1,234.5", Decimal("1234.5")),
    ("1.234,5", Decimal("1234.5")), ("8.517,4", Decimal("8517.4")), ("43.5", Decimal("43.5")), ("1.234.567", 1234567),
    ("1,234,567", 1234567), ("1,234", Decimal("1.234")), ("-3", -3), ("+3", 3), ("1 200", 1200), ("", None), ("  ", None),
])
def test_the_separator_rule(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text", ["+-5", "--5", "nan", "inf", "-Infinity", "1e309", "1e27", "1E5", "0x10", ".5", "5.",
                                  "1.2.3", "1.2,3", "1,2,3", "١٢", "12 34", "5 MW", "1" * 16, "abc"])
def test_not_numbers_are_refused_naming_the_field(text):
    with pytest.raises(InvalidValue, match="capacity_mw"):
        parse_decimal(text, label="capacity_mw")


def test_integers_stay_integers():
    assert parse_integer("2.000") == 2000 and parse_integer("7") == 7
    for text in ("2,9", "2.5", "1,234", 2.5):
        with pytest.raises(InvalidValue, match="số nguyên"):
            parse_integer(text, label="tenants")


def test_python_numbers_from_cells_must_be_finite():
    assert parse_decimal(87.5) == Decimal("87.5") and parse_decimal(3) == 3
    for bad in (math.nan, math.inf, -math.inf, 1e27, True):
        with pytest.raises(InvalidValue):
            parse_decimal(bad)


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-10**12, max_value=10**12, places=3, allow_nan=False, allow_infinity=False),
       st.integers(min_value=0, max_value=3))
def test_vietnamese_format_round_trips(value, decimals):
    shown = format_number(value, decimals=decimals)
    assert parse_decimal(shown) == Decimal(shown.replace(".", "").replace(",", "."))
    assert abs(parse_decimal(shown) - value) <= Decimal(1).scaleb(-decimals)


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-10**12, max_value=10**12, places=4, allow_nan=False, allow_infinity=False))
def test_machine_numbers_round_trip(value):
    assert parse_decimal(f"{value:f}", machine=True) == value


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789.,+- eE", max_size=25), st.floats()))
def test_any_input_is_a_finite_number_or_a_clean_refusal(raw):
    try:
        number = parse_decimal(raw, label="x")
    except InvalidValue:
        return
    assert number is None or (number.is_finite() and abs(number) < MAX_MAGNITUDE)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_dates_round_trip_in_both_formats(day):
    assert parse_date(format_date(day)) == day
    assert parse_date(day.isoformat()) == day


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789/-.", max_size=12), st.integers(), st.floats()))
def test_any_date_input_is_a_date_in_range_or_a_clean_refusal(raw):
    try:
        day = parse_date(raw, label="x")
    except InvalidValue:
        return
    assert day is None or dt.date(1900, 1, 1) <= day <= dt.date(2100, 12, 31)


def test_a_typed_year_is_not_an_excel_serial_but_a_date_serial_is():
    for value in ("2026", 2026, 2026.0, "45930.5"):
        with pytest.raises(InvalidValue, match="Ngày"):
            parse_date(value, label="Ngày hiệu lực")
    assert parse_date(45930) == parse_date("45930") == D(2025, 9, 30)


def test_text_is_nfc_stripped_and_control_characters_are_refused():
    assert clean_text("  Ninh  Thu\u0309y ", label="x") == "Ninh Thủy"
    for bad in ("a\x1b[31m", "a\x00", "a\u202eb", "a\tb"):
        with pytest.raises(InvalidValue, match="điều khiển"):
            clean_text(bad, label="x")
    assert clean_text("dòng 1\r\ndòng 2", label="x", multiline=True) == "dòng 1\ndòng 2"
    with pytest.raises(InvalidValue, match="tối đa 3"):
        clean_text("abcd", label="x", max_length=3)


def test_every_string_field_fits_its_database_column():
    for spec in FIELDS:
        if spec.kind in ("str", "stage") and spec.name not in ("code",):
            column = (Zone if spec.for_zone else Project).__table__.c[spec.name]
            length = getattr(column.type, "length", None)
            if length is not None:
                assert spec.max_length == length, spec.name
            else:
                assert spec.max_length or spec.choices, spec.name
    assert {f.name for f in fields_for("project") if f.table} == {"technology", "zone_code"}


def test_web_form_gets_clean_values_or_problems_keyed_by_field(seeded):
    with session_scope(seeded) as s:
        record = s.scalars(select(Project).where(Project.code == "pt2")).one()
        clean = validate_form(s, "project", {"capacity_operating_mw": "40", "investor": " Công ty  B ", "technology": "solar"},
                              record=record, effective_on=D(2025, 10, 1), today=TODAY)
        assert clean == {"capacity_operating_mw": 40.0, "investor": "Công ty B", "technology": "solar"}
        with pytest.raises(ValidationFailed) as failed:
            validate_form(s, "project", {"capacity_operating_mw": "nan", "technology": "steam", "geometry": "POINT (0 0)",
                                         "name": "", "expected_cod": "2026"},
                          record=record, effective_on=D(2020, 1, 1), today=TODAY)
    fields = {p.field for p in failed.value.problems}
    assert {"capacity_operating_mw", "technology", "geometry", "name", "expected_cod", "effective_on"} <= fields
    with session_scope(seeded) as s:
        assert validate_form(s, "zone", {"name": "KCN Mới", "kind": "kcn", "stage": "Trong quy hoạch"}, today=TODAY) == \
            {"name": "KCN Mới", "kind": "KCN", "stage": "in_plan"}
        with pytest.raises(ValidationFailed) as missing:
            validate_form(s, "zone", {"name": "KCN Mới", "leased_ha": "1,5"}, today=TODAY)
    assert sorted(p.field for p in missing.value.problems) == ["kind", "stage"]


def test_events_before_the_record_before_2000_or_in_the_future_are_refused(seeded):
    before = snapshot(seeded)
    created = run(seeded, "energy", "update", "pt2", "--capacity", "90", "--date", "28/02/2025")
    assert created.exit_code == 2 and "trước ngày bản ghi được tạo (01/03/2025)" in created.stderr
    old = run(seeded, "energy", "update", "pt2", "--capacity", "90", "--date", "01/01/1999")
    assert old.exit_code == 2 and "--historic" in old.stderr
    obstacle = run(seeded, "obstacle", "add", "pt2", "--category", "land", "--description", "x", "--date", "01/01/2025")
    assert obstacle.exit_code == 2 and "trước ngày bản ghi được tạo" in obstacle.stderr
    assert snapshot(seeded) == before


def test_capacity_operating_above_capacity_by_a_hair_is_refused_before_the_database(seeded):
    result = run(seeded, "energy", "update", "pt2", "--capacity-operating", "87.0000000005", "--date", "01/10/2025")
    assert result.exit_code == 2 and "lớn hơn công suất" in result.stderr and "Traceback" not in result.output


def test_update_help_states_the_number_and_date_rules(tmp_path):
    for group in ("energy", "zones"):
        text = " ".join(kcn(f"sqlite:///{tmp_path / 'h.sqlite'}", group, "update", "--help").output.split())
        for words in ("1.200 = 1200", "“0.500” = 0,5", "(1,234.5)", "“2,9” bị từ chối", "--historic", "dd/mm/yyyy"):
            assert words in text, (group, words)


def test_geometry_must_be_a_drawable_type_inside_the_province(seeded):
    before = snapshot(seeded)
    for wkt, words in [("MULTIPOINT ((109.12 12.49))", "MultiPoint"), ("POINT (0 0)", "ngoài tỉnh"), ("garbage", "WKT")]:
        result = run(seeded, "energy", "update", "pt2", "--set", f"geometry={wkt}", "--date", "01/10/2025")
        assert result.exit_code == 2 and words in result.stderr and "geometry" in result.stderr
    assert snapshot(seeded) == before
    ok = run(seeded, "energy", "update", "pt2", "--set", "geometry=POINT Z (109.12 12.49 3)", "--date", "01/10/2025")
    assert ok.exit_code == 0, ok.output
    with session_scope(seeded) as s:
        stored = s.scalars(select(Project).where(Project.code == "pt2")).one().geometry
    assert shapely.from_wkt(stored).equals(shapely.Point(109.12, 12.49)) and not shapely.from_wkt(stored).has_z


def _events(engine, code):
    with session_scope(engine) as s:
        record = s.scalars(select(Project).where(Project.code == code)).one()
        return [(e.effective_on, e.changes) for e in sorted(record.events, key=lambda e: (e.effective_on, e.id))]


def test_spreadsheet_lists_every_planted_problem_in_one_run(seeded, tmp_path):
    path = tmp_path / "six.csv"
    path.write_text("Mã,Công suất (MW),Công suất đã vận hành (MW),Giai đoạn,Ngày hiệu lực,Ghi chú cập nhật\n"
                    "zzz,90,,,01/02/2026,\n"               # 2: unknown code
                    "pt2,abc,,,01/02/2026,\n"               # 3: not a number
                    "pt2,,,,31/02/2026,\n"                  # 4: not a date
                    "lng,,,construction,02/02/2026,\n"      # 5: stage rule (no investor)
                    "pt2,,100,,03/02/2026,\n"               # 6: MW above capacity
                    "pt2,,40,in_plan,04/02/2026,lùi\n",     # 7: stage contradicts MW
                    encoding="utf-8")
    before = snapshot(seeded)
    result = run(seeded, "import", "updates", str(path))
    assert result.exit_code == 2
    for row, words in [(2, "zzz"), (3, "không phải là số"), (4, "không phải ngày"), (5, "nhà đầu tư"),
                       (6, "lớn hơn công suất"), (7, "mâu thuẫn")]:
        assert any(f"dòng/row {row}," in line and words in line for line in result.stderr.splitlines()), (row, result.stderr)
    assert snapshot(seeded) == before


@pytest.mark.parametrize("header", ["Ngay hieu luc (moi)", "MW vận hành"])
def test_a_renamed_column_refuses_the_file(seeded, tmp_path, header):
    path = tmp_path / "renamed.csv"
    path.write_text(f"Mã,Công suất (MW),{header}\npt2,90,01/02/2026\n", encoding="utf-8")
    before = snapshot(seeded)
    result = run(seeded, "import", "updates", str(path), "--kind", "energy")
    assert result.exit_code == 2 and f"cột “{header}”" in result.stderr
    assert snapshot(seeded) == before


def test_without_a_date_column_or_date_option_the_file_is_refused(seeded, tmp_path):
    path = tmp_path / "nodate.csv"
    path.write_text("Mã,Công suất (MW)\npt2,90\n", encoding="utf-8")
    result = run(seeded, "import", "updates", str(path))
    assert result.exit_code == 2 and "Ngày hiệu lực" in result.stderr
    assert run(seeded, "import", "updates", str(path), "--date", "01/02/2026").exit_code == 0


def test_a_backwards_stage_with_a_prefilled_operating_mw_is_not_silently_dropped(seeded, tmp_path):
    assert run(seeded, "energy", "update", "pt2", "--stage", "operating", "--date", "01/09/2025").exit_code == 0
    path = tmp_path / "back.csv"  # the pre-filled MW cell (87 = operating) left as it was, the stage moved back
    path.write_text("Mã,Giai đoạn,Công suất đã vận hành (MW),Ngày hiệu lực,Ghi chú cập nhật\n"
                    "pt2,Đang thi công,87,01/02/2026,sự cố tổ máy\n", encoding="utf-8")
    before = snapshot(seeded)
    result = run(seeded, "import", "updates", str(path))
    assert result.exit_code == 2 and "mâu thuẫn" in result.stderr and "Giai đoạn" in result.stderr
    assert snapshot(seeded) == before
    path.write_text("Mã,Giai đoạn,Công suất đã vận hành (MW),Ngày hiệu lực,Ghi chú cập nhật\n"
                    "pt2,Đang thi công,0,01/02/2026,sự cố tổ máy\n", encoding="utf-8")
    moved = run(seeded, "import", "updates", str(path))
    assert moved.exit_code == 0 and "→ Đang thi công" in moved.stdout, moved.output


def test_a_back_dated_event_from_a_prefilled_cell_is_shown_in_the_preview(seeded, tmp_path):
    assert run(seeded, "energy", "update", "pt2", "--stage", "construction", "--date", "01/08/2025").exit_code == 0
    path = tmp_path / "late.csv"  # stage cell pre-filled with today's stage, the row dated before it
    path.write_text("Mã,Giai đoạn,Nhà đầu tư,Ngày hiệu lực\npt2,Đang thi công,Công ty B,01/06/2025\n", encoding="utf-8")
    result = run(seeded, "import", "updates", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "hiệu lực 01/06/2025 (sự kiện chèn vào quá khứ / back-dated)" in result.stdout
    assert "Giai đoạn: Đã chấp thuận nhà đầu tư → Đang thi công" in result.stdout
    assert "Nhà đầu tư: Công ty A → Công ty B" in result.stdout


def test_cli_and_import_derive_implied_changes_from_the_state_on_the_effective_date(seeded, tmp_path):
    assert run(seeded, "energy", "update", "pt2", "--stage", "construction", "--date", "01/08/2025").exit_code == 0
    assert run(seeded, "energy", "update", "pt2", "--stage", "operating", "--date", "01/12/2025").exit_code == 0
    late = run(seeded, "energy", "update", "pt2", "--capacity-operating", "40", "--date", "15/10/2025", "--dry-run")
    assert late.exit_code == 0 and "Giai đoạn: Đang thi công → Vận hành một phần" in late.stdout, late.output
    path = tmp_path / "late.csv"
    path.write_text("Mã,Công suất đã vận hành (MW),Ngày hiệu lực\npt2,40,15/10/2025\n", encoding="utf-8")
    assert run(seeded, "import", "updates", str(path)).exit_code == 0
    imported = _events(seeded, "pt2")[-2]
    assert imported == (D(2025, 10, 15), {"capacity_operating_mw": 40.0, "stage": "partly_operating"})


def test_utf16_csv_with_bom_imports_and_a_5_mb_cell_is_refused_by_row(seeded, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("Mã\tNhà đầu tư\tNgày hiệu lực\npt2\tCông ty Ư\t01/02/2026\n".encode("utf-16"))
    result = run(seeded, "import", "updates", str(path))
    assert result.exit_code == 0 and "Công ty Ư" in result.stdout, result.output
    huge = tmp_path / "huge.csv"
    huge.write_text("Mã,Ghi chú,Ngày hiệu lực\npt2,\"" + "h" * 5_000_000 + "\",01/02/2026\n", encoding="utf-8")
    refused = run(seeded, "import", "updates", str(huge))
    assert refused.exit_code != 0 and "huge.csv, dòng/row 2" in refused.stderr and "Traceback" not in refused.output


def test_database_checks_refuse_what_validation_refuses_and_match_the_declarations(seeded):
    import importlib.util

    from sqlalchemy import text as sql
    from sqlalchemy.exc import IntegrityError

    from kcn_tracker.db import MIGRATIONS_DIR

    spec = importlib.util.spec_from_file_location("m0002", MIGRATIONS_DIR / "versions" / "0002_value_checks.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    declared = {f.name: f.maximum for f in FIELDS if f.maximum is not None}
    for checks in migration.CHECKS.values():
        for condition in checks.values():
            if "<=" in condition:
                column = condition.split()[0]
                assert condition.endswith(f"<= {declared[column]:g})"), condition
    for statement in ("UPDATE projects SET capacity_mw = 1e27", "UPDATE projects SET voltage_kv = -1",
                      "UPDATE zones SET tenants_registered = 2147483647", "UPDATE zones SET location_precision = 'exact'"):
        with pytest.raises(IntegrityError), seeded.begin() as conn:
            conn.execute(sql(statement))
