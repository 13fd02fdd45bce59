"""Briefing map at national scale: `kcn map` against a naive folium map, side by side.

A synthetic register of 10,000 power projects (points) and 1,000 zones (polygons of
50–300 vertices, 0.5–2.5 km across) spread over Viet Nam is drawn twice from the same
in-memory records:

- kcn map: ``maps.briefing_html`` (one GeoJSON FeatureCollection per layer, canvas,
  client-side circles, popups and tooltips);
- naive folium: one ``folium.CircleMarker`` with a ``Popup`` and a tooltip per project and
  one ``folium.GeoJson`` with a popup and a tooltip per polygon (``prefer_canvas`` off,
  folium's defaults).

Printed: generation time (records -> HTML string), HTML size, and the time until the
page has finished rendering in headless Chromium (navigation start -> ``load`` event
plus two animation frames, i.e. the first frame painted after every script ran). The
browser gets Leaflet from XStatic-Leaflet as if from its CDN; the naive page's use of
jQuery (``$(html)[0]`` for popups) is served by a one-line stand-in; every other request
(tiles, Bootstrap, fonts) is blocked, equally for both pages.

Run: python benchmarks/bench_map.py [--projects 10000] [--zones 1000] [--runs 3]
Needs Debian's chromium (KCN_CHROMIUM or /usr/bin/chromium) and Playwright for Python.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kcn_tracker import style  # noqa: E402
from kcn_tracker.maps import Briefing, MapOptions, briefing_html  # noqa: E402
from kcn_tracker.stages import PROJECT_STAGES, ZONE_STAGES  # noqa: E402
from kcn_tracker.text import format_number  # noqa: E402

TECHS = {"solar": "điện mặt trời tập trung", "onshore_wind": "điện gió trên bờ", "lng": "điện khí LNG",
         "pumped_storage": "thủy điện tích năng", "small_hydro": "thủy điện nhỏ", "waste_to_energy": "điện rác"}
JQUERY_STANDIN = ("window.$ = window.jQuery = function (s) { var t = document.createElement('template');"
                  " t.innerHTML = String(s).trim(); return [t.content.firstChild]; };")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _point(rng: random.Random) -> tuple[float, float]:
    return rng.uniform(102.5, 109.3), rng.uniform(8.7, 23.2)


def _polygon_wkt(rng: random.Random, lon: float, lat: float) -> str:
    """An irregular, simple polygon (star-shaped around its centre) with 50–300 vertices."""
    n = rng.randint(50, 300)
    radius_deg = rng.uniform(0.005, 0.022)
    phase = rng.uniform(0, math.tau)
    ring = []
    for i in range(n):
        a = math.tau * i / n
        r = radius_deg * (1 + 0.25 * math.sin(3 * a + phase) + rng.uniform(-0.05, 0.05))
        ring.append(f"{lon + r * math.cos(a) / math.cos(math.radians(lat))!r} {lat + r * math.sin(a)!r}")
    ring.append(ring[0])
    return f"POLYGON (({', '.join(ring)}))"


def synthetic_register(n_projects: int, n_zones: int, seed: int = 7) -> Briefing:
    """View-like dicts (as ``registry.views`` returns) for a large imaginary register."""
    rng = random.Random(seed)
    stages = [s.key for s in PROJECT_STAGES]
    projects = []
    for i in range(n_projects):
        lon, lat = _point(rng)
        tech = rng.choice(list(TECHS))
        obstacles = [{"category": "land", "description": f"Vướng mắc đất đai số {i}", "opened_on": dt.date(2025, 7, 31)}] \
            if rng.random() < 0.1 else []
        projects.append({
            "id": i, "code": f"p-{i}", "name": f"Dự án điện {TECHS[tech]} số {i}", "technology": tech,
            "capacity_mw": round(rng.uniform(2, 1500) if rng.random() < 0.05 else rng.uniform(2, 200), 1),
            "stage": rng.choice(stages), "geometry": f"POINT ({lon!r} {lat!r})", "approximate": rng.random() < 0.5,
            "location_basis": "Trung tâm xã (gần đúng)", "open_obstacles": obstacles,
            "source": f"QĐ {i}/QĐ-UBND ngày 14/04/2025",
            "last_change": {"on": dt.date(2025, 7, 31), "basis": "document", "document": f"{i}/QĐ-UBND ngày 31/07/2025"},
        })
    zones = []
    for i in range(n_zones):
        lon, lat = _point(rng)
        zones.append({
            "id": i, "code": f"z-{i}", "name": f"Khu công nghiệp số {i}", "kind": rng.choice(["KCN", "CCN", "KKT"]),
            "stage": rng.choice([s.key for s in ZONE_STAGES]), "total_area_ha": round(rng.uniform(20, 1000), 1),
            "geometry": _polygon_wkt(rng, lon, lat), "approximate": False, "open_obstacles": [],
            "source": "Quy hoạch tỉnh", "last_change": {"on": dt.date(2025, 7, 31), "basis": "document", "document": None},
        })
    return Briefing(dt.date(2026, 1, 1), zones, projects, dict(TECHS), None, MapOptions())


def naive_html(briefing: Briefing) -> str:
    """The obvious folium map: one object per feature, each with its own popup and tooltip."""
    import folium
    from shapely import from_wkt
    from shapely.geometry import mapping

    fmap = folium.Map(location=[16, 106], zoom_start=6)
    for p in briefing.projects:
        lon, lat = (float(v) for v in p["geometry"][7:-1].split())
        colour = style.tech_colour(p["technology"])
        popup = (f"<b>{p['name']}</b><br>Công nghệ: {TECHS[p['technology']]}<br>Công suất: {format_number(p['capacity_mw'])} MW"
                 f"<br>Giai đoạn: {p['stage']}<br>Nguồn: {p['source']}")
        folium.CircleMarker([lat, lon], radius=style.radius_px(p["capacity_mw"]), color=colour, fill=True,
                            fill_color=colour, popup=folium.Popup(popup, max_width=300), tooltip=p["name"]).add_to(fmap)
    for z in briefing.zones:
        feature = {"type": "Feature", "geometry": mapping(from_wkt(z["geometry"])), "properties": {"name": z["name"]}}
        fill = style.stage_colour("zone", z["stage"])
        layer = folium.GeoJson(feature, style_function=lambda _f, fill=fill: {"fillColor": fill, "color": "#1565c0", "weight": 2},
                               tooltip=z["name"])
        layer.add_child(folium.Popup(f"<b>{z['name']}</b><br>{format_number(z['total_area_ha'])} ha<br>{z['stage']}"))
        layer.add_to(fmap)
    return fmap.get_root().render()


def _timed(func: Any, runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def render_seconds(browser: Any, path: Path, runs: int) -> float:
    """Median seconds from navigation start until the page is loaded and two frames were painted."""
    from kcn_tracker.maps.offline import leaflet_dir

    def route(r: Any) -> None:
        url = r.request.url
        if "/npm/leaflet@" in url:
            r.fulfill(path=str(leaflet_dir() / url.split("/dist/", 1)[1]))
        elif "jquery" in url:
            r.fulfill(body=JQUERY_STANDIN, content_type="application/javascript")
        elif url.startswith("http"):
            r.abort()
        else:
            r.continue_()

    times = []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", route)
        page.goto(path.as_uri(), wait_until="load", timeout=300_000)
        ms = page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))")
        if errors:
            raise SystemExit(f"{path.name}: JavaScript errors: {errors[:3]}")
        times.append(ms / 1000)
        page.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--zones", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    briefing = synthetic_register(args.projects, args.zones)
    vertices = sum(z["geometry"].count(",") + 1 for z in briefing.zones)
    print(f"Synthetic register: {args.projects:,} projects, {args.zones:,} zone polygons ({vertices:,} vertices)")
    ours_s, ours = _timed(lambda: briefing_html(briefing), args.runs)
    naive_s, naive = _timed(lambda: naive_html(briefing), max(1, args.runs - 1))
    offline = briefing_html(briefing, offline=True)
    out = Path(tempfile.mkdtemp(prefix="kcn-bench-"))
    (out / "kcn.html").write_text(ours, encoding="utf-8")
    (out / "naive.html").write_text(naive, encoding="utf-8")
    render = _render_both(out, args.runs)
    mb = lambda text: len(text.encode("utf-8")) / 1e6  # noqa: E731
    rows = [("generation (s)", ours_s, naive_s), ("HTML size (MB)", mb(ours), mb(naive)),
            ("render in Chromium (s)", *render)]
    print(f"{'':26}{'kcn map':>12}{'naive folium':>15}{'ratio':>9}")
    for name, a, b in rows:
        ratio = f"{b / a:8.1f}x" if a and b else "     n/a"
        print(f"{name:26}{a:12.2f}{b:15.2f}{ratio}" if b is not None else f"{name:26}{a:12.2f}{'n/a':>15}")
    print(f"kcn map --offline (everything inline): {mb(offline):.2f} MB")
    print(f"Pages kept in {out}")


def _render_both(out: Path, runs: int) -> tuple[float | None, float | None]:
    executable = os.environ.get("KCN_CHROMIUM") or shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if not executable:
        print("render: skipped (needs chromium and Playwright for Python)")
        return None, None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            return render_seconds(browser, out / "kcn.html", runs), render_seconds(browser, out / "naive.html", max(1, runs - 2))
        finally:
            browser.close()


if __name__ == "__main__":
    main()
