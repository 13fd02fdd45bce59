"""Tables of tenant indicators in the shape the board files, and their Excel export.

Each table is plain data (``SimpleTable``): the CLI prints it, ``write_workbook`` writes
it to .xlsx, and the periodic report can include it. Which columns follow which national
form (2101–2116.H.QLKKT) and what is unverified is written in docs/TENANTS.md.
Capital in the form tables is in million USD (FDI) and billion VND (domestic), the
units of the board's reports; ``kcn indicators`` prints exact USD and VND.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kcn_tracker.tenants.indicators import Indicators
from kcn_tracker.text import format_date, format_number, format_percent

MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)


#: English meaning of every column key (the data dictionary and JSON Schemas read it).
COLUMN_EN: dict[str, str] = {
    "group": "Indicator group", "key": "Machine key (indicator, ISO country code or VSIC section)",
    "label": "Indicator, country or industry (Vietnamese)",
    "fdi": "Value for foreign-invested (FDI) projects; capital in USD", "ddi": "Value for domestic projects; capital in VND",
    "total": "Total (null where FDI USD and domestic VND cannot be added)", "unit": "Unit (Vietnamese)",
    "fdi_count": "FDI projects", "fdi_capital_million_usd": "FDI capital, million USD", "ddi_count": "Domestic projects",
    "ddi_capital_billion_vnd": "Domestic capital, billion VND", "name": "Zone name", "kind": "Zone kind: KCN, CCN, KKT",
    "phase": "Phase (phân kỳ) of the zone", "stage": "Zone stage (Vietnamese label)", "total_area_ha": "Total area, hectares",
    "leasable_ha": "Leasable industrial land, hectares", "leased_ha": "Leased land, hectares",
    "occupancy": "Occupancy: leased / leasable (a 0-1 ratio; published as occupancy_pct, percent)", "registered": "Valid tenant projects",
    "operating": "Operating tenant projects", "basis": "Basis of the figures: from tenant projects or as reported",
    "fdi_projects": "Valid FDI projects", "ddi_projects": "Valid domestic projects",
    "capital_million_usd": "FDI capital, million USD", "realised_million_usd": "FDI capital realised, million USD",
    "capital_billion_vnd": "Domestic capital, billion VND", "realised_billion_vnd": "Domestic capital realised, billion VND",
    "workers_vn": "Vietnamese workers", "workers_foreign": "Foreign workers", "new_count": "Projects newly registered in the period",
    "valid_count": "Valid projects at the end of the period",
}


@dataclass(frozen=True)
class Col:
    """A column: machine key, Vietnamese header, kind (text, int, number, percent)."""

    key: str
    header: str
    kind: str = "text"

    @property
    def en(self) -> str:
        return COLUMN_EN[self.key]


@dataclass
class SimpleTable:
    """A titled table of rows (dicts keyed by column key), with notes printed under it."""

    key: str
    title: str
    columns: list[Col]
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _m(value: Decimal, unit: Decimal) -> float:
    return float(value / unit)


def summary_table(ind: Indicators) -> SimpleTable:
    """The indicator list of ``kcn indicators``: FDI / domestic / total, exact USD and VND."""
    t = SimpleTable("chi-so", f"Chỉ số dự án thứ cấp — {ind.period.label_vi} (đến {format_date(ind.end)})",
                    [Col("group", "Nhóm"), Col("key", "Mã"), Col("label", "Chỉ số"), Col("fdi", "FDI", "number"),
                     Col("ddi", "Trong nước", "number"), Col("total", "Tổng", "number"), Col("unit", "Đơn vị")])

    def add(group: str, key: str, label: str, fdi: Any, ddi: Any, total: Any, unit: str) -> None:
        t.rows.append(dict(group=group, key=key, label=label, fdi=fdi, ddi=ddi, total=total, unit=unit))

    period = "Thu hút trong kỳ"
    for name, label in (("new", "Dự án cấp mới"), ("adjusted", "Dự án điều chỉnh vốn"), ("revoked", "Dự án chấm dứt hoạt động")):
        f, d = getattr(ind.fdi, name), getattr(ind.ddi, name)
        add(period, f"{name}_count", f"{label}: số dự án", f.count, d.count, f.count + d.count, "dự án")
        add(period, f"{name}_capital", f"{label}: vốn đăng ký{' tăng/giảm' if name == 'adjusted' else ''}", f.capital, d.capital, None,
            "USD (FDI) / đồng (trong nước)")
    stock = f"Lũy kế đến {format_date(ind.end)}"
    add(stock, "valid_count", "Dự án còn hiệu lực", ind.valid_fdi, ind.valid_ddi, ind.valid_fdi + ind.valid_ddi, "dự án")
    add(stock, "operating_count", "Dự án đang hoạt động", ind.operating_fdi, ind.operating_ddi,
        ind.operating_fdi + ind.operating_ddi, "dự án")
    add(stock, "capital", "Vốn đăng ký còn hiệu lực", ind.capital_usd, ind.capital_vnd, None, "USD (FDI) / đồng (trong nước)")
    add(stock, "realised", "Vốn đã thực hiện", ind.realised_usd, ind.realised_vnd, None, "USD (FDI) / đồng (trong nước)")
    add(stock, "workers", "Lao động (Việt Nam / nước ngoài / tổng)", ind.workers_vn, ind.workers_foreign,
        ind.workers_vn + ind.workers_foreign, "người")
    targets = "Chỉ tiêu"
    add(targets, "kcn_operating", "Dự án đang hoạt động trong KCN (004 §III.1; 000 §II.1)", None, None, ind.kcn_operating, "dự án")
    add(targets, "ccn_operating", "Dự án đang hoạt động trong CCN", None, None, ind.ccn_operating, "dự án")
    add(targets, "T12", "T12: dự án đang hoạt động trong CCN / 1.000 doanh nghiệp chế biến, chế tạo", None, None, ind.t12,
        "dự án/1.000 DN")
    add(targets, "T9", "T9: tỷ lệ dự án đang hoạt động trong KCN ứng dụng công nghệ số, tự động hóa, AI", None, None,
        None if ind.t9 is None else round(ind.t9 * 100, 4), "%")
    add(targets, "T11", "T11: dự án công nghệ cao còn hiệu lực", None, None, ind.t11, "dự án")
    if ind.t12 is None:
        t.notes.append(f"T12: chưa có số doanh nghiệp chế biến, chế tạo năm {ind.end.year} hoặc trước đó; nhập bằng "
                       f"`kcn indicators set-base manufacturing_enterprises SỐ --year {ind.end.year} --doc SỐ_HIỆU`.")
    else:
        year_note = "" if ind.t12_year == ind.end.year else f" (chưa có số năm {ind.end.year}, dùng số năm {ind.t12_year})"
        t.notes.append(f"T12 = {ind.ccn_operating} × 1.000 / {format_number(ind.t12_enterprises, decimals=0)} doanh nghiệp năm "
                       f"{ind.t12_year}{year_note}; nguồn: {ind.t12_source or 'không ghi'}.")
    t.notes.append(f"T9: {ind.t9_digital}/{ind.kcn_operating} dự án đang hoạt động trong KCN có đánh dấu ứng dụng công nghệ số. "
                   "Vốn FDI tính bằng USD, vốn trong nước bằng đồng, không cộng lẫn.")
    t.notes.extend(_target_note(key, target) for key, target in ind.targets.items())
    return t


def _target_note(key: str, target: Any) -> str:
    """ "Mục tiêu T9: ... > 80 % đến 31/12/2030 (nguồn)" from the bundled target row."""
    value = "cải thiện so với kỳ trước (không có con số)" if target.value is None else (
        f"{format_number(target.value)} {target.unit or ''}".strip())
    deadline = f" đến {format_date(target.deadline)}" if target.deadline else ""
    return f"Mục tiêu {key} (bảng mục tiêu, `kcn progress`): {value}{deadline}."


def attracted_table(ind: Indicators) -> SimpleTable:
    """Investment attracted in the period (form 2101.H.QLKKT-like; see docs/TENANTS.md)."""
    t = SimpleTable("thu-hut-dau-tu", f"Thu hút đầu tư vào KCN, CCN, KKT — {ind.period.label_vi}",
                    [Col("label", "Chỉ tiêu"), Col("fdi_count", "FDI: số dự án", "int"),
                     Col("fdi_capital_million_usd", "FDI: vốn (triệu USD)", "number"), Col("ddi_count", "Trong nước: số dự án", "int"),
                     Col("ddi_capital_billion_vnd", "Trong nước: vốn (tỷ đồng)", "number")])
    for name, label in (("new", "1. Dự án cấp mới"), ("adjusted", "2. Dự án điều chỉnh vốn (tăng/giảm)"),
                        ("revoked", "3. Dự án chấm dứt hoạt động")):
        f, d = getattr(ind.fdi, name), getattr(ind.ddi, name)
        t.rows.append(dict(label=label, fdi_count=f.count, fdi_capital_million_usd=_m(f.capital, MILLION), ddi_count=d.count,
                           ddi_capital_billion_vnd=_m(d.capital, BILLION)))
    t.rows.append(dict(label=f"4. Lũy kế dự án còn hiệu lực đến {format_date(ind.end)}", fdi_count=ind.valid_fdi,
                       fdi_capital_million_usd=_m(ind.capital_usd, MILLION), ddi_count=ind.valid_ddi,
                       ddi_capital_billion_vnd=_m(ind.capital_vnd, BILLION)))
    return t


def _zone_rows(ind: Indicators, kinds: tuple[str, ...] = ("KCN", "CCN", "KKT")) -> list[Any]:
    return [z for z in ind.zones if z.kind in kinds]


def occupancy_table(ind: Indicators) -> SimpleTable:
    """Infrastructure and occupancy per park and cluster (form 2103.H.QLKKT-like)."""
    t = SimpleTable("ha-tang-lap-day", f"Hạ tầng và tỷ lệ lấp đầy các KCN, CCN đến {format_date(ind.end)}",
                    [Col("name", "Tên"), Col("kind", "Loại"), Col("phase", "Phân kỳ"), Col("stage", "Giai đoạn"),
                     Col("total_area_ha", "Tổng diện tích (ha)", "number"), Col("leasable_ha", "Đất CN cho thuê (ha)", "number"),
                     Col("leased_ha", "Đã cho thuê (ha)", "number"), Col("occupancy", "Tỷ lệ lấp đầy", "percent"),
                     Col("registered", "Dự án còn hiệu lực", "int"), Col("operating", "Dự án đang hoạt động", "int"),
                     Col("basis", "Căn cứ số liệu")])
    from kcn_tracker.stages import label

    for z in _zone_rows(ind, ("KCN", "CCN")):
        t.rows.append(dict(name=z.name, kind=z.kind, phase=z.phase, stage=label("zone", z.stage), total_area_ha=z.total_area_ha,
                           leasable_ha=z.leasable_ha, leased_ha=z.leased_ha, occupancy=z.occupancy, registered=z.registered,
                           operating=z.operating, basis=z.basis_vi))
    t.notes.append("“theo dự án thứ cấp”: tổng diện tích thuê của các dự án còn hiệu lực; “theo báo cáo”: số đã nhập cho khu "
                   "từ văn bản (chưa nhập dự án thứ cấp).")
    return t


def business_table(ind: Indicators) -> SimpleTable:
    """Projects operating, capital registered and realised per zone (production-and-business form shape, partial)."""
    t = SimpleTable("san-xuat-kinh-doanh", f"Tình hình đầu tư, sản xuất kinh doanh theo khu đến {format_date(ind.end)}",
                    [Col("name", "Tên"), Col("kind", "Loại"), Col("operating", "Dự án đang hoạt động", "int"),
                     Col("fdi_projects", "Dự án FDI", "int"), Col("ddi_projects", "Dự án trong nước", "int"),
                     Col("capital_million_usd", "Vốn đăng ký FDI (triệu USD)", "number"),
                     Col("realised_million_usd", "Vốn FDI thực hiện (triệu USD)", "number"),
                     Col("capital_billion_vnd", "Vốn đăng ký trong nước (tỷ đồng)", "number"),
                     Col("realised_billion_vnd", "Vốn trong nước thực hiện (tỷ đồng)", "number")])
    for z in _zone_rows(ind):
        if z.basis == "tenants":
            t.rows.append(dict(name=z.name, kind=z.kind, operating=z.operating, fdi_projects=z.valid_fdi, ddi_projects=z.valid_ddi,
                               capital_million_usd=_m(z.capital_usd, MILLION), realised_million_usd=_m(z.realised_usd, MILLION),
                               capital_billion_vnd=_m(z.capital_vnd, BILLION), realised_billion_vnd=_m(z.realised_vnd, BILLION)))
    t.notes.append("Doanh thu, xuất khẩu, nộp ngân sách của biểu mẫu chưa được theo dõi trong kcn-tracker.")
    return t


def workers_table(ind: Indicators) -> SimpleTable:
    """Workers in the tenants of each zone (workers form shape, partial)."""
    t = SimpleTable("lao-dong", f"Lao động trong các dự án thứ cấp đến {format_date(ind.end)}",
                    [Col("name", "Tên"), Col("kind", "Loại"), Col("workers_vn", "Lao động Việt Nam", "int"),
                     Col("workers_foreign", "Lao động nước ngoài", "int"), Col("total", "Tổng", "int")])
    for z in _zone_rows(ind):
        if z.basis == "tenants":
            t.rows.append(dict(name=z.name, kind=z.kind, workers_vn=z.workers_vn, workers_foreign=z.workers_foreign,
                               total=z.workers_vn + z.workers_foreign))
    t.rows.append(dict(name="Tổng cộng", kind="", workers_vn=ind.workers_vn, workers_foreign=ind.workers_foreign,
                       total=ind.workers_vn + ind.workers_foreign))
    return t


def group_table(ind: Indicators, which: str) -> SimpleTable:
    """Projects new in the period and capital new + adjusted, by country (``countries``) or VSIC section (``industries``)."""
    lines = ind.by_country if which == "countries" else ind.by_industry
    head, by = (("Quốc gia, vùng lãnh thổ", "quốc gia, vùng lãnh thổ") if which == "countries" else
                ("Ngành (VSIC 2018, cấp 1)", "ngành (VSIC 2018, cấp 1)"))
    t = SimpleTable("theo-quoc-gia" if which == "countries" else "theo-nganh", f"Thu hút đầu tư theo {by} — {ind.period.label_vi}",
                    [Col("key", "Mã"), Col("label", head), Col("new_count", "Dự án cấp mới", "int"),
                     Col("capital_million_usd", "Vốn cấp mới và điều chỉnh FDI (triệu USD)", "number"),
                     Col("capital_billion_vnd", "Vốn cấp mới và điều chỉnh trong nước (tỷ đồng)", "number"),
                     Col("valid_count", "Dự án còn hiệu lực cuối kỳ", "int")])
    for g in lines:
        t.rows.append(dict(key=g.key, label=g.label, new_count=g.new_count, capital_million_usd=_m(g.capital_usd, MILLION),
                           capital_billion_vnd=_m(g.capital_vnd, BILLION), valid_count=g.valid_count))
    return t


def report_tables(ind: Indicators) -> list[SimpleTable]:
    """Every table of the tenant part of the periodic report, in order."""
    return [summary_table(ind), attracted_table(ind), occupancy_table(ind), business_table(ind), workers_table(ind),
            group_table(ind, "countries"), group_table(ind, "industries")]


def show_cell(value: Any, kind: str) -> str:
    """A cell as people read it: Vietnamese numbers, percentages, "—" for unknown."""
    if value is None or value == "":
        return "—"
    if kind == "percent":
        return format_percent(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return format_number(value, decimals=0 if kind == "int" else 2)
    return str(value)


def plain_cell(value: Any) -> Any:
    """A cell for JSON/CSV/Excel: plain numbers (Decimal as float), text as is."""
    return float(value) if isinstance(value, Decimal) else value


def write_workbook(tables: list[SimpleTable], out: Path) -> Path:
    """One sheet per table (values, not formulas; Excel number formats), notes under each table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    formats = {"int": "#,##0", "number": "#,##0.00", "percent": "0.0%"}
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([c.header for c in table.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([plain_cell(row.get(c.key)) for c in table.columns])
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = max(12, min(50, len(column.header) + 2))
            if column.kind in formats:
                for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                    cell.number_format = formats[column.kind]
        for note in table.notes:
            sheet.append([])
            sheet.append([note])
        sheet.freeze_panes = "A3"
    book.save(out)
    return out

