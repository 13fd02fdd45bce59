"""Issue 14 requirement 5: the corrections of the bundled data against the documents, locked in."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from sqlalchemy import func, select

from cli_helpers import kcn
from kcn_tracker.bundled import load_bundled_data
from kcn_tracker.db import make_engine, session_scope, upgrade
from kcn_tracker.models import Event, Obstacle, Project

REPO = Path(__file__).resolve().parent.parent
HYDRO = ["td-song-giang-1", "td-phuoc-son", "td-phuoc-vinh-2", "td-phuoc-hoa", "td-thuong-song-ong-2", "td-lam-son", "td-song-cho-2"]
T6 = ["kcn-doc-da-trang", "kcn-ca-na-gd1", "kcn-ninh-xuan-1", "kcn-ninh-xuan-2", "kcn-ninh-diem-1"]


def data(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["data"]


def test_summary_before_the_list_exists_claims_no_60_projects(bundled_url):
    early = data(kcn(bundled_url, "summary", "--as-of", "01/03/2025", "--format", "json"))
    assert (early["named_projects"], early["unnamed_projects"], early["plan_projects"]) == (0, None, None)
    text = kcn(bundled_url, "summary", "--as-of", "01/03/2025").stdout
    assert "0 dự án có tên" not in text and "60 chưa nêu tên" not in " ".join(text.split())
    later = data(kcn(bundled_url, "summary", "--as-of", "31/08/2025", "--format", "json"))
    assert (later["named_projects"], later["unnamed_projects"], later["plan_projects"]) == (33, 27, 60)


def test_in_plan_events_cite_seed_004_with_an_inferred_date(bundled_url):
    engine = make_engine(bundled_url)
    with session_scope(engine) as s:
        events = [e for e in s.scalars(select(Event)) if (e.changes or {}).get("stage") == "in_plan" and e.project_id]
        by_basis = {(e.effective_on.isoformat(), e.date_basis, e.document.doc_id) for e in events}
        assert len([e for e in events if e.effective_on.isoformat() == "2025-04-15"]) == 40
        assert ("2025-04-15", "document", "qd-768-2025-ttg") not in by_basis
        assert ("2025-04-15", "inferred", "seed-004") in by_basis
        assert all("SUY LUẬN" in e.note for e in events if e.effective_on.isoformat() == "2025-04-15")
    engine.dispose()


def test_phuoc_thai_construction_completed_not_generating(bundled_url):
    for name in ("phuoc thai 2", "phuoc thai 3"):
        shown = data(kcn(bundled_url, "energy", "show", name, "--as-of", "01/08/2025", "--format", "json"))
        assert (shown["stage"], shown["construction_completed"], shown["capacity_operating_mw"]) == ("construction", True, None)
    history = data(kcn(bundled_url, "history", "phuoc thai 2", "--as-of", "31/03/2026", "--format", "json"))
    completed = [h for h in history if h["changes"].get("construction_completed") is True]
    assert len(completed) == 1 and completed[0]["date_basis"] == "unknown" and "thi công hoàn thành" in completed[0]["note"]


def test_seven_hydro_projects_have_an_inferred_technology(bundled_url):
    for code in HYDRO:
        shown = data(kcn(bundled_url, "energy", "show", code, "--as-of", "31/03/2026", "--format", "json"))
        assert (shown["technology"], shown["technology_basis"]) == ("small_hydro", "inferred"), code
        assert "chỉ gọi dự án là 'thủy điện'" in shown["note"]


def test_t6_zones_inferred_in_data_and_output(bundled_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    for code in T6:
        shown = data(kcn(bundled_url, "zones", "show", code, "--as-of", "31/03/2026", "--format", "json"))
        assert (shown["new_kcn_t6"], shown["new_kcn_t6_basis"]) == (True, "inferred"), code
    progress = data(kcn(bundled_url, "progress", "--as-of", "31/03/2026", "--format", "json"))
    assert progress["land"]["new_kcn_inferred"] == 5
    t6 = next(v for v in progress["verdicts"] if v["target_id"] == "T6")
    assert "5 KCN xếp vào T6 theo cách đọc chú thích của 003 (suy luận)" in t6["detail"]
    table = kcn(bundled_url, "progress", "--as-of", "31/03/2026").stdout
    assert "(danh sách 5 KCN mới: suy luận từ chú thích của 003)" in table


def test_ninh_thuy_note_says_operating_is_inferred_while_clearance_is_asked(bundled_url):
    shown = data(kcn(bundled_url, "zones", "show", "ninh thuy", "--as-of", "31/03/2026", "--format", "json"))
    assert shown["stage"] == "operating"
    assert "SUY LUẬN" in shown["note"] and "giải phóng mặt bằng" in shown["note"]


def test_obstacles_carry_only_what_the_document_says(bundled_url):
    rows = {r["code"]: r for r in data(kcn(bundled_url, "obstacle", "list", "--as-of", "02/12/2026", "--format", "json"))}
    assert (rows["tdtn-bac-ai"]["agency_key"], rows["tdtn-bac-ai"]["deadline_on"]) == ("nha-dau-tu", None)
    assert (rows["dg-cong-hai-1-gd2"]["agency_key"], rows["dg-cong-hai-1-gd2"]["deadline_on"]) == ("ubnd-xa", "2025-09-30")
    for code in ("dmt-phuoc-thai-2", "dmt-phuoc-thai-3"):
        assert (rows[code]["agency_key"], rows[code]["action_requested"], rows[code]["deadline_on"]) == (None, None, None)
    assert len(rows) == 5 and {r["status"] for r in rows.values()} == {"new"}


def test_sources_names_commune_sources_wri_copy_and_map_credits():
    text = (REPO / "data" / "SOURCES.md").read_text(encoding="utf-8")
    assert "loc-src:" in text and "converter data" in text
    assert "virverani/powerplants" in text and "18291c90e4678255ac481cd8040b8b2dd74604b6" in text
    assert "must carry the attributions of GEM, WRI and GeoNames" in text


def test_database_loaded_from_the_uncorrected_files_gets_no_duplicates(tmp_path):
    old = tmp_path / "old"
    shutil.copytree(REPO / "data", old)
    path = old / "energy_projects" / "events.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = [f for f in rows[0] if f not in ("expected_construction_start", "expected_first_power", "construction_completed")]
    kept = []
    for row in rows:  # the rows as they were before the correction
        if row["construction_completed"] or row["expected_construction_start"] or row["expected_first_power"]:
            continue
        if row["effective_on"] == "2025-04-15" and row["date_basis"] == "inferred" and row["document"] == "seed-004":
            row.update(date_basis="document", document="qd-768-2025-ttg", note="(old note)")
        kept.append({k: row[k] for k in fields})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    ob_path = old / "energy_projects" / "obstacles.csv"
    with ob_path.open(encoding="utf-8") as handle:
        obs = list(csv.DictReader(handle))
    with ob_path.open("w", encoding="utf-8", newline="") as handle:
        keep = ["record_code", "category", "description", "opened_on", "opened_basis", "opened_document", "resolved_on",
                "resolved_document", "note"]
        writer = csv.DictWriter(handle, fieldnames=keep, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: r[k] for k in keep} | {"note": "(old note)"} for r in obs)
    engine = make_engine(f"sqlite:///{tmp_path / 'kcn.sqlite'}")
    upgrade(engine)
    first = load_bundled_data(engine, data_dir=old)
    second = load_bundled_data(engine)  # the corrected files
    assert (second.events, second.obstacles, second.projects, second.zones) == (7, 0, 0, 0)  # 2 completions + 5 expectations
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    upgrade(fresh)
    load_bundled_data(fresh)
    with session_scope(engine) as s, session_scope(fresh) as f:
        assert s.scalar(select(func.count()).select_from(Event)) == f.scalar(select(func.count()).select_from(Event))
        assert s.scalar(select(func.count()).select_from(Obstacle)) == 5
        pt2 = s.scalars(select(Project).where(Project.code == "dmt-phuoc-thai-2")).one()
        assert pt2.construction_completed is True
    assert first.events + 7 == f_count(fresh)
    engine.dispose()
    fresh.dispose()


def f_count(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(Event))
