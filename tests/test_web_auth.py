"""Web accounts and security: login, sessions, logout, CSRF, Origin, roles, throttling, headers, limits."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from kcn_tracker.accounts import MAX_FAILURES_PER_USER, LoginRefused, audit_entries, authenticate, create_user, session_user
from kcn_tracker.db import session_scope
from kcn_tracker.errors import ValidationFailed
from kcn_tracker.models import Event
from kcn_tracker.models_accounts import User, WebSession
from tests.web_helpers import ORIGIN, PASSWORDS, TODAY, client, csrf_of, first_code, login, make_app


@pytest.fixture
def app(bundled_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", TODAY)
    return make_app(bundled_url, tmp_path / "files")


def test_pages_need_login(app):
    c = client(app)
    r = c.get("/projects")
    assert r.status_code == 303 and r.headers["location"].startswith("/dang-nhap?next=%2Fprojects")


def test_login_sets_a_safe_cookie_and_logout_ends_the_session(app):
    c = client(app)
    login(c, "viewer")
    cookie = c.cookies.get("kcn_session")
    header = [h for h in c.get("/dang-nhap").headers.get_list("set-cookie")]  # login page sets only the login-CSRF cookie
    assert all("kcn_session" not in h for h in header)
    page = c.get("/")
    assert page.status_code == 200 and "Tiến độ so với mục tiêu 2030" in page.text
    r = c.post("/dang-xuat", data={"csrf": csrf_of(page.text)}, headers=ORIGIN)
    assert r.status_code == 303
    stolen = client(app)
    stolen.cookies.set("kcn_session", cookie)
    assert stolen.get("/").status_code == 303  # the copied cookie no longer works
    with session_scope(app.state.engine) as session:
        assert session.scalars(select(WebSession)).all() == []


def test_session_cookie_flags(app):
    c = client(app)
    page = c.get("/dang-nhap")
    r = c.post("/dang-nhap", data={"csrf": csrf_of(page.text), "username": "viewer", "password": PASSWORDS["viewer"]},
               headers=ORIGIN)
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("kcn_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # plain http in the test


def test_login_renews_the_session_token(app):
    c = client(app)
    login(c, "viewer")
    first = c.cookies.get("kcn_session")
    login(c, "viewer")
    assert c.cookies.get("kcn_session") != first
    old = client(app)
    old.cookies.set("kcn_session", first)
    assert old.get("/").status_code == 303


def test_wrong_password_is_refused_and_audited(app):
    c = client(app)
    page = c.get("/dang-nhap")
    r = c.post("/dang-nhap", data={"csrf": csrf_of(page.text), "username": "viewer", "password": "sai-mat-khau-roi"},
               headers=ORIGIN)
    assert r.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in r.text
    with session_scope(app.state.engine) as session:
        failed = audit_entries(session, failures_only=True)
    assert [(e.action, e.username, e.address) for e in failed] == [("login", "viewer", "testclient")]


def test_login_throttled_per_user(app):
    c = client(app)
    for _ in range(MAX_FAILURES_PER_USER):
        page = c.get("/dang-nhap")
        c.post("/dang-nhap", data={"csrf": csrf_of(page.text), "username": "editor", "password": "sai-mat-khau-roi"}, headers=ORIGIN)
    page = c.get("/dang-nhap")
    r = c.post("/dang-nhap", data={"csrf": csrf_of(page.text), "username": "editor", "password": PASSWORDS["editor"]}, headers=ORIGIN)
    assert r.status_code == 429 and "kcn_session" not in c.cookies
    login(c, "viewer")  # another user from the same address is not locked out by five failures


def test_login_without_csrf_or_from_another_origin_is_refused(app):
    c = client(app)
    c.get("/dang-nhap")
    r = c.post("/dang-nhap", data={"username": "viewer", "password": PASSWORDS["viewer"]}, headers=ORIGIN)
    assert r.status_code == 403 and "kcn_session" not in c.cookies


def test_state_change_needs_csrf_token_and_same_origin(app):
    c = client(app)
    csrf = login(c, "editor")
    code = first_code(c, "projects")
    form = c.get(f"/sua/projects/{code}").text
    version = __import__("re").search(r'name="version" value="(\d+)"', form).group(1)
    data = {"version": version, "investor": "Công ty X", "orig_investor": "", "doc_number": "1/QĐ"}
    assert c.post(f"/sua/projects/{code}", data=data, headers=ORIGIN).status_code == 403
    assert c.post(f"/sua/projects/{code}", data={**data, "csrf": "wrong"}, headers=ORIGIN).status_code == 403
    r = c.post(f"/sua/projects/{code}", data={**data, "csrf": csrf}, headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    with session_scope(app.state.engine) as session:
        assert session.scalars(select(Event).where(Event.recorded_by == "editor")).all() == []
        refused = audit_entries(session, action="csrf_refused")
    assert len(refused) == 3


def test_viewer_cannot_edit_even_with_a_forged_post(app):
    c = client(app)
    csrf = login(c, "viewer")
    code = first_code(c, "projects")
    assert c.get(f"/sua/projects/{code}").status_code == 403
    r = c.post(f"/sua/projects/{code}", data={"csrf": csrf, "version": "1", "investor": "X", "doc_number": "1/QĐ"},
               headers=ORIGIN)
    assert r.status_code == 403 and "không có quyền" in r.text
    assert c.post("/tao/projects", data={"csrf": csrf, "name": "Y"}, headers=ORIGIN).status_code == 403
    assert c.get("/quan-tri/nguoi-dung").status_code == 403
    with session_scope(app.state.engine) as session:
        assert session.scalars(select(Event).where(Event.recorded_by == "viewer")).all() == []


def test_editor_is_not_admin(app):
    c = client(app)
    csrf = login(c, "editor")
    assert c.get("/quan-tri/nhat-ky").status_code == 403
    r = c.post("/quan-tri/nguoi-dung", data={"csrf": csrf, "username": "x1", "role": "admin", "password": "p" * 12,
                                               "confirm": "p" * 12}, headers=ORIGIN)
    assert r.status_code == 403


def test_disabling_a_user_ends_their_sessions(app):
    admin, victim = client(app), client(app)
    csrf = login(admin, "admin")
    login(victim, "editor")
    r = admin.post("/quan-tri/nguoi-dung/editor", data={"csrf": csrf, "action": "disable"}, headers=ORIGIN)
    assert r.status_code == 303
    assert victim.get("/").status_code == 303
    page = victim.get("/dang-nhap")
    r = victim.post("/dang-nhap", data={"csrf": csrf_of(page.text), "username": "editor", "password": PASSWORDS["editor"]},
                    headers=ORIGIN)
    assert r.status_code == 401


def test_admin_adds_a_user_with_every_problem_shown(app):
    c = client(app)
    csrf = login(c, "admin")
    r = c.post("/quan-tri/nguoi-dung", data={"csrf": csrf, "username": "a b", "role": "admin", "password": "short",
                                               "confirm": "other"}, headers=ORIGIN)
    assert r.status_code == 400
    for text in ("tên đăng nhập: 2–60 ký tự", "mật khẩu cần ít nhất 10 ký tự", "hai lần nhập mật khẩu không giống nhau"):
        assert text in r.text
    r = c.post("/quan-tri/nguoi-dung", data={"csrf": csrf, "username": "lan", "role": "editor",
                                               "password": "mot-mat-khau-dai", "confirm": "mot-mat-khau-dai"}, headers=ORIGIN)
    assert r.status_code == 303
    fresh = client(app)
    page = fresh.get("/dang-nhap")
    assert fresh.post("/dang-nhap", data={"csrf": csrf_of(page.text), "username": "lan", "password": "mot-mat-khau-dai"},
                      headers=ORIGIN).status_code == 303
    audit_page = c.get("/quan-tri/nhat-ky").text
    assert "user_created" in audit_page and "lan" in audit_page


def test_security_headers(app):
    c = client(app)
    login(c, "viewer")
    r = c.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    assert "<script>" not in r.text and " on" not in r.text.replace(" only", "")  # no inline script or handler


def test_error_pages_are_vietnamese_without_traceback(app):
    c = client(app)
    login(c, "viewer")
    r = c.get("/projects/khong-co-ma-nay")
    assert r.status_code == 404 and "Không có bản ghi" in r.text and "Traceback" not in r.text
    r = c.get("/khong/co/trang/nay")
    assert r.status_code == 404 and "Không tìm thấy trang" in r.text


def test_request_size_limit(app):
    c = client(app)
    csrf = login(c, "editor")
    r = c.post("/nhap", data={"csrf": csrf, "x": "a" * 300_000}, headers=ORIGIN)
    assert r.status_code == 413 and "quá lớn" in r.text


def test_library_accounts(engine):
    with session_scope(engine, write=True) as session:
        create_user(session, "Minh", "mat-khau-dai-du", "viewer")
    with pytest.raises(ValidationFailed) as caught:
        with session_scope(engine, write=True) as session:
            create_user(session, "minh", "x", "boss")
    assert {p.field for p in caught.value.problems} == {"role", "password"}
    opened = authenticate(engine, "MINH", "mat-khau-dai-du", address="10.0.0.5")
    with session_scope(engine) as session:
        user, row = session_user(session, opened.token)
        assert user.username == "minh" and user.password_hash.startswith("$argon2id$") and row.csrf_token == opened.csrf_token
        assert session_user(session, "not-a-token") is None
    with pytest.raises(LoginRefused):
        authenticate(engine, "minh", "sai-mat-khau-roi", address="10.0.0.5")


def test_cli_user_add_asks_the_password_twice(bundled_url):
    from kcn_tracker.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["--db", bundled_url, "user", "add", "hoa", "--role", "editor"],
                           input="mat-khau-dai-1\nmat-khau-dai-1\n")
    assert result.exit_code == 0, result.output
    assert "Đã tạo tài khoản “hoa” (editor)" in result.output
    bad = runner.invoke(cli, ["--db", bundled_url, "user", "add", "hoa2", "--role", "editor"], input="ngan\nngan\n")
    assert bad.exit_code == 2 and "ít nhất 10 ký tự" in bad.output and "Traceback" not in bad.output
    from kcn_tracker.db import make_engine

    with session_scope(make_engine(bundled_url)) as session:
        assert session.scalars(select(User.username)).all() == ["hoa"]


def test_session_ends_after_idle_timeout(engine):
    import datetime as dt

    import time_machine

    from kcn_tracker.accounts import IDLE_TIMEOUT

    with session_scope(engine, write=True) as session:
        create_user(session, "an", "mat-khau-dai-du", "viewer")
    start = dt.datetime(2026, 6, 30, 1, 0, tzinfo=dt.timezone.utc)
    with time_machine.travel(start, tick=False):
        opened = authenticate(engine, "an", "mat-khau-dai-du", address=None)
    with time_machine.travel(start + IDLE_TIMEOUT - dt.timedelta(minutes=1), tick=False):
        with session_scope(engine, write=True) as session:
            assert session_user(session, opened.token) is not None  # touched: idle time starts again
    with time_machine.travel(start + IDLE_TIMEOUT + dt.timedelta(minutes=30), tick=False):
        with session_scope(engine, write=True) as session:
            assert session_user(session, opened.token) is not None  # alive: it was used since the start
    with time_machine.travel(start + 2 * IDLE_TIMEOUT + dt.timedelta(minutes=31), tick=False):
        with session_scope(engine, write=True) as session:
            assert session_user(session, opened.token) is None
        with session_scope(engine) as session:
            assert session.scalars(select(WebSession)).all() == []


def test_cli_user_role_disable_enable(bundled_url):
    from kcn_tracker.cli import cli

    runner = CliRunner()
    runner.invoke(cli, ["--db", bundled_url, "user", "add", "binh", "--role", "viewer"], input="mat-khau-dai-1\nmat-khau-dai-1\n")
    assert runner.invoke(cli, ["--db", bundled_url, "user", "role", "binh", "editor"]).exit_code == 0
    assert runner.invoke(cli, ["--db", bundled_url, "user", "disable", "binh"]).exit_code == 0
    listing = runner.invoke(cli, ["--db", bundled_url, "user", "list"]).output
    assert "binh" in listing and "Cập nhật" in listing and "đã khóa" in listing
    assert runner.invoke(cli, ["--db", bundled_url, "user", "enable", "binh"]).exit_code == 0
    assert "đã khóa" not in runner.invoke(cli, ["--db", bundled_url, "user", "list"]).output
    missing = runner.invoke(cli, ["--db", bundled_url, "user", "disable", "khong-co"])
    assert missing.exit_code == 2 and "Không có tài khoản" in missing.output
