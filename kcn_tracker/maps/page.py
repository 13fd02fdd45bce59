"""The briefing page: one self-explaining Leaflet page (via folium) around the embedded payload.

The drawing script (``map_script.js``) makes canvas circles and builds popups and
tooltips from the feature properties as DOM text, so nothing a user typed is ever
parsed as HTML. Folium supplies the page, the map object and Leaflet.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
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


def _skeleton(briefing: Briefing, payload: dict[str, Any], cdn: bool) -> str:
    """The page with ``_DATA_SLOT`` where the embedded data goes."""
    from kcn_tracker.maps import panels as map_panel

    fmap, raw, map_script_element = _page_classes()
    page = fmap(location=[12.2, 109.0], zoom_start=9, tiles=None, prefer_canvas=True, control_scale=False,
                zoom_control=True, font_size="12px", zoom_snap=0.25, zoom_delta=0.5)
    root = page.get_root()
    root.title = f"{briefing.options.title} — số liệu đến ngày {format_date(briefing.as_of)}"
    root.header.add_child(raw('<meta name="viewport" content="width=device-width, initial-scale=1">'
                              f"<style>{style.css_variables()}{map_panel.CSS}</style>"), name="kcn_css")
    root.html.add_child(raw(map_panel.panels_html(briefing, payload)), name="kcn_panels")
    root.html.add_child(raw(f'{_DATA_SLOT}<script type="application/json" id="kcn-config">{embed_json(_config(cdn))}</script>'),
                        name="kcn_data")
    page.add_child(map_script_element(map_script().replace("__MAP__", page.get_name())), name="kcn_script")
    html = root.render()
    if not cdn:
        from kcn_tracker.maps.offline import inline_assets

        html = inline_assets(html)
    return html


@functools.cache
def _page_classes() -> tuple[type, type, type]:
    """folium.Map with only Leaflet, and elements that output text verbatim (built once: folium is heavy).

    Why not branca's Element/MacroElement for our text: they compile their text as a Jinja
    template, which for the page script costs more than drawing the whole map.
    """
    # folium imports pandas (about 1.4 s and 40 MB on a busy machine) only to accept DataFrames,
    # which this page never passes: pandas is hidden while folium loads, so folium keeps pd = None.
    hide_pandas = "pandas" not in sys.modules
    if hide_pandas:
        sys.modules["pandas"] = None  # type: ignore[assignment]  # "import pandas" raises ImportError
    try:
        import folium
        from branca.element import Element, MacroElement
    finally:
        if hide_pandas:
            del sys.modules["pandas"]

    class BriefingMap(folium.Map):
        """folium.Map without jQuery, Bootstrap or icon fonts: the page uses none of them."""

        default_js = [folium.folium._default_js[0]]
        default_css = [folium.folium._default_css[0]]

    class Raw(Element):
        """Text placed as is, e.g. in the figure's header or body."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def render(self, **kwargs: Any) -> str:
            return self.text

    class MapScript(MacroElement):
        """A script that runs after the map it belongs to is created."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def render(self, **kwargs: Any) -> None:
            self.get_root().script.add_child(Raw(self.text), name=self.get_name())

    return BriefingMap, Raw, MapScript


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
    briefing = collect_briefing(session, options)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.writelines(page_chunks(briefing, cdn=cdn, consume=True))
    return path
