"""``kcn progress`` and ``kcn energy summary``: exit codes, machine formats, Vietnamese tables, --as-of."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from cli_helpers import kcn, json_data
from test_progress import build_tiny_register


def test_progress_json_on_bundled_data(bundled_url):
    result = kcn(bundled_url, "progress", "--as-of", "31/03/2026", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["as_of"] == "2026-03-31"
    data = json_data(result)
    energy = {e["target_id"]: e for e in data["energy"]}
    assert set(energy) == {"T2", "T2a", "T2b", "T2c", "T2d"}
    assert energy["T2"]["target_mw"] == 8200 and energy["T2b"]["unknown_date_mw"] == 93
    assert [p["code"] for p in data["parts"] if p["status"] == "unknown_date"] == ["dg-hanbaram"]
    assert {v["target_id"] for v in data["verdicts"]} >= {"T1", "T2", "T3", "T4", "T5", "T6"}
    assert all(isinstance(s["days_open"], int) for s in data["stuck"]) and len(data["stuck"]) == 5
    assert data["land"]["t4_occupancy_pct"] is None
    # a stuck record's size in its unit: MW for projects, hectares for zones, the other key null
    assert {s["record_type"] for s in data["stuck"]} == {"project"}
    assert all(s["area_ha"] is None and s["mw"] is not None for s in data["stuck"]), data["stuck"]


def test_progress_table_is_vietnamese_and_says_what_is_missing(bundled_url):
    result = kcn(bundled_url, "progress", "--as-of", "31/03/2026")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for words in ("Tiến độ so với mục tiêu 2030", "31/03/2026", "Đánh giá", "chưa có số liệu", "Vướng mắc đang mở",
                  "Quy tắc đánh giá", "8.200", "200 MW", "Hanbaram", "chưa rõ ngày", "trước 2025", "chậm tiến độ"):
        assert words in out, words
    assert re.search(r"(?<![\d.,])0 %", out) is None  # missing occupancy is never shown as 0 %


def test_progress_details_and_csv(bundled_url):
    details = kcn(bundled_url, "progress", "--as-of", "31/03/2026", "--details")
    assert details.exit_code == 0 and "MW theo giai đoạn và công nghệ" in details.stdout
    assert "LNG" in details.stdout or "lng" in details.stdout
    rows = list(csv.DictReader(io.StringIO(kcn(bundled_url, "progress", "--format", "csv").stdout)))
    assert rows and set(rows[0]) == {"section", "item", "field", "value"}
    target = [r for r in rows if r["section"] == "energy" and r["item"] == "T2" and r["field"] == "target_mw"]
    assert target and float(target[0]["value"]) == 8200


def test_bad_as_of_is_a_clean_error(bundled_url):
    result = kcn(bundled_url, "progress", "--as-of", "31/02/2026")
    assert result.exit_code == 2 and "--as-of" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("by", ["technology", "stage", "year", "zone", "investor"])
def test_energy_summary_every_grouping(bundled_url, by):
    result = kcn(bundled_url, "energy", "summary", "--by", by, "--as-of", "31/03/2026", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json_data(result)
    assert rows
    if by == "technology":
        by_key = {r["key"]: r for r in rows}
        assert by_key["lng"]["capacity_mw"] == 1500 and by_key["onshore_wind"]["not_counted_mw"] == 93
        assert round(sum(r["capacity_mw"] for r in rows), 1) == 8517.4  # nuclear/transmission carry no MW
    if by == "year":
        assert {r["key"] for r in rows} >= {2026, 2030}


def test_energy_summary_table_and_bad_grouping(bundled_url):
    table = kcn(bundled_url, "energy", "summary")
    assert table.exit_code == 0 and "Tổng hợp công suất (MW) theo công nghệ" in table.stdout and "Hanbaram" in table.stdout
    bad = kcn(bundled_url, "energy", "summary", "--by", "colour")
    assert bad.exit_code == 2


def test_as_of_before_and_after_an_event(engine, db_url):
    build_tiny_register(engine)
    before = json_data(kcn(db_url, "progress", "--as-of", "31/12/2025", "--format", "json"))
    after = json_data(kcn(db_url, "progress", "--as-of", "2026-06-30", "--format", "json"))
    solar = lambda data: next(e for e in data["energy"] if e["target_id"] == "T2a")  # noqa: E731
    assert (solar(before)["counted_mw"], solar(after)["counted_mw"]) == (40, 100)
    assert (before["land"]["new_land_ha"], after["land"]["new_land_ha"]) == (0, 200)
    year = json_data(kcn(db_url, "energy", "summary", "--by", "year", "--as-of", "2026-06-30", "--format", "json"))
    assert {(r["key"], r["technology"]): r["online_mw"] for r in year if r["online_mw"]} == {
        (2024, "onshore_wind"): 30, (2025, "onshore_wind"): 20, (2025, "solar"): 40, (2026, "solar"): 60}


def test_long_overdue_and_stuck_lists_are_cut_without_details(engine, db_url):
    """A national register has thousands of overdue projects: the summary shows the 20 most overdue
    and says how many more there are; --details shows them all."""
    import datetime as dt

    from factories import add_project, add_technologies
    from kcn_tracker.db import session_scope
    from kcn_tracker.models import Obstacle

    with session_scope(engine, write=True) as s:
        add_technologies(s)
        for i in range(23):
            project = add_project(s, f"late-{i:02d}", on=dt.date(2025, 1, 1), stage="construction", investor="A",
                                  expected_cod=dt.date(2026, 1, 1) + dt.timedelta(days=i))
            s.add(Obstacle(project=project, category="land", description=f"Vướng {i:02d}", opened_on=dt.date(2025, 2, 1),
                           recorded_by="test", recorded_at=dt.datetime(2025, 2, 1)))
    short = kcn(db_url, "progress", "--as-of", "01/06/2026")
    assert short.exit_code == 0, short.output
    assert "Dự án chậm so với dự kiến (23 dự án" in short.stdout and "Vướng mắc đang mở (23)" in short.stdout
    assert "… và 3 dự án khác (xem --details)" in short.stdout and "… và 3 vướng mắc khác (xem --details)" in short.stdout
    # the most overdue first: the three with the latest expected dates are the ones left out
    assert "Late 00" in short.stdout and "Late 19" in short.stdout and "Late 22" not in short.stdout
    full = kcn(db_url, "progress", "--as-of", "01/06/2026", "--details")
    assert "Late 22" in full.stdout and "Vướng 22" in full.stdout and "khác (xem --details)" not in full.stdout


def test_overdue_and_undated_totals_are_exact_decimal_sums(engine, db_url):
    """0,15 + 0,3 MW is 0,45 MW, shown as 0,5: a float sum (0.44999999999999996) would show 0,4."""
    import datetime as dt

    from factories import add_project, add_technologies
    from kcn_tracker.db import session_scope

    with session_scope(engine, write=True) as s:
        add_technologies(s)
        for code, mw in (("late-a", 0.15), ("late-b", 0.3)):
            add_project(s, code, on=dt.date(2025, 1, 1), stage="construction", investor="A", capacity_mw=mw,
                        expected_cod=dt.date(2026, 1, 1))
        for code, mw in (("undated-a", 0.35), ("undated-b", 0.1)):
            add_project(s, code, on=dt.date(2025, 1, 1), stage="construction", investor="A", capacity_mw=mw)
    result = kcn(db_url, "progress", "--as-of", "01/06/2026")
    assert result.exit_code == 0, result.output
    assert "Dự án chậm so với dự kiến (2 dự án, 0,5 MW)" in result.stdout
    assert "2 dự án, 0,5 MW còn lại" in result.stdout


def test_years_table_never_cuts_a_national_figure(capsys, monkeypatch):
    """Six years of national-scale figures do not fit 80 columns: the years are split over tables of
    consecutive years, every figure printed whole (rich would cut them to “(-71.802,…”)."""
    import datetime as dt

    from kcn_tracker.cli.progress_cmds import _years_tables
    from kcn_tracker.cli.render import console
    from kcn_tracker.progress import EnergyTarget, ProgressReport

    monkeypatch.setenv("COLUMNS", "80")
    years = range(2025, 2031)
    energy = [EnergyTarget(tid, tid, 8200.0, dt.date(2025, 1, 1), dt.date(2030, 12, 31),
                           cumulative_by_year={y: 80002.8 + 160000 * (y - 2025) + i for y in years},
                           gap_by_year={y: -(71802.8 + 160000 * (y - 2025) + i) for y in years})
              for i, tid in enumerate(("T2", "T2a", "T2b"))]
    report = ProgressReport.__new__(ProgressReport)
    report.energy = energy
    out = console()
    tables = _years_tables(report, out.width)
    assert len(tables) == 2  # 2025–2027 and 2028–2030
    for table in tables:
        out.print(table)
    text = capsys.readouterr().out
    assert "…" not in text and max(map(len, text.splitlines())) <= 80
    from kcn_tracker.text import format_number

    for e in energy:
        for y in years:
            assert format_number(e.cumulative_by_year[y]) in text and f"({format_number(e.gap_by_year[y])})" in text
