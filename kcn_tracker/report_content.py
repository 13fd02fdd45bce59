"""The periodic report's content as plain dataclasses, rendered alike by every format.

Numbers come only from the progress library (``compute_progress(...).as_dict()``,
the same data as ``kcn progress --format json``), the period's changes from
``workflow.changes_between`` (as ``kcn changes``) and the register from
``registry.views``. Renderers (report_docx, report_xlsx, report_markdown) only
format: a docx cell, a Markdown cell and an Excel value are the same number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from kcn_tracker.fields import OBSTACLE_CATEGORIES, field_spec
from kcn_tracker.periods import Period
from kcn_tracker.quantities import minus, total
from kcn_tracker.stages import label as stage_label
from kcn_tracker.text import format_date, format_number

NO_DATA = "chưa có số liệu"
RECORD_VI = {"project": "Dự án điện", "zone": "Khu/cụm CN"}
#: Column kinds: how a renderer shows (and Excel stores) a value.
KINDS = ("text", "number", "int", "percent", "date", "auto")


@dataclass(frozen=True)
class Column:
    """A table column: Vietnamese header, value kind, and a width hint (characters)."""

    header: str
    kind: str = "text"
    width: int = 14


@dataclass
class Table:
    """One table: ``key`` names its Excel sheet; rows hold plain values (None = unknown)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    empty_text: str = "Không có."
    missing_text: str = "—"  # how an unknown cell reads ("chưa có số liệu" for occupancy)


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    style: str = "normal"  # normal | note | bullet


@dataclass
class Figure:
    """A picture (PNG bytes), or None with the sentence saying why it is missing."""

    key: str
    caption: str
    png: bytes | None
    missing_text: str = ""


Block = Heading | Paragraph | Table | Figure


@dataclass
class ReportContent:
    """Everything a report shows, in order; ``generated_at`` is its only timestamp."""

    period: Period
    title: str
    generated_at: dt.datetime
    blocks: list[Block] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    @property
    def generated_line(self) -> str:
        """The one line that differs between two runs on the same data."""
        return f"Thời điểm tạo báo cáo: {self.generated_at:%d/%m/%Y %H:%M:%S}"


def show(value: Any, kind: str, missing: str = "—") -> str:
    """A cell as people read it: Vietnamese numbers (8.517,4), dates dd/mm/yyyy, "—" for unknown."""
    if value is None or value == "":
        return missing
    if kind == "percent":
        return f"{format_number(value * 100, decimals=1)} %"
    if kind == "date" or isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, bool):
        return "có" if value else "không"
    if kind in ("number", "int", "auto") and isinstance(value, (int, float)):
        return format_number(value, decimals=0 if kind == "int" else 1)
    return str(value)


