"""The one visual style of every map, picture, chart and GIS export, declared once as data.

Consumers: the interactive map (``maps.payload`` sends these tables to ``map_script.js``;
``maps.panels`` draws the legend from them), the static picture (``maps.picture``),
the report charts (``charts``), KML (``exporters.gis``) and the QGIS style stored in
the GeoPackage (``exporters.qgis_style``). No other module writes a colour literal
(``tests/test_style.py`` checks), so the legend, the picture and the exports always agree.

Palette: Okabe & Ito (2008) "Color Universal Design" eight colours, completed with
Paul Tol's "muted" scheme where more categories are needed; every fill is drawn with
a darker outline of its own hue (``edge``) so pale colours stay legible on a projector.
Colour is never the only cue: stages also differ by fill strength, kinds by outline
weight, obstacles by a double ring, overdue by a black dot, approximate positions by
a dashed outline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# --------------------------------------------------------------------------- base palette

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
TOL_MUTED = {
    "indigo": "#332288", "cyan": "#88CCEE", "teal": "#44AA99", "green": "#117733", "olive": "#999933",
    "sand": "#DDCC77", "rose": "#CC6677", "wine": "#882255", "purple": "#AA4499", "grey": "#DDDDDD",
}
NEUTRAL = {"ink": "#212121", "muted": "#5F6368", "line": "#9E9E9E", "pale": "#E0E0E0", "paper": "#FFFFFF",
           "panel_rule": "#ECEFF1", "water": "#EAF3FA", "land": "#F4F1EA", "neighbour": "#BDBDBD",
           "panel_bg": "rgba(255,255,255,.95)", "shadow": "rgba(0,0,0,.35)", "hover": "#FFF3C4"}

# --------------------------------------------------------------------------- by stage

#: Colour of each stage group (``stages.Stage.gem_status``, as Global Energy Monitor groups them): light → strong as a record advances.
STAGE_GROUP_COLOURS: dict[str, str] = {
    "announced": "#A6CEE3",             # ColorBrewer Paired light blue
    "pre-construction": OKABE_ITO["yellow"],
    "construction": OKABE_ITO["orange"],
    "operating": OKABE_ITO["bluish_green"],
    "shelved": "#999999",
    "cancelled": "#4D4D4D",
}
STAGE_GROUP_LABELS: dict[str, str] = {
    "announced": "Trong quy hoạch / lấy ý kiến",
    "pre-construction": "Chuẩn bị đầu tư (chủ trương → giải phóng mặt bằng)",
    "construction": "Đang thi công / xây dựng hạ tầng",
    "operating": "Đang vận hành / hoạt động",
    "shelved": "Tạm dừng",
    "cancelled": "Hủy bỏ / đưa ra khỏi quy hoạch",
}
#: A stage whose colour differs from its group's (a step the map must show on its own).
STAGE_OVERRIDES: dict[str, str] = {"partly_operating": "#74C476"}  # ColorBrewer Greens
STAGE_OVERRIDE_LABELS: dict[str, str] = {"partly_operating": "Vận hành một phần (dự án điện)"}
#: Fill strength of the circle by stage group: a second cue beside the colour.
STAGE_GROUP_FILL: dict[str, float] = {"announced": 0.55, "pre-construction": 0.75, "construction": 0.85,
                                      "operating": 0.95, "shelved": 0.35, "cancelled": 0.2}

# --------------------------------------------------------------------------- by technology

#: Technology colours (keys of the ``technologies`` table); later technologies get FALLBACK_COLOURS.
TECH_COLOURS: dict[str, str] = {
    "solar": OKABE_ITO["orange"],
    "rooftop_solar": OKABE_ITO["yellow"],
    "onshore_wind": OKABE_ITO["sky_blue"],
    "lng": TOL_MUTED["indigo"],
    "pumped_storage": TOL_MUTED["green"],
    "small_hydro": TOL_MUTED["teal"],
    "large_hydro": OKABE_ITO["blue"],
    "waste_to_energy": TOL_MUTED["olive"],
    "battery_storage": OKABE_ITO["reddish_purple"],
    "nuclear": TOL_MUTED["wine"],
    "transmission": "#555555",
}
FALLBACK_COLOURS = (TOL_MUTED["purple"], TOL_MUTED["sand"], TOL_MUTED["rose"], TOL_MUTED["cyan"], "#661100", "#6699CC")

# --------------------------------------------------------------------------- zones: outline by kind

@dataclass(frozen=True)
class KindOutline:
    """How a zone's kind shows: outline colour and weight (px on screen, pt on paper)."""

    colour: str
    weight: float
    label: str
    look: str  # how the legend describes the outline

    @property
    def legend(self) -> str:
        """'Khu công nghiệp (KCN) — viền xanh lam'."""
        return f"{self.label} — {self.look}"


