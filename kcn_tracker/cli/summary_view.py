"""Print the register summary (``kcn summary``, and the first part of ``kcn run``)."""

from __future__ import annotations

import datetime as dt
import json

from typing import Any

from kcn_tracker.cli.render import console, emit_mapping, new_table
from kcn_tracker.stages import label, stages_for
from kcn_tracker.interface.queries import register_summary, summary_data
from kcn_tracker.state import technology_labels
from kcn_tracker.text import format_date, format_number


def print_summary(bind: Any, day: dt.date, fmt: str) -> None:
    """Vietnamese tables for people; plain JSON/CSV for tools (``bind``: a Connection or a Session)."""
    s = register_summary(bind, day)
    if fmt != "table":
        emit_mapping(summary_data(s), fmt, title="", labels={}, as_of=day)
        return
    tech_labels = technology_labels(bind)
    out = console()
    out.print(f"Sổ đăng ký KCN/CCN và dự án điện tỉnh Khánh Hòa — số liệu đến ngày {format_date(day)}", style="bold")
    zones = new_table(title="Khu/cụm công nghiệp theo giai đoạn", header_style="bold")
    zones.add_column("Giai đoạn")
    zones.add_column("Số khu/cụm", justify="right")
    for key, count in _in_stage_order("zone", s.zones_by_stage):
        zones.add_row(label("zone", key) if key != "unknown" else "—", str(count))
    zones.caption = (", ".join(f"{k}: {v}" for k, v in sorted(s.zones_by_kind.items()))
                     + f"; diện tích đã biết {format_number(s.zone_area_known_ha)} ha, {s.zones_without_area} khu chưa có số liệu diện tích")
    out.print(zones)
    energy = new_table(title="60 dự án QHĐ VIII 2025–2030 theo công nghệ (MW)", header_style="bold")
    for head in ("Công nghệ", "MW trong sổ", "MW theo QHĐ VIII"):
        energy.add_column(head, justify="left" if head == "Công nghệ" else "right")
    for key, value in s.mw_by_technology.items():
        energy.add_row(tech_labels.get(key, key), format_number(value), format_number(s.plan_mw_by_technology.get(key)))
    energy.add_row("Tổng", format_number(s.plan_total_mw), "", style="bold")
    if s.plan_projects is None:
        energy.caption = ("Chưa có dự án nào của danh sách 60 dự án QHĐ VIII trong sổ vào ngày này (ngày đưa vào danh "
                          "sách là suy luận: văn bản 004 không nêu quyết định hay ngày).")
    else:
        energy.caption = (f"{s.named_projects} dự án có tên + {s.unnamed_projects} chưa nêu tên = {s.plan_projects} dự án; "
                          f"gồm {format_number(s.unallocated_mw)} MW thủy điện nhỏ chưa phân bổ dự án")
    out.print(energy)
    stages = new_table(title="Dự án QHĐ VIII theo giai đoạn (bản ghi)", header_style="bold")
    stages.add_column("Giai đoạn")
    stages.add_column("Số bản ghi", justify="right")
    for key, count in _in_stage_order("project", s.projects_by_stage):
        stages.add_row(label("project", key) if key != "unknown" else "—", str(count))
    out.print(stages)
    out.print(f"Đang vận hành: {format_number(s.operating_mw)} MW; vướng mắc đang mở: {s.open_obstacles}; "
              f"vị trí gần đúng: {s.approximate_locations}; chưa có vị trí: {s.without_location}.")


def summary_json(bind: Any, day: dt.date) -> str:
    """The summary as JSON text (used by tests and other tools)."""
    return json.dumps(register_summary(bind, day).as_dict(), ensure_ascii=False)


def _in_stage_order(record_type: str, counts: dict[str, int]) -> list[tuple[str, int]]:
    order = [s.key for s in stages_for(record_type)]  # type: ignore[arg-type]
    return sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
