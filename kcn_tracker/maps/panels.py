"""The briefing map's panels as HTML: title and date, legend, progress against the targets,
and the records that have no location. Every text from the register is escaped here.

Numbers come from ``text.py`` and the progress figures from ``progress.compute_progress``
(the same ``as_dict()`` that ``kcn progress --format json`` prints), so the map and the
command never disagree.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from kcn_tracker.stages import label
from kcn_tracker.text import format_date, format_number, format_percent

if TYPE_CHECKING:
    from kcn_tracker.maps.collect import Briefing

CSS = """
html,body{margin:0;height:100%}
.kcn-header{position:absolute;top:0;left:0;right:0;z-index:1001;background:var(--kcn-paper);border-bottom:1px solid var(--kcn-line);
 padding:4px 10px;text-align:center;font:12px/1.3 "DejaVu Sans",Arial,sans-serif;color:var(--kcn-ink)}
.kcn-header h1{font-size:17px;margin:0}.kcn-date{font-weight:bold;color:var(--kcn-date)}
.kcn-map{position:absolute;top:var(--kcn-header-h,60px);bottom:0;left:0;right:0}.leaflet-container{font-size:12px}
.kcn-box{background:var(--kcn-panel-bg);border-radius:6px;box-shadow:0 1px 5px var(--kcn-shadow);padding:5px 9px;
 font:12px/1.35 "DejaVu Sans",Arial,sans-serif;color:var(--kcn-ink);max-width:min(360px,calc(100vw - 80px))}
.kcn-box h2{font-size:13px;margin:2px 0 4px}.kcn-box h3{font-size:12px;margin:6px 0 2px}
.kcn-muted{color:var(--kcn-muted);font-size:11px}
details.kcn-box>summary{cursor:pointer;font-weight:bold;padding:2px 0}
details.kcn-box[open]{overflow:auto;max-height:calc(100vh - var(--kcn-header-h,60px) - 90px)}
.leaflet-bottom details.kcn-box[open]{max-height:calc(50vh - var(--kcn-header-h,60px))}
.kcn-legend-row{display:flex;align-items:center;gap:6px;margin:1px 0}.kcn-legend-row svg{flex:none}
.kcn-sizes{display:flex;align-items:flex-end;gap:10px}.kcn-sizes div{display:flex;flex-direction:column;align-items:center}
.kcn-progress{max-width:min(540px,calc(100vw - 80px))}.kcn-progress table{border-collapse:collapse;width:100%}
.kcn-progress td,.kcn-progress th{padding:1px 4px;text-align:right;border-bottom:1px solid var(--kcn-panel-rule);white-space:nowrap}
.kcn-progress td:first-child,.kcn-progress th:first-child{text-align:left;white-space:normal;min-width:140px}
.kcn-bar{height:5px;background:var(--kcn-panel-rule);border-radius:3px;overflow:hidden;min-width:50px}
.kcn-bar span{display:block;height:5px;background:var(--kcn-bar)}
.kcn-unlocated li,.kcn-sources li{margin:1px 0}.kcn-hit{background:var(--kcn-hover)}
.kcn-popup h4{margin:0 0 4px;font-size:13px}.kcn-popup table{border-collapse:collapse}
.kcn-popup th{text-align:left;vertical-align:top;padding:1px 6px 1px 0;color:var(--kcn-muted);font-weight:normal;white-space:nowrap}
.kcn-popup td{padding:1px 0;max-width:260px}.kcn-approx{color:var(--kcn-accent);font-weight:bold}
.kcn-fullscreen{font-size:18px;line-height:30px;width:30px;height:30px;text-align:center;cursor:pointer;background:var(--kcn-paper);border:none}
.kcn-tools input[type=search]{width:100%;box-sizing:border-box;font-size:13px;padding:3px 5px}
.kcn-tools fieldset{border:none;margin:2px 0;padding:0}.kcn-tools legend{font-weight:bold;padding:0}
.kcn-tools label{display:inline-block;margin-right:6px;white-space:nowrap}
.kcn-stage-group{margin:3px 0}.kcn-stage-group svg{vertical-align:middle}.kcn-stage-list{margin-left:18px}
.kcn-stage-group label{white-space:normal;max-width:100%;box-sizing:border-box}
.kcn-results{list-style:none;margin:2px 0;padding:0;max-height:40vh;overflow:auto}
.kcn-results button,.kcn-table tbody tr{cursor:pointer}.kcn-results button{width:100%;text-align:left;background:none;border:none;padding:2px;font:inherit}
.kcn-results button:hover,.kcn-table tbody tr:hover{background:var(--kcn-hover)}
.kcn-table table{border-collapse:collapse;font-size:11px}.kcn-table th,.kcn-table td{padding:1px 4px;border-bottom:1px solid var(--kcn-panel-rule);text-align:left}
.kcn-table td.n{text-align:right;white-space:nowrap}.kcn-table{max-width:min(560px,calc(100vw - 80px))}
.kcn-label{position:absolute;white-space:nowrap;font:bold 11px/1 "DejaVu Sans",Arial,sans-serif;color:var(--kcn-ink);pointer-events:none;
 text-shadow:0 0 2px var(--kcn-paper),0 0 2px var(--kcn-paper),0 0 3px var(--kcn-paper)}
