"""The report's early-warning sections (issue 14): projects late against their expected dates, and
obstacles with the agency that must act, what is asked of it, by when and how late.

Built from the same library as ``kcn alerts`` and ``kcn obstacle list`` (``overdue``,
``obstacles.service``), so the report and the terminal say the same thing.
"""

from __future__ import annotations

from typing import Any

from kcn_tracker import overdue
from kcn_tracker.reports.blocks import Column, Heading, Paragraph, Table
from kcn_tracker.stages import label
from kcn_tracker.text import format_date


def overdue_blocks(ctx: Any) -> list[Any]:
    """"Dự án chậm so với dự kiến": every expectation passed by the period's end without its event."""
    end = ctx.period.end
    rows = overdue.overdue_rows("project", ctx.projects, end) + overdue.overdue_rows("zone", ctx.zones, end)
    rows.sort(key=lambda r: (-r["days_overdue"], r.get("name") or ""))
    table = Table("cham-so-voi-du-kien", f"Bảng 4. Dự án chậm so với dự kiến (đến ngày {format_date(end)})", [
        Column("Dự án / khu", width=34), Column("Việc dự kiến", width=22), Column("Ngày dự kiến", "date", 12),
        Column("Quá hạn (ngày)", "int", 9), Column("MW chưa vận hành", "number", 10), Column("Giai đoạn", width=24)],
        [[r["name"], r["expectation_vi"], r["expected_on"], r["days_overdue"], r["remaining_mw"],
          label(r["record_type"], r["stage"]) + (" — đã thi công xong, chưa phát điện" if r["construction_completed"] else "")]
         for r in rows], empty_text="Không có dự án, khu nào quá ngày dự kiến.")
    rule = ctx.progress.get("rules", {}).get("overdue")
    notes = [Paragraph(overdue.RULE_VI, "note")] + ([Paragraph(rule, "note")] if rule else [])
    return [Heading("1. Dự án chậm so với dự kiến", 2), table, *notes]


def obstacles_blocks(rows: list[dict[str, Any]], ctx: Any) -> list[Any]:
    """"Vướng mắc, kiến nghị và cơ quan chịu trách nhiệm": open obstacles, most overdue first."""
    from kcn_tracker.obstacles.work import sort_for_action

    open_rows = [r for r in sort_for_action(rows) if r["open"]]
    table = Table("vuong-mac-co-quan", f"Bảng 5. Vướng mắc, kiến nghị và cơ quan chịu trách nhiệm (đến ngày {format_date(ctx.period.end)})", [
        Column("Dự án / khu", width=16), Column("Vướng mắc", width=24), Column("Cơ quan chịu trách nhiệm", width=14),
        Column("Việc đề nghị", width=24), Column("Hạn xử lý", "date", 11), Column("Quá hạn (ngày)", "int", 8),
        Column("Tồn tại (ngày)", "int", 8), Column("Trạng thái", width=9)],
        [[r["name"], r["description"], r["agency"] or "chưa rõ (văn bản không nêu)", r["action_requested"], r["deadline"],
          r["overdue_days"], r["age_days"], r["status_label"]] for r in open_rows],
        empty_text="Không có vướng mắc đang mở.")
    late = [r for r in open_rows if r["overdue_days"] is not None]
    lines = [f"{r['name']}: {r['description'].rstrip('.')} — đề nghị {r['agency'] or 'cơ quan chưa rõ'}"
             f"{': ' + r['action_requested'].rstrip('.') if r['action_requested'] else ''}; hạn {format_date(r['deadline'])}, "
             f"quá hạn {r['overdue_days']} ngày." for r in late]
    return [Heading("2. Vướng mắc, kiến nghị và cơ quan chịu trách nhiệm", 2), table, *[Paragraph(t, "bullet") for t in lines]]
