"""Issue 14: overdue expectations, staleness, "confirmed unchanged", kcn alerts (explicit as-of dates only)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli_helpers import kcn
from kcn_tracker import overdue, staleness
from kcn_tracker.alerts import compute_alerts, count_kinds, counts, findings, rows
from kcn_tracker.errors import InvalidValue
from kcn_tracker.progress_records import EventRecord, ObstacleRecord, ProgressRecords, RecordTimeline

D = dt.date
AS_OF = D(2026, 12, 2)


def json_data(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["data"]


# --- overdue -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("state", "expected"), [
    ({"stage": "construction", "capacity_mw": 87.0, "expected_cod": "2025-09-30"}, [("expected_cod", 428)]),
    ({"stage": "operating", "capacity_mw": 87.0, "expected_cod": "2025-09-30"}, []),  # fulfilled
    ({"stage": "partly_operating", "capacity_mw": 87.0, "capacity_operating_mw": 40.0, "expected_cod": "2025-09-30"},
     [("expected_cod", 428)]),  # only partly: the rest is still late
    ({"stage": "suspended", "capacity_mw": 87.0, "expected_cod": "2025-09-30"}, []),  # out of the pipeline
    ({"stage": "investor_approved", "expected_construction_start": "2025-12-31"}, [("expected_construction_start", 336)]),
    ({"stage": "construction", "expected_construction_start": "2025-12-31"}, []),  # construction started
    ({"stage": "construction", "capacity_mw": 1200.0, "expected_first_power": "2026-12-01"}, [("expected_first_power", 1)]),
    ({"stage": "construction", "capacity_mw": 1200.0, "expected_first_power": "2026-12-02"}, []),  # due today: not yet late
    ({"stage": "construction", "capacity_mw": 1200.0, "capacity_operating_mw": 300.0, "expected_first_power": "2026-01-01"}, []),
])
def test_project_expectations(state, expected):
    items = overdue.overdue_items("project", state, AS_OF)
    assert [(i["expectation"], i["days_overdue"]) for i in items] == expected


def test_zone_infrastructure_expectation_and_dates_as_objects():
    state = {"stage": "construction", "expected_infrastructure_done": D(2026, 6, 30), "name": "KCN A"}
    (item,) = overdue.overdue_items("zone", state, AS_OF)
    assert (item["expectation_vi"], item["days_overdue"]) == ("Hoàn thành hạ tầng", 155)
    assert overdue.describe(item) == "Hoàn thành hạ tầng dự kiến 30/06/2026, quá hạn 155 ngày"
    assert overdue.overdue_items("zone", {**state, "stage": "operating"}, AS_OF) == []


# --- staleness -----------------------------------------------------------------------------------------

def test_add_months_clamps_to_month_end():
    assert staleness.add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert staleness.add_months(D(2025, 7, 31), 24) == D(2027, 7, 31)


def test_stale_and_maybe_stopped_thresholds():
    state = {"stage": "investor_approved"}
    fresh = staleness.assess(state, D(2026, 6, 2), AS_OF, months=6)
    assert (fresh["stale"], fresh["days_since"]) == (False, 183)  # exactly 6 months: not yet stale
    stale = staleness.assess(state, D(2026, 6, 1), AS_OF, months=6)
    assert (stale["stale"], stale["maybe_stopped"]) == (True, False)
    assert staleness.assess(state, D(2026, 6, 1), AS_OF, months=7)["stale"] is False
    old = staleness.assess(state, D(2024, 12, 1), AS_OF, months=6)
    assert (old["stale"], old["maybe_stopped"]) == (True, True)
    assert staleness.assess({"stage": "operating"}, D(2024, 12, 1), AS_OF, months=6)["maybe_stopped"] is False


def test_stale_months_setting(monkeypatch):
    monkeypatch.delenv(staleness.STALE_MONTHS_ENV, raising=False)
    assert staleness.stale_months() == 6
    monkeypatch.setenv(staleness.STALE_MONTHS_ENV, "3")
    assert staleness.stale_months() == 3 and staleness.stale_months(9) == 9
    monkeypatch.setenv(staleness.STALE_MONTHS_ENV, "sáu")
    with pytest.raises(InvalidValue, match="whole number"):
        staleness.stale_months()
    with pytest.raises(InvalidValue, match="between 1 and 120"):
        staleness.stale_months(0)


# --- alerts (plain records) ----------------------------------------------------------------------------

def _records() -> ProgressRecords:
    def project(code, *events, obstacles=()):
        return RecordTimeline(code, tuple(EventRecord(on, changes, seq=i) for i, (on, changes) in enumerate(events)),
                              tuple(obstacles))
    late = project("late", (D(2025, 4, 15), {"name": "Late solar", "stage": "construction", "capacity_mw": 50.0,
                                              "expected_cod": "2026-03-31", "geometry": "POINT (109 12)"}),
                   (D(2026, 11, 1), {}))
    silent = project("silent", (D(2024, 9, 1), {"name": "Silent wind", "stage": "prefeasibility", "geometry": "POINT (109 12)"}))
    blocked = project("blocked", (D(2026, 9, 1), {"name": "Blocked hydro", "stage": "construction", "capacity_mw": 10.0,
                                                  "expected_cod": "2027-06-30", "geometry": "POINT (109 12)"}),
                      obstacles=[ObstacleRecord("land", "Đất", D(2026, 9, 1), obstacle_id=7, agency_key="ubnd-xa",
                                                action_requested="Thu hồi đất", deadline=D(2026, 10, 18), status="waiting")])
    undated = project("undated", (D(2026, 10, 1), {"name": "Undated", "stage": "construction", "capacity_mw": 5.0}))
    future = project("future", (D(2027, 1, 1), {"name": "Not yet", "stage": "in_plan"}))
    return ProgressRecords((), (), (late, silent, blocked, undated, future), (), (("ubnd-xa", "UBND xã/phường"),))


def test_alerts_in_severity_order_with_the_right_figures():
    alerts = compute_alerts(_records(), AS_OF, stale_months=6)
    assert [(a["kind"], a["code"], a["days"]) for a in alerts] == [
        ("overdue", "late", 246),
        ("obstacle_overdue", "blocked", 45),
        ("maybe_stopped", "silent", (AS_OF - D(2024, 9, 1)).days),
        ("no_location", "undated", None),
        ("no_expected_date", "undated", None),
    ]
    assert [a["severity"] for a in alerts] == [1, 1, 2, 3, 3]
    assert "UBND xã/phường: Thu hồi đất; hạn 18/10/2026, quá hạn 45 ngày (Chờ cơ quan khác)" in alerts[1]["message"]
    assert "có thể đã dừng" in alerts[2]["message"]
    assert counts(alerts)["stale"] == 0  # "late" was confirmed on 01/11/2026 by an empty event


def test_alerts_on_an_earlier_day_and_a_shorter_threshold():
    alerts = compute_alerts(_records(), D(2026, 3, 1), stale_months=3)
    assert ("overdue", "late") not in [(a["kind"], a["code"]) for a in alerts]  # not yet due on 01/03/2026
    assert [(a["kind"], a["code"]) for a in alerts if a["severity"] == 2] == [("stale", "silent"), ("stale", "late")]
    assert "future" not in [a["code"] for a in alerts]


def test_rows_worded_on_demand_are_the_first_rows_of_the_whole_list():
    """The terminal words only the alerts it shows: the same rows, in the same order, as the whole list's first ones."""
    records = _records()
    whole = compute_alerts(records, AS_OF, stale_months=6)
    found = findings(records, AS_OF, stale_months=6)
    for limit in (1, 2, 3, len(whole)):
        assert rows(found, limit=limit) == whole[:limit]
    assert rows(found) == whole
    assert count_kinds(f[1] for f in found) == counts(whole) == {"overdue": 1, "obstacle_overdue": 1, "maybe_stopped": 1,
                                                                 "stale": 0, "no_location": 1, "no_expected_date": 1}
    only = findings(records, AS_OF, stale_months=6, kinds=("no_location", "overdue"))
    assert rows(only) == [a for a in whole if a["kind"] in ("no_location", "overdue")]


