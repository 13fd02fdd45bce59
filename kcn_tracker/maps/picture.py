"""``kcn map --png``: a static picture of the briefing map for a Word report or a slide.

matplotlib + geopandas, no internet: the province outline from the bundled data,
zones as circles of their area (or small squares when the area is unknown), projects
as circles whose area is proportional to MW in the technology colours, the stage as
fill (filled / light / thick ring / hollow), a red ring for open obstacles, approximate
positions dashed, and records sharing one point spread on a small spiral. Sized for an
A4 page: 180 mm wide at 200 dpi, DejaVu Sans (Vietnamese diacritics).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kcn_tracker import style
from kcn_tracker.maps.encoding import decode_geometry
from kcn_tracker.maps.payload import briefing_payload
from kcn_tracker.settings import METRIC_CRS, bundled_data_dir
from kcn_tracker.text import format_date, format_number

if TYPE_CHECKING:
    from kcn_tracker.maps.collect import Briefing

WIDTH_MM, HEIGHT_MM, DPI = 180.0, 200.0, 200
SPREAD_M = 1800.0  # spiral step on paper: about 2 mm at this scale
MW_TO_PT2 = 0.5  # marker area in pt² per MW (area proportional to MW)
MIN_PT2 = 9.0
LOOK_ALPHA = {"filled": 0.9, "half": 0.5, "ring": 0.12, "hollow": 0.0, "side": 0.0}
LOOK_WIDTH = {"filled": 0.6, "half": 0.6, "ring": 1.8, "hollow": 0.8, "side": 0.8}


def _spread_points(features: list[dict[str, Any]], transformer: Any) -> list[tuple[float, float]]:
    """Metric positions, records sharing a point moved onto a golden-angle spiral (as on the web map)."""
    out = []
    for f in features:
        x, y = transformer.transform(*f["g"]["c"])
        index, count = f["p"].get("sp", [0, 1])
        dx, dy = style.spread_offset(index, count, SPREAD_M / math.sqrt(1.5))
        out.append((x + dx, y - dy))
    return out


def _draw_zones(ax: Any, payload: dict[str, Any], transformer: Any, color_by: str) -> None:
    from matplotlib.patches import Circle, Rectangle
    from shapely.geometry import shape
    from shapely.ops import transform

    for kind, features in payload["zones"].items():
        edge = style.KIND_OUTLINES.get(kind, ("#555", kind))[0]
        points = [f for f in features if f["g"]["t"] == "Point"]
        for f, (x, y) in zip(points, _spread_points(points, transformer)):
            p = f["p"]
            fill = style.occupancy_colour(p.get("occ")) if color_by == "occupancy" else style.ZONE_STAGE_COLOURS.get(p.get("stage"), "#bdbdbd")
            ls = (0, (3, 2)) if p.get("approx") else "solid"
            if p.get("radius_m"):
                ax.add_patch(Circle((x, y), p["radius_m"], facecolor=fill, edgecolor=edge, alpha=0.8, lw=1.0, ls=ls, zorder=3))
            else:
                ax.add_patch(Rectangle((x - 700, y - 700), 1400, 1400, facecolor=fill, edgecolor=edge, lw=1.0, ls=ls, zorder=3))
        for f in features:
            if f["g"]["t"] != "Point":
                geom = transform(transformer.transform, shape(decode_geometry(f["g"])))
                for poly in getattr(geom, "geoms", [geom]):
                    xs, ys = poly.exterior.xy
                    ax.fill(xs, ys, facecolor=style.ZONE_STAGE_COLOURS.get(f["p"].get("stage"), "#bdbdbd"), edgecolor=edge,
                            alpha=0.7, lw=1.0, zorder=3)


def _draw_projects(ax: Any, payload: dict[str, Any], transformer: Any) -> None:
    for tech, features in payload["projects"].items():
        colour = style.tech_colour(tech)
        points = [f for f in features if f["g"]["t"] == "Point"]
        for f, (x, y) in zip(points, _spread_points(points, transformer)):
            p = f["p"]
            look = style.project_look(p.get("stage"))
            size = max(MIN_PT2, MW_TO_PT2 * (p.get("mw") or 0))
            face = colour if look != "side" else style.SIDE_COLOUR
            ax.scatter([x], [y], s=size, facecolors=[_rgba(face, LOOK_ALPHA[look])], edgecolors=[face],
                       linewidths=LOOK_WIDTH[look], linestyles="--" if p.get("approx") else "-", zorder=5)
            if p.get("obst"):
                ax.scatter([x], [y], s=size * 2.2 + 40, facecolors="none", edgecolors=style.OBSTACLE_COLOUR, linewidths=1.4, zorder=6)


def _rgba(colour: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(colour, alpha)


def _legend(ax: Any, payload: dict[str, Any], briefing: Briefing) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", ls="", color=style.tech_colour(t), markersize=7,
                      label=f"{briefing.technologies.get(t, t)} ({len(v)})") for t, v in payload["projects"].items()]
    handles += [Line2D([], [], marker="o", ls="", markerfacecolor=_rgba("#455a64", LOOK_ALPHA[k]), markeredgecolor="#455a64",
                       markeredgewidth=LOOK_WIDTH[k], markersize=7, label=str(v["label"])) for k, v in style.PROJECT_LOOKS.items()]
    handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="none", markeredgecolor=style.OBSTACLE_COLOUR, markersize=9,
                          label="Có vướng mắc đang mở"))
    handles += [Line2D([], [], marker="s", ls="", markerfacecolor="none", markeredgecolor=c, markersize=7, label=lbl)
                for c, lbl in style.KIND_OUTLINES.values()]
    handles.append(Line2D([], [], ls="--", color="#455a64", label="Nét đứt: vị trí gần đúng"))
    first = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=6.5, frameon=False,
                      borderaxespad=0, title="Chú giải", title_fontsize=7.5)
    ax.add_artist(first)
    sizes = [Line2D([], [], marker="o", ls="", markerfacecolor="#cfd8dc", markeredgecolor="#455a64",
                    markersize=math.sqrt(max(MIN_PT2, MW_TO_PT2 * mw)), label=f"{format_number(mw)} MW")
             for mw in style.SIZE_LEGEND_MW]
    ax.legend(handles=sizes, loc="lower left", bbox_to_anchor=(1.01, 0.05), fontsize=6.5, frameon=False, labelspacing=2.2,
              borderpad=1.2, title="Công suất (diện tích ∝ MW)", title_fontsize=7)


def write_static_map(briefing: Briefing, path: Path) -> Path:
    """Draw the PNG and write it to ``path`` (folders created)."""
    import geopandas as gpd
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from pyproj import Transformer

    payload = briefing_payload(briefing)
    transformer = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    province = gpd.read_file(bundled_data_dir() / "province.geojson").to_crs(METRIC_CRS)
    with plt.rc_context({"font.family": "DejaVu Sans"}):
        fig = plt.figure(figsize=(WIDTH_MM / 25.4, HEIGHT_MM / 25.4), dpi=DPI)
        ax = fig.add_axes((0.02, 0.06, 0.58, 0.84))
        province.boundary.plot(ax=ax, color=style.PROVINCE_COLOUR, linewidth=0.9, zorder=2)
        _draw_zones(ax, payload, transformer, briefing.options.color_by)
        _draw_projects(ax, payload, transformer)
        ax.set_aspect("equal")
        ax.set_axis_off()
        _legend(ax, payload, briefing)
        subtitle = f"Số liệu đến ngày {format_date(briefing.as_of)}"
        if briefing.filters:
            subtitle += " — " + "; ".join(briefing.filters)
        fig.suptitle(briefing.options.title, fontsize=12, fontweight="bold", y=0.985)
        fig.text(0.5, 0.935, subtitle, ha="center", fontsize=8.5, color="#b71c1c")
        counts = payload["counts"]
        fig.text(0.02, 0.015, f"Vị trí phần lớn gần đúng (trung tâm huyện cũ). Chưa có vị trí: {counts['unlocated_projects']} dự án, "
                 f"{counts['unlocated_zones']} khu/cụm. Ranh giới tỉnh: geoBoundaries, CC BY-SA 4.0. Nguồn số liệu: kcn-tracker.",
                 fontsize=5.5, color="#555")
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=DPI)
        plt.close(fig)
    return path
