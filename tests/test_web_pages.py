"""Web pages over the library: dashboard = kcn progress, lists, record pages, edits, stale refusal,
creation, obstacles, PDF attachments, spreadsheet preview/confirm, and literal display of markup."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from kcn_tracker.db import session_scope
from kcn_tracker.models import Event, Project
from kcn_tracker.models_accounts import Attachment
from kcn_tracker.text import format_number
from tests.web_helpers import ORIGIN, TODAY, client, login, make_app

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def app(bundled_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", TODAY)
    return make_app(bundled_url, tmp_path / "files")


def _project(app, **where) -> Project:
    with session_scope(app.state.engine) as session:
        stmt = select(Project).order_by(Project.code)
        for name, value in where.items():
            stmt = stmt.where(getattr(Project, name) == value)
        return session.scalars(stmt).first()


def _edit(c, code: str, kind: str = "projects"):
    page = c.get(f"/sua/{kind}/{code}").text
    hidden = dict(re.findall(r'name="(version|orig_[a-z_]+)" value="([^"]*)"', page))
    return page, hidden


def test_dashboard_shows_the_numbers_of_kcn_progress(app):
    from kcn_tracker.progress import compute_progress
    from kcn_tracker.progress_data import load_records

    c = client(app)
    login(c, "viewer")
    with app.state.engine.connect() as conn:
        report = compute_progress(load_records(conn), dt.date(2026, 3, 31))
    html = c.get("/?ngay=2026-03-31").text
    assert "31/03/2026" in html
    for e in report.energy:
        row = html.split(f"{e.target_id} {e.label_vi}", 1)[1].split("</tr>", 1)[0]
        assert f">{format_number(e.target_mw)}<" in row and f">{format_number(e.counted_mw)}<" in row
    for v in report.verdicts:
        assert v.verdict_vi in html
    for rule in report.rules.values():
        assert rule.replace('"', "&#34;")[:40] in html


def test_lists_filter_and_search_without_accents(app):
    c = client(app)
    login(c, "viewer")
    with session_scope(app.state.engine) as session:
        target = session.scalars(select(Project).where(Project.name.contains("ặ") | Project.name.contains("ư"))).first()
    from kcn_tracker.text import fold

    query = fold(target.name)
    html = c.get("/projects", params={"q": query}).text
    assert f'href="/projects/{target.code}"' in html
    solar = c.get("/projects", params={"technology": "solar"}).text
    assert "Điện mặt trời" in solar or "mặt trời" in solar
    names = re.findall(r'<td data-label="Công nghệ">([^<]*)</td>', solar)
    assert names and all(n == names[0] for n in names)
    kcn = c.get("/zones", params={"kind": "CCN"}).text
    assert set(re.findall(r'<td data-label="Loại">([^<]*)</td>', kcn)) == {"CCN"}
    with_obstacles = c.get("/projects", params={"obstacles": "1"}).text
    rows = re.findall(r'<td data-label="Vướng mắc">(.*?)</td>', with_obstacles)
    assert rows and all("đang mở" in r for r in rows)


def test_record_page_timeline_and_as_of(app):
    c = client(app)
    login(c, "viewer")
    project = _project(app, stage="operating")
    with session_scope(app.state.engine) as session:
        events = session.scalars(select(Event).where(Event.project_id == project.id).order_by(Event.effective_on)).all()
        first_day = events[0].effective_on
    html = c.get(f"/projects/{project.code}").text
    assert "Lịch sử thay đổi" in html and "Tạo bản ghi" in html and "Vận hành thương mại" in html
    before = c.get(f"/projects/{project.code}", params={"ngay": (first_day - dt.timedelta(days=1)).isoformat()}).text
    assert "chưa có trong sổ" in before


def test_update_with_document_and_pdf_lands_in_the_timeline(app):
    c = client(app)
    csrf = login(c, "editor")
    project = _project(app, stage="construction")
    page, hidden = _edit(c, project.code)
    data = {**hidden, "csrf": csrf, "stage": "construction", "capacity_mw": hidden["orig_capacity_mw"],
            "capacity_operating_mw": "10", "investor": hidden["orig_investor"], "expected_cod": hidden["orig_expected_cod"],
            "effective_on": "2026-06-15", "date_basis": "document", "doc_number": "77/QĐ-SCT", "doc_date": "2026-06-10",
            "doc_title": "Chấp thuận vận hành một phần", "note": ""}
    r = c.post(f"/sua/projects/{project.code}", data=data, files={"pdf": ("quyết định 77.pdf", PDF, "application/pdf")},
               headers=ORIGIN)
    assert r.status_code == 303, r.text
    html = c.get(r.headers["location"]).text
    assert "77/QĐ-SCT ngày 10/06/2026" in html and "Ghi bởi editor" in html and "Vận hành một phần" in html
    link = re.search(r'href="/tep/(\d+)" download>📄 quyết định 77.pdf', html)
    assert link
    download = c.get(f"/tep/{link.group(1)}")
    assert download.content == PDF
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2077.pdf" in download.headers["content-disposition"]
    with session_scope(app.state.engine) as session:
        event = session.scalars(select(Event).where(Event.recorded_by == "editor")).one()
        assert (event.origin, event.effective_on, event.changes["capacity_operating_mw"]) == ("web", dt.date(2026, 6, 15), 10.0)
        att = session.scalars(select(Attachment)).one()
    stored = app.state.files_dir / f"{att.sha256}.pdf"
    assert stored.read_bytes() == PDF and att.uploaded_by == "editor"


def test_not_a_pdf_is_refused_and_nothing_written(app):
    c = client(app)
    csrf = login(c, "editor")
    project = _project(app, stage="construction")
    _, hidden = _edit(c, project.code)
    data = {**hidden, "csrf": csrf, "stage": "construction", "investor": "Công ty Mới", "doc_number": "78/QĐ"}
    r = c.post(f"/sua/projects/{project.code}", data=data,
               files={"pdf": ("x.pdf", b"<html>not a pdf</html>", "application/pdf")}, headers=ORIGIN)
    assert r.status_code == 400 and "không phải tệp PDF" in r.text
    assert 'value="Công ty Mới"' in r.text
    with session_scope(app.state.engine) as session:
        assert session.scalars(select(Event).where(Event.recorded_by == "editor")).all() == []


def test_every_problem_next_to_its_field_and_input_kept(app):
    c = client(app)
    csrf = login(c, "editor")
    project = _project(app, stage="construction")
    _, hidden = _edit(c, project.code)
    data = {**hidden, "csrf": csrf, "stage": "construction", "capacity_operating_mw": "mười",
            "expected_cod": "2031-13-45", "effective_on": "2099-01-01", "doc_number": "79/QĐ"}
    r = c.post(f"/sua/projects/{project.code}", data=data, headers=ORIGIN)
    assert r.status_code == 400
    assert re.search(r'id="f-capacity_operating_mw"[^>]*value="mười"|value="mười"', r.text)
    for field in ("capacity_operating_mw", "expected_cod"):
        block = r.text.split(f'id="f-{field}"', 1)[1].split('<div class="field', 1)[0]
        assert 'class="field-error"' in block, field
    assert 'value="2099-01-01"' in r.text


def test_stale_page_is_refused_with_input_kept(app):
    first, second = client(app), client(app)
    csrf1, csrf2 = login(first, "editor"), login(second, "admin")
    project = _project(app, stage="construction")
    _, hidden1 = _edit(first, project.code)
    _, hidden2 = _edit(second, project.code)
    base = {"stage": "construction", "doc_number": "80/QĐ", "effective_on": "2026-06-20"}
    r1 = first.post(f"/sua/projects/{project.code}", data={**hidden1, **base, "csrf": csrf1, "investor": "Công ty Một"},
                    headers=ORIGIN)
    assert r1.status_code == 303
    r2 = second.post(f"/sua/projects/{project.code}", data={**hidden2, **base, "csrf": csrf2, "capacity_operating_mw": "5"},
                     headers=ORIGIN)
    assert r2.status_code == 409
    assert "người khác cập nhật" in r2.text and 'value="5"' in r2.text
    assert "Công ty Một" in r2.text  # the current state is shown
    new_version = re.search(r'name="version" value="(\d+)"', r2.text).group(1)
    assert int(new_version) == int(hidden2["version"]) + 1
    with session_scope(app.state.engine) as session:
        assert session.scalars(select(Event.recorded_by).where(Event.recorded_by.in_(["editor", "admin"]))).all() == ["editor"]


def test_create_project_on_the_web_and_in_the_cli(app, bundled_url):
    c = client(app)
    csrf = login(c, "editor")
    bad = c.post("/tao/projects", data={"csrf": csrf, "name": "", "technology": "", "stage": "", "capacity_mw": "abc"},
                 headers=ORIGIN)
    assert bad.status_code == 400
    for field in ("name", "technology", "stage", "capacity_mw", "doc_number"):
        assert f'id="err-{field}"' in bad.text, field
    r = c.post("/tao/projects", data={"csrf": csrf, "name": "Điện mặt trời Thử Nghiệm", "technology": "solar",
                                      "stage": "in_plan", "capacity_mw": "49,5", "doc_number": "81/QĐ-UBND",
                                      "doc_date": "2026-06-01", "effective_on": "2026-06-01"}, headers=ORIGIN)
    assert r.status_code == 303 and r.headers["location"].startswith("/projects/dien-mat-troi-thu-nghiem")
    html = c.get(r.headers["location"]).text
    assert "49,5" in html and "81/QĐ-UBND ngày 01/06/2026" in html and "Ghi bởi editor" in html
    result = CliRunner().invoke(__import__("kcn_tracker.cli", fromlist=["cli"]).cli,
                                ["--db", bundled_url, "energy", "add", "Điện gió CLI", "--technology", "onshore_wind",
                                 "--stage", "in_plan", "--capacity", "30", "--doc", "82/QĐ", "--date", "01/06/2026"])
    assert result.exit_code == 0, result.output
    assert "Đã tạo: Điện gió CLI [dien-gio-cli]" in result.output
    assert c.get("/projects/dien-gio-cli").status_code == 200


def test_obstacle_open_and_resolve(app):
    c = client(app)
    csrf = login(c, "editor")
    project = _project(app, stage="construction")
    r = c.post(f"/vuong-mac/mo/projects/{project.code}", data={"csrf": csrf, "category": "land", "description": "Chưa bàn giao đất",
                                                               "opened_on": "2026-06-01", "doc_number": "83/BC"}, headers=ORIGIN)
    assert r.status_code == 303
    html = c.get(f"/projects/{project.code}").text
    obstacle_id = re.search(r'href="/vuong-mac/(\d+)/giai-quyet"', html.split("Chưa bàn giao đất", 1)[1]).group(1)
    bad = c.post(f"/vuong-mac/{obstacle_id}/giai-quyet", data={"csrf": csrf, "resolved_on": "2026-05-01"}, headers=ORIGIN)
    assert bad.status_code == 400 and "trước ngày mở" in bad.text
    ok = c.post(f"/vuong-mac/{obstacle_id}/giai-quyet", data={"csrf": csrf, "resolved_on": "2026-06-20", "note": "Đã bàn giao"},
                headers=ORIGIN)
    assert ok.status_code == 303
    html = c.get(f"/projects/{project.code}").text
    assert "Vướng mắc đã giải quyết" in html and "Đã bàn giao" in html


def _sheet(code: str, investor: str) -> bytes:
    return ("Mã,Nhà đầu tư,Ngày hiệu lực,Văn bản căn cứ (số hiệu)\n"
            f"{code},{investor},15/06/2026,84/QĐ-SCT\n").encode("utf-8")


def test_spreadsheet_preview_then_confirm(app):
    c = client(app)
    csrf = login(c, "editor")
    project = _project(app, stage="construction")
    r = c.post("/nhap", data={"csrf": csrf}, files={"file": ("cap-nhat.csv", _sheet(project.code, "Công ty Nhập"), "text/csv")},
               headers=ORIGIN)
    assert r.status_code == 200 and "Xem trước" in r.text and "Công ty Nhập" in r.text
    with session_scope(app.state.engine) as session:  # the preview wrote nothing
        assert session.get(Project, project.id).investor != "Công ty Nhập"
    token = re.search(r'action="/nhap/([^/]+)/xac-nhan"', r.text).group(1)
    done = c.post(f"/nhap/{token}/xac-nhan", data={"csrf": csrf}, headers=ORIGIN)
    assert done.status_code == 303
    with session_scope(app.state.engine) as session:
        assert session.get(Project, project.id).investor == "Công ty Nhập"


def test_confirm_refused_when_a_record_changed_since_the_preview(app):
    c = client(app)
    csrf = login(c, "editor")
    project = _project(app, stage="construction")
    r = c.post("/nhap", data={"csrf": csrf}, files={"file": ("a.csv", _sheet(project.code, "Công ty A"), "text/csv")}, headers=ORIGIN)
    token = re.search(r'action="/nhap/([^/]+)/xac-nhan"', r.text).group(1)
    _, hidden = _edit(c, project.code)
    changed = c.post(f"/sua/projects/{project.code}", data={**hidden, "csrf": csrf, "stage": "construction",
                                                            "investor": "Công ty B", "doc_number": "85/QĐ"}, headers=ORIGIN)
    assert changed.status_code == 303
    refused = c.post(f"/nhap/{token}/xac-nhan", data={"csrf": csrf}, headers=ORIGIN)
    assert refused.status_code == 409 and project.code in refused.text
    with session_scope(app.state.engine) as session:
        assert session.get(Project, project.id).investor == "Công ty B"


def test_spreadsheet_problems_listed_with_row_and_column(app):
    c = client(app)
    csrf = login(c, "editor")
    sheet = "Mã,Công suất (MW),Ngày hiệu lực\nkhong-co-ma,abc,15/06/2026\n".encode()
    r = c.post("/nhap", data={"csrf": csrf}, files={"file": ("loi.csv", sheet, "text/csv")}, headers=ORIGIN)
    assert r.status_code == 400 and "chưa ghi gì" in r.text and "<td>2</td>" in r.text


def test_markup_in_every_text_is_shown_literally(app):
    c = client(app)
    csrf = login(c, "editor")
    r = c.post("/tao/projects", data={"csrf": csrf, "name": XSS, "technology": "solar", "stage": "in_plan",
                                      "investor": XSS, "commune": XSS, "doc_number": "86/QĐ", "doc_title": XSS}, headers=ORIGIN)
    assert r.status_code == 303
    code = r.headers["location"].split("?")[0].rsplit("/", 1)[1]
    _, hidden = _edit(c, code)
    c.post(f"/sua/projects/{code}", data={**hidden, "csrf": csrf, "stage": "in_plan", "note": XSS, "doc_number": "87/QĐ"},
           files={"pdf": (f"{XSS}.pdf", PDF, "application/pdf")}, headers=ORIGIN)
    for path in (f"/projects/{code}", "/projects", f"/sua/projects/{code}", f"/projects?q={XSS}"):
        html = c.get(path).text
        assert XSS not in html and "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert(" in html or "&lt;script&gt;" in html, path


def test_downloads_report_export_and_template(app):
    import io
    import zipfile

    c = client(app)
    login(c, "viewer")
    report = c.get("/tai-ve/bao-cao", params={"period": "2026-Q2", "format": "md"})
    assert report.status_code == 200 and report.headers["content-disposition"].startswith("attachment;")
    assert "bao-cao-2026-Q2.md" in report.headers["content-disposition"] and "Báo cáo" in report.text
    export = c.get("/tai-ve/du-lieu", params={"format": "csv", "ngay": "2026-03-31"})
    names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    assert export.status_code == 200 and names and all(n.endswith(".csv") for n in names)
    template = c.get("/tai-ve/mau/projects")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    assert c.get("/tai-ve/du-lieu", params={"format": "exe"}).status_code == 404
    bad = c.get("/tai-ve/bao-cao", params={"period": "quý 9"})
    assert bad.status_code == 400 and "Traceback" not in bad.text


def test_briefing_map_page_allows_only_its_own_scripts(app):
    import base64
    import hashlib

    c = client(app)
    login(c, "viewer")
    assert 'action="/ban-do"' in c.get("/tai-ve").text
    r = c.get("/ban-do", params={"ngay": "2026-03-31"})
    assert r.status_code == 200 and "31/03/2026" in r.text
    csp = r.headers["content-security-policy"]
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", r.text, re.S)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}
    script_src = csp.split("script-src", 1)[1].split(";", 1)[0]
    assert scripts and hashes == set(script_src.split()) - {"'self'"} and "unsafe-inline" not in script_src


def test_dashboard_has_the_alerts_panel_of_kcn_alerts(app):
    from kcn_tracker.alerts import compute_alerts
    from kcn_tracker.progress_data import load_records

    c = client(app)
    login(c, "viewer")
    day = dt.date(2026, 12, 2)
    with app.state.engine.connect() as conn:
        alerts = compute_alerts(load_records(conn), day)
    html = c.get("/?ngay=2026-12-02").text
    panel = html.split('id="canh-bao"', 1)[1].split("<h2>", 1)[0]
    high = [a for a in alerts if a["severity"] == 1]
    tables = [t.split("</table>", 1)[0] for t in panel.split('<table class="list alerts">')[1:]]
    assert len(high) == 8 and tables[0].count("<tr>") == len(high) + 1  # header + one row per high-severity alert
    # every alert of `kcn alerts`, in its order (most severe first), each group a table
    shown = [m for t in tables for m in re.findall(r'<td data-label="Nội dung">([^<]*)</td>', t)]
    from markupsafe import escape
    assert shown == [str(escape(a["message"])) for a in alerts] and len({a["severity"] for a in alerts}) > 1
    assert "Vận hành thương mại dự kiến 31/12/2025, quá hạn 336 ngày" in panel
    assert 'href="/projects/td-song-giang-1"' in panel
    assert f"Lâu chưa xác nhận: <strong>{sum(1 for a in alerts if a['kind'] == 'stale')}</strong>" in panel
