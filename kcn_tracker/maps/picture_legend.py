"""The static picture's legend, scale bar, north arrow and locator inset.

The legend is drawn row by row in its own axes (positions in points), so nothing in
it can overlap: every colour (stage or technology), the size circles side by side,
zone fills and outlines by kind, the obstacle / overdue / approximate symbols, the
province outline and imported boundaries.
"""

from __future__ import annotations

import math
from typing import Any

from kcn_tracker import style
from kcn_tracker.maps.picture_layers import MW_TO_PT2, MIN_PT2, ZONE_POINT_PT
from kcn_tracker.text import format_number

ROW_PT = 9.5
FONT_PT = 6.2


class LegendWriter:
    """Rows in an axes whose coordinates are points from its top-left corner (y down), in columns."""

    def __init__(self, ax: Any, width_pt: float, height_pt: float, columns: int) -> None:
        self.ax, self.height, self.columns = ax, height_pt, columns
        self.col_w = width_pt / columns
        self.col, self.y = 0, 4.0
        ax.set_xlim(0, width_pt)
        ax.set_ylim(height_pt, 0)
        ax.set_axis_off()

    def _need(self, h: float) -> None:
        if self.y + h > self.height and self.col + 1 < self.columns:
            self.col, self.y = self.col + 1, 4.0

    @property
    def x(self) -> float:
        return self.col * self.col_w

    def heading(self, text: str) -> None:
        self._need(ROW_PT * 2)
        self.y += 3
        self.ax.text(self.x, self.y, text, fontsize=FONT_PT + 0.6, fontweight="bold", va="center", color=style.NEUTRAL["ink"])
        self.y += ROW_PT

    def row(self, draw: Any, text: str) -> None:
        """``draw(x, y)`` draws the symbol centred at (x, y); the text follows it."""
        lines = _wrap(text, self.col_w - 20)
        height = max(ROW_PT, len(lines) * FONT_PT * 1.3 + 2.5)
        self._need(height)
        centre = self.y + height / 2 - ROW_PT / 2
        draw(self.x + 6, centre)
        self.ax.text(self.x + 15, centre, "\n".join(lines), fontsize=FONT_PT, va="center", color=style.NEUTRAL["ink"],
                     linespacing=1.1)
        self.y += height

    def dot(self, colour: str, alpha: float = 0.9, *, edge: str | None = None, dashed: bool = False,
            marker: str = "o", size: float = 30, lw: float = 0.7) -> Any:
        def draw(x: float, y: float) -> None:
            from matplotlib.colors import to_rgba

            self.ax.scatter([x], [y], s=size, marker=marker, facecolors=[to_rgba(colour, alpha)] if colour != "none" else "none",
                            edgecolors=[edge or style.edge(colour)], linewidths=lw, linestyles="--" if dashed else "-",
                            clip_on=False)
        return draw

    def sizes(self, values: tuple[float, ...]) -> None:
        """Circles for ``values`` MW side by side, each with its label under it."""
        diameters = [2 * math.sqrt(max(MIN_PT2, MW_TO_PT2 * mw) / math.pi) for mw in values]
        h = max(diameters) + ROW_PT + 2
        self._need(h)
        x, base = self.x + 4, self.y + max(diameters)
        for mw, d in zip(values, diameters):
            slot = max(d, 28)
            self.ax.scatter([x + slot / 2], [base - d / 2], s=math.pi * (d / 2) ** 2, facecolors=style.NEUTRAL["pale"],
                            edgecolors=style.NEUTRAL["muted"], linewidths=0.6, clip_on=False)
            self.ax.text(x + slot / 2, base + 5, f"{format_number(mw)} MW", fontsize=FONT_PT, ha="center", va="center")
            x += slot + 8
        self.y += h + 2


def _wrap(text: str, width_pt: float) -> list[str]:
    import textwrap

    return textwrap.wrap(text, max(12, int(width_pt / (FONT_PT * 0.55)))) or [""]


def draw_legend(writer: LegendWriter, payload: dict[str, Any], technologies: dict[str, str], *, by_technology: bool,
                color_by: str) -> None:
    """Every symbol the picture uses, with Vietnamese labels."""
    if by_technology:
        writer.heading("Dự án điện — màu theo công nghệ")
        for tech, features in payload["projects"].items():
            writer.row(writer.dot(style.tech_colour(tech)), f"{technologies.get(tech, tech)} ({len(features)})")
        writer.heading("Khu/cụm — màu theo giai đoạn")
    else:
        writer.heading("Màu theo giai đoạn (dự án và khu/cụm)")
    for group, colour in style.STAGE_GROUP_COLOURS.items():
        writer.row(writer.dot(colour, style.STAGE_GROUP_FILL[group]), style.STAGE_GROUP_LABELS[group])
    for stage, colour in style.STAGE_OVERRIDES.items():
        writer.row(writer.dot(colour), style.STAGE_OVERRIDE_LABELS[stage])
    if color_by == "occupancy":
        writer.heading("Khu/cụm — màu theo tỷ lệ lấp đầy")
        for _bound, colour, text in (*style.OCCUPANCY_BINS, (None, *style.OCCUPANCY_UNKNOWN)):
            writer.row(writer.dot(colour, 0.75, marker="s"), text)
    writer.heading("Công suất dự án (diện tích ∝ MW)")
    writer.sizes(style.SIZE_LEGEND_MW)
    writer.heading("Khu/cụm — viền theo loại")
    for outline in style.KIND_OUTLINES.values():
        writer.row(writer.dot(style.NEUTRAL["paper"], 1, edge=outline.colour, lw=outline.weight * 0.45, size=60), outline.legend)
    writer.row(writer.dot(style.NEUTRAL["pale"], 1, edge=style.NEUTRAL["muted"], marker="s", size=ZONE_POINT_PT ** 2),
               "Ô vuông: khu chưa có diện tích")
    writer.row(_polygon(writer), "Ranh giới khu/dự án đã nhập (vẽ đúng hình)")
    writer.heading("Ký hiệu")
    writer.row(_obstacle(writer), style.OBSTACLE.label)
    writer.row(_overdue(writer), style.OVERDUE.label)
    writer.row(writer.dot(style.NEUTRAL["paper"], 1, edge=style.APPROX.colour, dashed=True, size=50),
               "Nét đứt: vị trí gần đúng (thường là trung tâm huyện cũ); hồ sơ chung một điểm xếp quanh điểm đó")
    writer.row(_line(writer, style.PROVINCE.colour, 1.2), "Ranh giới tỉnh Khánh Hòa (gồm Ninh Thuận cũ)")


