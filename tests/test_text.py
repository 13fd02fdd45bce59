import datetime as dt
import unicodedata

import pytest

from kcn_tracker.errors import InvalidValue
from kcn_tracker.text import fold, format_date, format_number, format_percent, nfc, parse_date, parse_number


def test_fold_matches_without_accents_and_across_nfd():
    assert fold("Dốc Đá Trắng") == "doc da trang"
    assert fold(unicodedata.normalize("NFD", "  Dốc   Đá Trắng ")) == fold("doc da trang")
    assert nfc(unicodedata.normalize("NFD", "Ninh Thủy")) == "Ninh Thủy"


@pytest.mark.parametrize("value, text", [(8517.4, "8.517,4"), (1500, "1.500"), (43.5, "43,5"), (0, "0"),
                                         (2329.9, "2.329,9"), (-1200.25, "-1.200,3"), (1234567, "1.234.567")])
def test_vietnamese_number_format(value, text):
    assert format_number(value) == text


def test_percent_says_no_data_instead_of_zero():
    assert format_percent(None) == "chưa có số liệu"
    assert format_percent(0.7) == "70 %"


@pytest.mark.parametrize("text, value", [("1.200", 1200), ("49,9", 49.9), ("8.517,4", 8517.4), ("43.5", 43.5),
                                         ("1,200.5", 1200.5), (" 12 ", 12), ("", None), (7, 7.0)])
def test_parse_vietnamese_numbers(text, value):
    assert parse_number(text) == value


def test_parse_number_rejects_text_naming_the_field():
    with pytest.raises(InvalidValue, match="capacity"):
        parse_number("mười hai", field="capacity")


def test_dates_both_ways():
    assert parse_date("14/4/2025") == dt.date(2025, 4, 14)
    assert parse_date("2025-04-14") == dt.date(2025, 4, 14)
    assert format_date(dt.date(2025, 4, 14)) == "14/04/2025"
    with pytest.raises(InvalidValue, match="dd/mm/yyyy"):
        parse_date("31/02/2025")
