"""Styling of the briefing maps, declared once as data: colours, stage looks, sizes, base layers.

The interactive map (``page``), its legend (``panels``) and the static picture
(``picture``) all read these tables, so the legend always matches the drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Technology colours (keys of the ``technologies`` table). Technologies added later as data
#: get a colour from FALLBACK_COLOURS, chosen by a stable hash of their key.
TECH_COLOURS: dict[str, str] = {
    "solar": "#f9a825",
    "rooftop_solar": "#c0ca33",
    "onshore_wind": "#1e88e5",
    "lng": "#8e24aa",
    "pumped_storage": "#00897b",
    "small_hydro": "#4fc3f7",
    "large_hydro": "#0d47a1",
    "waste_to_energy": "#6d4c41",
    "battery_storage": "#43a047",
    "nuclear": "#ff7043",
    "transmission": "#546e7a",
}
FALLBACK_COLOURS = ("#ad1457", "#5e35b1", "#00838f", "#9e9d24", "#d84315", "#37474f")

#: How a project's stage shows on its circle: fill opacity and stroke weight.
#: filled = operating, half = partly operating, ring = under construction, hollow = not started,
#: side = suspended/cancelled (grey, dotted).
PROJECT_LOOKS: dict[str, dict[str, float | str]] = {
    "filled": {"fillOpacity": 0.85, "weight": 1.5, "label": "Tô đặc: đang vận hành thương mại"},
    "half": {"fillOpacity": 0.45, "weight": 1.5, "label": "Tô nhạt: vận hành một phần"},
    "ring": {"fillOpacity": 0.12, "weight": 4.0, "label": "Viền dày: đang thi công"},
    "hollow": {"fillOpacity": 0.03, "weight": 1.5, "label": "Rỗng: chưa khởi công (quy hoạch → GPMB)"},
    "side": {"fillOpacity": 0.0, "weight": 1.5, "label": "Xám, chấm: tạm dừng / hủy bỏ"},
}
STAGE_LOOK: dict[str, str] = {
    "operating": "filled", "partly_operating": "half", "construction": "ring",
    "suspended": "side", "cancelled": "side",
}
SIDE_COLOUR = "#9e9e9e"

#: Zone fill by stage (--color-by stage).
ZONE_STAGE_COLOURS: dict[str, str] = {
    "in_plan": "#cfd8dc",
    "policy_decision": "#80cbc4",
    "site_clearance": "#ffcc80",
    "construction": "#fb8c00",
    "operating": "#2e7d32",
    "suspended": "#8d6e63",
    "cancelled": "#424242",
}
#: Zone fill by occupancy (--color-by occupancy): (upper bound exclusive, colour, label).
OCCUPANCY_BINS: tuple[tuple[float, str, str], ...] = (
    (0.30, "#fee08b", "Lấp đầy dưới 30 %"),
    (0.70, "#fdae61", "Lấp đầy 30 % – dưới 70 %"),
    (math.inf, "#1a9850", "Lấp đầy từ 70 % (đạt T4)"),
)
OCCUPANCY_UNKNOWN = ("#e0e0e0", "Chưa có số liệu lấp đầy")
#: Zone outline by kind, so KCN, CCN and KKT stay apart whatever the fill.
KIND_OUTLINES: dict[str, tuple[str, str]] = {
    "KCN": ("#1565c0", "Khu công nghiệp (KCN)"),
    "CCN": ("#6a1b9a", "Cụm công nghiệp (CCN)"),
    "KKT": ("#c62828", "Khu kinh tế (KKT)"),
}
OBSTACLE_COLOUR = "#d50000"
PROVINCE_COLOUR = "#37474f"
#: Dash pattern of every approximate geometry (vị trí gần đúng).
APPROX_DASH = "6 4"

#: Circle sizes: area proportional to MW (radius in screen pixels = MW_RADIUS_K * sqrt(MW)),
#: never smaller than MIN_RADIUS_PX so a 3 MW plant can still be seen and clicked.
MW_RADIUS_K = 0.6
MIN_RADIUS_PX = 3.0
ZONE_MARKER_PX = 7.0  # a zone point whose area is unknown
SIZE_LEGEND_MW = (50, 500, 1500)
#: Spreading of records that share one point: golden-angle spiral, radius SPREAD_PX * sqrt(i + 0.5).
SPREAD_PX = 15.0
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class BaseLayer:
    """A base map the layer control offers."""

    key: str
    label: str
    url: str | None  # None: a plain background (works without internet)
    attribution: str
    max_zoom: int = 19


def base_layers() -> tuple[BaseLayer, ...]:
    """Street map, satellite imagery (URLs and attributions from xyzservices, a folium dependency), plain."""
    import xyzservices.providers as xyz

    osm, esri = xyz.OpenStreetMap.Mapnik, xyz.Esri.WorldImagery
    return (
        BaseLayer("osm", "Bản đồ đường phố (OpenStreetMap)", osm.build_url(), osm.html_attribution, 19),
        BaseLayer("satellite", "Ảnh vệ tinh (Esri World Imagery)", esri.build_url(), esri.html_attribution, 18),
        BaseLayer("plain", "Nền trơn (không cần internet)", None, "", 19),
    )


def tech_colour(key: str | None) -> str:
    """The colour of a technology; unknown keys get a stable fallback colour."""
    if key in TECH_COLOURS:
        return TECH_COLOURS[key]  # type: ignore[index]
    digest = sum(ord(c) for c in (key or ""))
    return FALLBACK_COLOURS[digest % len(FALLBACK_COLOURS)]


def project_look(stage: str | None) -> str:
    """The look key (filled, half, ring, hollow, side) of a project stage."""
    return STAGE_LOOK.get(stage or "", "hollow")


def occupancy_colour(ratio: float | None) -> str:
    """Fill of a zone coloured by occupancy."""
    if ratio is None:
        return OCCUPANCY_UNKNOWN[0]
    return next(colour for bound, colour, _ in OCCUPANCY_BINS if ratio < bound)


def radius_px(capacity_mw: float | None) -> float:
    """Circle radius in pixels, area proportional to MW (minimum MIN_RADIUS_PX)."""
    return max(MIN_RADIUS_PX, MW_RADIUS_K * math.sqrt(max(capacity_mw or 0.0, 0.0)))


def zone_radius_m(total_area_ha: float | None) -> float | None:
    """Radius in metres of the circle whose area equals the zone's total area."""
    if not total_area_ha or total_area_ha <= 0:
        return None
    return math.sqrt(total_area_ha * 10_000 / math.pi)


def spread_offset(index: int, count: int, step: float = SPREAD_PX) -> tuple[float, float]:
    """Offset (dx, dy) of the index-th of ``count`` records sharing one point: a golden-angle spiral."""
    if count <= 1:
        return 0.0, 0.0
    r = step * math.sqrt(index + 0.5)
    angle = index * GOLDEN_ANGLE
    return r * math.cos(angle), r * math.sin(angle)
