"""The fields of zones and power projects: type, labels, and which record types have them.

Declared once as data: the event log, updates, dry-run diffs, exports and the
Excel template all read this table, so adding a field is one line here plus a
migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["str", "float", "int", "date", "bool", "geometry", "stage"]


@dataclass(frozen=True)
class FieldSpec:
    """One tracked field of a record."""

    name: str
    kind: Kind
    label_vi: str
    label_en: str
    for_zone: bool = False
    for_project: bool = False
    default: Any = None


_COMMON = dict(for_zone=True, for_project=True)

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", "str", "Mã", "Code", **_COMMON),
    FieldSpec("name", "str", "Tên", "Name", **_COMMON),
    FieldSpec("kind", "str", "Loại", "Kind (KCN/CCN/KKT)", for_zone=True),
    FieldSpec("phase", "str", "Giai đoạn (phân kỳ)", "Phase", for_zone=True),
    FieldSpec("technology", "str", "Công nghệ", "Technology", for_project=True),
    FieldSpec("technology_basis", "str", "Căn cứ công nghệ", "Technology basis", for_project=True, default="stated"),
    FieldSpec("capacity_mw", "float", "Công suất (MW)", "Capacity (MW)", for_project=True),
    FieldSpec("capacity_operating_mw", "float", "Công suất đã vận hành (MW)", "Capacity operating (MW)", for_project=True),
    FieldSpec("plan_role", "str", "Vai trò trong QHĐ VIII", "Role in PDP8 list", for_project=True, default="named"),
    FieldSpec("in_plan_60", "bool", "Thuộc 60 dự án QHĐ VIII", "One of the 60 PDP8 projects", for_project=True, default=False),
    FieldSpec("needs_investor", "bool", "Cần nhà đầu tư", "Needs an investor", for_project=True, default=True),
    FieldSpec("voltage_kv", "float", "Cấp điện áp (kV)", "Voltage (kV)", for_project=True),
    FieldSpec("zone_code", "str", "Thuộc KCN/CCN", "Zone code", for_project=True),
    FieldSpec("stage", "stage", "Giai đoạn", "Stage", **_COMMON),
    FieldSpec("expected_cod", "date", "Dự kiến vận hành (COD)", "Expected COD", for_project=True),
    FieldSpec("expected_cod_precision", "str", "Độ chính xác ngày dự kiến", "Expected COD precision", for_project=True),
    FieldSpec("actual_cod", "date", "Ngày vận hành thương mại", "Actual COD", for_project=True),
    FieldSpec("investor", "str", "Nhà đầu tư", "Investor", for_project=True),
    FieldSpec("developer", "str", "Chủ đầu tư hạ tầng", "Infrastructure developer", for_zone=True),
    FieldSpec("total_area_ha", "float", "Tổng diện tích (ha)", "Total area (ha)", for_zone=True),
    FieldSpec("area_note", "str", "Ghi chú diện tích", "Area note", for_zone=True),
    FieldSpec("leasable_ha", "float", "Đất CN cho thuê (ha)", "Leasable industrial land (ha)", for_zone=True),
    FieldSpec("leased_ha", "float", "Đã cho thuê (ha)", "Leased (ha)", for_zone=True),
    FieldSpec("tenants_registered", "int", "Dự án thứ cấp đăng ký", "Tenant projects registered", for_zone=True),
    FieldSpec("tenants_operating", "int", "Dự án thứ cấp hoạt động", "Tenant projects operating", for_zone=True),
    FieldSpec("high_tech", "bool", "Định hướng công nghệ cao", "High-tech oriented", for_zone=True),
    FieldSpec("new_kcn_t6", "bool", "KCN mới (chỉ tiêu T6)", "New KCN of target T6", for_zone=True, default=False),
    FieldSpec("fill_2026_t5", "bool", "Lấp đầy 100% năm 2026 (T5)", "100% fill in 2026 (T5)", for_zone=True, default=False),
    FieldSpec("commune", "str", "Xã/phường (2025)", "Commune/ward (2025)", **_COMMON),
    FieldSpec("address_as_written", "str", "Địa chỉ theo văn bản", "Address as written", **_COMMON),
    FieldSpec("geometry", "geometry", "Hình học (WKT)", "Geometry (WKT, WGS 84)", **_COMMON),
    FieldSpec("location_precision", "str", "Độ chính xác vị trí", "Location precision", **_COMMON, default="none"),
    FieldSpec("location_basis", "str", "Căn cứ vị trí", "Location basis", **_COMMON),
    FieldSpec("location_source", "str", "Nguồn vị trí", "Location source", **_COMMON),
    FieldSpec("location_licence", "str", "Giấy phép dữ liệu vị trí", "Location licence", **_COMMON),
    FieldSpec("source", "str", "Nguồn", "Source", **_COMMON),
    FieldSpec("note", "str", "Ghi chú", "Note", **_COMMON),
)

PRECISE_LOCATIONS = ("surveyed", "site")
LOCATION_PRECISIONS = ("surveyed", "site", "nearby_site", "commune", "district", "none")
OBSTACLE_CATEGORIES: dict[str, tuple[str, str]] = {
    "land": ("Đất đai, giải phóng mặt bằng", "Land / site clearance"),
    "planning": ("Quy hoạch", "Planning"),
    "environment": ("Môi trường", "Environment"),
    "grid": ("Đấu nối lưới điện", "Grid connection"),
    "investor": ("Lựa chọn nhà đầu tư", "Investor selection"),
    "capital": ("Vốn", "Capital"),
    "technology": ("Công nghệ", "Technology"),
    "procedures": ("Thủ tục", "Procedures"),
    "other": ("Khác", "Other"),
}
DATE_BASES = ("document", "inferred", "unknown")


_BY_TYPE: dict[str, tuple[FieldSpec, ...]] = {
    "zone": tuple(f for f in FIELDS if f.for_zone),
    "project": tuple(f for f in FIELDS if f.for_project),
}
#: record type -> field name -> spec: one dict lookup per value (replays look up millions).
_SPECS: dict[str, dict[str, FieldSpec]] = {kind: {f.name: f for f in specs} for kind, specs in _BY_TYPE.items()}


def fields_for(record_type: str) -> tuple[FieldSpec, ...]:
    """The tracked fields of "zone" or "project" (precomputed: no scan of ``FIELDS``)."""
    return _BY_TYPE["zone" if record_type == "zone" else "project"]


def field_spec(record_type: str, name: str) -> FieldSpec:
    """The spec of one field (KeyError if the record type has no such field); a dict lookup."""
    return _SPECS["zone" if record_type == "zone" else "project"][name]


def is_approximate(location_precision: str | None) -> bool:
    """Every location that is not surveyed or the site itself is approximate."""
    return location_precision not in PRECISE_LOCATIONS
