"""Briefing map at national scale, as a user runs it: ``kcn map --out …`` against a naive Folium script.

Both read the same synthetic database (``benchmarks/synthetic.py``: bundled register +
N projects as points over Viet Nam + M zones as polygons of 20–400 vertices) and write
an HTML file, each as a whole process started the same way, interleaved in one run:

- kcn map: ``python -m kcn_tracker --db URL map --out kcn.html``;
- naive folium: ``NAIVE_SCRIPT`` below, the obvious script: SQLAlchemy reads the zones
  and projects tables, one ``folium.CircleMarker`` with a popup and a tooltip per
  project, one ``folium.GeoJson`` with a popup and a tooltip per zone, ``Map.save``.

Printed per size and backend: wall time (median), peak RSS of the process (its
``ru_maxrss``, read by a small wrapper process per run), HTML size, the time until the
page is loaded and two frames are painted in headless Chromium (Playwright with
Debian's chromium; Leaflet served from XStatic-Leaflet as if from its CDN, the naive
page's jQuery by a one-line stand-in, every other request blocked, both pages alike),
and zoom and pan frame times (``FRAMES_JS``: median and worst of 8 zooms and 16 pans per
page load). Budget (issue 15): at 10k + 1k, kcn ≤ 0.1× naive time, ≤ 150 MB, HTML
≤ 6 MB, render < 1.5 s; at 50k + 5k, a zoom or pan frame < 300 ms. Above
``--naive-max`` projects the naive script is not run (it takes minutes and its page
does not load in reasonable time): no ratio there.

    python benchmarks/bench_map.py [--sizes 10000:1000,50000:5000] [--runs 3] [--pg-url URL] [--baseline DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_quick import downgrade, drop_pg_schema, pg_schema_url, schema_head  # noqa: E402
from benchmarks.measure import measure  # noqa: E402
from benchmarks.synthetic import build_register  # noqa: E402

NAIVE_SCRIPT = r'''
import sys
import folium
from shapely import from_wkt
from shapely.geometry import mapping
from sqlalchemy import create_engine, text

url, out = sys.argv[1], sys.argv[2]
engine = create_engine(url)
geometry = "ST_AsText(geometry)" if url.startswith("postgresql") else "geometry"
with engine.connect() as c:
    projects = c.execute(text(f"SELECT name, technology, capacity_mw, stage, source, {geometry} FROM projects "
                              "WHERE geometry IS NOT NULL")).all()
    zones = c.execute(text(f"SELECT name, total_area_ha, stage, {geometry} FROM zones WHERE geometry IS NOT NULL")).all()
fmap = folium.Map(location=[16, 106], zoom_start=6)
for name, tech, mw, stage, source, wkt in projects:
    point = from_wkt(wkt).representative_point()
    popup = f"<b>{name}</b><br>Công nghệ: {tech}<br>Công suất: {mw} MW<br>Giai đoạn: {stage}<br>Nguồn: {source}"
    folium.CircleMarker([point.y, point.x], radius=4 + (mw or 0) ** 0.5 / 3, color="#e65100", fill=True,
                        popup=folium.Popup(popup, max_width=300), tooltip=name).add_to(fmap)
for name, area, stage, wkt in zones:
    feature = {"type": "Feature", "geometry": mapping(from_wkt(wkt)), "properties": {"name": name}}
    layer = folium.GeoJson(feature, style_function=lambda _f: {"fillColor": "#90caf9", "color": "#1565c0", "weight": 2},
                           tooltip=name)
    layer.add_child(folium.Popup(f"<b>{name}</b><br>{area} ha<br>{stage}"))
    layer.add_to(fmap)
fmap.save(out)
'''

JQUERY_STANDIN = ("window.$ = window.jQuery = function (s) { var t = document.createElement('template');"
                  " t.innerHTML = String(s).trim(); return [t.content.firstChild]; };")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def render_seconds(browser: Any, path: Path, runs: int, *, frames: bool = False) -> tuple[float, dict[str, float] | None]:
    """Median seconds until loaded + two frames painted; and (``frames``) the zoom and pan frame times (ms)."""
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

    loads, zooms, pans = [], [], []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", route)
        page.goto(path.as_uri(), wait_until="load", timeout=900_000)
        ms = page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))")
        if errors:
            raise SystemExit(f"{path.name}: JavaScript errors: {errors[:3]}")
        loads.append(ms / 1000)
        if frames:
            times = page.evaluate(FRAMES_JS)
            if times:
                zooms += times["zoom"]
                pans += times["pan"]
        page.close()
    if not zooms:
        return statistics.median(loads), None
    return statistics.median(loads), {"zoom": statistics.median(zooms), "zoom_max": max(zooms),
                                      "pan": statistics.median(pans), "pan_max": max(pans)}


#: Zoom and pan frames on the first Leaflet map of the page: from the call (setView / panBy, no
#: animation) until the second animation frame after it, i.e. until the new view is painted.
#: From the page's own view: zoom in by 1, 2 and 4 levels at four places (cities and the coast),
#: pan by about half a screen in four directions at each, then back out to the start.
FRAMES_JS = """async () => {
  const map = Object.values(window).find(v => v && v._leaflet_id && v.setView && v.getCenter);
  if (!map) return null;
  const frame = op => new Promise(resolve => {
    const start = performance.now();
    op();
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
  });
  const center = map.getCenter(), z = map.getZoom(), out = {zoom: [], pan: []};
  for (const [lat, lng, dz] of [[21.03, 105.85, 1], [16.05, 108.2, 2], [10.8, 106.7, 4], [12.25, 109.19, 2]]) {
    out.zoom.push(await frame(() => map.setView([lat, lng], z + dz, {animate: false})));
    for (const [dx, dy] of [[600, 0], [0, 400], [-600, 0], [0, -400]]) {
      out.pan.push(await frame(() => map.panBy([dx, dy], {animate: false})));
    }
    out.zoom.push(await frame(() => map.setView(center, z, {animate: false})));
  }
  return out;
}"""

def _browser_figures(pages: dict[str, Path], runs: int) -> dict[str, tuple[float | None, float | None]]:
    executable = os.environ.get("KCN_CHROMIUM") or shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if not executable:
        print("render: skipped (needs chromium and Playwright for Python)")
        return {name: (None, None) for name in pages}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            return {name: render_seconds(browser, path, 1 if name == "naive" else runs, frames=True)
                    for name, path in pages.items()}
        finally:
            browser.close()


def bench_one(urls: dict[str, str], label: str, folder: Path, runs: int, codes: dict[str, Path], *,
              naive: bool = True) -> list[str]:
    """Time ``kcn map`` of each checkout and (``naive``) the naive script on one database; returns the printed lines.

    ``urls``: checkout name -> its copy of the database (an older checkout reads its own schema).
    """
    base_env = {**os.environ, "KCN_TODAY": "2026-06-30", "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)
    pages = {name: folder / f"{label}-{name}.html" for name in [*codes, *(["naive"] if naive else [])]}
    commands = {name: ([sys.executable, "-m", "kcn_tracker", "--db", urls[name], "map", "--out", str(pages[name])],
                       {**base_env, "PYTHONPATH": str(path)}) for name, path in codes.items()}
    if naive:
        commands["naive"] = ([sys.executable, "-c", NAIVE_SCRIPT, urls["now"], str(pages["naive"])], {**base_env, "PYTHONPATH": str(REPO)})
    for command, env in commands.values():  # warm-up (bytecode, OS cache); checks each works
        measure(command, env)
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, env) in commands.items():
            figures[name].append(measure(command, env))
    browser = _browser_figures(pages, max(1, runs))
    t = {n: statistics.median(s for s, _ in v) for n, v in figures.items()}
    rss = {n: max(m for _, m in v) for n, v in figures.items()}
    size = {n: p.stat().st_size / 1e6 for n, p in pages.items()}
    lines = []
    for name in commands:
        ratio = f"  {t[name] / t['naive']:.2f}× naive" if name != "naive" and naive else ""
        lines.append(f"{label:22} {name:7} {t[name]:6.2f} s  RSS {rss[name]:4.0f} MB  HTML {size[name]:6.2f} MB  "
                     f"render {_s(browser[name][0])}  {_frames(browser[name][1])}{ratio}")
    return lines


def _s(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def _frames(frames: dict[str, float] | None) -> str:
    """Zoom and pan frame times, median / worst."""
    if not frames:
        return "zoom n/a  pan n/a"
    return (f"zoom {frames['zoom']:4.0f}/{frames['zoom_max']:4.0f} ms  "
            f"pan {frames['pan']:4.0f}/{frames['pan_max']:4.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000:100,10000:1000", help="projects:zones, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg-url", default=os.environ.get("KCN_BENCH_PG_URL"))
    parser.add_argument("--keep", type=Path, help="keep the databases and pages in this folder")
    parser.add_argument("--baseline", type=Path, help="another checkout whose kcn map is timed in the same run")
    parser.add_argument("--naive-max", type=int, default=10_000, help="run the naive script up to this many projects")
    args = parser.parse_args()
    codes = {"now": REPO, **({"before": args.baseline.resolve()} if args.baseline else {})}
    folder = Path(args.keep or tempfile.mkdtemp(prefix="kcn-bench-map-"))
    folder.mkdir(parents=True, exist_ok=True)
    schemas = []
    try:
        for size in args.sizes.split(","):
            projects, zones = (int(x) for x in size.split(":"))
            for backend in ["sqlite"] + (["postgres"] if args.pg_url else []):
                urls = {}
                for code, path in codes.items():
                    if backend == "sqlite":
                        urls[code] = f"sqlite:///{folder / f'map-{projects}-{code}.sqlite'}"
                    else:
                        schema = f"bench_map_{projects}_{code}"
                        urls[code] = pg_schema_url(args.pg_url, schema)
                        schemas.append(schema)
                    counts = build_register(urls[code], projects=projects, zones=zones)
                    if schema_head(path) != schema_head(REPO):
                        downgrade(urls[code], schema_head(path))
                label = f"{backend} {projects:,}+{zones:,}"
                print(f"[{label}] {json.dumps(counts)}", flush=True)
                for line in bench_one(urls, label.replace(" ", "_").replace(",", ""), folder, args.runs, codes,
                                      naive=projects <= args.naive_max):
                    print(line, flush=True)
    finally:
        for schema in schemas:
            drop_pg_schema(args.pg_url, schema)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
