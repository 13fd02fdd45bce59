"""Obstacles as work items: agency, action, deadline, status, history; a second resolution is refused
(row lock + version) on SQLite and PostgreSQL; the migration carries existing obstacles over."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select, text

from cli_helpers import kcn, kcn_process
from factories import D, add_project, add_technologies
from kcn_tracker.db import make_engine, session_scope, upgrade
from kcn_tracker.errors import ConcurrentUpdate, InvalidValue
from kcn_tracker.models import Obstacle
from kcn_tracker.obstacles.service import (
    HOLD_ENV, ObstacleClosed, add_agency, close_obstacle, obstacle_history, obstacle_rows, open_obstacle, update_obstacle,
)
from kcn_tracker.obstacles.work import assess, filter_rows
from kcn_tracker.workflow import DocumentRef, find_or_add_document

TODAY = D(2026, 12, 2)


@pytest.fixture
def seeded(engine):
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        project = add_project(s, "bac-ai", name="Thủy điện tích năng Bác Ái", technology="pumped_storage", capacity_mw=1200.0)
        ob = open_obstacle(s, project, category="land", description="Thu hồi đất còn vướng", opened_on=D(2025, 7, 31),
                           agency="ubnd xa", action="Hoàn thành thu hồi đất", deadline=D(2026, 10, 18), today=TODAY, by="an")
        obstacle_id = ob.id
    return engine, obstacle_id


def test_work_item_fields_history_and_overdue(seeded):
    engine, obstacle_id = seeded
    with session_scope(engine) as s:
        row = next(r for r in obstacle_rows(s, TODAY) if r["id"] == obstacle_id)
    assert (row["agency_key"], row["agency"], row["status_label"]) == ("ubnd-xa", "UBND xã/phường (địa phương)", "Mới phát sinh")
    assert row["overdue_days"] == 45 and row["age_days"] == (TODAY - D(2025, 7, 31)).days
    with session_scope(engine, write=True) as s:
        doc = find_or_add_document(s, DocumentRef("120/UBND-KT", D(2026, 11, 1)))
        update_obstacle(s, obstacle_id, effective_on=D(2026, 11, 2), status="waiting", agency="so-nn-mt",
                        document=doc, note="Chờ Sở NN&MT thẩm định phương án", today=TODAY)
    with session_scope(engine) as s:
        ob, history = obstacle_history(s, obstacle_id)
        assert (ob.status, ob.agency_key, ob.action_requested, ob.version) == ("waiting", "so-nn-mt", "Hoàn thành thu hồi đất", 2)
    assert [h["status"] for h in history] == ["new", "waiting"]
    assert history[1]["document"] == "120/UBND-KT ngày 01/11/2026" and history[1]["agency"] == "Sở Nông nghiệp và Môi trường"


def test_filters_by_agency_status_and_overdue():
    rows = [assess({"id": 1, "opened_on": D(2026, 1, 1), "status": "new", "agency_key": "ubnd-xa", "deadline": D(2026, 6, 30)}, TODAY),
            assess({"id": 2, "opened_on": D(2026, 1, 1), "status": "waiting", "agency_key": "so-tai-chinh", "deadline": D(2027, 1, 1)}, TODAY),
            assess({"id": 3, "opened_on": D(2026, 1, 1), "status": "resolved", "agency_key": "ubnd-xa", "deadline": D(2026, 2, 1),
                    "resolved_on": D(2026, 3, 1)}, TODAY)]
    assert [r["id"] for r in filter_rows(rows, overdue=True)] == [1]  # a closed obstacle is never overdue
    assert [r["id"] for r in filter_rows(rows, agency="ubnd-xa")] == [1, 3]
    assert [r["id"] for r in filter_rows(rows, status="waiting")] == [2]
    assert rows[2]["age_days"] == 59 and rows[0]["overdue_days"] == (TODAY - D(2026, 6, 30)).days


def test_second_resolution_is_refused_and_the_first_is_kept(seeded):
    engine, obstacle_id = seeded
    with session_scope(engine, write=True) as s:
        close_obstacle(s, obstacle_id, closed_on=D(2026, 11, 20), note="đã thu hồi xong", today=TODAY)
    with pytest.raises(ObstacleClosed, match="first resolution is kept"):
        with session_scope(engine, write=True) as s:
            close_obstacle(s, obstacle_id, closed_on=D(2026, 12, 1), note="lần hai", today=TODAY)
    with pytest.raises(ObstacleClosed):
        with session_scope(engine, write=True) as s:
            update_obstacle(s, obstacle_id, status="in_progress", today=TODAY)
    with session_scope(engine) as s:
        ob = s.get(Obstacle, obstacle_id)
        assert (ob.resolved_on, ob.resolution_note, ob.status, ob.version, len(ob.updates)) == (D(2026, 11, 20), "đã thu hồi xong", "resolved", 2, 2)


def test_stale_write_is_refused_by_the_version(seeded):
    engine, obstacle_id = seeded
    with session_scope(engine) as s:
        read_version = s.get(Obstacle, obstacle_id).version
    with session_scope(engine, write=True) as s:
        update_obstacle(s, obstacle_id, note="tin mới", today=TODAY)
    with pytest.raises(ConcurrentUpdate, match="changed since you read it"):
        with session_scope(engine, write=True) as s:
            close_obstacle(s, obstacle_id, expected_version=read_version, today=TODAY)
    with session_scope(engine) as s:
        assert s.get(Obstacle, obstacle_id).status == "new"


def test_two_processes_resolving_one_obstacle_one_wins(seeded, db_url):
    engine, obstacle_id = seeded
    first = kcn_process(db_url, "obstacle", "resolve", str(obstacle_id), "--date", "20/11/2026", "--doc", "A-1", "--by", "an",
                        env={HOLD_ENV: "2", "KCN_TODAY": "2026-12-02"})
    time.sleep(0.8)
    second = kcn_process(db_url, "obstacle", "resolve", str(obstacle_id), "--date", "25/11/2026", "--doc", "B-2", "--by", "binh",
                         env={"KCN_TODAY": "2026-12-02"})
    outcomes = [p.communicate(timeout=60) + (p.returncode,) for p in (first, second)]
    assert [code for _, _, code in outcomes] == [0, 2], outcomes
    assert "already closed" in outcomes[1][1] and "Traceback" not in outcomes[1][1]
    with session_scope(engine) as s:
        ob = s.get(Obstacle, obstacle_id)
        assert (ob.resolved_on, ob.resolved_document.number, ob.version) == (D(2026, 11, 20), "A-1", 2)
        assert [u.recorded_by for u in ob.updates] == ["an", "an"]


def test_agency_list_is_extensible_and_unknown_agency_is_refused(seeded):
    engine, obstacle_id = seeded
    with session_scope(engine, write=True) as s:
        add_agency(s, "so-tu-phap", "Sở Tư pháp", name_en="Department of Justice")
        update_obstacle(s, obstacle_id, agency="Sở Tư pháp", today=TODAY)
    with pytest.raises(InvalidValue, match="không rõ"):
        with session_scope(engine, write=True) as s:
            update_obstacle(s, obstacle_id, agency="Bộ Ngoại giao", today=TODAY)
    with session_scope(engine) as s:
        assert s.get(Obstacle, obstacle_id).agency_key == "so-tu-phap"


def test_migration_carries_existing_obstacles_over(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    with engine.begin() as c:
        c.execute(text("INSERT INTO technologies (key, label_vi, label_en) VALUES ('solar', 'điện mặt trời', 'solar')"))
        c.execute(text("INSERT INTO projects (code, name, name_key, location_precision, version, technology, technology_basis, "
                       "plan_role, in_plan_60, needs_investor) VALUES ('p', 'P', 'p', 'none', 1, 'solar', 'stated', 'named', "
                       "false, true)"))
        pid = c.execute(text("SELECT id FROM projects")).scalar()
        for resolved in ("NULL", "'2026-01-05'"):
            c.execute(text(f"INSERT INTO obstacles (project_id, category, description, opened_on, opened_basis, resolved_on, "
                           f"recorded_by, recorded_at, origin) VALUES ({pid}, 'land', 'Đất', '2025-07-31', 'document', {resolved}, "
                           "'an', '2025-08-01 00:00:00+00', 'cli')"))
    upgrade(engine)
    with session_scope(engine) as s:
        obstacles = list(s.scalars(select(Obstacle).order_by(Obstacle.id)))
        assert [(o.status, o.version, [u.changes["status"] for u in o.updates]) for o in obstacles] == [
            ("new", 1, ["new"]), ("resolved", 1, ["new", "resolved"])]
        assert obstacles[0].updates[0].note == "Đất"
        agencies = s.execute(text("SELECT count(*) FROM agencies")).scalar()
    assert agencies >= 8
    engine.dispose()


def test_cli_list_filters_and_refusals(bundled_url, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", "2026-12-02")
    listed = kcn(bundled_url, "obstacle", "list", "--overdue", "--format", "json")
    rows = json.loads(listed.stdout)["data"]
    assert [(r["code"], r["agency_key"], r["overdue_days"]) for r in rows] == [("dg-cong-hai-1-gd2", "ubnd-xa", 428)]
    by_agency = json.loads(kcn(bundled_url, "obstacle", "list", "--agency", "nha-dau-tu", "--format", "json").stdout)["data"]
    assert sorted(r["code"] for r in by_agency) == ["dg-cong-hai-1-gd1", "tdtn-bac-ai"]
    table = kcn(bundled_url, "obstacle", "list")
    assert "Vướng mắc, kiến nghị và cơ quan chịu trách nhiệm" in table.stdout and "5 vướng mắc; quá hạn: 1" in table.stdout
    bad = kcn(bundled_url, "obstacle", "resolve", "99999999999999999999")
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    dropped = kcn(bundled_url, "obstacle", "drop", "1")
    assert dropped.exit_code == 2 and "--note" in dropped.stderr


def test_exported_obstacles_carry_agency_deadline_and_status_on_the_day(seeded):
    from kcn_tracker.exporters.tables import obstacle_table

    engine, obstacle_id = seeded
    with session_scope(engine, write=True) as s:
        update_obstacle(s, obstacle_id, effective_on=D(2026, 11, 2), status="waiting", today=TODAY)
    with session_scope(engine) as s:
        before = obstacle_table(s, as_of=D(2026, 10, 1)).rows[0]
        after = obstacle_table(s, as_of=TODAY).rows[0]
    assert (before["status"], before["overdue_days"], before["agency"]) == ("Mới phát sinh", None, "UBND xã/phường (địa phương)")
    assert (after["status"], after["overdue_days"], after["deadline"]) == ("Chờ cơ quan khác", 45, D(2026, 10, 18))
