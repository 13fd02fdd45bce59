"""The report's appendix: detailed tables with record codes (changes, obstacles, years, full lists, method).

The body speaks in sentences and names; these tables let staff check every figure
and find a record by its code. Table numbers are "PL1.x" (Phụ lục I), "PL2.x".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kcn_tracker.fields import OBSTACLE_CATEGORIES
from kcn_tracker.quantities import minus
from kcn_tracker.reports.blocks import Column, Figure, Heading, Paragraph, ReportContent, Table
from kcn_tracker.reports.content import CHART_MIN_SCALE, RECORD_VI, Inputs, category_label, field_label, period_phrase, stage_vi, vietnamese
from kcn_tracker.text import format_date

CHANGE_COLUMNS = [Column("Ngày", "date", 13), Column("Mã", width=20), Column("Tên", width=36), Column("Loại", width=12)]


def _iso(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _shown(ctx: Inputs, item: Any, value: Any) -> Any:
    """An old or new value as people read it: a date, the Vietnamese label of a key, có/không."""
    from kcn_tracker.labels import value_label, yes_no

    return yes_no(value_label(item.field, _iso(value), record_type=item.record_type, technologies=ctx.tech_labels))


def _base(item: Any) -> list[Any]:
    return [item.effective_on, item.code, item.name, RECORD_VI[item.record_type]]


def add_appendix(content: ReportContent, ctx: Inputs, with_charts: bool) -> None:
    """Phụ lục I (the period in detail), II (the register), III (method and data notes)."""
    content.blocks.append(Heading(f"PHỤ LỤC I. SỐ LIỆU CHI TIẾT {period_phrase(ctx.period).upper()} ({ctx.period.range_vi})"))
    _changes_tables(content, ctx)
    _stuck_tables(content, ctx)
    _years_tables(content, ctx, with_charts)
    _register_tables(content, ctx)
    content.blocks.append(Heading("PHỤ LỤC III. PHƯƠNG PHÁP TÍNH VÀ GHI CHÚ SỐ LIỆU"))
    rules = list(dict.fromkeys(vietnamese(v["rule"]) for v in ctx.progress["verdicts"]))
    content.blocks += [Paragraph(rule, "bullet") for rule in rules]
    content.blocks += [Paragraph(vietnamese(note), "bullet") for note in ctx.progress["notes"]]
    content.blocks.append(Paragraph(
        f"Thay đổi trong kỳ: mọi sự kiện có hiệu lực sau ngày {format_date(ctx.period.after)} đến hết ngày "
        f"{format_date(ctx.period.end)}; số liệu mục tiêu tính đến hết ngày {format_date(ctx.period.end)}.", "note"))
    content.blocks.append(Paragraph(content.generated_line, "note"))


def _changes_tables(content: ReportContent, ctx: Inputs) -> None:
    by: dict[str, list[Any]] = {}
    for item in ctx.changes:
        by.setdefault(item.category, []).append(item)
    doc = Column("Văn bản", width=30)
    # A record created in the period enters it at its first stage: "—" -> that stage.
    moves = sorted(by.get("created", []) + by.get("stage", []), key=lambda i: (i.effective_on, i.record_type, i.name))
    stage = [[*_base(i), stage_vi(i.record_type, i.old), stage_vi(i.record_type, i.new), i.document] for i in moves]
    online = [[*_base(i), i.old, i.new, minus(i.new, i.old), i.document] for i in by.get("mw_online", [])]
    hectares = []
    for i in moves:
        if i.record_type == "zone" and i.new == "operating":
            line = ctx.zone_lines.get(i.code)
            basis = {"leasable": "đất CN cho thuê", "total": "tổng diện tích"}.get(getattr(line, "area_basis", None) or "", "chưa có số liệu")
            hectares.append([*_base(i), getattr(line, "area_ha", None), basis, i.document])
    occupancy = [[*_base(i), field_label(i.record_type, i.field), i.old, i.new, i.document] for i in by.get("occupancy", [])]
    opened = [[*_base(i), category_label(i.field), i.new, i.document] for i in by.get("obstacle_opened", [])]
    resolved = [[*_base(i), category_label(i.field), i.old, i.document, i.note] for i in by.get("obstacle_resolved", [])]
    other = [[*_base(i), field_label(i.record_type, i.field), _shown(ctx, i, i.old), _shown(ctx, i, i.new), i.document]
             for i in by.get("other", [])]
    content.blocks += [
        Table("chuyen-giai-doan", "Bảng PL1.1. Chuyển giai đoạn", [*CHANGE_COLUMNS, Column("Từ giai đoạn", width=22),
              Column("Sang giai đoạn", width=22), doc], stage, "Không có chuyển giai đoạn nào trong kỳ."),
        Table("mw-van-hanh", "Bảng PL1.2. Công suất mới vào vận hành", [*CHANGE_COLUMNS, Column("Trước (MW)", "number"),
              Column("Sau (MW)", "number"), Column("Tăng thêm (MW)", "number"), doc], online, "Không có công suất mới vào vận hành trong kỳ."),
        Table("ha-van-hanh", "Bảng PL1.3. Diện tích khu, cụm công nghiệp vào hoạt động", [*CHANGE_COLUMNS,
              Column("Diện tích (ha)", "number"), Column("Căn cứ diện tích", width=18), doc], hectares,
              "Không có khu nào vào hoạt động trong kỳ."),
        Table("lap-day-thay-doi", "Bảng PL1.4. Thay đổi về cho thuê đất, lấp đầy", [*CHANGE_COLUMNS, Column("Chỉ số", width=24),
              Column("Trước", "number"), Column("Sau", "number"), doc], occupancy, "Không có thay đổi về lấp đầy trong kỳ."),
        Table("vuong-mac-moi", "Bảng PL1.5. Vướng mắc mới phát sinh", [*CHANGE_COLUMNS, Column("Loại vướng mắc", width=20),
              Column("Nội dung", width=40), doc], opened, "Không có vướng mắc mới trong kỳ."),
        Table("vuong-mac-da-giai-quyet", "Bảng PL1.6. Vướng mắc đã được giải quyết", [*CHANGE_COLUMNS,
              Column("Loại vướng mắc", width=20), Column("Nội dung", width=40), doc, Column("Ghi chú", width=24)], resolved,
              "Không có vướng mắc nào được giải quyết trong kỳ."),
        Table("thay-doi-khac", "Bảng PL1.7. Thay đổi khác", [*CHANGE_COLUMNS, Column("Trường", width=22), Column("Trước", "auto", 20),
              Column("Sau", "auto", 20), doc], other, "Không có."),
    ]


def _stuck_tables(content: ReportContent, ctx: Inputs) -> None:
    stuck = ctx.progress["stuck"]
    rows = [[s["code"], s["name"], category_label(s["category"]), stage_vi(s["record_type"], s["stage"]), s["description"],
             _iso(s["opened_on"]), s["days_open"], s["size"] if s["record_type"] == "project" else None,
             s["size"] if s["record_type"] == "zone" else None]
            for s in sorted(stuck, key=lambda s: (list(OBSTACLE_CATEGORIES).index(s["category"])
                                                  if s["category"] in OBSTACLE_CATEGORIES else 99, -s["days_open"]))]
    content.blocks.append(Table("vuong-mac", f"Bảng PL1.8. Vướng mắc đang mở đến ngày {format_date(ctx.period.end)}", [
        Column("Mã", width=20), Column("Tên", width=30), Column("Loại vướng mắc", width=16), Column("Giai đoạn", width=20),
        Column("Nội dung", width=40), Column("Phát sinh từ", "date", 13), Column("Số ngày", "int", 8),
        Column("MW chưa vận hành", "number"), Column("Diện tích (ha)", "number")], rows, "Không có vướng mắc đang mở."))


def _years_tables(content: ReportContent, ctx: Inputs, with_charts: bool) -> None:
    energy = ctx.progress["energy"]
    years = sorted(energy[0]["cumulative_by_year"]) if energy else []
    measures = (("online_by_year", "Đã vận hành trong năm"), ("expected_by_year", "Dự kiến vận hành trong năm"),
                ("cumulative_by_year", "Lũy kế (đã + dự kiến)"), ("gap_by_year", "Còn thiếu so với chỉ tiêu"))
    rows = [[e["label_vi"].removeprefix("Trong đó: "), label, *[e[key].get(y) for y in years]]
            for e in energy for key, label in measures]
    content.blocks.append(Table("theo-nam", "Bảng PL1.9. Công suất theo năm so với chỉ tiêu (MW)",
                                [Column("Nhóm nguồn điện", width=24), Column("Chỉ số", width=22),
                                 *[Column(str(y), "number", 9) for y in years]], rows))
    if with_charts:
        from kcn_tracker.reports import charts

        land_points = [(f"{z['kind']} {z['name']}", z["occupancy"]) for z in _occupancy_zones(ctx)]
        content.blocks.append(Figure("bieu-do-giai-doan", "Hình PL1. Công suất (MW) theo giai đoạn và công nghệ",
                                     charts.stage_chart(ctx.progress["mw_by_stage_technology"], ctx.tech_labels),
                                     min_scale=CHART_MIN_SCALE))
        content.blocks.append(Figure("bieu-do-lay-day", "Hình PL2. Tỷ lệ lấp đầy từng khu, cụm đang hoạt động so với 70 %",
                                     charts.occupancy_chart(land_points), min_scale=CHART_MIN_SCALE))
    late = [[p["code"], p["name"], ctx.tech_labels.get(p["technology"], p["technology"]), stage_vi("project", p["stage"]),
             p["remaining_mw"], _iso(p["expected_cod"])] for p in ctx.progress["late_or_undated"]]
    content.blocks.append(Table("chua-co-ngay", "Bảng PL1.10. Dự án chưa có ngày vận hành dự kiến hoặc dự kiến sau năm 2030", [
        Column("Mã", width=20), Column("Tên", width=34), Column("Công nghệ", width=18), Column("Giai đoạn", width=20),
        Column("MW chưa vận hành", "number"), Column("Dự kiến vận hành", "date", 13)], late))


def _occupancy_zones(ctx: Inputs) -> list[dict[str, Any]]:
    from kcn_tracker.reports.content import occupancy_zones

    return occupancy_zones(ctx)


def _register_tables(content: ReportContent, ctx: Inputs) -> None:
    projects = [[p["code"], p["name"], p.get("technology_label"), stage_vi("project", p.get("stage")), p.get("capacity_mw"),
                 p.get("capacity_operating_mw"), _iso(p.get("expected_cod")), p.get("investor"), p.get("commune"),
                 len(p["open_obstacles"])] for p in ctx.projects]
    zones = []
    for z in ctx.zones:
        line = ctx.zone_lines.get(z["code"])
        zones.append([z["code"], z["name"], z.get("kind"), z.get("phase"), stage_vi("zone", z.get("stage")), z.get("total_area_ha"),
                      z.get("leasable_ha"), z.get("leased_ha"), getattr(line, "occupancy", None), z.get("developer"),
                      z.get("commune"), len(z["open_obstacles"])])
    content.blocks += [
        Heading(f"PHỤ LỤC II. DANH MỤC DỰ ÁN ĐIỆN, KHU VÀ CỤM CÔNG NGHIỆP ĐẾN NGÀY {format_date(ctx.period.end)}"),
        Table("pl-du-an", f"Bảng PL2.1. Dự án điện ({len(projects)})", [
            Column("Mã", width=20), Column("Tên", width=34), Column("Công nghệ", width=16), Column("Giai đoạn", width=20),
            Column("Công suất (MW)", "number"), Column("Đã vận hành (MW)", "number"), Column("Dự kiến vận hành", "date", 13),
            Column("Nhà đầu tư", width=20), Column("Xã/phường", width=16), Column("Vướng mắc đang mở", "int", 8)], projects),
        Table("pl-khu", f"Bảng PL2.2. Khu kinh tế, khu và cụm công nghiệp ({len(zones)})", [
            Column("Mã", width=20), Column("Tên", width=24), Column("Loại", width=6), Column("Phân kỳ", width=10),
            Column("Giai đoạn", width=20), Column("Tổng diện tích (ha)", "number"), Column("Đất CN cho thuê (ha)", "number"),
            Column("Đã cho thuê (ha)", "number"), Column("Tỷ lệ lấp đầy", "percent"), Column("Chủ đầu tư hạ tầng", width=20),
            Column("Xã/phường", width=16), Column("Vướng mắc đang mở", "int", 8)], zones),
    ]