def _iso(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else value


def build_content(session: Any, period: Period, *, generated_at: dt.datetime, with_charts: bool = True,
                  static_map: bool = True) -> ReportContent:
    """Read the register for ``period`` and assemble the report (the caller owns the session)."""
    from kcn_tracker.progress import compute_progress
    from kcn_tracker.progress_data import load_records
    from kcn_tracker.progress_land import compute_land
    from kcn_tracker.registry import views
    from kcn_tracker.workflow import changes_between

    records = load_records(session)
    progress = compute_progress(records, period.end).as_dict()
    zone_lines = compute_land(records, period.end)[1]
    ctx = _Inputs(period=period, progress=progress, changes=changes_between(session, period.after, period.end),
                  zone_lines={code: line for code, line in zone_lines.items()},
                  tech_labels={t.key: t.label_vi for t in records.technologies},
                  projects=views(session, "project", as_of=period.end), zones=views(session, "zone", as_of=period.end))
    content = ReportContent(period, f"Báo cáo tình hình phát triển khu công nghiệp và dự án điện — {period.label_vi}",
                            generated_at)
    _header(content, ctx)
    _targets_section(content, ctx, with_charts)
    _changes_section(content, ctx)
    _stuck_section(content, ctx)
    _years_section(content, ctx, with_charts)
    _map_section(content, ctx, session, static_map)
    _appendix(content, ctx)
    return content


@dataclass
class _Inputs:
    """What the sections are built from, all read once."""

    period: Period
    progress: dict[str, Any]
    changes: list[Any]
    zone_lines: dict[str, Any]
    tech_labels: dict[str, str]
    projects: list[dict[str, Any]]
    zones: list[dict[str, Any]]


def field_label(record_type: str, name: str | None) -> str:
    """Vietnamese label of a field (the key itself when unknown)."""
    try:
        return field_spec(record_type, name or "").label_vi
    except KeyError:
        return name or ""


def category_label(key: str | None) -> str:
    """Vietnamese label of an obstacle category."""
    return OBSTACLE_CATEGORIES.get(key or "", (key or "", ""))[0]


def stage_vi(record_type: str, key: str | None) -> str | None:
    """Vietnamese stage label, None when unknown."""
    return stage_label(record_type, key) if key else None  # type: ignore[arg-type]


def _header(content: ReportContent, ctx: _Inputs) -> None:
    p = ctx.period
    content.blocks += [
        Paragraph(f"Kỳ báo cáo: {p.label_vi} ({p.range_vi}). Số liệu đến hết ngày {format_date(p.end)}."),
        Paragraph("Thay đổi trong kỳ: mọi sự kiện có hiệu lực sau ngày "
                  f"{format_date(p.after)} đến hết ngày {format_date(p.end)} (như `kcn changes --from "
                  f"{format_date(p.after)} --to {format_date(p.end)}`); số liệu mục tiêu như `kcn progress --as-of "
                  f"{format_date(p.end)}`.", "note"),
        Paragraph(content.generated_line, "note"),
    ]


def _verdict_rows(ctx: _Inputs) -> tuple[list[list[Any]], list[str]]:
    rules: list[str] = []
    rows = []
    order = {t: i for i, t in enumerate(("T1", "T2", "T2a", "T2b", "T2c", "T2d", "T3", "T4", "T5", "T6", "T6-fund"))}
    for v in sorted(ctx.progress["verdicts"], key=lambda v: order.get(v["target_id"], 99)):
        if v["rule"] not in rules:
            rules.append(v["rule"])
        rows.append([v["target_id"], v["label_vi"], v["verdict_vi"], v.get("detail") or None,
                     f"({rules.index(v['rule']) + 1})"])
    return rows, rules


def _targets_section(content: ReportContent, ctx: _Inputs, with_charts: bool) -> None:
    data, land = ctx.progress, ctx.progress["land"]
    content.blocks.append(Heading(f"1. Tình hình thực hiện các mục tiêu đến ngày {format_date(ctx.period.end)}"))
    rows, rules = _verdict_rows(ctx)
    content.blocks.append(Table("muc-tieu", "Bảng 1. Đánh giá các mục tiêu T1–T6", [
        Column("Mã", width=8), Column("Mục tiêu", width=50), Column("Đánh giá", width=16), Column("Số liệu", width=50),
        Column("Quy tắc", width=9)], rows))
    content.blocks.append(Paragraph("Quy tắc đánh giá:"))
    content.blocks += [Paragraph(f"({i}) {rule}", "bullet") for i, rule in enumerate(rules, 1)]
    energy = [[e["target_id"], e["label_vi"], e["target_mw"], e["counted_mw"], e["unknown_date_mw"], e["firm_mw"],
               e["possible_mw"], e["gap_by_year"].get(str(dt.date.fromisoformat(e["deadline"]).year)), _verdict(ctx, e["target_id"])]
              for e in data["energy"]]
    content.blocks.append(Table("dien", "Bảng 2. Điện: công suất đưa vào vận hành 2025–2030 (MW)", [
        Column("Mã", width=8), Column("Mục tiêu", width=40), Column("Chỉ tiêu (MW)", "number"),
        Column("Đã vận hành, được tính (MW)", "number"), Column("Đang vận hành, chưa rõ ngày, không tính (MW)", "number"),
        Column("Dự kiến: từ thi công trở lên (MW)", "number"), Column("Dự kiến: giai đoạn sớm hơn (MW)", "number"),
        Column("Còn thiếu đến hạn (MW)", "number"), Column("Đánh giá", width=16)], energy))
    if data.get("t3_target_mw") is not None:
        content.blocks.append(Table("t3", "Bảng 3. T3: tổng công suất đang vận hành đến 2030 (MW)", [
            Column("Chỉ tiêu (MW)", "number"), Column("Đang vận hành đã biết trong sổ (MW)", "number"),
            Column("Dự kiến thêm trước hạn (MW)", "number"), Column("Đánh giá", width=16)],
            [[data["t3_target_mw"], data["t3_known_operating_mw"], data["t3_expected_by_deadline_mw"], _verdict(ctx, "T3")]]))
    content.blocks.append(Table("dat", "Bảng 4. Đất công nghiệp (T1, T4, T6)", [
        Column("Chỉ số", width=60), Column("Giá trị", "number"), Column("Đơn vị", width=10)], _land_rows(land)))
    content.blocks.append(_occupancy_table(ctx))
    content.blocks.append(Paragraph("Ghi chú về số liệu:"))
    content.blocks += [Paragraph(note, "bullet") for note in data["notes"]]
    if with_charts:
        from kcn_tracker import charts

        content.blocks.append(Figure("bieu-do-lay-day", "Hình 1. Tỷ lệ lấp đầy từng KCN/CCN đang hoạt động so với 70 %",
                                     charts.occupancy_chart(_occupancy_points(ctx))))
        content.blocks.append(Figure("bieu-do-giai-doan", "Hình 2. Công suất (MW) theo giai đoạn và công nghệ",
                                     charts.stage_chart(data["mw_by_stage_technology"], ctx.tech_labels)))


def _verdict(ctx: _Inputs, target_id: str) -> str | None:
    return next((v["verdict_vi"] for v in ctx.progress["verdicts"] if v["target_id"] == target_id), None)


def _land_rows(land: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [["Đất CN mới đã đưa vào khai thác (T1, tính từ 01/01/2026)", land["new_land_ha"], "ha"],
                             ["Số KCN/CCN mới đưa vào khai thác, được tính", len(land["new_zones"]), "khu"],
                             ["Số KCN/CCN vào khai thác chưa rõ ngày (không tính)", len(land["new_zones_uncertain"]), "khu"]]
    for stage, ha in land["pipeline_ha_by_stage"].items():
        missing = land["pipeline_without_area_by_stage"].get(stage, 0)
        rows.append([f"Đang triển khai — {stage_vi('zone', stage) or stage}"
                     + (f" ({missing} khu chưa có diện tích)" if missing else ""), ha, "ha"])
    occupancy = land.get("t4_occupancy")
    rows += [["Tỷ lệ lấp đầy chung các KCN đang hoạt động có số liệu (T4)", None if occupancy is None else round(occupancy * 100, 4), "%"],
             ["KCN mới (T6) đã hoàn thành hạ tầng", land["new_kcn_operating"], "KCN"],
             ["KCN mới (T6) từ giai đoạn xây dựng hạ tầng trở lên", land["new_kcn_firm"], "KCN"],
             ["KCN mới (T6) đang triển khai", land["new_kcn_total"], "KCN"],
             ["KCN mới định hướng công nghệ cao đã hoàn thành hạ tầng", land["new_kcn_high_tech"], "KCN"],
             ["Tổng quỹ đất KCN (T6)" + (f" ({land['land_fund_without_area']} KCN chưa có diện tích)"
                                          if land["land_fund_without_area"] else ""), land["land_fund_ha"], "ha"]]
    return rows


def _occupancy_zones(ctx: _Inputs) -> list[dict[str, Any]]:
    land = ctx.progress["land"]
    seen: dict[str, dict[str, Any]] = {}
    for zone in [*land["occupancy"], *land["fill_2026"]]:
        seen.setdefault(zone["code"], zone)
    return sorted(seen.values(), key=lambda z: (z["kind"], z["name"]))


def _occupancy_table(ctx: _Inputs) -> Table:
    rows = []
    for z in _occupancy_zones(ctx):
        meets = NO_DATA if z["meets_70"] is None else "đạt" if z["meets_70"] else "chưa đạt"
        rows.append([z["code"], z["name"], z["kind"], stage_vi("zone", z["stage"]), z["leasable_ha"], z["leased_ha"],
                     z["occupancy"], meets, "có" if z["fill_2026_t5"] else None])
    return Table("lap-day", "Bảng 5. Tỷ lệ lấp đầy KCN/CCN đang hoạt động (T4 > 70 %) và các KCN phải lấp đầy 100 % năm 2026 (T5)", [
        Column("Mã", width=20), Column("Tên", width=24), Column("Loại", width=6), Column("Giai đoạn", width=18),
        Column("Đất CN cho thuê (ha)", "number"), Column("Đã cho thuê (ha)", "number"), Column("Tỷ lệ lấp đầy", "percent"),
        Column("So với 70 %", width=16), Column("T5 (100 % năm 2026)", width=10)], rows, missing_text=NO_DATA)


def _occupancy_points(ctx: _Inputs) -> list[tuple[str, float | None]]:
    return [(f"{z['kind']} {z['name']}", z["occupancy"]) for z in _occupancy_zones(ctx)]


CHANGE_COLUMNS = [Column("Ngày", "date", 11), Column("Mã", width=20), Column("Tên", width=36), Column("Loại", width=12)]


def _base(item: Any) -> list[Any]:
    return [item.effective_on, item.code, item.name, RECORD_VI[item.record_type]]


def _changes_section(content: ReportContent, ctx: _Inputs) -> None:
    items, doc = ctx.changes, Column("Văn bản", width=40)
    by: dict[str, list[Any]] = {}
    for item in items:
        by.setdefault(item.category, []).append(item)
    # A record created in the period enters it at its first stage: "—" -> that stage.
    moves = sorted(by.get("created", []) + by.get("stage", []), key=lambda i: (i.effective_on, i.record_type, i.name))
    stage = [[*_base(i), stage_vi(i.record_type, i.old), stage_vi(i.record_type, i.new), i.document, i.note] for i in moves]
    online = [[*_base(i), i.old, i.new, minus(i.new, i.old), i.document] for i in by.get("mw_online", [])]
    entered = [i for i in moves if i.record_type == "zone" and i.new == "operating"]
    hectares = []
    for i in entered:
        line = ctx.zone_lines.get(i.code)
        basis = {"leasable": "đất CN cho thuê", "total": "tổng diện tích"}.get(getattr(line, "area_basis", None) or "", NO_DATA)
        hectares.append([*_base(i), getattr(line, "area_ha", None), basis, i.document])
    occupancy = [[*_base(i), field_label(i.record_type, i.field), i.old, i.new, i.document] for i in by.get("occupancy", [])]
    opened = [[*_base(i), category_label(i.field), i.new, i.document] for i in by.get("obstacle_opened", [])]
    resolved = [[*_base(i), category_label(i.field), i.old, i.document, i.note] for i in by.get("obstacle_resolved", [])]
    other = [[*_base(i), field_label(i.record_type, i.field), _plain(i.old), _plain(i.new), i.document] for i in by.get("other", [])]
    total_mw = total(r[6] for r in online)
    total_ha = total(r[4] for r in hectares)
    content.blocks += [
        Heading(f"2. Những thay đổi trong kỳ ({ctx.period.range_vi})"),
        Paragraph(f"Trong kỳ có {len(items)} thay đổi: {len(stage)} chuyển giai đoạn; {format_number(total_mw)} MW mới vận hành "
                  f"({len(online)} lần cập nhật); {len(hectares)} khu vào hoạt động ({format_number(total_ha)} ha có số liệu); "
                  f"{len(occupancy)} thay đổi về lấp đầy; {len(opened)} vướng mắc mới, {len(resolved)} vướng mắc được giải quyết."),
        Table("chuyen-giai-doan", "Bảng 6. Chuyển giai đoạn", [*CHANGE_COLUMNS, Column("Từ giai đoạn", width=24),
              Column("Sang giai đoạn", width=24), doc, Column("Ghi chú", width=40)], stage, "Không có chuyển giai đoạn nào trong kỳ."),
        Table("mw-van-hanh", "Bảng 7. Công suất mới vào vận hành", [*CHANGE_COLUMNS, Column("Trước (MW)", "number"),
              Column("Sau (MW)", "number"), Column("Tăng thêm (MW)", "number"), doc], online, "Không có công suất mới vào vận hành trong kỳ."),
        Table("ha-van-hanh", "Bảng 8. Diện tích KCN/CCN vào hoạt động", [*CHANGE_COLUMNS, Column("Diện tích (ha)", "number"),
              Column("Căn cứ diện tích", width=18), doc], hectares, "Không có khu nào vào hoạt động trong kỳ."),
        Table("lap-day-thay-doi", "Bảng 9. Thay đổi về cho thuê đất, lấp đầy", [*CHANGE_COLUMNS, Column("Chỉ số", width=24),
              Column("Trước", "number"), Column("Sau", "number"), doc], occupancy, "Không có thay đổi về lấp đầy trong kỳ."),
        Table("vuong-mac-moi", "Bảng 10. Vướng mắc mới phát sinh", [*CHANGE_COLUMNS, Column("Loại vướng mắc", width=20),
              Column("Nội dung", width=50), doc], opened, "Không có vướng mắc mới trong kỳ."),
        Table("vuong-mac-da-giai-quyet", "Bảng 11. Vướng mắc đã được giải quyết", [*CHANGE_COLUMNS, Column("Loại vướng mắc", width=20),
              Column("Nội dung", width=50), doc, Column("Ghi chú", width=30)], resolved, "Không có vướng mắc nào được giải quyết trong kỳ."),
        Table("thay-doi-khac", "Bảng 12. Thay đổi khác", [*CHANGE_COLUMNS, Column("Trường", width=24), Column("Trước", "auto", 24),
              Column("Sau", "auto", 24), doc], other, "Không có."),
    ]


def _plain(value: Any) -> Any:
    """Other fields' values: dates as dates, the rest as stored."""
    return _iso(value)


def _stuck_section(content: ReportContent, ctx: _Inputs) -> None:
    stuck = ctx.progress["stuck"]
    content.blocks += [Heading(f"3. Dự án, khu đang vướng mắc đến ngày {format_date(ctx.period.end)}"),
                       Paragraph(f"{len(stuck)} vướng mắc đang mở, trên {len({s['code'] for s in stuck})} dự án/khu; "
                                 "số ngày tính từ ngày phát sinh đến hết kỳ báo cáo.")]
    for number, key in enumerate(sorted({s["category"] for s in stuck}, key=lambda k: list(OBSTACLE_CATEGORIES).index(k)
                                        if k in OBSTACLE_CATEGORIES else 99), 1):
        rows = [[s["code"], s["name"], RECORD_VI[s["record_type"]], stage_vi(s["record_type"], s["stage"]), s["description"],
                 _iso(s["opened_on"]), s["days_open"], s["size"] if s["record_type"] == "project" else None,
                 s["size"] if s["record_type"] == "zone" else None] for s in stuck if s["category"] == key]
        content.blocks.append(Table(f"vuong-mac-{key}", f"Bảng 13.{number}. Vướng mắc: {category_label(key)} ({len(rows)})", [
            Column("Mã", width=20), Column("Tên", width=36), Column("Loại", width=12), Column("Giai đoạn", width=22),
            Column("Nội dung", width=50), Column("Phát sinh từ", "date", 11), Column("Số ngày", "int", 9),
            Column("MW chưa vận hành", "number"), Column("Diện tích (ha)", "number")], rows))


def _years_section(content: ReportContent, ctx: _Inputs, with_charts: bool) -> None:
    energy = ctx.progress["energy"]
    years = sorted(energy[0]["cumulative_by_year"]) if energy else []
    measures = (("online_by_year", "Đã vận hành trong năm"), ("expected_by_year", "Dự kiến vận hành trong năm"),
                ("cumulative_by_year", "Lũy kế (đã + dự kiến)"), ("gap_by_year", "Còn thiếu so với chỉ tiêu"))
    rows = [[e["target_id"], label, *[e[key].get(y) for y in years]] for e in energy for key, label in measures]
    content.blocks += [
        Heading("4. Công suất dự kiến đưa vào vận hành theo năm đến 2030"),
        Paragraph("Dự kiến theo ngày vận hành dự kiến (COD) ghi trong sổ; dự án quá hạn dự kiến được tính vào năm báo cáo. "
                  "Văn bản chỉ nêu chỉ tiêu đến năm 2030, không nêu lộ trình từng năm: đường “lộ trình đều” trong hình chỉ để tham chiếu."),
        Table("theo-nam", "Bảng 14. Công suất theo năm so với chỉ tiêu (MW)",
              [Column("Mã", width=8), Column("Chỉ số", width=28), *[Column(str(y), "number", 10) for y in years]], rows),
    ]
    if with_charts:
        from kcn_tracker import charts

        content.blocks.append(Figure("bieu-do-lo-trinh", "Hình 3. Công suất vận hành lũy kế (đã và dự kiến) so với chỉ tiêu, theo nhóm công nghệ",
                                     charts.energy_path_chart(energy)))
    late = [[l["code"], l["name"], ctx.tech_labels.get(l["technology"], l["technology"]), stage_vi("project", l["stage"]),
             l["remaining_mw"], _iso(l["expected_cod"])] for l in ctx.progress["late_or_undated"]]
    content.blocks.append(Table("chua-co-ngay", "Bảng 15. Dự án chưa có ngày vận hành dự kiến hoặc dự kiến sau 2030", [
        Column("Mã", width=20), Column("Tên", width=40), Column("Công nghệ", width=20), Column("Giai đoạn", width=24),
        Column("MW chưa vận hành", "number"), Column("Dự kiến vận hành", "date", 12)], late))


def _map_section(content: ReportContent, ctx: _Inputs, session: Any, enabled: bool) -> None:
    png, why = _static_map_png(session, ctx.period.end) if enabled else (None, "không yêu cầu bản đồ.")
    content.blocks += [Heading("5. Bản đồ"),
                       Figure("ban-do", f"Hình 4. Bản đồ KCN/CCN và dự án điện đến ngày {format_date(ctx.period.end)}", png,
                              f"Không có bản đồ trong báo cáo này: {why}")]


def _static_map_png(session: Any, day: dt.date) -> tuple[bytes | None, str]:
    """The static map of the map issue (``kcn map --png``) if installed, else why not.

    Checked at run time: the report works without the map module and picks it up
    when it lands. A failure while drawing omits the map with the reason (the CLI
    prints it) rather than losing the whole report.
    """
    import importlib
    import importlib.util
    import tempfile
    from pathlib import Path

    if importlib.util.find_spec("kcn_tracker.maps.picture") is None:
        return None, "chưa có mô-đun bản đồ tĩnh (kcn map --png) trong bản cài đặt này."
    static_map, maps = importlib.import_module("kcn_tracker.maps.picture"), importlib.import_module("kcn_tracker.maps")
    if not all(hasattr(m, n) for m, n in ((static_map, "write_static_map"), (maps, "collect_briefing"), (maps, "MapOptions"))):
        return None, "mô-đun bản đồ tĩnh không có hàm xuất ảnh PNG mà báo cáo dùng được."
    try:
        briefing = maps.collect_briefing(session, maps.MapOptions(as_of=day))
        with tempfile.TemporaryDirectory() as folder:
            path = static_map.write_static_map(briefing, Path(folder) / "ban-do.png")
            return Path(path).read_bytes(), ""
    except Exception as exc:  # noqa: BLE001 - the report stands without the map; the reason is printed
        return None, f"không vẽ được bản đồ ({type(exc).__name__}: {exc})."


def _appendix(content: ReportContent, ctx: _Inputs) -> None:
    projects = [[p["code"], p["name"], p.get("technology_label"), stage_vi("project", p.get("stage")), p.get("capacity_mw"),
                 p.get("capacity_operating_mw"), p.get("expected_cod"), p.get("investor"), p.get("commune"),
                 len(p["open_obstacles"])] for p in ctx.projects]
    zones = []
    for z in ctx.zones:
        line = ctx.zone_lines.get(z["code"])
        zones.append([z["code"], z["name"], z.get("kind"), z.get("phase"), stage_vi("zone", z.get("stage")), z.get("total_area_ha"),
                      z.get("leasable_ha"), z.get("leased_ha"), getattr(line, "occupancy", None), z.get("developer"),
                      z.get("commune"), len(z["open_obstacles"])])
    content.blocks += [
        Heading(f"Phụ lục. Danh mục đầy đủ đến ngày {format_date(ctx.period.end)}"),
        Table("pl-du-an", f"Bảng PL1. Dự án điện ({len(projects)})", [
            Column("Mã", width=22), Column("Tên", width=40), Column("Công nghệ", width=20), Column("Giai đoạn", width=24),
            Column("Công suất (MW)", "number"), Column("Đã vận hành (MW)", "number"), Column("Dự kiến vận hành", "date", 12),
            Column("Nhà đầu tư", width=24), Column("Xã/phường", width=20), Column("Vướng mắc đang mở", "int", 9)], projects),
        Table("pl-khu", f"Bảng PL2. Khu kinh tế, khu và cụm công nghiệp ({len(zones)})", [
            Column("Mã", width=22), Column("Tên", width=28), Column("Loại", width=6), Column("Phân kỳ", width=12),
            Column("Giai đoạn", width=24), Column("Tổng diện tích (ha)", "number"), Column("Đất CN cho thuê (ha)", "number"),
            Column("Đã cho thuê (ha)", "number"), Column("Tỷ lệ lấp đầy", "percent"), Column("Chủ đầu tư hạ tầng", width=24),
            Column("Xã/phường", width=20), Column("Vướng mắc đang mở", "int", 9)], zones, missing_text="—"),
    ]


FORMATS = ("docx", "xlsx", "md", "html")


def report_stem(period: Period) -> str:
    """File name stem: "bao-cao-2026-Q2"."""
    return f"bao-cao-{period.key}"


def write_report(content: ReportContent, out_dir: Any, formats: tuple[str, ...] = FORMATS) -> list[Any]:
    """Write ``content`` in each of ``formats`` into ``out_dir``; returns every file written.

    Word, Excel and HTML files are written whole or not at all (``output.atomic_output``):
    a full disk leaves the previous file, never half of a new one.
    """
    from pathlib import Path

    from kcn_tracker.output import atomic_output

    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / report_stem(content.period)
    written: list[Path] = []
    for fmt in formats:
        if fmt == "md":
            from kcn_tracker.report_markdown import write_markdown

            written += write_markdown(content, stem.with_suffix(".md"))  # its pictures sit beside it, named after it
            continue
        if fmt == "docx":
            from kcn_tracker.report_docx import write_docx as writer
        elif fmt == "xlsx":
            from kcn_tracker.report_xlsx import write_xlsx as writer
        elif fmt == "html":
            from kcn_tracker.report_markdown import write_html as writer
        else:
            raise ValueError(f"unknown report format {fmt!r}")
        path = stem.with_suffix(f".{fmt}")
        with atomic_output(path) as temp:
            writer(content, temp)
        written.append(path)
    return written
