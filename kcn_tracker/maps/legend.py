"""The briefing map's legend and tool panel (search, colour switch, filters) as HTML.

Everything is drawn from ``kcn_tracker.style`` — the same tables the drawing script
receives — so the legend always matches the map. Text is escaped here.
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING, Any

from kcn_tracker import style
from kcn_tracker.text import format_number

if TYPE_CHECKING:
    from kcn_tracker.maps.collect import Briefing


def svg_circle(radius: float, *, fill: str, stroke: str, fill_opacity: float, weight: float, dash: str | None = None,
               box: float | None = None, ring: str | None = None) -> str:
    """A legend symbol: a circle, optionally inside an obstacle ring (``ring`` colour)."""
    size = box or 2 * radius + weight + (14 if ring else 2)
    c = size / 2
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    extra = (f'<circle cx="{c:.1f}" cy="{c:.1f}" r="{radius + 3:.1f}" fill="none" stroke="{style.HALO}" stroke-width="2.5"/>'
             f'<circle cx="{c:.1f}" cy="{c:.1f}" r="{radius + 5:.1f}" fill="none" stroke="{ring}" '
             f'stroke-width="{style.OBSTACLE.weight}"/>') if ring else ""
    return (f'<svg width="{size:.0f}" height="{size:.0f}" aria-hidden="true"><circle cx="{c:.1f}" cy="{c:.1f}" '
            f'r="{radius:.1f}" fill="{fill}" fill-opacity="{fill_opacity}" stroke="{stroke}" stroke-width="{weight}"{dash_attr}/>'
            f"{extra}</svg>")


def _row(symbol: str, text: str, **data: str) -> str:
    attrs = "".join(f' data-{k.replace("_", "-")}="{escape(v)}"' for k, v in data.items())
    return f'<div class="kcn-legend-row"{attrs}>{symbol}<span>{escape(text)}</span></div>'


def _dot(colour: str, opacity: float = 0.9) -> str:
    return svg_circle(6, fill=colour, stroke=style.edge(colour), fill_opacity=opacity, weight=1.5)


def legend_html(briefing: Briefing, payload: dict[str, Any]) -> str:
    """Colours by stage (and by technology, shown when the switch says so), sizes, kinds, symbols."""
    counts = {tech: len(features) for tech, features in payload["projects"].items()}
    rows = ["<summary>Chú giải</summary>", '<div class="kcn-by-stage"><h3>Màu theo giai đoạn (dự án và khu)</h3>']
    for group, colour in style.STAGE_GROUP_COLOURS.items():
        rows.append(_row(_dot(colour, style.STAGE_GROUP_FILL[group]), style.STAGE_GROUP_LABELS[group], group=group, color=colour))
    for stage, colour in style.STAGE_OVERRIDES.items():
        rows.append(_row(_dot(colour), style.STAGE_OVERRIDE_LABELS[stage], stage=stage, color=colour))
    rows.append('</div><div class="kcn-by-tech"><h3>Dự án điện — màu theo công nghệ</h3>')
    for tech, n in counts.items():
        colour = style.tech_colour(tech)
        rows.append(_row(_dot(colour), f"{briefing.technologies.get(tech, tech)} ({n})", tech=tech, color=colour))
    rows.append('<div class="kcn-muted">Độ đậm của màu tăng theo giai đoạn.</div></div>')
    rows.append("<h3>Công suất dự án (diện tích vòng tròn tỉ lệ với MW)</h3>")
    box = 2 * style.radius_px(max(style.SIZE_LEGEND_MW)) + 3
    rows.append('<div class="kcn-sizes">' + "".join(
        "<div>" + svg_circle(style.radius_px(mw), fill=style.NEUTRAL["pale"], stroke=style.NEUTRAL["muted"], fill_opacity=0.6,
                             weight=1, box=box) + f"<span>{format_number(mw)} MW</span></div>"
        for mw in style.SIZE_LEGEND_MW) + "</div>")
    rows.extend(zone_legend(briefing))
    rows.append("<h3>Ký hiệu</h3>")
    plain = style.NEUTRAL["pale"]
    rows.append(_row(svg_circle(5, fill=plain, stroke=style.NEUTRAL["muted"], fill_opacity=0.8, weight=1.5,
                                ring=style.OBSTACLE.colour), style.OBSTACLE.label, mark="obstacle"))
    overdue = ('<svg width="24" height="20" aria-hidden="true"><circle cx="10" cy="11" r="6" fill="' + plain + '" stroke="'
               + style.NEUTRAL["muted"] + '"/><circle cx="16" cy="5" r="4" fill="' + style.OVERDUE.colour + '" stroke="'
               + style.HALO + '" stroke-width="1.5"/></svg>')
    rows.append(_row(overdue, style.OVERDUE.label, mark="overdue"))
    rows.append(_row(svg_circle(6, fill=style.HALO, stroke=style.APPROX.colour, fill_opacity=0, weight=1.5, dash=style.APPROX_DASH),
                     "Nét đứt: vị trí gần đúng (thường là trung tâm huyện cũ); hồ sơ chung một điểm được xếp quanh điểm "
                     "đó, nối bằng đường mảnh", mark="approximate"))
    rows.append(_row('<svg width="16" height="10"><line x1="0" y1="5" x2="16" y2="5" stroke="'
                     f'{style.PROVINCE.colour}" stroke-width="2"/></svg>', style.PROVINCE.label))
    rows.extend(cluster_legend(payload))
    return "".join(rows)


def cluster_legend(payload: dict[str, Any]) -> list[str]:
    """The counted circle of a national register (map_view.js), when the map has one."""
    counts = payload["counts"]
    if counts["zones"] + counts["projects"] <= style.AGGREGATE_ABOVE:
        return []
    arcs, start = [], 0.0
    for group, share in (("announced", 0.45), ("pre-construction", 0.3), ("construction", 0.15), ("operating", 0.1)):
        length = share * 2 * math.pi * 7
        arcs.append(f'<circle cx="10" cy="10" r="7" fill="none" stroke="{style.STAGE_GROUP_COLOURS[group]}" stroke-width="5" '
                    f'stroke-dasharray="{length:.2f} 44" stroke-dashoffset="{-start:.2f}" transform="rotate(-90 10 10)"/>')
        start += length
    symbol = (f'<svg width="20" height="20" aria-hidden="true">{"".join(arcs)}<circle cx="10" cy="10" r="4.5" '
              f'fill="{style.HALO}"/></svg>')
    text = (f"Vòng tròn có số: các hồ sơ gần nhau, gộp lại khi khung nhìn có hơn {format_number(style.DETAIL_MAX)} hồ sơ; "
            "màu của vòng theo tỷ lệ màu của các hồ sơ; nhấn để phóng to")
    return [_row(symbol, text, mark="cluster")]


def zone_legend(briefing: Briefing) -> list[str]:
    """Zone outlines by kind, and the occupancy colours when zones are coloured by occupancy."""
    rows = ["<h3>Khu/cụm — viền theo loại</h3>"]
    for kind, outline in style.KIND_OUTLINES.items():
        rows.append(_row(svg_circle(6, fill=style.HALO, stroke=outline.colour, fill_opacity=0, weight=outline.weight),
                         outline.legend, kind=kind, color=outline.colour))
    if briefing.options.color_by == "occupancy":
        rows.append("<h3>Khu/cụm — màu theo tỷ lệ lấp đầy</h3>")
        for _bound, colour, text in (*style.OCCUPANCY_BINS, (None, *style.OCCUPANCY_UNKNOWN)):
            rows.append(_row(_dot(colour, 0.7), text, fill=colour))
    rows.append('<div class="kcn-muted">Khu có diện tích: vòng tròn có diện tích bằng tổng diện tích (chưa có ranh giới); '
                "khu có ranh giới nhập vào: vẽ đúng ranh giới; khu chưa có diện tích: điểm nhỏ.</div>")
    return rows


def _checks(name: str, items: list[tuple[str, str]]) -> str:
    return "".join(f'<label><input type="checkbox" name="{name}" value="{escape(k)}" checked> {escape(v)}</label>'
                   for k, v in items)


def stage_filter_html(payload: dict[str, Any]) -> str:
    """Every project stage and every zone stage (Vietnamese labels, ``stages``) with the number on the map,
    grouped under the colour groups of the legend; a group's box ticks or clears all its stages."""
    from collections import Counter

    from kcn_tracker.stages import PROJECT_STAGES, ZONE_STAGES

    counts = {kind: Counter(f["p"].get("stage") for layer in payload[kind].values() for f in layer)
              for kind in ("projects", "zones")}
    rows = []
    for group, label in style.STAGE_GROUP_LABELS.items():
        colour = style.STAGE_GROUP_COLOURS[group]
        rows.append(f'<div class="kcn-stage-group"><label><input type="checkbox" name="group" value="{escape(group)}" checked> '
                    f'{_dot(colour, style.STAGE_GROUP_FILL[group])} <b>{escape(label)}</b></label>')
        for name, kind, noun, stages in (("pstage", "projects", "Dự án", PROJECT_STAGES), ("zstage", "zones", "Khu, cụm", ZONE_STAGES)):
            members = [s for s in stages if s.gem_status == group]
            if not members:
                continue
            rows.append(f'<div class="kcn-stage-list"><span class="kcn-muted">{noun}:</span> ' + "".join(
                f'<label><input type="checkbox" name="{name}" value="{escape(s.key)}" data-group="{escape(group)}" checked> '
                f'{escape(s.label_vi)} <span class="kcn-muted">({counts[kind][s.key]})</span></label>' for s in members) + "</div>")
        rows.append("</div>")
    return '<fieldset id="kcn-stage-filter"><legend>Giai đoạn</legend>' + "".join(rows) + "</fieldset>"


