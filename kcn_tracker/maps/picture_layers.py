"""What the static picture draws inside the map frame: context, zones, projects, marks, names.

Positions are metric (``settings.METRIC_CRS``); sizes of symbols are in points, so
they read the same at any scale. ``Frame`` knows how many metres one point is, which
spreads records sharing a point and places names without overlaps (greedy: largest
first, eight positions near the symbol, then eight farther with a leader line; a name
that finds no free place is left out and counted).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from typing import Any

from kcn_tracker import style

MW_TO_PT2 = 0.5  # marker area in pt² per MW (area proportional to MW)
MIN_PT2 = 16.0
ZONE_POINT_PT = 7.0  # side of the square of a zone without area
LABEL_PT = 5.6
NAME_MAX = 300  # names tried, largest symbols first (the others are counted as not shown)
SPREAD_PT = 7.0  # spiral step of records sharing one point, in points


@dataclass
class Frame:
    """The map frame: data extent, the metres in one point, and what is already taken."""

    ax: Any
    m_per_pt: float
    taken: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, y0, x1, y1 (metres)
    symbols: dict[tuple[int, int], list[tuple[float, float, float]]] = field(default_factory=dict)  # grid cell -> x, y, r
    names: list[tuple[float, float, float, str]] = field(default_factory=list)  # x, y, radius, text (to place)
    unplaced: int = 0

    @property
    def cell(self) -> float:
        """Side of a grid cell of the symbol index, in metres (20 points)."""
        return 20 * self.m_per_pt

    def add_symbol(self, x: float, y: float, radius: float) -> None:
        """Index a symbol (centre, radius in metres) by grid cell, so collision checks stay local."""
        self.symbols.setdefault((int(x // self.cell), int(y // self.cell)), []).append((x, y, radius))

    def symbols_near(self, box: tuple[float, float, float, float]) -> list[tuple[float, float, float]]:
        """Symbols whose cell touches ``box`` grown by one cell."""
        c = self.cell
        out = []
        for i in range(int(box[0] // c) - 1, int(box[2] // c) + 2):
            for j in range(int(box[1] // c) - 1, int(box[3] // c) + 2):
                out.extend(self.symbols.get((i, j), ()))
        return out

    def inside(self, box: tuple[float, float, float, float]) -> bool:
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        return box[0] >= x0 and box[2] <= x1 and box[1] >= y0 and box[3] <= y1


def marker_pt2(p: dict[str, Any]) -> float:
    """Marker area in pt² of a project (area ∝ MW)."""
    return max(MIN_PT2, MW_TO_PT2 * (p.get("mw") or 0))


def _rgba(colour: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(colour, alpha)


def positions(frame: Frame, features: list[dict[str, Any]], transformer: Any) -> list[tuple[float, float]]:
    """Metric positions; records sharing a point moved onto a golden-angle spiral (as on the web map)."""
    out = []
    step = SPREAD_PT * frame.m_per_pt
    for f in features:
        x, y = transformer.transform(*f["g"]["c"])
        index, count = f["p"].get("sp", [0, 1])
        dx, dy = style.spread_offset(index, count, step)
        if count > 1:
            frame.ax.plot([x, x + dx], [y, y - dy], color=style.SPREAD_LEG.colour, lw=0.4, zorder=4)
        out.append((x + dx, y - dy))
    return out


def draw_context(ax: Any, province: Any, neighbours: list[tuple[str, float, float]]) -> None:
    """The province (white on a grey surround) and the names of the neighbours and the sea."""
    province.plot(ax=ax, facecolor=style.NEUTRAL["paper"], edgecolor=style.PROVINCE.colour, linewidth=0.9, zorder=1)
    for text, x, y in neighbours:
        italic = "Biển" in text
        ax.text(x, y, text, ha="center", va="center", fontsize=7, color=style.NEUTRAL["muted"],
                style="italic" if italic else "normal", fontweight="normal" if italic else "bold", zorder=1.5)


def draw_zones(frame: Frame, payload: dict[str, Any], transformer: Any, color_by: str) -> None:
    """Zones: imported boundaries as drawn; points as circles of their area (squares when unknown)."""
    from matplotlib.patches import Circle, Rectangle

    ax = frame.ax
    for kind, features in payload["zones"].items():
        outline = style.kind_outline(kind)
        points = [f for f in features if f["g"]["t"] == "Point"]
        for f, (x, y) in zip(points, positions(frame, points, transformer)):
            p = f["p"]
            fill = _zone_fill(p, color_by)
            ls = (0, (3, 2)) if p.get("approx") else "solid"
            if p.get("radius_m"):
                radius = p["radius_m"]
                ax.add_patch(Circle((x, y), radius, facecolor=_rgba(fill, 0.75), edgecolor=outline.colour,
                                    lw=outline.weight * 0.45, ls=ls, zorder=3))
            else:
                radius = ZONE_POINT_PT / 2 * frame.m_per_pt
                ax.add_patch(Rectangle((x - radius, y - radius), 2 * radius, 2 * radius, facecolor=fill,
                                       edgecolor=outline.colour, lw=outline.weight * 0.45, ls=ls, zorder=3))
            _marks(frame, p, x, y, max(radius, 3 * frame.m_per_pt))
            frame.add_symbol(x, y, radius)
            frame.names.append((x, y, radius, zone_name(p)))
        for f in features:
            if f["g"]["t"] == "Point":
                continue
            geom = metric_shape(f["g"], transformer)
            p, fill = f["p"], _zone_fill(f["p"], color_by)
            for part in getattr(geom, "geoms", [geom]):
                if part.geom_type == "Polygon":
                    xs, ys = part.exterior.xy
                    ax.fill(xs, ys, facecolor=_rgba(fill, 0.75), edgecolor=outline.colour, lw=outline.weight * 0.45, zorder=3)
                else:
                    xs, ys = part.xy
                    ax.plot(xs, ys, color=outline.colour, lw=outline.weight * 0.45, zorder=3)
            c = geom.centroid
            radius = math.sqrt(max(geom.area, 1.0) / math.pi)
            _marks(frame, p, c.x, c.y, radius)
            frame.add_symbol(c.x, c.y, radius)
            frame.names.append((c.x, c.y, radius, zone_name(p)))


def metric_shape(encoded: dict[str, Any], transformer: Any) -> Any:
    """The shapely geometry of an encoded feature geometry, in the metric CRS."""
    import shapely
    from shapely.geometry import shape

    from kcn_tracker.maps.encoding import decode_geometry

    return shapely.transform(shape(decode_geometry(encoded)), transformer.transform, interleaved=False)


def _zone_fill(p: dict[str, Any], color_by: str) -> str:
    if color_by == "occupancy":
        return style.occupancy_colour(p.get("occ"))
    return style.stage_colour("zone", p.get("stage"))


def zone_name(p: dict[str, Any]) -> str:
    """'KCN Name (phase)'."""
    return f"{p.get('kind', '')} {p.get('name', '')}" + (f" ({p['phase']})" if p.get("phase") else "")


def draw_projects(frame: Frame, payload: dict[str, Any], transformer: Any, by_technology: bool) -> None:
    """Projects: circles, area ∝ MW, coloured by stage (or technology), fill strength by stage."""
    ax = frame.ax
    for tech, features in payload["projects"].items():
        points = [f for f in features if f["g"]["t"] == "Point"]
        xs, ys, sizes, faces, edges, dashes = [], [], [], [], [], []  # one scatter per layer: fast at 10k records
        for f, (x, y) in zip(points, positions(frame, points, transformer)):
            p = f["p"]
            colour = style.tech_colour(tech) if by_technology else style.stage_colour("project", p.get("stage"))
            size = marker_pt2(p)
            xs.append(x)
            ys.append(y)
            sizes.append(size)
            faces.append(_rgba(colour, style.stage_fill_opacity("project", p.get("stage"))))
            edges.append(style.edge(colour))
            dashes.append("--" if p.get("approx") else "-")
            radius = math.sqrt(size / math.pi) * frame.m_per_pt
            _marks(frame, p, x, y, radius)
            frame.add_symbol(x, y, radius)
            frame.names.append((x, y, radius, str(p.get("name", ""))))
        if xs:
            ax.scatter(xs, ys, s=sizes, facecolors=faces, edgecolors=edges, linewidths=0.7, linestyles=dashes, zorder=5)
        for f in features:  # imported lines and polygons of projects
            if f["g"]["t"] == "Point":
                continue
            geom = metric_shape(f["g"], transformer)
            colour = style.tech_colour(tech) if by_technology else style.stage_colour("project", f["p"].get("stage"))
            for part in getattr(geom, "geoms", [geom]):
                xs, ys = part.exterior.xy if part.geom_type == "Polygon" else part.xy
                ax.plot(xs, ys, color=style.edge(colour), lw=1.0, zorder=4)


def _marks(frame: Frame, p: dict[str, Any], x: float, y: float, radius: float) -> None:
    """Obstacle double ring and overdue dot around a symbol of ``radius`` metres."""
    from matplotlib.patches import Circle

    ax, pt = frame.ax, frame.m_per_pt
    if p.get("obst"):
        ax.add_patch(Circle((x, y), radius + 1.6 * pt, fill=False, edgecolor=style.HALO, lw=1.4, zorder=6))
        ax.add_patch(Circle((x, y), radius + 3.0 * pt, fill=False, edgecolor=style.OBSTACLE.colour, lw=1.3, zorder=6))
    if p.get("overdue"):
        ax.add_patch(Circle((x + radius * 0.75, y + radius * 0.75), 2.2 * pt, facecolor=style.OVERDUE.colour,
                            edgecolor=style.HALO, lw=0.6, zorder=7))


def place_names(frame: Frame) -> None:
    """Write every name that finds a free place (largest symbols first); count the others."""
    import matplotlib.patheffects as pe

    pt = frame.m_per_pt
    halo = [pe.withStroke(linewidth=1.6, foreground=style.HALO)]
    ordered = sorted(frame.names, key=lambda n: -n[2])
    frame.unplaced += max(0, len(ordered) - NAME_MAX)
    for x, y, radius, text in ordered[:NAME_MAX]:
        lines = textwrap.wrap(text, 24) or [""]
        w = max(len(s) for s in lines) * LABEL_PT * 0.62 * pt
        h = len(lines) * LABEL_PT * 1.3 * pt
        placed = False
        for distance, leader in ((radius + 1.5 * pt, False), (radius + 12 * pt, True), (radius + 24 * pt, True)):
            for angle in (0, 180, 90, 270, 45, 135, 315, 225):
                cx = x + math.cos(math.radians(angle)) * distance
                cy = y + math.sin(math.radians(angle)) * distance
                x0 = cx if angle in (0, 45, 315) else cx - w if angle in (180, 135, 225) else cx - w / 2
                y0 = cy if angle in (90, 45, 135) else cy - h if angle in (270, 315, 225) else cy - h / 2
                box = (x0, y0, x0 + w, y0 + h)
                if not frame.inside(box) or _collides(frame, box, (x, y)):
                    continue
                frame.taken.append(box)
                frame.ax.text(x0, y0 + h, "\n".join(lines), fontsize=LABEL_PT, va="top", ha="left", linespacing=1.0,
                              color=style.NEUTRAL["ink"], path_effects=halo, zorder=8, gid="kcn-name")
                if leader:
                    frame.ax.plot([x, min(max(x, x0), x0 + w)], [y, min(max(y, y0), y0 + h)], color=style.NEUTRAL["muted"],
                                  lw=0.3, zorder=7)
                placed = True
                break
            if placed:
                break
        if not placed:
            frame.unplaced += 1


def _collides(frame: Frame, box: tuple[float, float, float, float], own: tuple[float, float]) -> bool:
    x0, y0, x1, y1 = box
    if any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in frame.taken):
        return True
    for sx, sy, r in frame.symbols_near(box):  # do not cover another symbol (its circle, up to 6 pt of it)
        if (sx, sy) == own:
            continue
        r = min(r, 6 * frame.m_per_pt)
        nx, ny = min(max(sx, x0), x1), min(max(sy, y0), y1)
        if (nx - sx) ** 2 + (ny - sy) ** 2 < r * r:
            return True
    return False