def _line(writer: LegendWriter, colour: str, lw: float) -> Any:
    return lambda x, y: writer.ax.plot([x - 6, x + 6], [y, y], color=colour, lw=lw, clip_on=False)


def _polygon(writer: LegendWriter) -> Any:
    def draw(x: float, y: float) -> None:
        writer.ax.fill([x - 6, x + 5, x + 6, x - 4], [y + 3.5, y + 4, y - 3.5, y - 4], facecolor=style.NEUTRAL["pale"],
                       edgecolor=style.KIND_OUTLINES["KCN"].colour, lw=0.8, clip_on=False)
    return draw


def _obstacle(writer: LegendWriter) -> Any:
    def draw(x: float, y: float) -> None:
        writer.ax.scatter([x], [y], s=14, facecolors=style.NEUTRAL["pale"], edgecolors=style.NEUTRAL["muted"], lw=0.5)
        writer.ax.scatter([x], [y], s=70, facecolors="none", edgecolors=style.OBSTACLE.colour, lw=1.3, clip_on=False)
    return draw


def _overdue(writer: LegendWriter) -> Any:
    def draw(x: float, y: float) -> None:
        writer.ax.scatter([x], [y], s=30, facecolors=style.NEUTRAL["pale"], edgecolors=style.NEUTRAL["muted"], lw=0.5)
        writer.ax.scatter([x + 2.6], [y - 2.6], s=9, facecolors=style.OVERDUE.colour, edgecolors=style.HALO, lw=0.4,
                          clip_on=False)
    return draw


def scale_bar(ax: Any, m_per_pt: float) -> None:
    """A bar of a round length (about 1/5 of the frame) at the lower left, labelled in km."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) / 5
    km = max(k for k in (1, 2, 5, 10, 20, 25, 50, 100, 200) if k * 1000 <= target) if target >= 1000 else 1
    length = km * 1000
    bx, by = x0 + 10 * m_per_pt, y0 + 12 * m_per_pt
    h = 2.2 * m_per_pt
    for i in range(2):
        ax.fill([bx + i * length / 2, bx + (i + 1) * length / 2, bx + (i + 1) * length / 2, bx + i * length / 2],
                [by, by, by + h, by + h], facecolor=style.NEUTRAL["ink"] if i == 0 else style.NEUTRAL["paper"],
                edgecolor=style.NEUTRAL["ink"], lw=0.5, zorder=9)
    for value, x in ((0, bx), (km / 2, bx + length / 2), (km, bx + length)):
        ax.text(x, by + h + 1.5 * m_per_pt, format_number(value), fontsize=5.5, ha="center", va="bottom", zorder=9)
    ax.text(bx + length + 4 * m_per_pt, by + h / 2, "km", fontsize=5.5, va="center", zorder=9)


def north_arrow(ax: Any, m_per_pt: float) -> None:
    """An arrow pointing to grid north at the upper right, marked B (Bắc)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x, top = x1 - 14 * m_per_pt, y1 - 8 * m_per_pt
    w, h = 5 * m_per_pt, 16 * m_per_pt
    ax.fill([x, x + w, x, x - w], [top, top - h, top - h * 0.7, top - h], facecolor=style.NEUTRAL["ink"],
            edgecolor=style.NEUTRAL["ink"], lw=0.5, zorder=9)
    ax.text(x, top - h - 3 * m_per_pt, "B", fontsize=7, fontweight="bold", ha="center", va="top", zorder=9)


def locator(fig: Any, rect: tuple[float, float, float, float], countries: Any, bbox: tuple[float, float, float, float]) -> Any:
    """A small map of Việt Nam and its neighbours with the province's box (Natural Earth, public domain)."""
    ax = fig.add_axes(rect)
    countries.plot(ax=ax, facecolor=style.NEUTRAL["pale"], edgecolor=style.NEUTRAL["line"], lw=0.3)
    vn = countries[countries["iso_a3"] == "VNM"]
    vn.plot(ax=ax, facecolor=style.NEUTRAL["neighbour"], edgecolor=style.NEUTRAL["muted"], lw=0.4)
    west, south, east, north = bbox
    ax.fill([west, east, east, west], [south, south, north, north], facecolor="none", edgecolor=style.OBSTACLE.colour, lw=0.9)
    ax.set_xlim(101.5, 111.5)
    ax.set_ylim(8.0, 23.8)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_facecolor(style.NEUTRAL["water"])
    for spine in ax.spines.values():
        spine.set_edgecolor(style.NEUTRAL["line"])
        spine.set_linewidth(0.5)
    ax.text(0.04, 0.04, "Việt Nam", transform=ax.transAxes, fontsize=5, color=style.NEUTRAL["muted"])
    return ax
