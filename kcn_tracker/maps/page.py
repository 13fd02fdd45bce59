"""The briefing page: one self-explaining Leaflet page around the embedded payload.

The drawing script (``map_script.js``) makes canvas circles and builds popups and
tooltips from the feature properties as DOM text, so nothing a user typed is ever
parsed as HTML. Leaflet is inlined from XStatic-Leaflet (``offline``) or loaded from a CDN.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kcn_tracker import style
from kcn_tracker.maps.collect import Briefing, MapOptions, collect_briefing
from kcn_tracker.maps.encoding import encode_geometry_from_geojson
from kcn_tracker.maps.payload import DATA_ELEMENT_ID, briefing_payload, embed_json, json_chunks
from kcn_tracker.text import format_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

def map_script() -> str:
    """The page's scripts (shipped next to this module): drawing, what a national register draws in the view,
    then the panels (search, filters, table, labels)."""
    folder = resources.files("kcn_tracker.maps")
    return "\n".join(folder.joinpath(name).read_text(encoding="utf-8") for name in ("map_script.js", "map_view.js", "map_ui.js"))


#: Where the embedded data goes in the page skeleton (the data is written in pieces, never put into one string).
_DATA_SLOT = "<!--kcn-data-->"


def briefing_html(briefing: Briefing, *, cdn: bool = False, offline: bool | None = None) -> str:
    """The whole page as one HTML string: self-contained (Leaflet inlined from XStatic-Leaflet) unless ``cdn``.

    ``offline`` is the former switch, kept for callers: ``offline=False`` means ``cdn=True``.
    """
    if offline is not None:
        cdn = not offline
    return "".join(page_chunks(briefing, cdn=cdn))


def page_chunks(briefing: Briefing, *, cdn: bool = False, consume: bool = False) -> Iterator[str]:
    """The page in pieces: the skeleton around the embedded data, the data one feature at a time.

    ``consume``: the briefing's rows are dropped as they are encoded (see ``briefing_payload``).
    """
    payload = briefing_payload(briefing, consume=consume)
    head, _slot, tail = _skeleton(briefing, payload, cdn).partition(_DATA_SLOT)
    yield head
    yield f'<script type="application/json" id="{DATA_ELEMENT_ID}">'
    yield from json_chunks(payload)
    yield "</script>"
    yield tail


#: Leaflet from a CDN (``--cdn``): the release XStatic-Leaflet ships for the self-contained page (offline.py).
LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"
MAP_ELEMENT_ID = "kcn-map"

#: The page around the panels, the data and the scripts. Written here rather than by folium: folium only
#: gave this skeleton, and importing it (with Jinja and branca) cost a sixth of ``kcn map``'s time at
#: national scale and 16 MB (issue 15). The map options are those the folium page had.
_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=1.0, user-scalable=no">
<script src="{leaflet}leaflet.js"></script>
<link rel="stylesheet" href="{leaflet}leaflet.css"/>
<style>{css}</style>
</head>
<body>
{panels}
{data}<script type="application/json" id="kcn-config">{config}</script>
<div class="kcn-map" id="{map_id}"></div>
<script>
var kcn_map = L.map("{map_id}", {{center: [12.2, 109.0], crs: L.CRS.EPSG3857, zoom: 9, zoomControl: true, preferCanvas: true,
                                 zoomSnap: 0.25, zoomDelta: 0.5}});
{script}
</script>
</body>
</html>
"""


def _skeleton(briefing: Briefing, payload: dict[str, Any], cdn: bool) -> str:
    """The page with ``_DATA_SLOT`` where the embedded data goes."""
    from kcn_tracker.maps import panels as map_panel

    html = _PAGE.format(
        title=escape(f"{briefing.options.title} — số liệu đến ngày {format_date(briefing.as_of)}"), leaflet=LEAFLET_CDN,
        css=style.css_variables() + map_panel.CSS, panels=map_panel.panels_html(briefing, payload), data=_DATA_SLOT,
        config=embed_json(_config(cdn)), map_id=MAP_ELEMENT_ID,
        script=map_script().replace("__MAP__", "kcn_map").replace("</script", "<\\/script"))
    if not cdn:
        from kcn_tracker.maps.offline import inline_assets

        html = inline_assets(html)
    return html


def _config(cdn: bool) -> dict[str, Any]:
    """Base layers, the province outline, which base layer starts visible, and the data credits."""
    import json as _json

    from kcn_tracker.settings import bundled_data_dir

    province = _json.loads((bundled_data_dir() / "province.geojson").read_text(encoding="utf-8"))
    outline = [encode_geometry_from_geojson(f["geometry"]) for f in province["features"]]
    bases = [{"key": b.key, "label": b.label, "url": b.url, "attribution": b.attribution, "max_zoom": b.max_zoom}
             for b in style.base_layers()]
    from kcn_tracker import credits

    return {"bases": bases, "default_base": "osm" if cdn else "plain", "offline": not cdn,
            "province": {"geoms": outline, "attribution": credits.GEOBOUNDARIES.short},
            "attribution": credits.short_text(), "attribution_narrow": credits.narrow_text()}


def write_briefing_map(session: Session, path: Path, options: MapOptions, *, cdn: bool = False) -> Path:
    """Read the register, draw the map and write it to ``path`` (folders created); self-contained unless ``cdn``."""
    with gc_paused():
        briefing = collect_briefing(session, options)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            out.writelines(page_chunks(briefing, cdn=cdn, consume=True))
    return path


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a map is read and written. Its data are plain
    rows, dicts and strings (no cycles to find: reference counting frees them), and at national scale
    the collector's full passes over millions of them took a sixth of ``kcn map``'s time (issue 15)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
