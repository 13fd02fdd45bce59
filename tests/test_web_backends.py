"""The web app on both databases (SQLite and PostgreSQL): login, an edit, a stale refusal, an import;
the accounts migration goes down and up again; ``kcn serve`` refuses several workers on SQLite."""

from __future__ import annotations

import re

from click.testing import CliRunner
from sqlalchemy import inspect, select

from kcn_tracker.db import session_scope
from kcn_tracker.models import Event, Project
from tests.web_helpers import ORIGIN, TODAY, client, login, make_app


def _hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(version|orig_[a-z_]+)" value="([^"]*)"', html))


def test_edit_stale_refusal_and_import_on_each_database(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", TODAY)
    app = make_app(db_url, tmp_path / "files")  # migrates and loads the bundled register
    one, two = client(app), client(app)
    csrf1, csrf2 = login(one, "editor"), login(two, "admin")
    code = "dmt-phuoc-thai-3"
    h1, h2 = _hidden(one.get(f"/sua/projects/{code}").text), _hidden(two.get(f"/sua/projects/{code}").text)
    base = {"stage": "construction", "doc_number": "97/QĐ", "effective_on": "2026-06-20"}
    assert one.post(f"/sua/projects/{code}", data={**h1, **base, "csrf": csrf1, "investor": "Công ty PG"},
                    headers=ORIGIN).status_code == 303
    stale = two.post(f"/sua/projects/{code}", data={**h2, **base, "csrf": csrf2, "investor": "Công ty Khác"}, headers=ORIGIN)
    assert stale.status_code == 409 and 'value="Công ty Khác"' in stale.text
    sheet = f"Mã,Nhà đầu tư,Ngày hiệu lực,Văn bản căn cứ (số hiệu)\n{code},Công ty Nhập,25/06/2026,98/QĐ\n".encode()
    preview = one.post("/nhap", data={"csrf": csrf1}, files={"file": ("u.csv", sheet, "text/csv")}, headers=ORIGIN)
    token = re.search(r'action="/nhap/([^/]+)/xac-nhan"', preview.text).group(1)
    assert one.post(f"/nhap/{token}/xac-nhan", data={"csrf": csrf1}, headers=ORIGIN).status_code == 303
    with session_scope(app.state.engine) as session:
        assert session.scalars(select(Project.investor).where(Project.code == code)).one() == "Công ty Nhập"
        by = session.scalars(select(Event.recorded_by).where(Event.recorded_by.in_(["editor", "admin"]))
                             .order_by(Event.id)).all()
    assert by == ["editor", "editor"]
    app.state.engine.dispose()


def test_accounts_migration_downgrades_and_upgrades(engine):
    from kcn_tracker.db import downgrade, upgrade

    downgrade(engine, "0001")
    assert "users" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert {"users", "web_sessions", "audit_log", "attachments", "import_previews"} <= set(inspect(engine).get_table_names())


def test_serve_refuses_workers_on_sqlite(tmp_path):
    from kcn_tracker.cli import cli

    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'k.sqlite'}", "serve", "--workers", "3"])
    assert result.exit_code == 2 and "cần PostgreSQL" in result.output


def test_register_cache_serves_until_the_register_changes():
    from kcn_tracker.web.cache import RegisterCache

    cache, calls = RegisterCache(size=2, max_age=0), []

    def compute(value):
        calls.append(value)
        return value

    assert cache.get("a", (1,), lambda: compute("first")) == "first"
    assert cache.get("a", (1,), lambda: compute("again")) == "first"
    assert cache.get("a", (2,), lambda: compute("changed")) == "changed"
    cache.get("b", (2,), lambda: compute("b"))
    cache.get("c", (2,), lambda: compute("c"))  # evicts "a" (least recently used)
    assert cache.get("a", (2,), lambda: compute("recomputed")) == "recomputed"
    assert calls == ["first", "changed", "b", "c", "recomputed"]


def test_cached_list_follows_an_edit(bundled_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", TODAY)
    app = make_app(bundled_url, tmp_path / "files")
    c = client(app)
    csrf = login(c, "editor")
    code = "dmt-phuoc-thai-3"
    link = f'href="/projects/{code}"'
    assert link not in c.get("/projects", params={"q": "bo dem"}).text  # search covers the investor
    hidden = _hidden(c.get(f"/sua/projects/{code}").text)
    c.post(f"/sua/projects/{code}", data={**hidden, "csrf": csrf, "stage": "construction", "investor": "Công ty Bộ Đệm",
                                          "doc_number": "99/QĐ"}, headers=ORIGIN)
    assert link in c.get("/projects", params={"q": "bo dem"}).text


def test_register_cache_grace_never_hides_a_readers_own_save():
    from kcn_tracker.web.cache import RegisterCache

    cache = RegisterCache(max_age=60)
    assert cache.get("a", (1,), lambda: "old", reader="lan") == "old"
    assert cache.get("a", (2,), lambda: "new", reader="minh") == "old"  # someone else's change, within the grace
    cache.wrote("lan")
    assert cache.get("a", (2,), lambda: "new", reader="lan") == "new"  # lan saved: lan sees it
