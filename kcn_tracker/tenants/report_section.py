"""The tenant part of ``kcn report``: Phụ lục IV, the tenant tables of ``report_tables`` as report blocks."""

from __future__ import annotations

from typing import Any

from kcn_tracker.periods import Period
from kcn_tracker.tenants.report_tables import SimpleTable, plain_cell, report_tables

#: Columns with machine keys stay out of the report (the body and appendix show names, not codes).
_HIDDEN = ("key", "group")
_WIDTHS = {"text": 14, "int": 9, "number": 12, "percent": 9}
_WIDE = ("name", "label")


def to_report_table(table: SimpleTable, number: int) -> Any:
    """A ``reports.blocks.Table`` "Bảng PL4.n." (numbered rows, Vietnamese headers) from a tenant table."""
    from kcn_tracker.reports.blocks import Column, Table

    columns = [c for c in table.columns if c.key not in _HIDDEN]
    return Table(f"dtc-{table.key}", f"Bảng PL4.{number}. {table.title}",
                 [Column(c.header, c.kind, 30 if c.key in _WIDE else _WIDTHS[c.kind]) for c in columns],
                 [[plain_cell(row.get(c.key)) for c in columns] for row in table.rows],
                 # an empty cell is "not applicable" (USD and VND are not added), except unknown land figures
                 missing_text="chưa có số liệu" if table.key == "ha-tang-lap-day" else "—")


def add_tenant_section(content: Any, session: Any, period: Period) -> None:
    """Append Phụ lục IV: tenant indicators and the form-shaped tables, or one line saying none are entered."""
    from kcn_tracker.reports.blocks import Heading, Paragraph
    from kcn_tracker.tenants.indicators import compute_indicators
    from kcn_tracker.tenants.records import load_tenant_data

    content.blocks.append(Heading("PHỤ LỤC IV. DỰ ÁN THỨ CẤP TRONG CÁC KCN, CCN"))
    data = load_tenant_data(session)
    if not data.tenants:
        content.blocks.append(Paragraph("Chưa nhập dự án thứ cấp vào sổ (`kcn tenants add` hoặc `kcn tenants import`): "
                                        "số dự án, vốn và diện tích đã cho thuê của các khu lấy theo báo cáo.", "note"))
        return
    for number, table in enumerate(report_tables(compute_indicators(data, period)), start=1):
        content.blocks.append(to_report_table(table, number))
        content.blocks += [Paragraph(note, "note") for note in table.notes]
