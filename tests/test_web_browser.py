"""The web application in a real browser: Debian's Chromium driven by Playwright, against a
``kcn serve`` the test starts on a free loopback port. Every request that does not go to that
server is aborted (and recorded), so the pages must work with nothing from outside.
Screenshots go to test-artifacts/web-*.png."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import httpx

from kcn_tracker.accounts import create_user
from kcn_tracker.db import make_engine, session_scope
from tests.web_helpers import PASSWORDS, TODAY

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
EDIT_CODE = "dg-phuoc-huu"
SERVER_DB: list[str] = []  # the database of the running server (tests that add data before looking)  # a bundled wind project at "investor approved"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, bundled_sqlite) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web")
    db = folder / "kcn.sqlite"
    shutil.copy(bundled_sqlite, db)
    url = f"sqlite:///{db}"
    SERVER_DB.append(url)
    engine = make_engine(url)
    from kcn_tracker.db import upgrade

    upgrade(engine)
    with session_scope(engine, write=True) as session:
        for role, password in PASSWORDS.items():
            create_user(session, role, password, role)
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "KCN_TODAY": TODAY, "KCN_FILES_DIR": str(folder / "files"), "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "kcn_tracker", "--db", url, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/dang-nhap", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("kcn serve did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = os.environ.get("KCN_CHROMIUM") or "/usr/bin/chromium"
    if not Path(executable).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {executable} (required in CI)")
        pytest.skip(f"Chromium not found at {executable}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, args=ARGS)
        yield instance
        instance.close()


class Session:
    """A browser context on the server: outside requests blocked, dialogs and console errors recorded."""

    def __init__(self, browser: Any, base: str, *, width: int = 1366, height: int = 768, storage: Any = None) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": width, "height": height}, storage_state=storage,
                                           accept_downloads=True, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def go(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def login(self, role: str) -> None:
        self.go("/dang-nhap")
        self.page.fill("#f-username", role)
        self.page.fill("#f-password", PASSWORDS[role])
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base + "/")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=False)

    def clean(self) -> None:
        assert self.dialogs == [], self.dialogs
        assert self.blocked == [], self.blocked
        # a refused form (400/409) is logged by Chromium as a failed resource: that is the expected answer
        errors = [e for e in self.errors if not re.search(r"status of (400|409) ", e)]
        assert errors == [], errors

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser, server) -> Iterator[Session]:
    s = Session(browser, server)
    yield s
    s.close()


def _edit_form(s: Session, code: str) -> None:
    s.go(f"/sua/projects/{code}")
    assert s.page.locator("h1").inner_text().startswith("Cập nhật")


def test_update_stage_with_document_and_pdf_shows_in_timeline(session, tmp_path):
    s = session
    s.login("editor")
    s.go(f"/projects/{EDIT_CODE}")
    assert s.page.evaluate("typeof L") == "object"  # Leaflet came from the server itself
    s.page.click("text=Cập nhật")
    s.page.select_option("#f-stage", "site_clearance")
    s.page.fill("#f-effective_on", "2026-06-12")
    s.page.fill("#f-doc_number", "90/QĐ-UBND")
    s.page.fill("#f-doc_date", "2026-06-10")
    s.page.fill("#f-doc_title", "Giao đất đợt 1")
    pdf = tmp_path / "giao-dat.pdf"
    pdf.write_bytes(PDF)
    s.page.set_input_files("#f-pdf", str(pdf))
    s.page.click("button:has-text('Lưu')")
    s.page.wait_for_url(re.compile(r".*/projects/dg-phuoc-huu\?da-luu=1"))
    first = s.page.locator(".timeline > li").first
    text = first.inner_text()
    assert "12/06/2026" in text and "Đất đai, giải phóng mặt bằng" in text and "90/QĐ-UBND ngày 10/06/2026" in text
    assert "Ghi bởi editor" in text
    with s.page.expect_download() as info:
        first.locator("a[download]").click()
    assert Path(info.value.path()).read_bytes() == PDF
    s.clean()


def test_create_project(session):
    s = session
    s.login("editor")
    s.go("/projects")
    s.page.click("text=Thêm dự án mới")
    s.page.fill("#f-name", "Điện mặt trời Trình Duyệt")
    s.page.select_option("#f-technology", "solar")
    s.page.select_option("#f-stage", "in_plan")
    s.page.fill("#f-capacity_mw", "35,5")
    s.page.fill("#f-doc_number", "91/QĐ-UBND")
    s.page.fill("#f-effective_on", "2026-06-01")
    s.page.click("button:has-text('Tạo bản ghi')")
    s.page.wait_for_url(re.compile(r".*/projects/dien-mat-troi-trinh-duyet"))
    assert "35,5" in s.page.locator(".state").inner_text()
    s.clean()


def test_upload_spreadsheet_preview_and_confirm_with_markup_in_cells(session, tmp_path):
    s = session
    s.login("editor")
    sheet = tmp_path / f"cap-nhat{XSS.replace('/', '_')}.csv"
    sheet.write_text("Mã,Nhà đầu tư,Ngày hiệu lực,Văn bản căn cứ (số hiệu)\n"
                     f"dmt-phuoc-thai-3,\"{XSS.replace(chr(34), chr(34) * 2)}\",15/06/2026,92/QĐ-SCT\n", encoding="utf-8")
    s.go("/nhap")
    s.page.set_input_files("#f-file", str(sheet))
    s.page.click("button:has-text('Xem trước')")
    preview = s.page.locator("table.preview").inner_text()
    assert XSS in preview  # shown as text
    assert s.page.locator("img[src=x]").count() == 0
    s.page.click("button:has-text('Xác nhận')")
    s.page.wait_for_url(re.compile(r".*/nhap\?xong=1"))
    s.go("/projects/dmt-phuoc-thai-3")
    assert XSS in s.page.locator(".state").inner_text()
    assert s.page.locator("img[src=x]").count() == 0
    s.clean()


def test_two_browsers_edit_one_record_second_is_refused_with_input_kept(browser, server):
    first, second = Session(browser, server), Session(browser, server)
    try:
        first.login("editor")
        second.login("admin")
        code = "dmt-phuoc-thai-2"
        _edit_form(first, code)
        _edit_form(second, code)
        first.page.fill("#f-investor", "Công ty Thứ Nhất")
        first.page.fill("#f-doc_number", "93/QĐ")
        first.page.click("button:has-text('Lưu')")
        first.page.wait_for_url(re.compile(r".*da-luu=1"))
        second.page.fill("#f-capacity_operating_mw", "12,5")
        second.page.fill("#f-doc_number", "94/QĐ")
        response_status = []
        second.page.on("response", lambda r: response_status.append(r.status) if r.request.method == "POST" else None)
        second.page.click("button:has-text('Lưu')")
        second.page.wait_for_selector(".alert.error")
        assert response_status == [409]
        assert "người khác cập nhật" in second.page.locator(".alert.error").inner_text()
        assert second.page.input_value("#f-capacity_operating_mw") == "12,5"
        assert second.page.input_value("#f-doc_number") == "94/QĐ"
        assert "Công ty Thứ Nhất" in second.page.locator(".current").inner_text()
        first.clean()
        second.clean()
    finally:
        first.close()
        second.close()


def test_viewer_cannot_edit_even_with_a_forged_post(session):
    s = session
    s.login("viewer")
    s.go(f"/projects/{EDIT_CODE}")
    assert s.page.locator("a:has-text('Cập nhật')").count() == 0
    csrf = s.page.locator("input[name=csrf]").first.get_attribute("value")
    r = s.page.request.post(f"{s.base}/sua/projects/{EDIT_CODE}", headers={"origin": s.base},
                            form={"csrf": csrf, "version": "1", "investor": "Giả mạo", "orig_investor": "", "doc_number": "1/QĐ"})
    assert r.status == 403
    s.go(f"/projects/{EDIT_CODE}")
    assert "Giả mạo" not in s.page.content()


def test_missing_csrf_or_foreign_origin_is_refused(session):
    s = session
    s.login("editor")
    s.go(f"/projects/{EDIT_CODE}")
    csrf = s.page.locator("input[name=csrf]").first.get_attribute("value")
    form = {"version": "1", "investor": "Không được", "doc_number": "1/QĐ"}
    assert s.page.request.post(f"{s.base}/sua/projects/{EDIT_CODE}", headers={"origin": s.base}, form=form).status == 403
    foreign = s.page.request.post(f"{s.base}/sua/projects/{EDIT_CODE}", headers={"origin": "http://attacker.example"},
                                  form={**form, "csrf": csrf})
    assert foreign.status == 403


def test_logout_ends_the_session_and_an_old_cookie_no_longer_works(browser, server, tmp_path):
    s = Session(browser, server)
    try:
        s.login("viewer")
        saved = s.context.storage_state(path=str(tmp_path / "state.json"))
        assert any(c["name"] == "kcn_session" and c["httpOnly"] for c in saved["cookies"])
        s.page.click("button:has-text('Đăng xuất')")
        s.page.wait_for_url(re.compile(r".*/dang-nhap"))
    finally:
        s.close()
    old = Session(browser, server, storage=str(tmp_path / "state.json"))
    try:
        old.go("/")
        assert "/dang-nhap" in old.page.url
    finally:
        old.close()


def test_markup_in_every_text_field_and_file_name_is_shown_literally(session, tmp_path):
    s = session
    s.login("editor")
    s.go("/tao/zones")
    s.page.fill("#f-name", f"KCN {XSS}")
    s.page.select_option("#f-kind", "KCN")
    s.page.select_option("#f-stage", "in_plan")
    for field in ("phase", "commune", "address_as_written", "developer", "doc_number", "doc_title"):
        s.page.fill(f"#f-{field}", XSS[:70] if field == "doc_number" else XSS)
    s.page.fill("#f-note", XSS)
    s.page.click("button:has-text('Tạo bản ghi')")
    s.page.wait_for_url(re.compile(r".*/zones/kcn-script-alert-1-script-img-src-x-onerror-alert-2.*"))
    code = s.page.url.split("/zones/")[1].split("?")[0]
    s.page.click("text=Cập nhật")
    s.page.fill("#f-developer", XSS + "2")
    s.page.fill("#f-doc_number", "95/QĐ")
    pdf = tmp_path / f"{XSS.replace('/', '_')}.pdf"
    pdf.write_bytes(PDF)
    s.page.set_input_files("#f-pdf", str(pdf))
    s.page.click("button:has-text('Lưu')")
    s.page.wait_for_url(re.compile(r".*da-luu=1"))
    s.go(f"/vuong-mac/mo/zones/{code}")
    s.page.select_option("#f-category", "land")
    s.page.fill("#f-description", XSS)
    s.page.click("button:has-text('Lưu vướng mắc')")
    s.page.wait_for_url(re.compile(r".*da-luu=1"))
    for path in (f"/zones/{code}", "/zones", f"/zones?q={XSS}", f"/sua/zones/{code}", "/"):
        s.go(path)
        assert s.page.locator("img[src=x]").count() == 0, path
        assert s.page.evaluate("document.querySelectorAll('script:not([src])').length") == 0, path
    s.go(f"/zones/{code}")
    body = s.page.locator("main").inner_text()
    # Chromium sends the file name's double quote as %22; the rest arrives and is shown as typed
    assert body.count(XSS) >= 5 and XSS[1:].replace("/", "_") + ".pdf" in body
    s.clean()


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_screenshots(browser, server, width, height):
    s = Session(browser, server, width=width, height=height)
    try:
        s.login("editor")
        size = f"{width}x{height}"
        s.go("/")
        s.shot(f"dashboard-{size}")
        s.page.locator("#canh-bao").scroll_into_view_if_needed()
        s.page.evaluate("document.getElementById('canh-bao').scrollIntoView()")
        s.shot(f"dashboard-alerts-{size}")
        s.go("/projects")
        s.shot(f"list-{size}")
        s.go("/projects/dmt-phuoc-thai-3")
        s.shot(f"record-{size}")
        s.go("/projects?qua-han=1")
        s.shot(f"list-overdue-{size}")
        s.page.click("table.list tbody tr:first-child a")
        s.page.wait_for_selector(".confirmed")
        s.shot(f"record-overdue-{size}")
        assert "Quá hạn so với dự kiến" in s.page.locator("main").inner_text()
        s.page.locator(".obstacle").first.scroll_into_view_if_needed()
        s.page.evaluate("document.querySelector('.obstacle').scrollIntoView()")
        s.shot(f"record-obstacle-{size}")
        s.page.click(".obstacle a:has-text('Cập nhật tiến độ')")
        s.page.wait_for_selector("#f-agency")
        s.shot(f"obstacle-update-{size}")
        _edit_form(s, "dmt-phuoc-thai-3")
        s.page.fill("#f-capacity_operating_mw", "9999")
        s.page.fill("#f-effective_on", "2026-06-20")
        s.page.fill("#f-doc_number", "96/QĐ")
        s.page.click("button:has-text('Lưu')")
        s.page.wait_for_selector(".field-error")
        s.shot(f"edit-error-{size}")
        assert s.page.locator(".field.invalid #f-capacity_operating_mw").count() == 1
        zone = _add_tenants(SERVER_DB[-1])
        s.go("/doanh-nghiep")
        s.shot(f"tenants-{size}")
        s.go("/doanh-nghiep/3000000001")
        s.shot(f"tenant-{size}")
        assert "Nhà máy Ba" in s.page.locator("main").inner_text()
        s.go(f"/zones/{zone}")
        s.page.evaluate("document.getElementById('dat-cho-thue').scrollIntoView()")
        s.shot(f"zone-figures-{size}")
        figures = s.page.locator("#dat-cho-thue").inner_text()
        assert "15,5" in figures and "theo dự án thứ cấp" in figures  # 12,5 + 3 ha of the two tenants
        s.go("/ban-do")
        s.page.wait_for_timeout(500)
        s.shot(f"map-{size}")
        assert s.page.evaluate("typeof L") == "object"
        s.clean()
    finally:
        s.close()


def _add_tenants(url: str) -> str:
    """Two generated tenant projects (test data only) in the server's register, once; returns their zone's code."""
    from sqlalchemy import select

    from kcn_tracker.models import Zone
    from kcn_tracker.tenants.models import Tenant
    from tests.web_helpers import add_sample_tenants

    engine = make_engine(url)
    with session_scope(engine, write=True) as session:
        zone = session.scalars(select(Zone.code).where(Zone.kind == "KCN").order_by(Zone.code)).first()
        if session.scalar(select(Tenant.id).where(Tenant.certificate_no == "3000000001")) is None:
            add_sample_tenants(session, (zone, zone), "300000", ("Nhà máy Ba", "Xưởng Bốn"))
    engine.dispose()
    return zone
