"""The data a briefing page embeds: one feature list per layer, lookups (labels, style), view.

Built for national scale: each layer is one list of compact features (see ``encoding``),
embedded once as JSON and drawn on a canvas by ``map_script.js``; ``read_payload`` gives
the embedded data back (tests, tools).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from kcn_tracker.fields import OBSTACLE_CATEGORIES
from kcn_tracker import style
from kcn_tracker.maps.collect import KINDS, Briefing
from kcn_tracker.maps.encoding import Raw, _anchor, _bounds, _encode
from kcn_tracker.stages import PROJECT_STAGES, ZONE_STAGES
from kcn_tracker.text import format_date

DATA_ELEMENT_ID = "kcn-data"
_PAYLOAD_RE = re.compile(r'<script type="application/json" id="kcn-data">(.*?)</script>', re.S)

def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _common(row: dict[str, Any]) -> dict[str, Any]:
    """Properties every record has (None values left out, as in the others)."""
    get = row.get
    code = get("code")
    props: dict[str, Any] = {"code": code, "name": get("name") or code, "stage": get("stage"), "src": get("source")}
    for key in ("code", "name", "stage", "src"):
        if props[key] is None:
            del props[key]
    props["approx"] = approx = 1 if get("approximate", True) else 0
    if get("open_obstacles"):
        props["obst"] = [[o["category"], o["description"], _iso(o["opened_on"])] for o in row["open_obstacles"]]
    last = get("last_change")
    if last:
        props["last"] = [_iso(last.get("on")), last.get("basis"), last.get("document")]
    if approx and get("location_basis"):
        props["loc"] = row["location_basis"]
    if get("overdue"):  # a short Vietnamese description of what is overdue (set by the alerts layer)
        props["overdue"] = str(row["overdue"])
    return props


def project_properties(row: dict[str, Any]) -> dict[str, Any]:
    """Feature properties of a project (what its popup shows; None values dropped)."""
    get = row.get
    props = _common(row)
    for key, value in (("tech", get("technology")), ("mw", get("capacity_mw")), ("op_mw", get("capacity_operating_mw")),
                       ("cod", _iso(get("expected_cod"))), ("cod_actual", _iso(get("actual_cod"))),
                       ("investor", get("investor")), ("zone", get("zone_code"))):
        if value is not None:
            props[key] = value
    if get("technology_basis") == "inferred":
        props["inferred_tech"] = 1
    if get("plan_role") not in (None, "named"):
        props["role"] = row["plan_role"]
    if get("construction_completed"):
        props["built"] = 1  # construction finished, not yet generating
    return props


def zone_properties(row: dict[str, Any]) -> dict[str, Any]:
    """Feature properties of a zone, with occupancy where leased and leasable land are known."""
    leasable, leased = row.get("leasable_ha"), row.get("leased_ha")
    occupancy = leased / leasable if leasable and leased is not None else None
    props = _common(row) | {
        "kind": row.get("kind"), "phase": row.get("phase"), "ha": row.get("total_area_ha"),
        "leasable": leasable, "leased": leased, "occ": round(occupancy, 4) if occupancy is not None else None,
        "leased_basis": row.get("leased_basis"), "dev": row.get("developer"), "radius_m": _round(style.zone_radius_m(row.get("total_area_ha"))),
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


def _rows(rows: list[dict[str, Any]], consume: bool, key: Callable[[dict[str, Any]], Any] | None = None) -> Iterator[dict[str, Any]]:
    """``rows`` in order (by ``key`` descending, ties as they come); with ``consume`` each row leaves the list as it is handed out."""
    if not consume:
        yield from (sorted(rows, key=key, reverse=True) if key else rows)
        return
    if key:
        rows.sort(key=key, reverse=True)
    rows.reverse()
    while rows:
        yield rows.pop()


def briefing_payload(briefing: Briefing, *, consume: bool = False) -> dict[str, Any]:
    """The data the page embeds: lookups, one feature list per layer, unplaced records, view.

    ``consume``: the briefing's rows are taken out of it as they are encoded (writing a page of a
    national register: the rows and the features are never all held at once).
    """
    zones = {kind: [] for kind in KINDS}  # type: dict[str, list[dict[str, Any]]]
    projects: dict[str, list[dict[str, Any]]] = defaultdict(list)
    unlocated: dict[str, list[dict[str, Any]]] = {"zones": [], "projects": []}
    boxes: dict[str, tuple[float, float, float, float] | None] = {}  # code -> bbox, for the initial view
    for row in _rows(briefing.zones, consume):
        geom, boxes[row["code"]] = _encode(row.get("geometry"))
        props = zone_properties(row)
        (zones.setdefault(row.get("kind") or "KCN", []) if geom else unlocated["zones"]).append({"g": geom, "p": props})
    # Large circles first, so small ones are drawn on top and stay clickable.
    for row in _rows(briefing.projects, consume, key=lambda r: r.get("capacity_mw") or 0):
        geom, boxes[row["code"]] = _encode(row.get("geometry"))
        props = project_properties(row)
        (projects[row.get("technology") or "other"] if geom else unlocated["projects"]).append({"g": geom, "p": props})
    located = [f for layer in (*zones.values(), *projects.values()) for f in layer]
    _spread(located)
    return {
        "meta": {"as_of": briefing.as_of.isoformat(), "as_of_vi": format_date(briefing.as_of),
                 "latest_change": _iso(briefing.latest_change),
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
    """Labels and the style the drawing script needs (all colours from ``kcn_tracker.style``)."""
    techs = sorted(set(briefing.technologies) | set(projects))
    return {
        "tech": {k: {"label": briefing.technologies.get(k, k), "color": style.tech_colour(k),
                     "edge": style.edge(style.tech_colour(k))} for k in techs},
        "pstage": {s.key: {"label": s.label_vi, "group": s.gem_status, "color": style.stage_colour("project", s.key),
                           "edge": style.edge(style.stage_colour("project", s.key))}
                   for s in PROJECT_STAGES},
        "zstage": {s.key: {"label": s.label_vi, "group": s.gem_status, "color": style.stage_colour("zone", s.key),
                           "edge": style.edge(style.stage_colour("zone", s.key))}
                   for s in ZONE_STAGES},
        "groups": {k: {"label": style.STAGE_GROUP_LABELS[k], "color": c, "fill": style.STAGE_GROUP_FILL[k]}
                   for k, c in style.STAGE_GROUP_COLOURS.items()},
        "kinds": {k: {"label": v.label, "color": v.colour, "weight": v.weight} for k, v in style.KIND_OUTLINES.items()},
        "occ": [[b if b != float("inf") else None, c] for b, c, _ in style.OCCUPANCY_BINS] + [[None, style.OCCUPANCY_UNKNOWN[0]]],
        "obst": {k: v[0] for k, v in OBSTACLE_CATEGORIES.items()},
        "style": {"obstacle": style.OBSTACLE.colour, "obstacle_w": style.OBSTACLE.weight, "overdue": style.OVERDUE.colour,
                  "halo": style.HALO, "dash": style.APPROX_DASH, "k": style.MW_RADIUS_K, "min_r": style.MIN_RADIUS_PX,
                  "zone_px": style.ZONE_MARKER_PX, "spread_px": style.SPREAD_PX, "province": style.PROVINCE.colour,
                  "leg": style.SPREAD_LEG.colour, "highlight": style.HIGHLIGHT.colour, "zone_fill": style.ZONE_FILL_OPACITY,
                  "label_zoom": style.LABEL_MIN_ZOOM, "fallback": style.FALLBACK_COLOURS[0],
                  "aggregate_above": style.AGGREGATE_ABOVE, "detail_max": style.DETAIL_MAX, "cluster_px": style.CLUSTER_CELL_PX,
                  "cluster_min_px": style.CLUSTER_MIN_PX, "canvas_margin": style.CANVAS_MARGIN, "ink": style.NEUTRAL["ink"]},
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

    # the province and everything located (an imported record may lie outside the province)
    return {"bounds": _bounds([PROVINCE_BBOX, *(boxes.get(f["p"]["code"]) for f in located)]), "focus": False}


def read_payload(html: str) -> dict[str, Any]:
    """The data embedded in a briefing page (inverse of the page's JSON escaping)."""
    match = _PAYLOAD_RE.search(html)
    if not match:
        raise ValueError("not a kcn briefing map: no embedded data")
    return json.loads(match.group(1))


def json_chunks(value: Any) -> Iterator[str]:
    """``embed_json(value)`` in pieces, one feature ({"g", "p"}) at a time; ``Raw`` text goes in as it is."""
    if isinstance(value, dict) and value.keys() == {"g", "p"}:
        geom = value["g"]
        if geom is not None and isinstance(geom.get("q"), Raw):
            geom_text = '{"t":' + embed_json(geom["t"]) + ',"q":' + geom["q"] + "}"
        else:
            geom_text = embed_json(geom)
        yield '{"g":' + geom_text + ',"p":' + embed_json(value["p"]) + "}"
    elif isinstance(value, dict):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield ("," if i else "") + embed_json(str(key)) + ":"
            yield from json_chunks(item)
        yield "}"
    elif isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
        if not any(isinstance(item.get("g"), dict) and isinstance(item["g"].get("q"), Raw) for item in value):
            yield embed_json(value)  # points only (a layer of projects): one call of the C encoder
            return
        yield "["
        for i, item in enumerate(value):
            if i:
                yield ","
            yield from json_chunks(item)
        yield "]"
    else:
        yield embed_json(value)


def embed_json(data: Any) -> str:
    """JSON safe inside <script>: '<', '>' and '&' escaped, so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
