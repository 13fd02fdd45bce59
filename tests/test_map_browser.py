"""The briefing map in a real browser: headless Chromium driven by Playwright.

Uses Debian's chromium (KCN_CHROMIUM, set by scripts/test.sh; never `playwright install`).
Every request that leaves the machine is blocked, so the tests run offline; only
failed requests for base-map tiles are expected and those are the only console
messages ignored. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli_helpers import kcn
from kcn_tracker.maps import read_payload
from kcn_tracker.text import format_number
from test_maps import XSS, add_xss_records

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ENABLE = ("browser tests need Debian's chromium (apt-get install chromium; scripts/test.sh does it and sets KCN_CHROMIUM) "
          "and Playwright for Python (pip install -e '.[test]')")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} — required in CI. {ENABLE}")
    pytest.skip(f"{reason}. {ENABLE}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = os.environ.get("KCN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        _unavailable(f"Chromium not found at {executable}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, args=ARGS)
        yield instance
        instance.close()


class Page:
    """A loaded map page plus what happened while loading it."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.console: list[tuple[str, str]] = []
        self.dialogs: list[str] = []
        self.blocked: list[str] = []
        self.served: list[str] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_function("window.kcnMap && window.kcnMap.ready", timeout=20_000)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if "/npm/leaflet@" in url:  # the online page's Leaflet: served from XStatic-Leaflet, as a CDN would
            from kcn_tracker.offline import leaflet_dir

            self.served.append(url)
            route.fulfill(path=str(leaflet_dir() / url.split("/dist/", 1)[1]))
        elif url.startswith(("http://", "https://")):
            self.blocked.append(url)
            route.abort()
        else:
            route.continue_()

    def errors(self, allowed_tiles: bool = False) -> list[tuple[str, str]]:
        """Console errors, minus failed loads of blocked tile images when ``allowed_tiles``."""
        errors = [(t, m) for t, m in self.console if t in ("error", "pageerror")]
        if allowed_tiles:
            errors = [(t, m) for t, m in errors if not (t == "error" and "net::ERR_FAILED" in m)]
        return errors

    def js(self, code: str) -> Any:
        return self.page.evaluate(code)

    def popup(self, code: str) -> str:
        """Open the popup of the feature ``code`` and return its text (once the previous one has faded out)."""
        assert self.js(f"({OPEN_POPUP})('{code}')"), code
        self.page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 1")
        return self.page.inner_text(".leaflet-popup-content")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / name
        self.page.screenshot(path=str(target))
        return target