# --- CLI on the bundled register -----------------------------------------------------------------------

def test_kcn_alerts_bundled(bundled_url):
    rows = json_data(kcn(bundled_url, "alerts", "--as-of", "02/12/2026", "--format", "json"))
    overdue_rows = [(r["code"], r["expectation"], r["days"]) for r in rows if r["kind"] == "overdue"]
    assert overdue_rows[:3] == [("dg-cong-hai-1-gd2", "expected_construction_start", 428),
                                ("dmt-phuoc-thai-2", "expected_cod", 428), ("dmt-phuoc-thai-3", "expected_cod", 428)]
    assert ("td-song-giang-1", "expected_cod", 336) in overdue_rows  # in no list before issue 14
    assert [r["severity"] for r in rows] == sorted(r["severity"] for r in rows)
    obstacle = [r for r in rows if r["kind"] == "obstacle_overdue"]
    assert [(r["code"], r["agency_key"], r["days"]) for r in obstacle] == [("dg-cong-hai-1-gd2", "ubnd-xa", 428)]
    table = kcn(bundled_url, "alerts", "--as-of", "02/12/2026")
    assert table.exit_code == 0 and "Cảnh báo sớm đến ngày 02/12/2026" in table.stdout
    assert f"{len(rows)} cảnh báo — Quá hạn so với dự kiến: {len(overdue_rows)};" in " ".join(table.stdout.split())
    two = kcn(bundled_url, "alerts", "--as-of", "02/12/2026", "--limit", "2")
    cells = [line.split("│")[1:6] for line in two.stdout.splitlines() if line.startswith("│")]
    assert [c[0].strip() for c in cells if c[4].strip()] == ["cao", "cao"]  # two rows, the first two of the list
    assert [c[4].strip() for c in cells if c[4].strip()] == [str(r["days"]) for r in rows[:2]]
    assert f"Còn {len(rows) - 2} cảnh báo nhẹ hơn" in " ".join(two.stdout.split())
    bad = kcn(bundled_url, "alerts", "--kind", "nonsense")
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_confirm_resets_staleness_and_needs_a_document(bundled_url, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", "2026-12-02")
    before = json_data(kcn(bundled_url, "alerts", "--kind", "stale", "--format", "json"))
    assert "dmt-phuoc-thai-2" in [r["code"] for r in before]
    refused = kcn(bundled_url, "energy", "confirm", "phuoc thai 2")
    assert refused.exit_code == 2 and "--doc" in refused.stderr
    done = kcn(bundled_url, "energy", "confirm", "phuoc thai 2", "--doc", "45/BC-KKT", "--doc-date", "30/11/2026",
               "--date", "30/11/2026")
    assert done.exit_code == 0 and "Đã xác nhận" in done.stdout
    after = json_data(kcn(bundled_url, "alerts", "--kind", "stale", "--format", "json"))
    assert "dmt-phuoc-thai-2" not in [r["code"] for r in after] and len(after) == len(before) - 1
    shown = json_data(kcn(bundled_url, "energy", "show", "phuoc thai 2", "--format", "json"))
    assert shown["last_confirmed"]["last_confirmed_on"] == "2026-11-30" and shown["last_confirmed"]["stale"] is False
    assert shown["stage"] == "construction" and shown["construction_completed"] is True  # nothing else changed
    history = json_data(kcn(bundled_url, "history", "phuoc thai 2", "--format", "json"))
    assert history[-1]["document"] == "45/BC-KKT ngày 30/11/2026" and history[-1]["changes"] == {}
    assert history[-1]["kind"] == "confirmed"
    zone = kcn(bundled_url, "zones", "confirm", "ninh thuy", "--doc", "45/BC-KKT", "--date", "30/11/2026")
    assert zone.exit_code == 0


def test_list_overdue_and_show(bundled_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "220")  # one table line per field
    rows = json_data(kcn(bundled_url, "energy", "list", "--overdue", "--as-of", "02/12/2026", "--format", "json"))
    assert [(r["code"], r["days_overdue"]) for r in rows][:3] == [
        ("dg-cong-hai-1-gd2", 428), ("dmt-phuoc-thai-2", 428), ("dmt-phuoc-thai-3", 428)]
    assert all(r["days_overdue"] > 0 for r in rows) and len(rows) == 7
    assert json_data(kcn(bundled_url, "energy", "list", "--overdue", "--as-of", "01/09/2025", "--format", "json")) == []
    shown = json_data(kcn(bundled_url, "energy", "show", "song giang 1", "--as-of", "02/12/2026", "--format", "json"))
    assert [(o["expectation"], o["days_overdue"]) for o in shown["overdue"]] == [("expected_cod", 336)]
    table = kcn(bundled_url, "energy", "show", "song giang 1", "--as-of", "02/12/2026")
    assert "Vận hành thương mại dự kiến 31/12/2025, quá hạn 336 ngày" in table.stdout


def test_progress_states_the_overdue_rule(bundled_url):
    out = kcn(bundled_url, "progress", "--as-of", "02/12/2026")
    assert out.exit_code == 0
    text = " ".join(out.stdout.split())
    assert "Dự án chậm so với dự kiến (3 dự án, 142,5 MW)" in text
    assert "chuyển sang năm của ngày xem và chỉ tính là “có rủi ro”" in text


def test_obstacle_steps_appear_in_the_record_history(bundled_url, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", "2026-12-02")
    step = kcn(bundled_url, "obstacle", "update", "1", "--status", "waiting", "--agency", "so-nn-mt", "--date", "01/11/2026",
               "--doc", "120/UBND-KT", "--note", "Chờ thẩm định")
    assert step.exit_code == 0, step.output
    history = json_data(kcn(bundled_url, "history", "tdtn-bac-ai", "--format", "json"))
    kinds = [(h["kind"], h["effective_on"]) for h in history if h["kind"].startswith("obstacle")]
    assert kinds == [("obstacle_opened", "2025-07-31"), ("obstacle_update", "2026-11-01")]
    assert "status: waiting" in history[-1]["note"] and history[-1]["document"] == "120/UBND-KT"


def test_map_marks_overdue_records_and_completed_construction(bundled_url, tmp_path):
    from kcn_tracker.maps import read_payload

    out = tmp_path / "m.html"
    result = kcn(bundled_url, "map", "--out", str(out), "--as-of", "02/12/2026")
    assert result.exit_code == 0, result.output
    payload = read_payload(out.read_text(encoding="utf-8"))
    features = {f["p"]["code"]: f["p"] for group in ("zones", "projects") for layer in payload[group].values() for f in layer}
    features.update({f["p"]["code"]: f["p"] for kind in ("zones", "projects") for f in payload["unlocated"][kind]})
    assert features["dmt-phuoc-thai-2"]["overdue"] == "Vận hành thương mại dự kiến 30/09/2025, quá hạn 428 ngày"
    assert features["dmt-phuoc-thai-2"]["built"] == 1
    assert features["td-song-giang-1"]["overdue"] == "Vận hành thương mại dự kiến 31/12/2025, quá hạn 336 ngày"
    assert "overdue" not in features["tdtn-bac-ai"]  # unit 1 expected 12/2029: not yet due
    assert sorted(code for code, p in features.items() if "overdue" in p) == sorted([
        "dg-cong-hai-1-gd2", "dg-viet-nam-power-1", "dmt-phuoc-thai-2", "dmt-phuoc-thai-3", "nlt-phuoc-nam-enfinity",
        "td-song-giang-1", "tdtn-phuoc-hoa"])
    earlier = tmp_path / "e.html"
    assert kcn(bundled_url, "map", "--out", str(earlier), "--as-of", "01/09/2025").exit_code == 0
    assert "overdue" not in json.dumps(read_payload(earlier.read_text(encoding="utf-8"))["projects"])


def test_report_lists_late_projects_and_who_must_act(bundled_url, tmp_path, monkeypatch):
    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.periods import parse_period
    from kcn_tracker.reports.blocks import Heading, Table
    from kcn_tracker.reports.content import build_content

    monkeypatch.setenv("KCN_TODAY", "2026-12-02")
    engine = make_engine(bundled_url)
    with session_scope(engine) as session:
        content = build_content(session, parse_period("2026-Q3"), generated_at=dt.datetime(2026, 10, 5, 9, 0),
                                with_charts=False, static_map=False)
    engine.dispose()
    headings = [b.text for b in content.blocks if isinstance(b, Heading)]
    assert "1. Dự án chậm so với dự kiến" in headings and "2. Vướng mắc, kiến nghị và cơ quan chịu trách nhiệm" in headings
    tables = {t.key: t for t in content.blocks if isinstance(t, Table)}
    late = {row[1]: row for row in tables["cham-so-voi-du-kien"].rows}  # row[0]: the STT number
    assert late["Nhà máy điện mặt trời Phước Thái 2"][2:5] == ["Vận hành thương mại", D(2025, 9, 30), 365]
    assert late["Nhà máy điện mặt trời Phước Thái 2"][6].endswith("đã thi công xong, chưa phát điện")
    assert late["Nhà máy thủy điện Sông Giang 1"][4] == 273
    obstacles = {row[1]: row for row in tables["vuong-mac-co-quan"].rows}
    row = obstacles["Nhà máy điện gió Công Hải 1 – Giai đoạn 2"]
    assert (row[3], row[5], row[6]) == ("UBND xã/phường (địa phương)", D(2025, 9, 30), 365)
    assert obstacles["Nhà máy điện mặt trời Phước Thái 2"][3] == "chưa rõ (văn bản không nêu)"
