"""A national register on the interactive map (map_view.js), in headless Chromium.

The bundled register is small, so the thresholds of ``kcn_tracker.style`` are lowered for
these tests (the page reads them from its lookups): past AGGREGATE_ABOVE located records
the map draws only what the view needs, and a view with more than DETAIL_MAX records groups
the records of each grid cell into one counted circle. Timing is measured by
benchmarks/bench_map.py, never asserted here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kcn_tracker import style
from test_map_browser import Page, _write, browser  # noqa: F401  (the module-scoped browser fixture)

pytestmark = pytest.mark.browser

#: What the page draws: counted circles (their records) and records drawn one by one, in the view's margin.
VIEW = """() => {
  const K = window.kcnMap, circles = K.clusters.getLayers();
  const grouped = [].concat(...circles.map(c => c.kcnMembers.map(i => K.entries[i].p.code)));
  const alone = K.entries.filter(e => K.map.hasLayer(e.layer)).map(e => e.p.code);
  return {circles: circles.map(c => c.kcnMembers.length), grouped, alone, zoom: K.map.getZoom(),
          slices: [].concat(...circles.map(c => c.options.slices.map(s => s[0])))};
}"""


#: The codes of each counted circle.
CIRCLES = "window.kcnMap.clusters.getLayers().map(c => c.kcnMembers.map(i => window.kcnMap.entries[i].p.code))"
NINH_HOA = [109.12495, 12.49187]


@pytest.fixture
def national(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(style, "AGGREGATE_ABOVE", 10)
    monkeypatch.setattr(style, "DETAIL_MAX", 10)


def _located(payload: dict) -> dict[str, dict]:
    return {f["p"]["code"]: f["p"] for group in ("zones", "projects") for layer in payload[group].values() for f in layer}


def test_dense_areas_are_counted_circles_and_the_rest_is_drawn(browser: Any, bundled_url: str, tmp_path: Path,
                                                               national: None) -> None:
    path, payload = _write(bundled_url, tmp_path)
    located = _located(payload)
    assert len(located) == 46  # data/: 25 zones and 21 projects with a point
    page = Page(browser, path, viewport=(1366, 768))
    assert page.errors() == [] and page.js("window.kcnMap.large") is True
    seen = page.js(VIEW)
    # Every record of the view is in exactly one place: a counted circle or drawn as itself.
    assert sorted(seen["grouped"] + seen["alone"]) == sorted(located) and not set(seen["grouped"]) & set(seen["alone"])
    assert seen["circles"] and min(seen["circles"]) >= 2 and sum(seen["circles"]) == len(seen["grouped"])
    # The nine records on the Ninh Hòa district-seat point (data/) are in one circle, not drawn on top of each other.
    ninh_hoa = {f["p"]["code"] for group in ("zones", "projects") for layer in payload[group].values() for f in layer
                if f["g"].get("c") == NINH_HOA}
    assert len(ninh_hoa) == 9
    assert any(set(codes) >= ninh_hoa for codes in page.js(CIRCLES))
    # The panels still count records as shown by the filters, not as drawn.
    assert page.js("window.kcnMap.countDrawn()") == {"zones": 25, "projects": 21, "obstacles": 3}
    # The ring takes the colours the records have one by one: stage colours, then technology colours.
    stage_colours = {v["color"] for table in ("pstage", "zstage") for v in payload["lookups"][table].values()}
    assert seen["slices"] and set(seen["slices"]) <= stage_colours
    assert 'data-mark="cluster"' in path.read_text(encoding="utf-8")  # the legend explains the counted circle
    page.screenshot("national-grouped-1366x768.png")
    page.page.check('input[name="kcn-colour"][value="tech"]')
    tech_colours = {v["color"] for v in payload["lookups"]["tech"].values()}
    assert set(page.js(VIEW)["slices"]) <= tech_colours | stage_colours
    assert set(page.js(VIEW)["slices"]) & tech_colours
    assert page.errors() == []


def test_a_click_on_a_circle_zooms_into_it_until_its_records_are_drawn(browser: Any, bundled_url: str, tmp_path: Path,
                                                                       national: None) -> None:
    path, payload = _write(bundled_url, tmp_path)
    page = Page(browser, path, viewport=(1366, 768))
    zooms = []
    for _ in range(12):  # the circle holding KCN Ninh Thủy (one of the nine records on the Ninh Hòa point)
        zooms.append(page.js("window.kcnMap.map.getZoom()"))
        circles = page.js(CIRCLES)
        holding = [i for i, codes in enumerate(circles) if "kcn-ninh-thuy" in codes]
        if not holding:
            break
        page.js(f"void window.kcnMap.clusters.getLayers()[{holding[0]}].fire('click', {{}}, true)")
        page.page.wait_for_function(f"window.kcnMap.map.getZoom() > {zooms[-1]} && !window.kcnMap.map._animatingZoom")
    assert len(zooms) >= 2 and zooms == sorted(zooms) and zooms[-1] <= 18
    assert "kcn-ninh-thuy" in page.js(VIEW)["alone"]
    # Zoomed in on the Ninh Hòa point: its records are drawn one by one, spread on their spiral.
    spread = page.page.evaluate("""([lng, lat]) => window.kcnMap.entries
        .filter(e => e.p.sp && e.base.lng === lng && e.base.lat === lat && window.kcnMap.map.hasLayer(e.layer))
        .map(e => { const p = window.kcnMap.map.latLngToContainerPoint(e.layer.getLatLng()); return [p.x, p.y]; })""", NINH_HOA)
    assert len(spread) == 9 and len({(round(x), round(y)) for x, y in spread}) == 9
    assert page.errors() == []


def test_filters_layers_and_search_follow_the_grouping(browser: Any, bundled_url: str, tmp_path: Path,
                                                       national: None) -> None:
    path, payload = _write(bundled_url, tmp_path)
    located = _located(payload)
    page = Page(browser, path, viewport=(1366, 768))
    stages = {**{k: v["group"] for k, v in payload["lookups"]["pstage"].items()}}
    zone_stages = {k: v["group"] for k, v in payload["lookups"]["zstage"].items()}
    # A technology filtered out leaves the circles, also one whose records were never drawn one by one.
    page.js("void (document.querySelector('#kcn-filters').open = true)")
    grouped = set(page.js(VIEW)["grouped"])
    techs = sorted({p["tech"] for p in located.values() if "tech" in p})
    only_grouped = [t for t in techs if all(c in grouped for c, p in located.items() if p.get("tech") == t)]
    assert only_grouped
    page.page.uncheck(f'#kcn-filters input[name="tech"][value="{only_grouped[0]}"]')
    seen = page.js(VIEW)
    assert sorted(seen["grouped"] + seen["alone"]) == sorted(c for c, p in located.items() if p.get("tech") != only_grouped[0])
    page.page.check(f'#kcn-filters input[name="tech"][value="{only_grouped[0]}"]')
    # A stage group filtered out leaves the circles and the map.
    page.page.uncheck('#kcn-filters input[name="group"][value="pre-construction"]')
    kept = {c for c, p in located.items() if (zone_stages if "kind" in p else stages).get(p["stage"]) != "pre-construction"}
    seen = page.js(VIEW)
    assert kept != set(located) and sorted(seen["grouped"] + seen["alone"]) == sorted(kept)
    page.page.check('#kcn-filters input[name="group"][value="pre-construction"]')
    assert sorted(page.js(VIEW)["grouped"] + page.js(VIEW)["alone"]) == sorted(located)
    # A technology switched off in the layer control leaves them too.
    page.js("void window.kcnMap.map.removeLayer(window.kcnMap.layers['tech:solar'])")
    solar = {c for c, p in located.items() if p.get("tech") == "solar"}
    seen = page.js(VIEW)
    assert solar and not solar & set(seen["grouped"] + seen["alone"])
    page.js("void window.kcnMap.map.addLayer(window.kcnMap.layers['tech:solar'])")
    # A record found by search is drawn as itself, with its popup, even where records are grouped.
    assert page.js("window.kcnMap.search('doc da trang')") == ["KCN Dốc Đá Trắng"]
    page.page.click("#kcn-search-results button")
    page.page.wait_for_selector(".leaflet-popup-content")
    assert "Dốc Đá Trắng" in page.page.inner_text(".leaflet-popup-content")
    assert "kcn-doc-da-trang" in page.js(VIEW)["alone"]
    assert page.errors() == []