.kcn-by-tech{display:none}.kcn-short{display:none}
@media (max-width:700px){.kcn-long{display:none}.kcn-short{display:inline}}
.leaflet-container{background:var(--kcn-panel-rule)}.kcn-mode-tech .kcn-by-tech{display:block}
.leaflet-control-attribution{font-size:10px;max-width:calc(100vw - 120px)}
@media (max-width:700px){.kcn-header h1{font-size:14px}.kcn-header{font-size:11px}.kcn-box{font-size:11px}}
@media print{.leaflet-control-layers,.leaflet-control-zoom,.kcn-fullscreen,.kcn-tools{display:none}}
"""


def panels_html(briefing: Briefing, payload: dict[str, Any]) -> str:
    """The header and the panels (containers the page script moves into map controls).

    Panels are closed here; the script opens them on screens large enough to keep the
    province clear, then fits the map to the area the panels leave free.
    """
    from kcn_tracker.maps import legend

    return "".join((
        f'<header id="kcn-title" class="kcn-header">{title_html(briefing)}</header>',
        f'<details id="kcn-progress" class="kcn-box kcn-progress" data-open-from="1200x800">'
        f'{progress_html(briefing.progress, briefing)}</details>',
        '<details id="kcn-tools" class="kcn-box kcn-tools" data-open-from="1000x700"><summary>Tìm kiếm, tô màu, lọc</summary>'
        f'{legend.tools_html(briefing, payload)}</details>',
        f'<details id="kcn-legend" class="kcn-box kcn-legend" data-open-from="1000x700">{legend.legend_html(briefing, payload)}</details>',
        '<details id="kcn-table" class="kcn-box kcn-table"><summary>Bảng<span class="kcn-long"> các hồ sơ đang thấy trên bản đồ'
        '</span></summary>'
        '<div class="kcn-muted">Bấm một dòng để phóng tới hồ sơ.</div><div id="kcn-table-body"></div></details>',
        f'<details id="kcn-unlocated" class="kcn-box kcn-unlocated">{unlocated_html(payload)}</details>',
        f'<details id="kcn-sources" class="kcn-box kcn-sources">{sources_html()}</details>',
    ))


def title_html(briefing: Briefing) -> str:
    """Title, the as-of date and the date of the latest recorded change, active filters."""
    latest = (f"thay đổi mới nhất được ghi nhận: {format_date(briefing.latest_change)}" if briefing.latest_change
              else "chưa có thay đổi nào được ghi nhận")
    parts = [f"<h1>{escape(briefing.options.title)}</h1>",
             f'<div><span class="kcn-date">Số liệu đến ngày {format_date(briefing.as_of)}</span> · '
             f'<span class="kcn-latest">{latest}</span></div>']
    if briefing.filters:
        parts.append(f'<div class="kcn-muted">Bộ lọc: {escape("; ".join(briefing.filters))}</div>')
    return "".join(parts)


def sources_html() -> str:
    """Every data source with its full attribution and licence."""
    from kcn_tracker.credits import MAP_CREDITS, full_line

    items = "".join(f'<li data-source="{c.key}">{escape(full_line(c))}</li>' for c in MAP_CREDITS)
    return (f'<summary>Nguồn dữ liệu<span class="kcn-long"> và giấy phép</span></summary><ul>{items}</ul>'
            '<div class="kcn-muted">Nền bản đồ trực tuyến (nếu chọn): theo ghi công ở góc bản đồ.</div>')


def _short(text: str) -> str:
    return text.removeprefix("Trong đó: ")


def progress_html(progress: dict[str, Any] | None, briefing: Briefing) -> str:
    """Energy (T2, T2a–T2d) and new industrial land (T1) against the targets, as ``kcn progress`` shows them."""
    head = (f'<summary>Tiến độ<span class="kcn-long"> so với mục tiêu 2030</span></summary>'
            f'<div class="kcn-muted">Toàn tỉnh, đến {format_date(briefing.as_of)}</div>')
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
    rows = [f'<summary>Chưa có vị trí<span class="kcn-long">: {len(projects)} dự án, {len(zones)} khu/cụm</span>'
            f'<span class="kcn-short"> ({len(projects) + len(zones)})</span></summary>']
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