KIND_OUTLINES: dict[str, KindOutline] = {
    "KKT": KindOutline(OKABE_ITO["black"], 3.5, "Khu kinh tế (KKT)", "viền đen đậm"),
    "KCN": KindOutline(OKABE_ITO["blue"], 2.5, "Khu công nghiệp (KCN)", "viền xanh lam"),
    "CCN": KindOutline("#8C510A", 1.8, "Cụm công nghiệp (CCN)", "viền nâu mảnh"),  # ColorBrewer BrBG brown
}
#: Zone fill by occupancy (--color-by occupancy): (upper bound exclusive, colour, label). ColorBrewer YlGnBu.
OCCUPANCY_BINS: tuple[tuple[float, str, str], ...] = (
    (0.30, "#EDF8B1", "Lấp đầy dưới 30 %"),
    (0.70, "#7FCDBB", "Lấp đầy 30 % – dưới 70 %"),
    (math.inf, "#2C7FB8", "Lấp đầy từ 70 % (đạt T4)"),
)
OCCUPANCY_UNKNOWN = (NEUTRAL["pale"], "Chưa có số liệu lấp đầy")
ZONE_FILL_OPACITY = 0.45

# --------------------------------------------------------------------------- symbols


@dataclass(frozen=True)
class Symbol:
    """A mark added to a record's circle, the same on screen, paper and in QGIS."""

    colour: str
    weight: float
    label: str
    dash: str | None = None


#: Open obstacle: a vermillion ring around the circle, with a white halo between (a double ring).
OBSTACLE = Symbol(OKABE_ITO["vermillion"], 3.0, "Vòng đỏ cam kép: có vướng mắc đang mở")
#: Overdue (a deadline passed without the expected step): a black dot at the circle's upper right.
OVERDUE = Symbol(OKABE_ITO["black"], 1.5, "Chấm đen: quá hạn (mốc đã qua mà chưa đạt)")
#: Approximate position: dashed outline (and the popup says why).
APPROX = Symbol(NEUTRAL["muted"], 1.5, "Nét đứt: vị trí gần đúng", dash="6 4")
APPROX_DASH = APPROX.dash
PROVINCE = Symbol("#37474F", 2.0, "Ranh giới tỉnh (geoBoundaries)")
SPREAD_LEG = Symbol("#546E7A", 1.0, "Đường nối về vị trí chung")
HALO = NEUTRAL["paper"]
#: Highlight of the record found by search or picked in the table.
HIGHLIGHT = Symbol("#000000", 4.0, "Hồ sơ đang chọn")

# --------------------------------------------------------------------------- sizes

#: Circle sizes: area proportional to MW (radius in px = MW_RADIUS_K * sqrt(MW)), at least MIN_RADIUS_PX.
MW_RADIUS_K = 0.6
MIN_RADIUS_PX = 4.0
ZONE_MARKER_PX = 7.0  # a zone point whose area is unknown
SIZE_LEGEND_MW = (50, 500, 1500)
#: Spreading of records that share one point: golden-angle spiral, radius SPREAD_PX * sqrt(i + 0.5).
SPREAD_PX = 15.0
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
#: Names appear on the interactive map from this zoom on (the whole province fits at about 9).
LABEL_MIN_ZOOM = 10
#: A national register on the interactive map: with more located records than AGGREGATE_ABOVE, only the
#: records in view are drawn, and a view holding more than DETAIL_MAX of them groups the records of each
#: CLUSTER_CELL_PX grid cell into one counted circle (at least CLUSTER_MIN_PX across, growing with the count).
#: Its canvas, and what it draws, reach CANVAS_MARGIN of the view's size beyond each edge (0.3 for a province).
AGGREGATE_ABOVE = 2000
DETAIL_MAX = 1500
CLUSTER_CELL_PX = 80
CLUSTER_MIN_PX = 24
CANVAS_MARGIN = 0.15