def tools_html(briefing: Briefing, payload: dict[str, Any]) -> str:
    """Search box, the stage/technology colour switch and the filters (wired by the page script)."""
    by_tech = briefing.options.color_by == "technology"
    techs = [(k, briefing.technologies.get(k, k)) for k in payload["projects"]]
    kinds = [(k, k) for k in style.KIND_OUTLINES if k in payload["zones"]]
    return "".join((
        '<input type="search" id="kcn-search" placeholder="Tìm theo tên hoặc mã (không cần dấu)…" '
        'aria-label="Tìm hồ sơ" autocomplete="off"><ul id="kcn-search-results" class="kcn-results"></ul>',
        '<fieldset id="kcn-colour"><legend>Tô màu theo</legend>'
        f'<label><input type="radio" name="kcn-colour" value="stage"{"" if by_tech else " checked"}> giai đoạn</label>'
        f'<label><input type="radio" name="kcn-colour" value="tech"{" checked" if by_tech else ""}> công nghệ</label></fieldset>',
        '<details id="kcn-filters"><summary>Lọc <span id="kcn-shown" class="kcn-muted"></span></summary>',
        stage_filter_html(payload),
        '<fieldset><legend>Công nghệ</legend>' + _checks("tech", techs) + "</fieldset>",
        '<fieldset><legend>Loại khu</legend>' + _checks("kind", kinds) + "</fieldset>",
        '<fieldset><legend>Chỉ hiện</legend><label><input type="checkbox" name="only" value="obst"> có vướng mắc đang mở'
        '</label><label><input type="checkbox" name="only" value="overdue"> quá hạn</label></fieldset></details>',
    ))
