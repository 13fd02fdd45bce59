"""The briefing map: zones and power projects on one self-explaining Leaflet page (via folium).

Built for national scale: each layer is ONE GeoJSON FeatureCollection, embedded once
as JSON (coordinates quantised to 1e-5° and delta-encoded), drawn on a canvas by one
script (``map_script.js``) that makes circles with ``pointToLayer`` and builds
popups and tooltips from the feature properties as DOM text, so nothing a user
typed is ever parsed as HTML. Folium supplies the page, the map object and Leaflet.

Layers: ``collect_briefing`` reads the register (a session) into a ``Briefing`` of
plain dicts; ``briefing_payload`` turns it into the embedded data; ``briefing_html``
renders the page; ``write_briefing_map`` does all three. ``read_payload`` gives the
embedded data back (tests, tools).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kcn_tracker import map_style as style
from kcn_tracker.errors import InvalidValue
from kcn_tracker.fields import OBSTACLE_CATEGORIES
from kcn_tracker.stages import PROJECT_STAGES, ZONE_STAGES
from kcn_tracker.text import fold, format_date
from kcn_tracker import clock

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

QUANTUM = 1e5  # coordinates are stored as integers of 1e-5 degree (about 1 m)
KINDS = ("KCN", "CCN", "KKT")
KIND_LABELS = {"KCN": "Khu công nghiệp", "CCN": "Cụm công nghiệp", "KKT": "Khu kinh tế"}
DATA_ELEMENT_ID = "kcn-data"
_PAYLOAD_RE = re.compile(r'<script type="application/json" id="kcn-data">(.*?)</script>', re.S)


@dataclass(frozen=True)
class MapOptions:
    """What to draw: filters (keys already resolved), colouring, and the day."""

    as_of: dt.date | None = None
    color_by: str = "stage"  # stage | occupancy
    technology: str | None = None
    stage: str | None = None
    kind: str | None = None
    zone: str | None = None  # a name or code; zooms to it and its projects
    title: str = "Khu công nghiệp và dự án điện tỉnh Khánh Hòa"


@dataclass
class Briefing:
    """Everything one map shows, as plain data (no session): views, progress, filters."""

    as_of: dt.date
    zones: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    technologies: dict[str, str]  # key -> Vietnamese label
    progress: dict[str, Any] | None = None  # ProgressReport.as_dict() of the whole register
    options: MapOptions = field(default_factory=MapOptions)
    filters: list[str] = field(default_factory=list)  # human description of active filters
    focus_code: str | None = None


# --------------------------------------------------------------------------- reading the register


def collect_briefing(session: Session, options: MapOptions) -> Briefing:
    """Read the register on ``options.as_of`` (default today), apply the filters, compute progress."""
    from kcn_tracker.progress import compute_progress
    from kcn_tracker.progress_data import load_records
    from kcn_tracker.registry import views
    from kcn_tracker.state import technology_labels

    day = options.as_of or clock.today()
    zones, projects = views(session, "zone", as_of=day), views(session, "project", as_of=day)
    for rows, record_type in ((zones, "zone"), (projects, "project")):
        last = last_changes(session, record_type, day)
        for row in rows:
            row["last_change"] = last.get(row["id"])
    technologies = technology_labels(session)
    progress = compute_progress(load_records(session), day).as_dict()
    briefing = Briefing(day, zones, projects, technologies, progress, options)
    return apply_filters(briefing, session=session)


def last_changes(session: Session, record_type: str, day: dt.date) -> dict[int, dict[str, Any]]:
    """Per record id: the date, date basis, document and note of its last event on or before ``day``."""
    from kcn_tracker.journal import last_changes as read_last_changes

    return read_last_changes(session, record_type, day)


def apply_filters(briefing: Briefing, *, session: Session | None = None) -> Briefing:
    """Keep what the options ask for and describe the filters in Vietnamese.

    --technology keeps projects of that technology (zones stay for context); --kind keeps
    zones of that kind (projects stay); --stage keeps zones and projects at that stage (a
    stage zones do not have hides every zone); --zone keeps everything but zooms to the zone.
    """
    from kcn_tracker.stages import label, parse_stage

    opts = briefing.options
    if opts.technology:
        if session is not None:
            from kcn_tracker.registry import parse_technology

            key = parse_technology(session, opts.technology)
        else:
            key = _technology_key(opts.technology, briefing.technologies)
        briefing.projects = [p for p in briefing.projects if p.get("technology") == key]
        briefing.filters.append(f"công nghệ: {briefing.technologies.get(key, key)}")
    if opts.kind:
        kind = opts.kind.upper()
        if kind not in KINDS:
            raise InvalidValue(f"--kind: “{opts.kind}” không hợp lệ; chọn / choose: {', '.join(KINDS)}")
        briefing.zones = [z for z in briefing.zones if z.get("kind") == kind]
        briefing.filters.append(f"loại khu: {kind}")
    if opts.stage:
        keys = {}
        for record_type in ("project", "zone"):
            try:
                keys[record_type] = parse_stage(record_type, opts.stage).key  # type: ignore[arg-type]
            except InvalidValue:
                keys[record_type] = None
        if not any(keys.values()):
            parse_stage("project", opts.stage)  # raises the message listing the stages
        briefing.projects = [p for p in briefing.projects if keys["project"] and p.get("stage") == keys["project"]]
        briefing.zones = [z for z in briefing.zones if keys["zone"] and z.get("stage") == keys["zone"]]
        shown = keys["project"] or keys["zone"]
        briefing.filters.append(f"giai đoạn: {label('project' if keys['project'] else 'zone', shown)}")
    if opts.zone:
        briefing.focus_code = _focus_zone(briefing, opts.zone, session)
    return briefing


def _technology_key(text: str, technologies: dict[str, str]) -> str:
    wanted = fold(text)
    for key, label_vi in technologies.items():
        if wanted in (fold(key), fold(label_vi)):
            return key
    raise InvalidValue(f"--technology: “{text}” không tồn tại; chọn / choose: {', '.join(technologies)}")


def _focus_zone(briefing: Briefing, query: str, session: Session | None) -> str:
    if session is not None:
        from kcn_tracker.registry import resolve

        code = resolve(session, "zone", query).code
    else:
        matches = [z["code"] for z in briefing.zones if query in (z["code"], z.get("name")) or fold(query) == fold(z.get("name") or "")]
        if len(matches) != 1:
            raise InvalidValue(f"--zone: “{query}” không tìm thấy hoặc không rõ / not found or ambiguous")
        code = matches[0]
    zone = next((z for z in briefing.zones if z["code"] == code), None)
    name = zone.get("name") if zone else code
    briefing.filters.append(f"phóng tới: {name}")
    return code


# --------------------------------------------------------------------------- geometry encoding


def encode_geometry(wkt: str | None) -> dict[str, Any] | None:
    """A compact geometry: points as [lon, lat] rounded to 5 decimals; lines and polygons as
    rings of integers (1e-5°), the first vertex absolute and the others as deltas."""
    return _encode(wkt)[0]


def _encode(wkt: str | None) -> tuple[dict[str, Any] | None, tuple[float, float, float, float] | None]:
    """``encode_geometry`` plus the bounding box (west, south, east, north), computed on the way."""
    if not wkt:
        return None, None
    if wkt.startswith("POINT") and "EMPTY" not in wkt:  # the common case: no shapely needed
        lon, lat = (round(float(v), 5) for v in wkt[wkt.index("(") + 1: wkt.index(")")].split()[:2])
        return {"t": "Point", "c": [lon, lat]}, (lon, lat, lon, lat)
    import shapely

    geom = shapely.from_wkt(wkt)
    if geom.is_empty:
        return None, None
    if geom.geom_type == "Point":
        return _encode(f"POINT ({geom.x} {geom.y})")
    return {"t": geom.geom_type, "q": _parts(geom)}, tuple(geom.bounds)  # type: ignore[return-value]


def _parts(geom: Any) -> Any:
    """Nested rings/lines of a shapely geometry, each delta-encoded (the GeoJSON nesting)."""
    kind = geom.geom_type
    if kind == "Polygon":
        return [_ring(r.coords) for r in (geom.exterior, *geom.interiors)]
    if kind == "LineString":
        return _ring(geom.coords)
    if kind in ("MultiPolygon", "MultiLineString"):
        return [_parts(g) for g in geom.geoms]
    raise InvalidValue(f"geometry: kiểu {kind} chưa được hỗ trợ trên bản đồ / not supported on the map")


def _ring(coords: Any) -> list[int]:
    import numpy as np

    ints = np.round(np.asarray(coords, dtype=float)[:, :2] * QUANTUM).astype(np.int64)
    ints[1:] = np.diff(ints, axis=0)
    return ints.ravel().tolist()


def _quantise(coords: Any) -> Any:
    """Delta-encode GeoJSON coordinate arrays (any nesting)."""
    if coords and isinstance(coords[0][0], (int, float)):
        return _ring(coords)
    return [_quantise(part) for part in coords]


def decode_geometry(geom: dict[str, Any] | None) -> dict[str, Any] | None:
    """GeoJSON geometry from ``encode_geometry`` output (the inverse, at 1e-5° precision)."""
    if geom is None:
        return None
    if geom["t"] == "Point":
        return {"type": "Point", "coordinates": geom["c"]}

    def ring(flat: list[int]) -> list[list[float]]:
        out, x, y = [], 0, 0
        for i in range(0, len(flat), 2):
            x, y = x + flat[i], y + flat[i + 1]
            out.append([x / QUANTUM, y / QUANTUM])
        return out

    def walk(part: Any) -> Any:
        return ring(part) if not part or isinstance(part[0], int) else [walk(p) for p in part]

    return {"type": geom["t"], "coordinates": walk(geom["q"])}


def _anchor(geom: dict[str, Any] | None) -> tuple[float, float] | None:
    return tuple(geom["c"]) if geom and geom["t"] == "Point" else None  # type: ignore[return-value]


def _bounds(boxes: list[tuple[float, float, float, float] | None]) -> list[list[float]] | None:
    """[[south, west], [north, east]] around bounding boxes (None when there is none)."""
    boxes = [b for b in boxes if b]
    if not boxes:
        return None
    return [[min(b[1] for b in boxes), min(b[0] for b in boxes)], [max(b[3] for b in boxes), max(b[2] for b in boxes)]]


# --------------------------------------------------------------------------- the embedded data


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _common(row: dict[str, Any]) -> dict[str, Any]:
    last = row.get("last_change") or {}
    props = {
        "code": row.get("code"), "name": row.get("name") or row.get("code"), "stage": row.get("stage"),
        "src": row.get("source"), "approx": 1 if row.get("approximate", True) else 0,
        "obst": [[o["category"], o["description"], _iso(o["opened_on"])] for o in row.get("open_obstacles") or []],
    }
    if last:
        props["last"] = [_iso(last.get("on")), last.get("basis"), last.get("document")]
    if props["approx"] and row.get("location_basis"):
        props["loc"] = row["location_basis"]
    return props


def project_properties(row: dict[str, Any]) -> dict[str, Any]:
    """Feature properties of a project (what its popup shows; None values dropped)."""
    props = _common(row) | {
        "tech": row.get("technology"), "mw": row.get("capacity_mw"), "op_mw": row.get("capacity_operating_mw"),
        "cod": _iso(row.get("expected_cod")), "cod_actual": _iso(row.get("actual_cod")), "investor": row.get("investor"),
        "zone": row.get("zone_code"), "inferred_tech": 1 if row.get("technology_basis") == "inferred" else None,
        "role": row.get("plan_role") if row.get("plan_role") not in (None, "named") else None,
    }
    return {k: v for k, v in props.items() if v not in (None, [])}


def zone_properties(row: dict[str, Any]) -> dict[str, Any]:
    """Feature properties of a zone, with occupancy where leased and leasable land are known."""
    leasable, leased = row.get("leasable_ha"), row.get("leased_ha")
    occupancy = leased / leasable if leasable and leased is not None else None
    props = _common(row) | {
        "kind": row.get("kind"), "phase": row.get("phase"), "ha": row.get("total_area_ha"),
        "leasable": leasable, "leased": leased, "occ": round(occupancy, 4) if occupancy is not None else None,
        "dev": row.get("developer"), "radius_m": _round(style.zone_radius_m(row.get("total_area_ha"))),
    }
    return {k: v for k, v in props.items() if v not in (None, [])}


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _spread(features: list[dict[str, Any]]) -> None:
    """Mark records that share one point with their place in the spiral ("sp": [index, count])."""
    groups: dict[tuple[float, float], list[dict[str, Any]]] = defaultdict(list)
    for feature in features:
        anchor = _anchor(feature["g"])
        if anchor:
            groups[anchor].append(feature)
    for members in groups.values():
        if len(members) > 1:
            for index, feature in enumerate(members):
                feature["p"]["sp"] = [index, len(members)]


def briefing_payload(briefing: Briefing) -> dict[str, Any]:
    """The data the page embeds: lookups, one feature list per layer, unplaced records, view."""
    zones = {kind: [] for kind in KINDS}  # type: dict[str, list[dict[str, Any]]]
    projects: dict[str, list[dict[str, Any]]] = defaultdict(list)
    unlocated: dict[str, list[dict[str, Any]]] = {"zones": [], "projects": []}
    boxes: dict[str, tuple[float, float, float, float] | None] = {}  # code -> bbox, for the initial view
    for row in briefing.zones:
        geom, boxes[row["code"]] = _encode(row.get("geometry"))
        props = zone_properties(row)
        (zones.setdefault(row.get("kind") or "KCN", []) if geom else unlocated["zones"]).append({"g": geom, "p": props})
    # Large circles first, so small ones are drawn on top and stay clickable.
    for row in sorted(briefing.projects, key=lambda r: -(r.get("capacity_mw") or 0)):
        geom, boxes[row["code"]] = _encode(row.get("geometry"))
        props = project_properties(row)
        (projects[row.get("technology") or "other"] if geom else unlocated["projects"]).append({"g": geom, "p": props})
    located = [f for layer in (*zones.values(), *projects.values()) for f in layer]
    _spread(located)
    return {
        "meta": {"as_of": briefing.as_of.isoformat(), "as_of_vi": format_date(briefing.as_of),
                 "color_by": briefing.options.color_by, "filters": briefing.filters, "focus": briefing.focus_code},
        "lookups": _lookups(briefing, projects),
        "zones": {k: v for k, v in zones.items() if v},
        "projects": dict(sorted(projects.items())),
        "unlocated": unlocated,
        "view": _view(briefing, located, boxes),
        "counts": {"zones": sum(len(v) for v in zones.values()), "projects": sum(len(v) for v in projects.values()),
                   "unlocated_zones": len(unlocated["zones"]), "unlocated_projects": len(unlocated["projects"]),
                   "obstacles": sum(1 for f in located if f["p"].get("obst"))},
    }


def _lookups(briefing: Briefing, projects: dict[str, list[Any]]) -> dict[str, Any]:
    techs = sorted(set(briefing.technologies) | set(projects))
    return {
        "tech": {k: {"label": briefing.technologies.get(k, k), "color": style.tech_colour(k)} for k in techs},
        "pstage": {s.key: {"label": s.label_vi, "look": style.project_look(s.key)} for s in PROJECT_STAGES},
        "zstage": {s.key: {"label": s.label_vi, "color": style.ZONE_STAGE_COLOURS.get(s.key, "#bdbdbd")} for s in ZONE_STAGES},
        "looks": {k: {"fillOpacity": v["fillOpacity"], "weight": v["weight"]} for k, v in style.PROJECT_LOOKS.items()},
        "kinds": {k: {"label": v[1], "color": v[0]} for k, v in style.KIND_OUTLINES.items()},
        "occ": [[b if b != float("inf") else None, c] for b, c, _ in style.OCCUPANCY_BINS] + [[None, style.OCCUPANCY_UNKNOWN[0]]],
        "obst": {k: v[0] for k, v in OBSTACLE_CATEGORIES.items()},
        "style": {"side": style.SIDE_COLOUR, "obstacle": style.OBSTACLE_COLOUR, "dash": style.APPROX_DASH,
                  "k": style.MW_RADIUS_K, "min_r": style.MIN_RADIUS_PX, "zone_px": style.ZONE_MARKER_PX,
                  "spread_px": style.SPREAD_PX, "province": style.PROVINCE_COLOUR},
    }


def _view(briefing: Briefing, located: list[dict[str, Any]], boxes: dict[str, Any]) -> dict[str, Any]:
    """Initial view: the focused zone and its projects, else everything located, else the province."""
    if briefing.focus_code:
        chosen = [boxes.get(f["p"]["code"]) for f in located
                  if f["p"].get("code") == briefing.focus_code or f["p"].get("zone") == briefing.focus_code]
        bounds = _bounds(chosen)
        if bounds:
            return {"bounds": bounds, "focus": True}
    from kcn_tracker.settings import PROVINCE_BBOX

    west, south, east, north = PROVINCE_BBOX
    return {"bounds": _bounds([boxes.get(f["p"]["code"]) for f in located]) or [[south, west], [north, east]], "focus": False}


def read_payload(html: str) -> dict[str, Any]:
    """The data embedded in a briefing page (inverse of the page's JSON escaping)."""
    match = _PAYLOAD_RE.search(html)
    if not match:
        raise ValueError("not a kcn briefing map: no embedded data")
    return json.loads(match.group(1))


def embed_json(data: Any) -> str:
    """JSON safe inside <script>: '<', '>' and '&' escaped, so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# --------------------------------------------------------------------------- the page


def map_script() -> str:
    """The page's drawing script (shipped next to this module)."""
    return resources.files("kcn_tracker").joinpath("map_script.js").read_text(encoding="utf-8")


def briefing_html(briefing: Briefing, *, offline: bool = False) -> str:
    """The whole page as one HTML string."""
    from kcn_tracker import map_panel

    payload = briefing_payload(briefing)
    fmap, raw, map_script_element = _page_classes()
    page = fmap(location=[12.2, 109.0], zoom_start=9, tiles=None, prefer_canvas=True, control_scale=False,
                zoom_control=True, font_size="12px")
    root = page.get_root()
    root.title = f"{briefing.options.title} — số liệu đến ngày {format_date(briefing.as_of)}"
    root.header.add_child(raw(f"<style>{map_panel.CSS}</style>"), name="kcn_css")
    root.html.add_child(raw(map_panel.panels_html(briefing, payload)), name="kcn_panels")
    root.html.add_child(raw(f'<script type="application/json" id="{DATA_ELEMENT_ID}">{embed_json(payload)}</script>'
                            f'<script type="application/json" id="kcn-config">{embed_json(_config(offline))}</script>'),
                        name="kcn_data")
    page.add_child(map_script_element(map_script().replace("__MAP__", page.get_name())), name="kcn_script")
    html = root.render()
    if offline:
        from kcn_tracker.offline import inline_assets

        html = inline_assets(html)
    return html


@functools.cache
def _page_classes() -> tuple[type, type, type]:
    """folium.Map with only Leaflet, and elements that output text verbatim (built once: folium is heavy).

    Why not branca's Element/MacroElement for our text: they compile their text as a Jinja
    template, which for the page script costs more than drawing the whole map.
    """
    import folium
    from branca.element import Element, MacroElement

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


def _config(offline: bool) -> dict[str, Any]:
    """Base layers, the province outline and which base layer starts visible."""
    import json as _json

    from kcn_tracker.settings import bundled_data_dir

    province = _json.loads((bundled_data_dir() / "province.geojson").read_text(encoding="utf-8"))
    outline = [encode_geometry_from_geojson(f["geometry"]) for f in province["features"]]
    bases = [{"key": b.key, "label": b.label, "url": b.url, "attribution": b.attribution, "max_zoom": b.max_zoom}
             for b in style.base_layers()]
    return {"bases": bases, "default_base": "plain" if offline else "osm", "offline": offline,
            "province": {"geoms": outline, "attribution": "Ranh giới tỉnh: geoBoundaries (Runfola et al. 2020), CC BY-SA 4.0"}}


def encode_geometry_from_geojson(geometry: dict[str, Any]) -> dict[str, Any] | None:
    """``encode_geometry`` for a GeoJSON geometry dict."""
    if geometry["type"] == "Point":
        return {"t": "Point", "c": [round(geometry["coordinates"][0], 5), round(geometry["coordinates"][1], 5)]}
    return {"t": geometry["type"], "q": _quantise(geometry["coordinates"])}


def write_briefing_map(session: Session, path: Path, options: MapOptions, *, offline: bool = False) -> Path:
    """Read the register, draw the map and write it to ``path`` (folders created)."""
    briefing = collect_briefing(session, options)
    html = briefing_html(briefing, offline=offline)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
