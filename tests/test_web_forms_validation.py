"""Web forms validate through the one validation layer (``validation.validate_form``): every problem is
shown under the input its ``Problem.field`` names, with what the user typed kept, and nothing is written."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from kcn_tracker.db import session_scope
from kcn_tracker.models import Event, Obstacle, Project
from tests.web_helpers import ORIGIN, TODAY, client, login, make_app


@pytest.fixture
def app(bundled_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", TODAY)
    return make_app(bundled_url, tmp_path / "files")


def _count(app, model) -> int:
    with session_scope(app.state.engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def _construction_project(app) -> str:
    with session_scope(app.state.engine) as session:
        return session.scalars(select(Project.code).where(Project.stage == "construction").order_by(Project.code)).first()


def test_create_form_problems_from_the_validation_layer_next_to_their_fields(app):
    c = client(app)
    csrf = login(c, "editor")
    before = _count(app, Project)
    r = c.post("/tao/projects", data={"csrf": csrf, "name": "Điện gió Kiểm Tra", "technology": "solar", "stage": "in_plan",
                                      "capacity_mw": "12", "zone_code": "khong-co-khu-nay", "effective_on": "2099-01-01",
                                      "doc_number": "90/QĐ"}, headers=ORIGIN)
    assert r.status_code == 400
    assert 'id="err-zone_code"' in r.text and 'id="err-effective_on"' in r.text
    assert 'value="2099-01-01"' in r.text and 'value="Điện gió Kiểm Tra"' in r.text
    assert 'id="err-name"' not in r.text and 'id="err-capacity_mw"' not in r.text
    assert _count(app, Project) == before


def test_edit_form_date_rule_of_the_validation_layer_is_shown_under_the_date(app):
    c = client(app)
    csrf = login(c, "editor")
    code = _construction_project(app)
    page = c.get(f"/sua/projects/{code}").text
    hidden = dict(re.findall(r'name="(version|orig_[a-z_]+)" value="([^"]*)"', page))
    before = _count(app, Event)
    r = c.post(f"/sua/projects/{code}", data={**hidden, "csrf": csrf, "investor": "Công ty Hai",
                                              "effective_on": "1990-01-01", "doc_number": "91/QĐ"}, headers=ORIGIN)
    assert r.status_code == 400
    block = r.text.split('id="f-effective_on"', 1)[1].split('<div class="field', 1)[0]
    assert 'class="field-error"' in block and "2000" in block
    assert 'value="Công ty Hai"' in r.text
    same = {k.removeprefix("orig_"): v for k, v in hidden.items() if k.startswith("orig_")}
    nothing = c.post(f"/sua/projects/{code}", data={**hidden, **same, "csrf": csrf, "effective_on": TODAY}, headers=ORIGIN)
    assert nothing.status_code == 400, nothing.text
    assert "Không có gì để cập nhật" in nothing.text
    assert _count(app, Event) == before


def test_obstacle_problems_are_placed_by_field_not_by_message_text(app):
    c = client(app)
    csrf = login(c, "editor")
    code = _construction_project(app)
    before = _count(app, Obstacle)
    r = c.post(f"/vuong-mac/mo/projects/{code}", data={"csrf": csrf, "category": "không-có-loại-này", "description": "",
                                                       "opened_on": "2099-01-01"}, headers=ORIGIN)
    assert r.status_code == 400
    for field in ("category", "description", "opened_on"):
        assert f'id="err-{field}"' in r.text, field
    assert _count(app, Obstacle) == before


def test_resolving_an_obstacle_records_the_logged_in_user(app):
    from kcn_tracker.models import ObstacleUpdate

    c = client(app)
    csrf = login(c, "editor")
    code = _construction_project(app)
    r = c.post(f"/vuong-mac/mo/projects/{code}", data={"csrf": csrf, "category": "land", "description": "Chưa giao đất",
                                                       "opened_on": "2026-06-01", "doc_number": "92/BC"}, headers=ORIGIN)
    assert r.status_code == 303
    with session_scope(app.state.engine) as session:
        obstacle_id = session.scalars(select(Obstacle.id).where(Obstacle.description == "Chưa giao đất")).one()
    ok = c.post(f"/vuong-mac/{obstacle_id}/giai-quyet", data={"csrf": csrf, "resolved_on": "2026-06-20", "doc_number": "93/BC"},
                headers=ORIGIN)
    assert ok.status_code == 303, ok.text
    with session_scope(app.state.engine) as session:
        steps = session.scalars(select(ObstacleUpdate).where(ObstacleUpdate.obstacle_id == obstacle_id)
                                .order_by(ObstacleUpdate.id)).all()
        assert len(steps) >= 2 and steps[-1].effective_on.isoformat() == "2026-06-20"
        assert {s.recorded_by for s in steps} == {"editor"}


def test_overdue_marks_on_lists_and_record_pages_and_last_confirmed(app):
    """The same overdue rule as ``kcn energy list --overdue`` and ``kcn energy show`` (overdue library)."""
    from kcn_tracker.interface.queries import record_rows

    c = client(app)
    login(c, "viewer")
    with session_scope(app.state.engine) as session:
        late = record_rows(session, "project", overdue=True)
    assert late, "the bundled register has projects past their expected COD on the pinned day"
    page = c.get("/projects?qua-han=1").text
    assert page.count("quá hạn ") - page.count("Chỉ quá hạn") == len(late)
    first = late[0]
    assert f'href="/projects/{first["code"]}"' in page
    record = c.get(f"/projects/{first['code']}").text
    assert "Quá hạn so với dự kiến" in record and f"quá hạn {first['days_overdue']}" in record.replace(".", "")
    assert "Xác nhận lần cuối:" in record and re.search(r"Xác nhận lần cuối: <strong>\d\d/\d\d/\d{4}", record)
    everything = c.get("/projects").text
    assert 'name="qua-han"' in everything


def test_obstacle_as_a_work_item_open_update_and_page(app):
    """Agency from the table, action requested, deadline, status; each update a dated, cited step."""
    from kcn_tracker.models import Agency, ObstacleUpdate

    c = client(app)
    csrf = login(c, "editor")
    code = _construction_project(app)
    with session_scope(app.state.engine) as session:
        agencies = session.scalars(select(Agency).order_by(Agency.key)).all()
        first, second = (agencies[0].key, agencies[0].name_vi), (agencies[1].key, agencies[1].name_vi)
    form = c.get(f"/vuong-mac/mo/projects/{code}").text
    assert f'<option value="{first[0]}"' in form and 'name="deadline"' in form and 'name="action_requested"' in form
    r = c.post(f"/vuong-mac/mo/projects/{code}", data={
        "csrf": csrf, "category": "land", "description": "Chưa bàn giao mặt bằng", "opened_on": "2026-05-01",
        "doc_number": "94/BC", "agency": first[0], "action_requested": "Bàn giao mặt bằng", "deadline": "2026-06-15",
        "status": "in_progress"}, headers=ORIGIN)
    assert r.status_code == 303, r.text
    with session_scope(app.state.engine) as session:
        ob = session.scalars(select(Obstacle).where(Obstacle.description == "Chưa bàn giao mặt bằng")).one()
        assert (ob.agency_key, ob.action_requested, ob.deadline.isoformat(), ob.status) == (
            first[0], "Bàn giao mặt bằng", "2026-06-15", "in_progress")
        obstacle_id, version = ob.id, ob.version
    bad = c.post(f"/vuong-mac/{obstacle_id}/cap-nhat", data={"csrf": csrf, "version": version, "effective_on": "2026-04-01",
                                                             "deadline": "không-phải-ngày"}, headers=ORIGIN)
    assert bad.status_code == 400 and 'id="err-deadline"' in bad.text
    ok = c.post(f"/vuong-mac/{obstacle_id}/cap-nhat", data={
        "csrf": csrf, "version": version, "effective_on": "2026-06-20", "agency": second[0], "deadline": "2026-09-30",
        "status": "waiting", "doc_number": "95/CV", "note": "Chuyển Sở xử lý"}, headers=ORIGIN)
    assert ok.status_code == 303, ok.text
    with session_scope(app.state.engine) as session:
        step = session.scalars(select(ObstacleUpdate).where(ObstacleUpdate.obstacle_id == obstacle_id)
                               .order_by(ObstacleUpdate.id.desc())).first()
        assert step.effective_on.isoformat() == "2026-06-20" and step.recorded_by == "editor"
        assert step.document.number == "95/CV" and step.changes["status"] == "waiting"
    page = c.get(f"/projects/{code}").text
    block = page.split("Chưa bàn giao mặt bằng", 1)[1].split('class="obstacle"', 1)[0]
    assert second[1] in block and "Chờ cơ quan khác" in block and "30/09/2026" in block
    assert "20/06/2026: Trạng thái: Chờ cơ quan khác" in block and "95/CV" in block and "Chuyển Sở xử lý" in block
    assert f'href="/vuong-mac/{obstacle_id}/cap-nhat"' in block
