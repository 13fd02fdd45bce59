"""``kcn map --png`` and the report's map: a static, presentation-grade picture of the briefing map.

matplotlib + geopandas, no internet. ``render_png(briefing, path, width_cm=…, height_cm=…)``
lays out, inside exactly that size: the title and the data dates; the map frame (the
province on a grey surround with its neighbours named, zones and projects in the one
style of ``kcn_tracker.style``, imported boundaries drawn, names placed without
overlaps, a scale bar, a north arrow and a locator inset of Việt Nam); the full legend
beside it; and the data credits (never the software) at the foot. DejaVu Sans covers
Vietnamese. Context data: the province outline (geoBoundaries, CC BY-SA 4.0) and
Natural Earth 1:110m countries for the inset (public domain), both bundled in data/.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kcn_tracker import style
from kcn_tracker.maps import picture_layers as layers
from kcn_tracker.maps import picture_legend as legend
from kcn_tracker.maps.payload import briefing_payload
from kcn_tracker.settings import METRIC_CRS, PROVINCE_BBOX, bundled_data_dir
from kcn_tracker.text import format_date

if TYPE_CHECKING:
    from kcn_tracker.maps.collect import Briefing

#: The default size: a portrait A4 page's text block under Nghị định 30/2020 margins (left 30–35 mm, right
#: 15–20 mm, top and bottom 20–25 mm: at least 155 × 247 mm), less room for a caption.
WIDTH_CM, HEIGHT_CM, DPI = 15.5, 22.0, 200
CM = 1 / 2.54
HEADER_CM, FOOTER_CM, MARGIN_CM = 1.35, 1.05, 0.25
LEGEND_MIN_CM = 5.6


def write_static_map(briefing: Briefing, path: Path) -> Path:
    """The picture at the default size (a portrait A4 text block); see ``render_png``."""
    return render_png(briefing, path, width_cm=WIDTH_CM, height_cm=HEIGHT_CM)


def render_png(briefing: Briefing, path: Path, *, width_cm: float = WIDTH_CM, height_cm: float = HEIGHT_CM,
               dpi: int = DPI) -> Path:
    """Draw the picture exactly ``width_cm`` × ``height_cm`` at ``dpi`` and write it to ``path`` (folders created).

    Fits an A4 page when given its text block: portrait 15.5 × 22 cm, landscape 24 × 14.5 cm
    (``picture_size_for``). Nothing is drawn outside the given size.
    """
    import matplotlib.pyplot as plt

    fig = picture_figure(briefing, width_cm=width_cm, height_cm=height_cm, dpi=dpi)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return path


def picture_figure(briefing: Briefing, *, width_cm: float = WIDTH_CM, height_cm: float = HEIGHT_CM, dpi: int = DPI) -> Any:
    """The matplotlib figure of the picture (tests read its texts; ``render_png`` saves it)."""
    import geopandas as gpd
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from pyproj import Transformer

    payload = briefing_payload(briefing)
    transformer = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    province = gpd.read_file(bundled_data_dir() / "province.geojson").to_crs(METRIC_CRS)
    by_technology = briefing.options.color_by == "technology"
    with plt.rc_context({"font.family": "DejaVu Sans"}):
        fig = plt.figure(figsize=(width_cm * CM, height_cm * CM), dpi=dpi)
        map_rect, legend_rect, columns = _layout(width_cm, height_cm)
        ax = fig.add_axes(map_rect)
        m_per_pt = _extent(ax, province, payload, transformer, map_rect, width_cm, height_cm)
        frame = layers.Frame(ax, m_per_pt)
        inset = _inset_rect(map_rect)
        _reserve_inset(frame, ax, map_rect, inset)
        _reserve_corners(frame, ax, m_per_pt)
        layers.draw_context(ax, province, _neighbours(frame, province))
        layers.draw_zones(frame, payload, transformer, briefing.options.color_by)
        layers.draw_projects(frame, payload, transformer, by_technology)
        legend.scale_bar(ax, m_per_pt)
        legend.north_arrow(ax, m_per_pt)
        layers.place_names(frame)
        ax.set_facecolor(style.NEUTRAL["land"])
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("")
        ax.set_ylabel("")
        for spine in ax.spines.values():
            spine.set_edgecolor(style.NEUTRAL["line"])
        legend.locator(fig, inset, gpd.read_file(bundled_data_dir() / "countries.geojson"), PROVINCE_BBOX)
        lax = fig.add_axes(legend_rect)
        legend.draw_legend(legend.LegendWriter(lax, legend_rect[2] * width_cm / 2.54 * 72,
                                               legend_rect[3] * height_cm / 2.54 * 72, columns),
                           payload, briefing.technologies, by_technology=by_technology, color_by=briefing.options.color_by)
        _texts(fig, briefing, payload, frame, width_cm)
        fig.kcn_unplaced_names = frame.unplaced  # type: ignore[attr-defined]
    return fig


def _layout(width_cm: float, height_cm: float) -> tuple[tuple[float, ...], tuple[float, ...], int]:
    """Map and legend rectangles (figure fractions) and the legend's number of columns."""
    avail_h = height_cm - HEADER_CM - FOOTER_CM
    map_w = min(width_cm - LEGEND_MIN_CM - 2 * MARGIN_CM, avail_h / 1.45)
    if width_cm > height_cm:  # landscape: a two-column legend, the rest for the map (more room for names)
        map_w = max(map_w, width_cm - 2 * LEGEND_MIN_CM - 3 * MARGIN_CM)
    legend_w = width_cm - map_w - 3 * MARGIN_CM
    columns = max(1, min(3, int(legend_w // 5.4)))
    if avail_h < 13 and columns == 1 and legend_w > 7:
        columns = 2
    map_rect = (MARGIN_CM / width_cm, FOOTER_CM / height_cm, map_w / width_cm, avail_h / height_cm)
    legend_rect = ((2 * MARGIN_CM + map_w) / width_cm, FOOTER_CM / height_cm, legend_w / width_cm, avail_h / height_cm)
    return map_rect, legend_rect, columns


def _extent(ax: Any, province: Any, payload: dict[str, Any], transformer: Any, rect: tuple[float, ...],
            width_cm: float, height_cm: float) -> float:
    """Set the frame to the province and every located record (aspect of the axes kept); return metres per point."""
    xs, ys = [], []
    x0, y0, x1, y1 = province.total_bounds
    xs += [x0, x1]
    ys += [y0, y1]
    for group in ("zones", "projects"):
        for features in payload[group].values():
            for f in features:
                if f["g"]["t"] == "Point":
                    x, y = transformer.transform(*f["g"]["c"])
                    xs.append(x)
                    ys.append(y)
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    box_w_pt, box_h_pt = rect[2] * width_cm / 2.54 * 72, rect[3] * height_cm / 2.54 * 72
    m_per_pt = max(w * 1.12 / box_w_pt, h * 1.1 / box_h_pt)
    ax.set_xlim(cx - box_w_pt * m_per_pt / 2, cx + box_w_pt * m_per_pt / 2)
    ax.set_ylim(cy - box_h_pt * m_per_pt / 2, cy + box_h_pt * m_per_pt / 2)
    ax.set_aspect("equal", adjustable="box")
    return m_per_pt


def _inset_rect(map_rect: tuple[float, ...]) -> tuple[float, float, float, float]:
    """The locator inset: the upper left of the map frame."""
    x, y, w, h = map_rect
    iw = w * 0.26
    ih = min(h * 0.3, iw * 1.58 * (w / h) * (h / w))  # Việt Nam is tall
    return (x + w * 0.012, y + h - ih - h * 0.008, iw, ih)


def _reserve_inset(frame: layers.Frame, ax: Any, map_rect: tuple[float, ...], inset: tuple[float, ...]) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    fx = (inset[0] - map_rect[0]) / map_rect[2]
    fy = (inset[1] - map_rect[1]) / map_rect[3]
    frame.taken.append((x0 + fx * (x1 - x0), y0 + fy * (y1 - y0), x0 + (fx + inset[2] / map_rect[2]) * (x1 - x0) + 4 * frame.m_per_pt,
                        y1))


def _reserve_corners(frame: layers.Frame, ax: Any, m_per_pt: float) -> None:
    """Keep names off the scale bar (lower left) and the north arrow (upper right)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    frame.taken.append((x0, y0, x0 + (x1 - x0) / 5 + 30 * m_per_pt, y0 + 26 * m_per_pt))
    frame.taken.append((x1 - 26 * m_per_pt, y1 - 40 * m_per_pt, x1, y1))


def _neighbours(frame: layers.Frame, province: Any) -> list[tuple[str, float, float]]:
    """Where to write the neighbours' names: the free point farthest from the province in each band.

    Since 1 July 2025 the province borders Đắk Lắk (north and north-west) and Lâm Đồng
    (west and south); the sea is to the east.
    """
    from shapely.geometry import Point

    shape = province.union_all() if hasattr(province, "union_all") else province.unary_union
    x0, x1 = frame.ax.get_xlim()
    y0, y1 = frame.ax.get_ylim()
    (_, py0, _, py1), px = shape.bounds, shape.centroid.x
    mid = py0 + (py1 - py0) * 0.55
    bands = (("ĐẮK LẮK", lambda x, y: y > mid and x < px), ("LÂM ĐỒNG", lambda x, y: y < mid and x < px),
             ("Biển Đông", lambda x, y: x > px and py0 < y < py1))
    out = []
    for text, wanted in bands:
        best, far = None, 0.0
        for i in range(1, 24):
            for j in range(1, 24):
                x, y = x0 + (x1 - x0) * i / 24, y0 + (y1 - y0) * j / 24
                if not wanted(x, y):
                    continue
                half_w, half_h = len(text) * 3.5 * frame.m_per_pt, 5 * frame.m_per_pt
                box = (x - half_w, y - half_h, x + half_w, y + half_h)
                if not frame.inside(box) or any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                                                for b in frame.taken):
                    continue
                d = shape.distance(Point(x, y))
                if d > far and d > half_w * 0.6:
                    best, far = (x, y, box), d
        if best:
            out.append((text, best[0], best[1]))
            frame.taken.append(best[2])
    return out


def _texts(fig: Any, briefing: Briefing, payload: dict[str, Any], frame: layers.Frame, width_cm: float) -> None:
    """Title, dates and filters on top; what is missing and the data credits at the foot."""
    from kcn_tracker.credits import PICTURE_CREDITS, short_text

    height_in = fig.get_size_inches()[1]
    top = 1 - 0.25 * CM / height_in
    fig.text(0.5, top, briefing.options.title, ha="center", va="top", fontsize=11, fontweight="bold",
             color=style.NEUTRAL["ink"])
    latest = (f"thay đổi mới nhất được ghi nhận: {format_date(briefing.latest_change)}" if briefing.latest_change
              else "chưa có thay đổi nào được ghi nhận")
    subtitle = f"Số liệu đến ngày {format_date(briefing.as_of)} · {latest}"
    if briefing.filters:
        subtitle += " · lọc: " + "; ".join(briefing.filters)
    fig.text(0.5, top - 0.6 * CM / height_in, subtitle, ha="center", va="top", fontsize=7.5, color=style.OKABE_ITO["vermillion"])
    counts = payload["counts"]
    note = (f"Vị trí phần lớn là gần đúng (trung tâm huyện cũ). Chưa có vị trí, không vẽ: {counts['unlocated_projects']} dự án, "
            f"{counts['unlocated_zones']} khu/cụm (xem danh sách trong bản đồ tương tác)."
            + (f" {frame.unplaced} tên không ghi được vì chồng lấn." if frame.unplaced else ""))
    chars = max(60, int(width_cm / 2.54 * 72 / (5.2 * 0.55)))
    lines = textwrap.wrap(note, chars) + textwrap.wrap("Nguồn dữ liệu: " + short_text(PICTURE_CREDITS), chars)
    fig.text(MARGIN_CM / width_cm, 0.12 * CM / height_in, "\n".join(lines), ha="left", va="bottom", fontsize=5.2,
             color=style.NEUTRAL["muted"], linespacing=1.15)


def picture_size_for(page: str) -> tuple[float, float]:
    """(width_cm, height_cm) fitting an A4 text block under Nghị định 30/2020 margins, with room for a caption.

    'portrait': 15.5 × 22 cm (text block at least 15.5 × 24.7 cm); 'landscape': 24 × 14.5 cm
    (text block at least 24.2 × 16 cm).
    """
    return (WIDTH_CM, HEIGHT_CM) if page == "portrait" else (24.0, 14.5)


