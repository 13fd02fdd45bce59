"""Reporting periods and the reporting rhythm (FACTS.md §4)."""

import datetime as dt

import pytest

from cli_helpers import kcn
from kcn_tracker.errors import InvalidValue
from kcn_tracker.periods import next_deadlines, parse_period, period_between

D = dt.date


@pytest.mark.parametrize("text, key, after, end, label", [
    ("2026-Q2", "2026-Q2", D(2026, 3, 31), D(2026, 6, 30), "Quý 2/2026"),
    ("2026q1", "2026-Q1", D(2025, 12, 31), D(2026, 3, 31), "Quý 1/2026"),
    ("2026-Q4", "2026-Q4", D(2026, 9, 30), D(2026, 12, 31), "Quý 4/2026"),
    ("2026-H1", "2026-H1", D(2025, 12, 31), D(2026, 6, 30), "6 tháng đầu năm 2026"),
    ("2026-h2", "2026-H2", D(2026, 6, 30), D(2026, 12, 31), "6 tháng cuối năm 2026"),
    ("2026", "2026", D(2025, 12, 31), D(2026, 12, 31), "Năm 2026"),
    ("2024-Q1", "2024-Q1", D(2023, 12, 31), D(2024, 3, 31), "Quý 1/2024"),
])
def test_parse_period(text, key, after, end, label):
    period = parse_period(text)
    assert (period.key, period.after, period.end, period.label_vi) == (key, after, end, label)
    assert period.first_day == after + dt.timedelta(days=1)


@pytest.mark.parametrize("text", ["2026-Q5", "2026-H3", "Q2", "26-Q2", "2026-Q0", "abc", ""])
def test_bad_periods_are_refused_with_the_accepted_forms(text):
    with pytest.raises(InvalidValue, match="2026-Q2"):
        parse_period(text)


def test_period_between_names_exact_quarters_and_keeps_custom_ranges():
    assert period_between(D(2026, 3, 31), D(2026, 6, 30)).key == "2026-Q2"
    assert period_between(D(2025, 12, 31), D(2026, 12, 31)).key == "2026"
    custom = period_between(D(2026, 4, 10), D(2026, 5, 15))
    assert (custom.kind, custom.key, custom.label_vi) == ("custom", "2026-04-10_2026-05-15", "Từ 11/04/2026 đến 15/05/2026")
    with pytest.raises(InvalidValue, match="--to"):
        period_between(D(2026, 5, 15), D(2026, 4, 10))


def _summary(today):
    return [(d.due_before, d.rule.key, d.period.key) for d in next_deadlines(today)]


def test_next_deadlines_in_may():
    assert _summary(D(2026, 5, 10)) == [
        (D(2026, 6, 5), "kkt-half", "2026-H1"),
        (D(2026, 6, 20), "kkt-quarter", "2026-Q2"),
        (D(2026, 6, 25), "sct-half", "2026-H1"),
        (D(2026, 12, 1), "kkt-year", "2026"),
        (D(2026, 12, 20), "sct-year", "2026"),
    ]


def test_next_deadlines_roll_over_the_year_and_include_the_due_day_itself():
    # 20/12 is both the Q4 board report (20th of the quarter's last month) and Sở Công Thương's annual one.
    assert _summary(D(2026, 12, 20))[:2] == [(D(2026, 12, 20), "kkt-quarter", "2026-Q4"), (D(2026, 12, 20), "sct-year", "2026")]
    assert _summary(D(2026, 12, 21)) == [
        (D(2027, 3, 20), "kkt-quarter", "2027-Q1"),
        (D(2027, 6, 5), "kkt-half", "2027-H1"),
        (D(2027, 6, 25), "sct-half", "2027-H1"),
        (D(2027, 12, 1), "kkt-year", "2027"),
        (D(2027, 12, 20), "sct-year", "2027"),
    ]


def test_sct_annual_keeps_both_citations():
    rule = next(d.rule for d in next_deadlines(D(2026, 1, 1)) if d.rule.key == "sct-year")
    assert "003 §IV" in rule.citation and "20 tháng 12" in rule.citation
    assert "004 §III" in rule.alternative and "25/12" in rule.alternative


def test_cli_due(tmp_path):
    result = kcn(f"sqlite:///{tmp_path / 'x.sqlite'}", "report", "--due", "--today", "10/05/2026")
    assert result.exit_code == 0, result.output
    assert "05/06/2026" in result.stdout and "20/06/2026" in result.stdout and "2026-Q2" in result.stdout
    assert "Quý 2/2026" in result.stdout


def test_cli_period_errors_are_clean(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = kcn(url, "report", "--period", "2026-Q9")
    assert result.exit_code == 2 and "2026-Q2" in result.stderr and "Traceback" not in result.output
    result = kcn(url, "report")
    assert result.exit_code == 2 and "--period" in result.stderr
    result = kcn(url, "report", "--period", "2026-Q2", "--from", "31/03/2026", "--to", "30/06/2026")
    assert result.exit_code == 2 and "không dùng cả hai" in result.stderr
