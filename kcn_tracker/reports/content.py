"""The periodic report's content: an administrative report (NĐ 30/2020) written from the numbers.

Numbers come only from the progress library (``compute_progress(...).as_dict()``,
the same data as ``kcn progress --format json``), the period's changes from
``workflow.changes_between`` (as ``kcn changes``) and the register from
``registry.views``. The body is narrative in Vietnamese (results against each
target, what changed, obstacles and who is asked to help, tasks and
recommendations) with a few summary tables and no machine codes; the detailed
tables with record codes go to the appendix (``appendix``). Renderers
(docx_writer, xlsx_writer, markdown_writer) only format.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from kcn_tracker.fields import OBSTACLE_CATEGORIES, field_spec
from kcn_tracker.periods import Period
from kcn_tracker.reports.blocks import (NO_DATA, Closing, Column, Figure, Heading, PageBreak, Paragraph, ReportContent,
                                        Table, show)
from kcn_tracker.reports.settings import ReportSettings
from kcn_tracker.stages import label as stage_label
from kcn_tracker.text import format_date, format_number

RECORD_VI = {"project": "Dự án điện", "zone": "Khu/cụm CN"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ENGLISH_TAIL = re.compile(r"\s/\s[\x00-\x7f]+$")
_TARGET_PREFIX = re.compile(r"^T\d+[a-z-]*\w*:\s*")
#: The order targets are reported in (the progress ids are not shown in the body).
TARGET_ORDER = ("T1", "T2", "T2a", "T2b", "T2c", "T2d", "T3", "T4", "T5", "T6", "T6-fund")

__all__ = ["RECORD_VI", "ReportContent", "Table", "build_content", "write_report", "report_stem", "show"]


def vietnamese(text: str | None) -> str:
    """A bilingual "Vietnamese / English" sentence of the progress library without its English tail."""
    return _ENGLISH_TAIL.sub("", text or "").strip()


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


def period_phrase(period: Period) -> str:
    """ "quý II năm 2026", "6 tháng đầu năm 2026", "năm 2026", "từ ngày 01/04/2026 đến ngày 15/05/2026"."""
    if period.kind == "quarter":
        return f"quý {ROMAN[(period.end.month - 1) // 3 + 1]} năm {period.end.year}"
    if period.kind in ("half", "year"):
        return period.label_vi[0].lower() + period.label_vi[1:]
    return f"từ ngày {format_date(period.first_day)} đến ngày {format_date(period.end)}"


def mw(value: float | None) -> str:
    return f"{format_number(value or 0.0)} MW"


def ha(value: float | None) -> str:
    return f"{format_number(value or 0.0)} ha"


def percent(part: float | None, whole: float | None) -> str:
    return f"{format_number(100 * (part or 0.0) / whole, decimals=1)} %" if whole else NO_DATA


@dataclass
class Inputs:
    """What the sections are built from, all read once."""

    period: Period
    progress: dict[str, Any]
    changes: list[Any]
    zone_lines: dict[str, Any]
    tech_labels: dict[str, str]
    targets: dict[str, float | None]
    projects: list[dict[str, Any]]
    zones: list[dict[str, Any]]
    settings: ReportSettings

    def verdict(self, target_id: str) -> dict[str, Any] | None:
        return next((v for v in self.progress["verdicts"] if v["target_id"] == target_id), None)

    def verdict_vi(self, target_id: str) -> str | None:
        found = self.verdict(target_id)
        return found["verdict_vi"] if found else None


def build_content(session: Any, period: Period, *, generated_at: dt.datetime, with_charts: bool = True,
                  static_map: bool = True, settings: ReportSettings | None = None) -> ReportContent:
    """Read the register for ``period`` and assemble the report (the caller owns the session)."""
    from kcn_tracker.progress import compute_progress
    from kcn_tracker.progress_data import load_records
    from kcn_tracker.progress_land import compute_land
    from kcn_tracker.registry import views
    from kcn_tracker.reports import appendix, narrative
    from kcn_tracker.workflow import changes_between

    settings = settings or ReportSettings()
    records = load_records(session)
    progress = compute_progress(records, period.end).as_dict()
    ctx = Inputs(period=period, progress=progress, changes=changes_between(session, period.after, period.end),
                 zone_lines=dict(compute_land(records, period.end)[1]),
                 tech_labels={t.key: t.label_vi for t in records.technologies},
                 targets={t.target_id: t.value for t in records.targets},
                 projects=views(session, "project", as_of=period.end), zones=views(session, "zone", as_of=period.end),
                 settings=settings)
    subject = f"Tình hình thực hiện các mục tiêu phát triển đất công nghiệp và nguồn điện {period_phrase(period)}"
    content = ReportContent(period, f"Báo cáo {subject[0].lower()}{subject[1:]}", generated_at, settings, subject)
    content.blocks.append(Paragraph(
        f"Thực hiện chế độ báo cáo định kỳ, {settings.agency_name} báo cáo tình hình thực hiện các mục tiêu phát triển "
        f"đất công nghiệp và nguồn điện của tỉnh {period_phrase(period)} (từ ngày {format_date(period.first_day)} đến "
        f"ngày {format_date(period.end)}; số liệu tính đến hết ngày {format_date(period.end)}) như sau:"))
    results_section(content, ctx, with_charts, session if static_map else None)
    narrative.changes_section(content, ctx)
    narrative.obstacles_section(content, ctx)
    early_warning_sections(content, ctx, session)
    narrative.tasks_section(content, ctx)
    content.blocks += [Paragraph(f"Trên đây là báo cáo {period_phrase(period)} của {settings.agency_name}, "
                                 f"kính báo cáo {', '.join(settings.recipients)} xem xét, chỉ đạo./."), Closing(), PageBreak()]
    appendix.add_appendix(content, ctx, with_charts)
    from kcn_tracker.tenants.report_section import add_tenant_section

    add_tenant_section(content, session, period)  # Phụ lục IV: tenant projects (issue 16)
    return content


def early_warning_sections(content: ReportContent, ctx: Inputs, session: Any) -> None:
    """Under III: "Dự án chậm so với dự kiến" and "Vướng mắc, kiến nghị và cơ quan chịu trách nhiệm" (issue 14)."""
    from kcn_tracker.obstacles.service import obstacle_rows
    from kcn_tracker.reports import early_warning

    content.blocks += early_warning.overdue_blocks(ctx)
    content.blocks += early_warning.obstacles_blocks(obstacle_rows(session, ctx.period.end), ctx)


def results_section(content: ReportContent, ctx: Inputs, with_charts: bool, map_session: Any) -> None:
    """I. Results against each target: sentences first, then the summary tables, charts and the map."""
    from kcn_tracker.reports import narrative

    end = format_date(ctx.period.end)
    content.blocks.append(Heading(f"I. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU ĐẾN NGÀY {end}"))
    content.blocks.append(Heading("1. Phát triển nguồn điện giai đoạn 2025 - 2030", 2))
    content.blocks += narrative.energy_paragraphs(ctx)
    content.blocks.append(energy_table(ctx))
    content.blocks.append(Heading("2. Phát triển đất công nghiệp", 2))
    content.blocks += narrative.land_paragraphs(ctx)
    content.blocks.append(occupancy_table(ctx))
    content.blocks.append(Heading("3. Tổng hợp đánh giá", 2))
    content.blocks.append(verdict_table(ctx))
    if with_charts:
        from kcn_tracker.reports import charts

        content.blocks.append(Figure("bieu-do-lo-trinh", "Hình 1. Công suất vận hành lũy kế (đã và dự kiến) so với chỉ tiêu",
                                     charts.energy_path_chart(ctx.progress["energy"]), min_scale=CHART_MIN_SCALE))
    content.blocks.append(map_figure(map_session, ctx.period.end))


def verdict_table(ctx: Inputs) -> Table:
    rows = []
    for v in sorted(ctx.progress["verdicts"], key=lambda v: TARGET_ORDER.index(v["target_id"])
                    if v["target_id"] in TARGET_ORDER else 99):
        label = _TARGET_PREFIX.sub("", v["label_vi"])
        rows.append([label[:1].upper() + label[1:], v["verdict_vi"], v.get("detail") or None])
    return Table("muc-tieu", "Bảng 3. Đánh giá khả năng hoàn thành các mục tiêu", [
        Column("Mục tiêu", width=50), Column("Đánh giá", width=16), Column("Số liệu", width=50)], rows)


def energy_table(ctx: Inputs) -> Table:
    rows = [[_target_name(e["label_vi"]), e["target_mw"], e["counted_mw"], e["firm_mw"], e["possible_mw"],
             e["gap_by_year"].get(str(dt.date.fromisoformat(e["deadline_on"]).year)), ctx.verdict_vi(e["target_id"])]
            for e in ctx.progress["energy"]]
    return Table("dien", "Bảng 1. Công suất điện đưa vào vận hành giai đoạn 2025 - 2030 (MW)", [
        Column("Nhóm nguồn điện", width=30), Column("Chỉ tiêu", "number", 10), Column("Đã vận hành", "number", 10),
        Column("Dự kiến (từ thi công)", "number", 10), Column("Dự kiến (giai đoạn sớm)", "number", 10),
        Column("Còn thiếu đến hạn", "number", 10), Column("Đánh giá", width=14)], rows)


def _target_name(label: str) -> str:
    """ "Trong đó: điện khí LNG" -> "Điện khí LNG"; the T2 label reads "Tổng công suất"."""
    text = _TARGET_PREFIX.sub("", label).removeprefix("Trong đó: ")
    return text[0].upper() + text[1:] if text else text


def occupancy_zones(ctx: Inputs) -> list[dict[str, Any]]:
    land = ctx.progress["land"]
    seen: dict[str, dict[str, Any]] = {}
    for zone in [*land["occupancy"], *land["fill_2026"]]:
        seen.setdefault(zone["code"], zone)
    return sorted(seen.values(), key=lambda z: (z["kind"], z["name"]))


def occupancy_table(ctx: Inputs) -> Table:
    rows = []
    for z in occupancy_zones(ctx):
        meets = NO_DATA if z["meets_70"] is None else "đạt" if z["meets_70"] else "chưa đạt"
        rows.append([f"{z['kind']} {z['name']}", z["leasable_ha"], z["leased_ha"], z["occupancy"], meets,
                     "có" if z["fill_2026_t5"] else None])
    return Table("lap-day", "Bảng 2. Tỷ lệ lấp đầy các khu, cụm công nghiệp đang hoạt động", [
        Column("Khu, cụm công nghiệp", width=26), Column("Đất CN cho thuê (ha)", "number"), Column("Đã cho thuê (ha)", "number"),
        Column("Tỷ lệ lấp đầy", "percent"), Column("So với 70 %", width=12), Column("Phải lấp đầy 100 % năm 2026", width=12)],
        rows, missing_text=NO_DATA)


#: How far the Word report may shrink a chart, or the map (its names must stay legible), to fit a page's rest.
CHART_MIN_SCALE, MAP_MIN_SCALE = 0.6, 0.8


def map_figure(session: Any, day: dt.date) -> Figure:
    png, why = _static_map_png(session, day) if session is not None else (None, "không yêu cầu bản đồ.")
    return Figure("ban-do", f"Hình 2. Vị trí các khu, cụm công nghiệp và dự án điện đến ngày {format_date(day)}", png,
                  f"Không có bản đồ trong báo cáo này: {why}", min_scale=MAP_MIN_SCALE)


#: Where the static picture lives: the maps package (sized renderer), or the older single module.
PICTURE_MODULES = ("kcn_tracker.maps.picture", "kcn_tracker.static_map")
def has_module(name: str) -> bool:
    """True when ``name`` can be imported (False also when its parent is a module, not a package)."""
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


#: The picture's size in the Word report when the renderer declares none: the portrait text block
#: (21 - 3 - 1.5 cm wide), less room for the caption.
PICTURE_CM = (16.5, 22.0)


def _static_map_png(session: Any, day: dt.date) -> tuple[bytes | None, str]:
    """The static map (as ``kcn map --png``), drawn at the size of the report's page when the renderer
    takes a size (``render_png``), else at its own size (the docx writer scales it to fit); or why not.

    Checked at run time: the report works without the map module. A failure while
    drawing omits the map with the reason (the CLI prints it) rather than losing
    the whole report.
    """
    import importlib
    import importlib.util
    import tempfile
    from pathlib import Path

    name = next((m for m in PICTURE_MODULES if has_module(m)), None)
    if name is None:
        return None, "bản cài đặt này chưa có chức năng vẽ bản đồ tĩnh."
    picture, maps = importlib.import_module(name), importlib.import_module("kcn_tracker.maps")
    if not (hasattr(picture, "render_png") or hasattr(picture, "write_static_map")) or not all(
            hasattr(maps, n) for n in ("collect_briefing", "MapOptions")):
        return None, "chức năng vẽ bản đồ tĩnh không xuất được ảnh cho báo cáo."
    try:
        briefing = maps.collect_briefing(session, maps.MapOptions(as_of=day))
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "ban-do.png"
            if hasattr(picture, "render_png"):
                # The renderer's own portrait size when it declares one (NĐ 30 text block), else ours.
                width, height = picture.picture_size_for("portrait") if hasattr(picture, "picture_size_for") else PICTURE_CM
                path = picture.render_png(briefing, target, width_cm=min(width, PICTURE_CM[0]), height_cm=height)
            else:
                path = picture.write_static_map(briefing, target)
            return Path(path or target).read_bytes(), ""
    except Exception as exc:  # noqa: BLE001 - the report stands without the map; the reason is printed
        return None, f"không vẽ được bản đồ ({type(exc).__name__}: {exc})."


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
            from kcn_tracker.reports.markdown_writer import write_markdown

            written += write_markdown(content, stem.with_suffix(".md"))  # its pictures sit beside it, named after it
            continue
        if fmt == "docx":
            from kcn_tracker.reports.docx_writer import write_docx as writer
        elif fmt == "xlsx":
            from kcn_tracker.reports.xlsx_writer import write_xlsx as writer
        elif fmt == "html":
            from kcn_tracker.reports.markdown_writer import write_html as writer
        else:
            raise ValueError(f"unknown report format {fmt!r}")
        path = stem.with_suffix(f".{fmt}")
        with atomic_output(path) as temp:
            writer(content, temp)
        written.append(path)
    return written
