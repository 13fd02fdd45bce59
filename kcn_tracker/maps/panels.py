"""The briefing map's panels as HTML: title and date, legend, progress against the targets,
and the records that have no location. Every text from the register is escaped here.

Numbers come from ``text.py`` and the progress figures from ``progress.compute_progress``
(the same ``as_dict()`` that ``kcn progress --format json`` prints), so the map and the
command never disagree.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from kcn_tracker.maps import style
from kcn_tracker.stages import label
from kcn_tracker.text import format_date, format_number, format_percent

if TYPE_CHECKING:
    from kcn_tracker.maps.collect import Briefing

CSS = """
.kcn-box{background:rgba(255,255,255,.94);border-radius:6px;box-shadow:0 1px 5px rgba(0,0,0,.35);padding:6px 10px;
 font:12px/1.35 "DejaVu Sans",Arial,sans-serif;color:#212121;max-width:360px}
.kcn-box h2{font-size:13px;margin:2px 0 4px}.kcn-box h3{font-size:12px;margin:6px 0 2px}
.kcn-title{text-align:center;max-width:560px;position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:1000}.kcn-title h1{font-size:17px;margin:0 0 2px}
.kcn-title .kcn-date{font-weight:bold;color:#b71c1c}.kcn-muted{color:#616161;font-size:11px}
.kcn-legend-row{display:flex;align-items:center;gap:6px;margin:1px 0}.kcn-legend-row svg{flex:none}
.kcn-progress{max-width:450px}.kcn-progress table{border-collapse:collapse;width:100%}.kcn-progress td,.kcn-progress th{padding:1px 4px;text-align:right;
 border-bottom:1px solid #eee;white-space:nowrap}.kcn-progress td:first-child,.kcn-progress th:first-child{text-align:left;white-space:normal;min-width:140px}
.kcn-bar{height:5px;background:#eceff1;border-radius:3px;overflow:hidden;min-width:50px}.kcn-bar span{display:block;height:5px;background:#2e7d32}
.kcn-unlocated{max-height:40vh;overflow:auto}.kcn-unlocated li{margin:1px 0}
.kcn-popup h4{margin:0 0 4px;font-size:13px}.kcn-popup table{border-collapse:collapse}
.kcn-popup th{text-align:left;vertical-align:top;padding:1px 6px 1px 0;color:#455a64;font-weight:normal;white-space:nowrap}
.kcn-popup td{padding:1px 0;max-width:280px}.kcn-approx{color:#bf360c;font-weight:bold}
.kcn-fullscreen{font-size:18px;line-height:30px;width:30px;height:30px;text-align:center;cursor:pointer;background:#fff;border:none}
.kcn-swatch{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:3px;vertical-align:middle}
details.kcn-box summary{cursor:pointer;font-weight:bold}
@media print{.leaflet-control-layers,.leaflet-control-zoom,.kcn-fullscreen{display:none}}
"""


def panels_html(briefing: Briefing, payload: dict[str, Any]) -> str:
    """The four panels (hidden containers the page script moves into map controls)."""
    return "".join((
        f'<div id="kcn-title" class="kcn-box kcn-title">{title_html(briefing)}</div>',
        f'<details id="kcn-progress" class="kcn-box kcn-progress" open>{progress_html(briefing.progress, briefing)}</details>',
        f'<details id="kcn-legend" class="kcn-box kcn-legend" open>{legend_html(briefing, payload)}</details>',
        f'<details id="kcn-unlocated" class="kcn-box kcn-unlocated">{unlocated_html(payload)}</details>',
    ))


def title_html(briefing: Briefing) -> str:
    """Title, the data date, active filters, and the warning that most positions are approximate."""
    parts = [f"<h1>{escape(briefing.options.title)}</h1>",
             f'<div class="kcn-date">Số liệu đến ngày {format_date(briefing.as_of)}</div>']
    if briefing.filters:
        parts.append(f'<div class="kcn-muted">Bộ lọc: {escape("; ".join(briefing.filters))}</div>')
    parts.append('<div class="kcn-muted">Vị trí nét đứt là vị trí gần đúng (thường là trung tâm huyện cũ), '
                 "không phải ranh giới khu/dự án.</div>")
    return "".join(parts)


def _svg_circle(radius: float, *, fill: str, stroke: str, fill_opacity: float, weight: float, dash: str | None = None,
                box: float | None = None) -> str:
    size = box or 2 * radius + weight + 2
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<svg width="{size:.0f}" height="{size:.0f}" aria-hidden="true"><circle cx="{size / 2:.1f}" cy="{size / 2:.1f}" '
            f'r="{radius:.1f}" fill="{fill}" fill-opacity="{fill_opacity}" stroke="{stroke}" stroke-width="{weight}"{dash_attr}/></svg>')


def _row(symbol: str, text: str, **data: str) -> str:
    attrs = "".join(f' data-{k}="{escape(v)}"' for k, v in data.items())
    return f'<div class="kcn-legend-row"{attrs}>{symbol}<span>{escape(text)}</span></div>'


def legend_html(briefing: Briefing, payload: dict[str, Any]) -> str:
    """Legend built from ``style`` — the same tables the drawing script uses."""
    counts = {tech: len(features) for tech, features in payload["projects"].items()}
    rows = ["<summary>Chú giải</summary>", "<h3>Dự án điện — màu theo công nghệ</h3>"]
    for tech, n in counts.items():
        colour = style.tech_colour(tech)
        rows.append(_row(_svg_circle(5, fill=colour, stroke=colour, fill_opacity=0.85, weight=1.5),
                         f"{briefing.technologies.get(tech, tech)} ({n})", tech=tech, color=colour))
    rows.append("<h3>Giai đoạn dự án</h3>")
    for look, spec in style.PROJECT_LOOKS.items():
        colour = style.SIDE_COLOUR if look == "side" else "#455a64"
        rows.append(_row(_svg_circle(6, fill=colour, stroke=colour, fill_opacity=float(spec["fillOpacity"]),
                                     weight=float(spec["weight"]), dash="2 3" if look == "side" else None),
                         str(spec["label"]), look=look))
    rows.append("<h3>Công suất (diện tích vòng tròn tỉ lệ với MW)</h3>")
    rows.append('<div class="kcn-legend-row">' + "".join(
        _svg_circle(style.radius_px(mw), fill="#90a4ae", stroke="#455a64", fill_opacity=0.4, weight=1,
                    box=2 * style.radius_px(max(style.SIZE_LEGEND_MW)) + 3)
        + f"<span>{format_number(mw)} MW</span>" for mw in style.SIZE_LEGEND_MW) + "</div>")
    rows.append(_row(_svg_circle(8, fill="none", stroke=style.OBSTACLE_COLOUR, fill_opacity=0, weight=2.5),
                     "Vòng đỏ: có vướng mắc đang mở", mark="obstacle"))
    rows.append(_row(_svg_circle(6, fill="#fff", stroke="#455a64", fill_opacity=0, weight=1.5, dash=style.APPROX_DASH),
                     "Nét đứt: vị trí gần đúng; các hồ sơ chung một điểm được xếp quanh điểm đó (nối bằng đường mảnh)",
                     mark="approximate"))
    rows.extend(_zone_legend(briefing))
    rows.append(_row('<svg width="16" height="10"><line x1="0" y1="5" x2="16" y2="5" stroke="'
                     f'{style.PROVINCE_COLOUR}" stroke-width="2"/></svg>', "Ranh giới tỉnh (geoBoundaries, CC BY-SA 4.0)"))
    return "".join(rows)


def _zone_legend(briefing: Briefing) -> list[str]:
    by_occupancy = briefing.options.color_by == "occupancy"
    rows = [f"<h3>Khu/cụm — màu theo {'tỷ lệ lấp đầy' if by_occupancy else 'giai đoạn'}, viền theo loại</h3>"]
    if by_occupancy:
        for _bound, colour, text in style.OCCUPANCY_BINS:
            rows.append(_row(_svg_circle(6, fill=colour, stroke="#555", fill_opacity=0.7, weight=1), text, fill=colour))
        colour, text = style.OCCUPANCY_UNKNOWN
        rows.append(_row(_svg_circle(6, fill=colour, stroke="#555", fill_opacity=0.7, weight=1), text, fill=colour))
    else:
        for key, colour in style.ZONE_STAGE_COLOURS.items():
            rows.append(_row(_svg_circle(6, fill=colour, stroke="#555", fill_opacity=0.7, weight=1), label("zone", key),
                             fill=colour, stage=key))
    for kind, (colour, text) in style.KIND_OUTLINES.items():
        rows.append(_row(_svg_circle(6, fill="#fff", stroke=colour, fill_opacity=0, weight=2.5), text, kind=kind, color=colour))
    rows.append('<div class="kcn-muted">Khu có diện tích: vòng tròn có diện tích bằng tổng diện tích (chưa có ranh giới); '
                "khu chưa có diện tích: điểm nhỏ cố định.</div>")
    return rows


def _short(text: str) -> str:
    return text.removeprefix("Trong đó: ")


def progress_html(progress: dict[str, Any] | None, briefing: Briefing) -> str:
    """Energy (T2, T2a–T2d) and new industrial land (T1) against the targets, as ``kcn progress`` shows them."""
    head = f"<summary>Tiến độ so với mục tiêu 2030 (toàn tỉnh, đến {format_date(briefing.as_of)})</summary>"
    if not progress:
        return head + "<p>Chưa có số liệu tiến độ.</p>"
    verdicts = {v["target_id"]: v["verdict_vi"] for v in progress.get("verdicts", [])}
    rows = ['<table><tr><th>Mục tiêu</th><th>Đã vận hành (tính)</th><th>Chỉ tiêu</th><th></th><th>Đánh giá</th></tr>']
    for e in progress.get("energy", []):
        share = e["counted_mw"] / e["target_mw"] if e["target_mw"] else 0.0
        rows.append(
            f'<tr data-target="{escape(e["target_id"])}"><td>{escape(e["target_id"])} {escape(_short(e["label_vi"]))}</td>'
            f'<td>{format_number(e["counted_mw"])} MW</td><td>{format_number(e["target_mw"])} MW</td>'
            f'<td><div class="kcn-bar"><span style="width:{min(share, 1) * 100:.1f}%"></span></div></td>'
            f'<td>{escape(verdicts.get(e["target_id"], ""))}</td></tr>')
    land = progress.get("land", {})
    rows.append(f'<tr data-target="T1"><td>T1 Đất CN mới vận hành từ 01/01/2026</td>'
                f'<td>{format_number(land.get("new_land_ha"))} ha</td><td>3.000 ha</td>'
                f'<td><div class="kcn-bar"><span style="width:{min((land.get("new_land_ha") or 0) / 3000, 1) * 100:.1f}%">'
                f'</span></div></td><td>{escape(verdicts.get("T1", ""))}</td></tr></table>')
    expected = [f'{escape(e["target_id"])}: {format_number(e["firm_mw"])} MW' for e in progress.get("energy", [])]
    rows.append(f'<div class="kcn-muted">Dự kiến thêm trước hạn từ dự án đang thi công trở lên: {"; ".join(expected)}. '
                f"Tỷ lệ lấp đầy chung KCN đang hoạt động (T4): {format_percent(land.get('t4_occupancy'))}.</div>")
    rows.append(f"<details><summary>Ghi chú ({len(progress.get('notes', []))})</summary><ul>"
                + "".join(f"<li>{escape(n)}</li>" for n in progress.get("notes", [])) + "</ul></details>")
    rows.append('<div class="kcn-muted">Cùng số liệu với lệnh <code>kcn progress</code>; không phụ thuộc bộ lọc bản đồ.</div>')
    return head + "".join(rows)


def unlocated_html(payload: dict[str, Any]) -> str:
    """Records without any location: listed, never silently dropped."""
    zones, projects = payload["unlocated"]["zones"], payload["unlocated"]["projects"]
    tech = payload["lookups"]["tech"]
    rows = [f"<summary>Chưa có vị trí: {len(projects)} dự án, {len(zones)} khu/cụm</summary>"]
    if projects:
        rows.append("<h3>Dự án điện</h3><ul>")
        for f in projects:
            p = f["p"]
            rows.append(f'<li data-code="{escape(p["code"])}">{escape(p["name"])} — '
                        f'{escape(tech.get(p.get("tech"), {}).get("label", p.get("tech") or ""))}, '
                        f'{format_number(p.get("mw"))} MW, {escape(label("project", p.get("stage")))}'
                        + (", có vướng mắc" if p.get("obst") else "") + "</li>")
        rows.append("</ul>")
    if zones:
        rows.append("<h3>Khu/cụm</h3><ul>")
        for f in zones:
            p = f["p"]
            area = f', {format_number(p["ha"])} ha' if p.get("ha") else ""
            rows.append(f'<li data-code="{escape(p["code"])}">{escape(p.get("kind", ""))} {escape(p["name"])}'
                        f'{" (" + escape(p["phase"]) + ")" if p.get("phase") else ""}{area} — '
                        f'{escape(label("zone", p.get("stage")))}</li>')
        rows.append("</ul>")
    return "".join(rows)
