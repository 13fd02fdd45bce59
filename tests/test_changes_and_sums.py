"""`kcn changes` lists records created in the period; MW and ha totals are exact decimals everywhere."""

from __future__ import annotations

import re

from cli_helpers import json_data, kcn
from factories import D, add_project, add_technologies, add_zone, change
from kcn_tracker.db import session_scope
from kcn_tracker.quantities import minus, plus, total


def test_changes_lists_records_created_in_the_period(engine, db_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # no cell folded over two lines
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        old = add_zone(s, "kcn-cu", name="KCN Cũ", on=D(2025, 1, 1))
        change(s, old, D(2025, 4, 2), stage="construction")
        add_project(s, "da-moi", name="Dự án Mới", on=D(2025, 5, 10))
        add_zone(s, "ccn-sau", name="CCN Sau kỳ", kind="CCN", on=D(2025, 7, 1))
    result = kcn(db_url, "changes", "--from", "31/03/2025", "--to", "30/06/2025", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = [(r["effective_on"], r["code"], r["category"], r["field"], r["old"], r["new"]) for r in json_data(result)]
    assert rows == [("2025-04-02", "kcn-cu", "stage", "stage", "in_plan", "construction"),
                    ("2025-05-10", "da-moi", "created", "stage", None, "in_plan")]
    table = kcn(db_url, "changes", "--from", "31/03/2025", "--to", "30/06/2025")
    assert "bản ghi mới" in table.output and "Dự án Mới" in table.output
    assert "2 thay đổi" in table.output


def test_quantities_are_exact_decimals():
    assert 0.1 + 0.2 != 0.3  # the float behaviour the rule exists for
    assert total([0.1, 0.2]) == 0.3
    assert total([None, 1.5, 2]) == 3.5
    assert plus(8000.1, 517.3) == 8517.4
    assert minus(0.3, 0.1) == 0.2
    assert repr(total([2999.9, 0.1] + [0.1] * 0)) == "3000.0"


def test_exact_sums_of_figures_seen_before_and_new_ones_agree():
    """``total`` reads figures it has seen from a cache and new ones (and ints, Decimals) from their text:
    the same sum either way, in any order."""
    from decimal import Decimal

    fresh = [0.7 + i / 1000 for i in range(3)]  # floats no earlier test summed: not cached yet
    assert total([*fresh, 0.15, 0.3]) == total([0.3, *fresh, 0.15]) == 2.553
    assert total([0.15, 0.3]) == 0.45  # both cached now: 0.44999999999999996 as floats
    assert total([0.15, Decimal("0.3"), 2, None, 0.0]) == 2.45  # mixed kinds, one not cacheable
    assert total([2, 0.15]) == 2.15  # an int equal to no cached float
    assert total([1, 1.0, 0.1]) == 2.1


def _long_decimals(text: str) -> list[str]:
    return re.findall(r"\d+\.\d{5,}", text)


def test_summaries_in_json_print_the_decimal_figures(engine, db_url):
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        add_zone(s, "kcn-a", name="KCN A", on=D(2025, 1, 1))
        for code, mw in (("p1", 0.1), ("p2", 0.7)):  # as floats 0.1 + 0.7 == 0.7999999999999999 in either order
            project = add_project(s, code, capacity_mw=mw, zone_code="kcn-a", investor="A", on=D(2025, 1, 1))
            change(s, project, D(2025, 6, 1), stage="operating", capacity_operating_mw=mw)
    by_zone = kcn(db_url, "energy", "summary", "--by", "zone", "--as-of", "30/06/2025", "--format", "json")
    assert by_zone.exit_code == 0, by_zone.output
    row = json_data(by_zone)[0]
    assert (row["capacity_mw"], row["operating_mw"], row["online_in_period_mw"]) == (0.8, 0.8, 0.8)
    assert _long_decimals(by_zone.stdout) == []
    small = kcn(db_url, "energy", "summary", "--by", "year", "--as-of", "30/06/2025", "--format", "json")
    assert [r["online_mw"] for r in json_data(small)] == [0.8]
    progress = kcn(db_url, "progress", "--as-of", "30/06/2025", "--format", "json")
    assert _long_decimals(progress.stdout) == []


def test_bundled_register_totals_are_exact(bundled_url):
    for by in ("technology", "stage", "year", "zone", "investor"):
        result = kcn(bundled_url, "energy", "summary", "--by", by, "--as-of", "31/12/2025", "--format", "json")
        assert result.exit_code == 0
        assert _long_decimals(result.stdout) == [], by
    by_zone = json_data(kcn(bundled_url, "energy", "summary", "--by", "zone", "--as-of", "31/12/2025", "--format", "json"))
    assert 8517.4 in [r["capacity_mw"] for r in by_zone]
