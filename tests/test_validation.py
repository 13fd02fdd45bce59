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