# --------------------------------------------------------------------------- charts

CHART = {
    "operating": STAGE_GROUP_COLOURS["operating"],
    "expected": "#B7E4D5",
    "target": OKABE_ITO["vermillion"],
    "below_goal": OKABE_ITO["orange"],
    "neutral": "#999999",
    "note": NEUTRAL["muted"],
}


# --------------------------------------------------------------------------- functions


def stage_group(record_type: str, stage: str | None) -> str:
    """The group (announced … cancelled) of a stage key; unknown stages count as announced."""
    from kcn_tracker.stages import PROJECT_STAGES, ZONE_STAGES

    for s in PROJECT_STAGES if record_type == "project" else ZONE_STAGES:
        if s.key == stage:
            return s.gem_status
    return "announced"


def stage_colour(record_type: str, stage: str | None) -> str:
    """Fill colour of a record at ``stage``."""
    return STAGE_OVERRIDES.get(stage or "") or STAGE_GROUP_COLOURS[stage_group(record_type, stage)]


def stage_fill_opacity(record_type: str, stage: str | None) -> float:
    """Fill opacity by stage group (a second cue beside the colour)."""
    return STAGE_GROUP_FILL[stage_group(record_type, stage)]


def tech_colour(key: str | None) -> str:
    """The colour of a technology; unknown keys get a stable fallback colour."""
    if key in TECH_COLOURS:
        return TECH_COLOURS[key]  # type: ignore[index]
    digest = sum(ord(c) for c in (key or ""))
    return FALLBACK_COLOURS[digest % len(FALLBACK_COLOURS)]


def kind_outline(kind: str | None) -> KindOutline:
    """The outline of a zone kind (KCN when unknown)."""
    return KIND_OUTLINES.get(kind or "KCN", KIND_OUTLINES["KCN"])


def occupancy_colour(ratio: float | None) -> str:
    """Fill of a zone coloured by occupancy."""
    if ratio is None:
        return OCCUPANCY_UNKNOWN[0]
    return next(colour for bound, colour, _ in OCCUPANCY_BINS if ratio < bound)


def rgb(colour: str) -> tuple[int, int, int]:
    """(r, g, b) 0–255 of '#RRGGBB'."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def edge(colour: str, amount: float = 0.4) -> str:
    """A darker shade of ``colour`` for outlines (mixed towards black by ``amount``)."""
    r, g, b = (round(c * (1 - amount)) for c in rgb(colour))
    return f"#{r:02X}{g:02X}{b:02X}"


def kml_colour(colour: str, alpha: float = 1.0) -> str:
    """KML's aabbggrr form of '#RRGGBB' with opacity ``alpha``."""
    r, g, b = rgb(colour)
    return f"{round(alpha * 255):02x}{b:02x}{g:02x}{r:02x}"


def qgis_colour(colour: str, alpha: float = 1.0) -> str:
    """QGIS's 'r,g,b,a' form of '#RRGGBB'."""
    r, g, b = rgb(colour)
    return f"{r},{g},{b},{round(alpha * 255)}"


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


def css_variables() -> str:
    """The page's CSS custom properties (panels use ``var(--kcn-…)`` instead of colour literals)."""
    names = {**NEUTRAL, "accent": OBSTACLE.colour, "bar": CHART["operating"], "date": OKABE_ITO["vermillion"]}
    return ":root{" + "".join(f"--kcn-{k.replace('_', '-')}:{v};" for k, v in names.items()) + "}"


@dataclass(frozen=True)
class BaseLayer:
    """A base map the layer control offers."""

    key: str
    label: str
    url: str | None  # None: a plain background (works without internet)
    attribution: str
    max_zoom: int = 19


def base_layers() -> tuple[BaseLayer, ...]:
    """Plain background (offline), street map, satellite imagery (URLs and attributions from xyzservices)."""
    import xyzservices.providers as xyz

    osm, esri = xyz.OpenStreetMap.Mapnik, xyz.Esri.WorldImagery
    return (
        BaseLayer("plain", "Nền trơn (không cần internet)", None, "", 19),
        BaseLayer("osm", "Bản đồ đường phố (OpenStreetMap, cần internet)", osm.build_url(), osm.html_attribution, 19),
        BaseLayer("satellite", "Ảnh vệ tinh (Esri World Imagery, cần internet)", esri.build_url(), esri.html_attribution, 18),
    )
