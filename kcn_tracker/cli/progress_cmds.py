"""``kcn progress`` and ``kcn energy summary``: render ``progress`` results, nothing more.

Kept lean on purpose (start-up budget): no ORM, no pandas; rich only for tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from typing import Any

import click

from kcn_tracker.cli.context import AS_OF_HELP, FORMAT_OPTION, AppContext, date_option
from kcn_tracker.cli.render import Column, compact_table, console, emit_json, emit_rows
from kcn_tracker.terminal import printable
from kcn_tracker.fields import OBSTACLE_CATEGORIES
from kcn_tracker.energy_summary import SUMMARY_BY, energy_summary
from kcn_tracker.progress import EnergyTarget, ProgressReport, compute_progress
from kcn_tracker.progress_records import VERDICTS, ProgressRecords
from kcn_tracker.stages import label
from kcn_tracker.text import format_date, format_number, format_percent
from kcn_tracker import clock, quantities

pass_app = click.make_pass_decorator(AppContext)
NO_DATA = "chưa có số liệu"
#: Rows of the overdue and stuck lists without --details (most days first): a province has a few, a national
#: register thousands, and the page is a summary.
LIST_LIMIT = 20


def _records(app: AppContext, day: dt.date) -> ProgressRecords:
    from kcn_tracker.progress_data import load_records

    with app.connection() as connection:
        return load_records(connection, as_of=day)


def _n(value: float | None) -> str:
    return format_number(value, missing=NO_DATA)


@click.command("progress")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--format", "fmt", **FORMAT_OPTION)
@click.option("--details", is_flag=True, help="In thêm các danh sách chi tiết / also print the detailed lists.")
@pass_app
def progress_cmd(app: AppContext, as_of: str | None, fmt: str, details: bool) -> None:
    """Tiến độ so với mục tiêu 2030: MW, ha, dự kiến theo năm, vướng mắc / progress against the 2030 targets.

    \b
    Ví dụ / examples:
      kcn progress
      kcn progress --as-of 30/06/2026 --details
      kcn progress --format json > tien-do.json
    """
    day = date_option(as_of) or clock.today()
    report = compute_progress(_records(app, day), day)
    if fmt != "table":  # the published keys (json/csv) only: the table reads the report itself
        from kcn_tracker.interface.queries import progress_data
    if fmt == "json":
        emit_json(progress_data(report), as_of=day)
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["section", "item", "field", "value"])
        from kcn_tracker.inert import csv_cell

        published = {"as_of": day.isoformat(), **progress_data(report)}  # the keys of `--format json`, with units
        writer.writerows([csv_cell(v) for v in row] for row in _flat_rows(published))
    else:
        _print_report(report, details)


def _flat_rows(data: dict[str, Any]) -> Iterator[tuple[str, str, str, Any]]:
    """Long CSV rows (section, item, field, value): lists of records become one item per record."""
    def walk(section: str, item: str, path: str, value: Any) -> Iterator[tuple[str, str, str, Any]]:
        if isinstance(value, dict):
            for key, sub in value.items():
                yield from walk(section, item, f"{path}.{key}" if path else key, sub)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, row in enumerate(value):
                name = str(row.get("target_id") or row.get("code") or index)
                yield from walk(f"{section}.{path}" if path else section, name, "", row)
        else:
            yield section, item, path, "" if value is None else json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value

    for section, value in data.items():
        yield from walk(section, "", "", value)


def _console() -> Any:
    """The literal console (no markup, emoji or highlighting: see ``render.console``)."""
    return console()


def _print_report(report: ProgressReport, details: bool) -> None:

    out = _console()
    out.print(f"Tiến độ so với mục tiêu 2030 — tỉnh Khánh Hòa, số liệu đến ngày {format_date(report.as_of)}", style="bold")
    out.print(_energy_table(report))
    for table in _years_tables(report, out.width):
        out.print(table)
    out.print(_land_table(report))
    out.print(_occupancy_table(report))
    _print_overdue(report, out, details)
    _print_stuck(report, out, details)
    late_mw = quantities.total(line.remaining_mw for line in report.late_or_undated)
    out.print(f"Dự án chưa có ngày dự kiến vận hành hoặc sau {report.energy[0].deadline_on.year if report.energy else 2030}: "
              f"{len(report.late_or_undated)} dự án, {_n(late_mw)} MW còn lại" + ("" if details else " (xem --details)."))
    if details:
        _print_details(report, out)
    out.print("Ghi chú", style="bold")
    for note in report.notes:  # wrapped by rich at word boundaries, to the terminal's width
        out.print(printable(f"• {note}"))
    out.print("Quy tắc đánh giá (" + " / ".join(f"{k}: {v}" for k, v in VERDICTS.items()) + ")", style="bold")
    for rule in report.rules.values():
        out.print(printable(f"• {rule}"))


def _energy_table(report: ProgressReport) -> Any:
    verdict = {v.target_id: v.verdict_vi for v in report.verdicts}
    table = compact_table(title="Điện: công suất đưa vào vận hành 2025–2030 (MW)", header_style="bold", caption=(
        "Đã tính: MW bắt đầu vận hành từ 01/01/2025 đến ngày xem. Chưa rõ ngày: đang vận hành, không rõ ngày bắt đầu "
        "(không tính). Dự kiến: MW còn lại có ngày dự kiến vận hành trước hạn, theo giai đoạn dự án; MW quá hạn chỉ tính "
        "“có rủi ro” (quy tắc quá hạn)."))
    rows = [[f"{e.target_id} {_short(e, report)}", _n(e.target_mw), _n(e.counted_mw), _n(e.unknown_date_mw), _n(e.firm_mw),
             _n(e.possible_mw), _n(e.gap_by_year.get(e.deadline_on.year)), verdict.get(e.target_id, "")] for e in report.energy]
    if report.t3_target_mw is not None:
        rows.append(["T3 tổng đang vận hành", _n(report.t3_target_mw), f"{_n(report.t3_known_operating_mw)} trong sổ", "",
                     _n(report.t3_expected_by_deadline_mw), "", "thiếu nền 2024", verdict.get("T3", "")])
    heads = ("Mục tiêu", "Chỉ tiêu", "Đã tính", "Chưa rõ ngày", "Dự kiến: thi công+", "Dự kiến: g.đ. sớm/quá hạn", "Còn thiếu 2030",
             "Đánh giá")
    for index, head in enumerate(heads):
        text = head in ("Mục tiêu", "Đánh giá")
        # Number columns as wide as their longest word (header included): a number is never folded or cut.
        width = None if text else max(len(w) for cell in [head, *(r[index] for r in rows)] for w in cell.split() or [""])
        table.add_column(head, justify="left" if text else "right", width=width)
    for row in rows:
        table.add_row(*row)
    return table


def _short(e: EnergyTarget, report: ProgressReport) -> str:
    """The technologies behind a sub-target ("điện gió trên bờ"), "tổng" for a target made of sub-targets."""
    if any(other.target_id != e.target_id and other.target_id.startswith(e.target_id) for other in report.energy):
        return "tổng"
    names = [report.technology_labels.get(key, key) for key in e.technologies]
    return names[0] + (" và loại khác" if len(names) > 1 else "") if names else ""


def _years_tables(report: ProgressReport, width: int) -> list[Any]:
    """Cumulative MW and gap per year: one table, or several of consecutive years where six columns of
    a national register's figures (“904.323,5”) would not fit the console: a figure is never cut."""
    from kcn_tracker.cli.table import Text

    years = sorted(report.energy[0].cumulative_by_year) if report.energy else []
    cells = {y: [f"{_n(e.cumulative_by_year[y])}\n({_n(e.gap_by_year[y])})" for e in report.energy] for y in years}
    first = max([len("Mục tiêu"), *(len(e.target_id) for e in report.energy)])
    need = {y: max(len(line) for cell in [str(y), *cells[y]] for line in cell.split("\n")) + 1 for y in years}  # + a space
    count = 1
    while True:  # the fewest tables of (nearly) as many years each that fit the width
        size = -(-len(years) // count) if years else 1
        tables = [years[i:i + size] for i in range(0, len(years), size)] or [[]]
        if count >= len(years) or all(first + sum(need[y] for y in group) <= width for group in tables):
            break
        count += 1
    out = []
    for index, group in enumerate(tables):
        title = "Lũy kế đã vận hành + dự kiến theo năm (MW); trong ngoặc: còn thiếu so với chỉ tiêu" if index == 0 else None
        table = compact_table(title=title, header_style="bold")
        table.add_column("Mục tiêu")
        for year in group:
            table.add_column(str(year), justify="right", no_wrap=True)
        for row, e in enumerate(report.energy):  # the gap on its own line, so six years fit 80 columns
            table.add_row(e.target_id, *[Text(cells[y][row]) for y in group])
        out.append(table)
    return out


def _land_table(report: ProgressReport) -> Any:
    land = report.land
    verdicts = {v.target_id: v for v in report.verdicts}
    table = compact_table(title="Đất công nghiệp (T1, T4, T5, T6)", header_style="bold")
    for head in ("Mục tiêu", "Hiện trạng", "Đánh giá"):
        table.add_column(head, overflow="fold")
    pipeline = "; ".join(f"{label('zone', s)} {_n(ha)} ha" + (f" (+{land.pipeline_without_area_by_stage[s]} khu chưa có diện tích)"
                                                              if land.pipeline_without_area_by_stage.get(s) else "")
                         for s, ha in land.pipeline_ha_by_stage.items())
    rows = [
        ("T1", f"Đất CN mới vận hành từ 01/01/2026: {_n(land.new_land_ha)} ha / 3.000 ha ({len(land.new_zones)} khu"
               + (f", {land.new_zones_without_area} khu chưa có diện tích" if land.new_zones_without_area else "") + ")"),
        ("", f"Đang chuẩn bị (KCN/CCN): {pipeline or '—'}"),
        ("T4", f"Lấp đầy chung các KCN đang hoạt động: {format_percent(land.t4_occupancy)} (mục tiêu > 70 %)"),
        ("T5", "; ".join(f"{z.name}: {format_percent(z.occupancy)}" for z in land.fill_2026) or "—"),
        ("T6", f"KCN mới hoàn thành hạ tầng: {land.new_kcn_operating}/5; định hướng công nghệ cao: {land.new_kcn_high_tech}"
               + (f" (danh sách {land.new_kcn_inferred} KCN mới: suy luận từ chú thích của 003)" if land.new_kcn_inferred else "")),
        ("T6-fund", f"Quỹ đất KCN: {_n(land.land_fund_ha)} ha / > 3.500 ha ({land.land_fund_without_area} KCN chưa có diện tích)"),
    ]
    for target_id, text in rows:
        v = verdicts.get(target_id)
        table.add_row("T6" if target_id == "T6-fund" else target_id, text, v.verdict_vi if v else "")
    for zone in land.new_zones_uncertain:
        table.add_row("", f"Không tính: {zone.name} vận hành, chưa rõ ngày (có thể trước 01/01/2026)", "")
    return table


def _occupancy_table(report: ProgressReport) -> Any:
    table = compact_table(title="Tỷ lệ lấp đầy KCN/CCN đang hoạt động và KCN lấp đầy 100 % năm 2026 (T5)", header_style="bold")
    for head in ("Khu", "Giai đoạn", "Đã cho thuê (ha)", "Căn cứ", "Đất CN cho thuê (ha)", "Tỷ lệ lấp đầy", "≥ 70 %", "T5"):
        table.add_column(head, justify="right" if "ha" in head or "Tỷ" in head else "left")
    zones = {z.code: z for z in [*report.land.occupancy, *report.land.fill_2026]}
    for z in zones.values():
        name = f"{z.kind} {z.name}" + (f" ({z.phase})" if z.phase else "")
        meets = NO_DATA if z.meets_70 is None else "đạt" if z.meets_70 else "chưa đạt"
        basis = {"tenants": "dự án thứ cấp", "reported": "báo cáo"}.get(z.leased_basis or "", "")
        table.add_row(name, label("zone", z.stage), _n(z.leased_ha), basis, _n(z.leasable_ha), format_percent(z.occupancy),
                      meets, "có" if z.fill_2026_t5 else "")
    return table


def _print_stuck(report: ProgressReport, out: Any, details: bool) -> None:
    table = compact_table(title=f"Vướng mắc đang mở ({len(report.stuck)})", header_style="bold")
    for head in ("Dự án / khu", "Loại", "Mở từ", "Số ngày", "MW còn lại / ha", "Vướng mắc"):
        table.add_column(head, justify="right" if head in ("Số ngày", "MW còn lại / ha") else "left", overflow="fold")
    for item in report.stuck if details else report.stuck[:LIST_LIMIT]:
        table.add_row(item.name, OBSTACLE_CATEGORIES.get(item.category, (item.category,))[0], format_date(item.opened_on),
                      str(item.days_open), format_number(item.size),
                      item.description if details or len(item.description) <= 60 else item.description[:59] + "…")
    out.print(table)
    _print_more(out, len(report.stuck), details, "vướng mắc")


def _print_more(out: Any, count: int, details: bool, noun: str) -> None:
    """Under a list cut to ``LIST_LIMIT`` rows: how many more there are."""
    if not details and count > LIST_LIMIT:
        out.print(f"… và {format_number(count - LIST_LIMIT)} {noun} khác (xem --details)")


def _print_overdue(report: ProgressReport, out: Any, details: bool) -> None:
    """"Dự án chậm so với dự kiến" and the rule that decides how their MW are counted."""
    mw = quantities.total(line.remaining_mw for line in report.overdue)
    if not report.overdue:
        return
    table = compact_table(title=f"Dự án chậm so với dự kiến ({len(report.overdue)} dự án, {_n(mw)} MW)", header_style="bold")
    for head in ("Dự án", "Giai đoạn", "Dự kiến vận hành", "Quá hạn (ngày)", "MW còn lại"):
        table.add_column(head, justify="right" if head in ("Quá hạn (ngày)", "MW còn lại") else "left", overflow="fold")
    for line in report.overdue if details else report.overdue[:LIST_LIMIT]:
        stage = label("project", line.stage) + (" — đã thi công xong, chưa phát điện" if line.construction_completed else "")
        table.add_row(printable(line.name), stage, format_date(line.expected_cod), str(line.days_overdue), _n(line.remaining_mw))
    out.print(table)
    _print_more(out, len(report.overdue), details, "dự án")
    out.print(printable(f"• {report.rules.get('overdue', '')}"))


def _print_details(report: ProgressReport, out: Any) -> None:
    from kcn_tracker.labels import value_label

    # One line per stage and technology (long format): nine technology columns would not fit 80 columns.
    table = compact_table(title="MW theo giai đoạn và công nghệ (công suất thiết kế)", header_style="bold")
    table.add_column("Giai đoạn")
    table.add_column("Công nghệ")
    table.add_column("MW", justify="right", no_wrap=True)
    for stage, row in report.mw_by_stage_technology.items():
        for index, (tech, mw_value) in enumerate(sorted(row.items(), key=lambda kv: -(kv[1] or 0))):
            stage_text = (label("project", stage) if stage != "unknown" else "—") if index == 0 else ""
            table.add_row(stage_text, report.technology_labels.get(tech, tech), format_number(mw_value, missing=""))
    out.print(table)
    late = compact_table(title="Dự án chưa có ngày dự kiến hoặc dự kiến sau 2030", header_style="bold")
    for head in ("Dự án", "Công nghệ", "Giai đoạn", "MW còn lại", "Dự kiến COD"):
        late.add_column(head, justify="right" if head == "MW còn lại" else "left", overflow="fold")
    for line in report.late_or_undated:
        late.add_row(line.name, report.technology_labels.get(line.technology, line.technology), label("project", line.stage), format_number(line.remaining_mw),
                     format_date(line.expected_cod, missing="chưa có"))
    out.print(late)
    parts = compact_table(title="Các phần công suất đã vận hành", header_style="bold")
    for head in ("Dự án", "Mục tiêu", "MW", "Từ ngày", "Căn cứ ngày", "Tính 2025–2030?"):
        parts.add_column(head, overflow="fold")
    status = {"counted": "có", "before_period": "không: trước kỳ", "after_deadline": "không: sau hạn",
              "unknown_date": "không: chưa rõ ngày (có thể trước 2025)"}
    for part in report.parts:
        parts.add_row(part.name, part.target_id or "—", format_number(part.mw), format_date(part.started_on),
                      value_label("date_basis", part.date_basis),
                      status.get(part.status, part.status))
    out.print(parts)
    for zone in report.land.new_zones:
        out.print(printable(f"• Đất CN mới: {zone.name}{f' ({zone.phase})' if zone.phase else ''} vận hành {format_date(zone.entered_operation_on)}: "
                  f"{_n(zone.area_ha)} ha ({'đất CN cho thuê' if zone.area_basis == 'leasable' else 'tổng diện tích' if zone.area_basis else 'chưa có diện tích'})"))


SUMMARY_TABLE = [  # terminal: short headers, the unit in the title
    Column("label", "Nhóm"), Column("projects", "Số dự án", justify="right"),
    Column("capacity_mw", "Công suất", justify="right"),
    Column("operating_mw", "Đang vận hành", justify="right"), Column("online_in_period_mw", "Vào vận hành 2025–2030", justify="right"),
    Column("not_counted_mw", "Chưa rõ ngày (không tính)", justify="right"), Column("remaining_mw", "Còn lại", justify="right"),
    Column("expected_by_deadline_mw", "Dự kiến trước hạn", justify="right"),
]
SUMMARY_COLUMNS = [
    Column("key", "Mã"), Column("label", "Nhóm"), Column("projects", "Số dự án", justify="right"),
    Column("capacity_mw", "Công suất (MW)", justify="right"), Column("operating_mw", "Đang vận hành (MW)", justify="right"),
    Column("online_in_period_mw", "Vào vận hành 2025–2030 (MW)", justify="right"),
    Column("not_counted_mw", "Chưa tính: chưa rõ ngày (MW)", justify="right"),
    Column("remaining_mw", "Còn lại (MW)", justify="right"),
    Column("expected_by_deadline_mw", "Dự kiến trước hạn 2030 (MW)", justify="right"),
]
YEAR_COLUMNS = [
    Column("key", "Năm", str), Column("label", "Công nghệ"), Column("technology", "Mã công nghệ", in_table=False),
    Column("online_mw", "Đã vào vận hành (MW)", justify="right"), Column("expected_mw", "Dự kiến vào vận hành (MW)", justify="right"),
]


@click.command("summary")
@click.option("--by", "by", type=click.Choice(SUMMARY_BY), default="technology", show_default=True,
              help="Nhóm theo / group by: công nghệ, giai đoạn, năm, KCN/CCN, nhà đầu tư.")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def energy_summary_cmd(app: AppContext, by: str, as_of: str | None, fmt: str) -> None:
    """MW đưa vào vận hành theo năm / công nghệ / giai đoạn... (cho Sở Công Thương) / MW summary.

    \b
    Ví dụ / examples:
      kcn energy summary --by year
      kcn energy summary --by technology --as-of 31/12/2025 --format csv
    """
    from kcn_tracker.interface.queries import energy_summary_output

    day = date_option(as_of) or clock.today()
    summary = energy_summary(_records(app, day), day, by=by)
    caption = "; ".join(f"không tính {p.name} {format_number(p.mw)} MW: chưa rõ ngày bắt đầu vận hành (có thể trước 2025)"
                        for p in summary.not_counted) or None
    if by == "year":
        caption = ("Năm đã qua: MW thực tế theo ngày bắt đầu; dự kiến quá hạn tính vào năm của ngày xem. " + (caption or "")).strip()
    columns = YEAR_COLUMNS if by == "year" else SUMMARY_TABLE if fmt == "table" else SUMMARY_COLUMNS
    noun = dict(zip(SUMMARY_BY, ("công nghệ", "giai đoạn", "năm", "KCN/CCN", "nhà đầu tư")))[by]
    emit_rows(summary.rows, columns, fmt, title=f"Tổng hợp công suất (MW) theo {noun} — đến ngày {format_date(day)}", caption=caption,
              schema=energy_summary_output(by), as_of=day)