def _write(db_url: str, tmp_path: Path, *args: str) -> tuple[Path, dict]:
    out = tmp_path / "map.html"
    if "--as-of" not in args:  # after every bundled event, whatever day the suite runs on (KCN_TODAY)
        args = (*args, "--as-of", "30/06/2026")
    result = kcn(db_url, "map", "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    return out, read_payload(out.read_text(encoding="utf-8"))


OPEN_POPUP = """code => {
  const m = window.kcnMap;
  m.map.eachLayer(l => { if (l instanceof L.Popup) m.map.removeLayer(l); });  // as a real click on the map does
  for (const key of Object.keys(m.layers)) {
    const group = m.layers[key];
    if (!group.eachLayer) continue;
    let hit = null;
    group.eachLayer(l => { if (l.feature && l.feature.properties.code === code) hit = l; });
    if (hit) { hit.fire('click', { latlng: hit.getLatLng() }, true); return true; }
  }
  return false;
}"""


def test_offline_page_draws_everything_without_errors(browser: Any, bundled_url: str, tmp_path: Path) -> None:
    add_xss_records(bundled_url)
    path, payload = _write(bundled_url, tmp_path, "--offline")
    page = Page(browser, path)
    assert page.blocked == []  # offline: not one request leaves the machine
    assert page.errors() == []
    assert page.dialogs == []  # the <img onerror=alert(1)> names ran nothing
    stats = page.js("window.kcnMap.stats")
    # data/: 25 zones and 21 projects with a point, +1 zone and +1 project with a point added by the test.
    assert stats["zones"] == payload["counts"]["zones"] == 26
    assert stats["projects"] == payload["counts"]["projects"] == 22
    assert stats["obstacles"] == 3 and stats["unlocated"] == 9 + 31 + 1
    assert page.js("document.querySelectorAll('img[src=\"x\"]').length") == 0
    # Side panel: the unlocated project's name is visible as text.
    page.page.click("#kcn-unlocated summary")
    assert XSS + " 2" in page.page.inner_text("#kcn-unlocated")
    page.screenshot("briefing-offline.png")


def test_popups_and_tooltips_show_the_data_as_text(browser: Any, bundled_url: str, tmp_path: Path) -> None:
    add_xss_records(bundled_url)
    path, _payload = _write(bundled_url, tmp_path, "--offline", "--as-of", "01/01/2026")
    page = Page(browser, path)
    popup = page.popup("xss-located")
    assert XSS in popup and "50 MW" in popup and "vị trí gần đúng" in popup
    assert page.js("document.querySelectorAll('.leaflet-popup-content img').length") == 0
    popup = page.popup("dmt-phuoc-thai-2")
    for expected in ("Nhà máy điện mặt trời Phước Thái 2", "điện mặt trời tập trung", "87 MW", "Đang thi công",
                     "31/07/2025 (ngày suy luận)", "Đất đai, giải phóng mặt bằng: Dự án còn vướng mắc về thủ tục đất đai.",
                     "vị trí gần đúng", "Nguồn"):
        assert expected in popup, expected
    popup = page.popup("kcn-ca-na-gd1")
    assert "378 ha" in popup and "Giải phóng mặt bằng" in popup and "chưa có số liệu" in popup  # occupancy unknown
    # Tooltip: hover the located XSS project (its own point, no spreading).
    point = page.js("""() => { const l = []; window.kcnMap.layers['tech:solar'].eachLayer(x => {
        if (x.feature.properties.code === 'xss-located') l.push(window.kcnMap.map.latLngToContainerPoint(x.getLatLng())); });
        return l[0]; }""")
    page.js("void window.kcnMap.map.closePopup()")
    box = page.page.query_selector("#" + page.js("window.kcnMap.map.getContainer().id")).bounding_box()
    page.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.page.wait_for_selector(".leaflet-tooltip", timeout=5_000)
    assert XSS in page.page.inner_text(".leaflet-tooltip")
    assert page.dialogs == [] and page.errors() == []
    page.screenshot("briefing-popup.png")


def test_online_page_only_fails_on_blocked_tiles(browser: Any, bundled_url: str, tmp_path: Path) -> None:
    path, payload = _write(bundled_url, tmp_path, "--color-by", "occupancy")
    page = Page(browser, path)
    # Only Leaflet (js, css and the css's images) from a CDN: no jQuery, Bootstrap or icon fonts.
    assert {url.rsplit("/", 1)[-1] for url in page.served} >= {"leaflet.js", "leaflet.css"}
    assert page.blocked and all(url.startswith("https://tile.openstreetmap.org/") for url in page.blocked), page.blocked
    assert page.errors(allowed_tiles=True) == []
    assert page.js("window.kcnMap.stats.projects") == payload["counts"]["projects"] == 21
    page.screenshot("briefing-online-occupancy.png")


def test_browser_formats_numbers_like_python(browser: Any, bundled_url: str, tmp_path: Path) -> None:
    path, _payload = _write(bundled_url, tmp_path, "--offline")
    page = Page(browser, path)
    values = [0, 3, 43.5, 87, 1200, 1330.5, 8517.4, 12345.67, 0.04]
    shown = page.js(f"{values}.map(v => window.kcnMap.fmtNum(v))")
    assert shown == [format_number(v) for v in values]
    layers = page.js("Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label')).map(l => l.innerText.trim())")
    assert any(label.startswith("Khu công nghiệp (KCN) (") for label in layers)
    assert any(label.startswith("điện mặt trời tập trung (6)") for label in layers)
    page.js("void window.kcnMap.map.removeLayer(window.kcnMap.layers['tech:solar'])")
    assert page.js("window.kcnMap.countDrawn().projects") == 21 - 6
