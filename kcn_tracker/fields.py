"""The fields of zones and power projects: type, labels, and which record types have them.

Declared once as data: the event log, updates, dry-run diffs, exports and the
Excel template all read this table, so adding a field is one line here plus a
migration.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["str", "float", "int", "date", "bool", "geometry", "stage"]

#: Largest plausible single plant (MW): the biggest in Vietnam is ~2.4 GW and the world's ~22.5 GW;
#: Khánh Hòa's PDP8 projects stay below 5 GW. A figure above this is a typing error (units, extra zeros).
MAX_PLANT_MW = 10_000
#: Largest plausible zone (ha): the Vân Phong economic zone is ~150,000 ha.
MAX_ZONE_HA = 200_000
#: Highest transmission voltage in use anywhere (kV); Vietnam's grid tops out at 500 kV.
MAX_VOLTAGE_KV = 1_100
#: Tenant projects of one zone; also keeps counts far inside a 32-bit INTEGER column.
MAX_TENANTS = 100_000
#: Free-text (TEXT) columns have no database limit; a cell larger than this is a paste accident.
MAX_TEXT = 10_000

KINDS = ("KCN", "CCN", "KKT")
PLAN_ROLES = ("named", "unnamed", "unallocated", "outside")
TECHNOLOGY_BASES = ("stated", "inferred")
#: Why a zone counts among T6's 5 new KCN: a document says so, or a reading of one (issue 14).
T6_BASES = ("document", "inferred")
COD_PRECISIONS = ("day", "month", "quarter", "year")
DATE_BASES = ("document", "inferred", "unknown")
PRECISE_LOCATIONS = ("surveyed", "site")
LOCATION_PRECISIONS = ("surveyed", "site", "nearby_site", "commune", "district", "none")
#: Geometry types the map, KML and exports draw (a MultiPoint or a collection would break the map).
GEOMETRY_TYPES = ("Point", "LineString", "Polygon", "MultiLineString", "MultiPolygon")


@dataclass(frozen=True)
class FieldSpec:
    """One tracked field of a record, declared once: type, unit, allowed values, size, labels.

    ``minimum``/``maximum`` bound numbers (inclusive); ``max_length`` matches the database
    column (String(n)) or ``MAX_TEXT`` for TEXT; ``choices`` is a fixed set and ``table``
    names the table whose keys are allowed ("technologies", "zones"). ``required`` fields
    may be changed but never emptied. The validation package (``kcn_tracker.validation``)
    applies all of it for every entry point.
    """

    name: str
    kind: Kind
    label_vi: str
    label_en: str
    for_zone: bool = False
    for_project: bool = False
    default: Any = None
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    choices: tuple[str, ...] | None = None
    table: str | None = None
    required: bool = False

    @property
    def label(self) -> str:
        """ "Vietnamese label (name)" as messages show it, so the user finds the column and the key."""
        return f"{self.label_vi} ({self.name})"


_COMMON = dict(for_zone=True, for_project=True)
_MW = dict(kind="float", unit="MW", minimum=0, maximum=MAX_PLANT_MW, for_project=True)
_HA = dict(kind="float", unit="ha", minimum=0, maximum=MAX_ZONE_HA, for_zone=True)
_TEXT = dict(kind="str", max_length=MAX_TEXT)

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", "str", "Mã", "Code", **_COMMON, max_length=80, required=True),
    FieldSpec("name", "str", "Tên", "Name", **_COMMON, max_length=300, required=True),
    FieldSpec("kind", "str", "Loại", "Kind (KCN/CCN/KKT)", for_zone=True, choices=KINDS, max_length=3, required=True),
    FieldSpec("phase", "str", "Giai đoạn (phân kỳ)", "Phase", for_zone=True, max_length=80),
    FieldSpec("technology", "str", "Công nghệ", "Technology", for_project=True, table="technologies", max_length=40, required=True),
    FieldSpec("technology_basis", "str", "Căn cứ công nghệ", "Technology basis", for_project=True, default="stated",
              choices=TECHNOLOGY_BASES, max_length=20),
    FieldSpec("capacity_mw", label_vi="Công suất (MW)", label_en="Capacity (MW)", **_MW),
    FieldSpec("capacity_operating_mw", label_vi="Công suất đã vận hành (MW)", label_en="Capacity operating (MW)", **_MW),
    FieldSpec("plan_role", "str", "Vai trò trong QHĐ VIII", "Role in PDP8 list", for_project=True, default="named",
              choices=PLAN_ROLES, max_length=20),
    FieldSpec("in_plan_60", "bool", "Thuộc 60 dự án QHĐ VIII", "One of the 60 PDP8 projects", for_project=True, default=False),
    FieldSpec("needs_investor", "bool", "Cần nhà đầu tư", "Needs an investor", for_project=True, default=True),
    FieldSpec("voltage_kv", "float", "Cấp điện áp (kV)", "Voltage (kV)", for_project=True, unit="kV", minimum=0,
              maximum=MAX_VOLTAGE_KV),
    FieldSpec("zone_code", "str", "Thuộc KCN/CCN", "Zone code", for_project=True, table="zones", max_length=80),
    FieldSpec("stage", "stage", "Giai đoạn", "Stage", **_COMMON, max_length=40, required=True),
    FieldSpec("expected_cod", "date", "Dự kiến vận hành (COD)", "Expected COD", for_project=True),
    FieldSpec("expected_cod_precision", "str", "Độ chính xác ngày dự kiến", "Expected COD precision", for_project=True,
              choices=COD_PRECISIONS, max_length=10),
    FieldSpec("actual_cod", "date", "Ngày vận hành thương mại", "Actual COD", for_project=True),
    FieldSpec("expected_construction_start", "date", "Dự kiến khởi công", "Expected construction start", for_project=True),
    FieldSpec("expected_first_power", "date", "Dự kiến phát điện tổ máy/phần đầu tiên", "Expected first unit generating", for_project=True),
    FieldSpec("construction_completed", "bool", "Đã thi công hoàn thành (chưa phát điện)", "Construction completed", for_project=True),
    FieldSpec("investor", "str", "Nhà đầu tư", "Investor", for_project=True, max_length=300),
    FieldSpec("developer", "str", "Chủ đầu tư hạ tầng", "Infrastructure developer", for_zone=True, max_length=300),
    FieldSpec("total_area_ha", label_vi="Tổng diện tích (ha)", label_en="Total area (ha)", **_HA),
    FieldSpec("area_note", label_vi="Ghi chú diện tích", label_en="Area note", for_zone=True, **_TEXT),
    FieldSpec("leasable_ha", label_vi="Đất CN cho thuê (ha)", label_en="Leasable industrial land (ha)", **_HA),
    FieldSpec("leased_ha", label_vi="Đã cho thuê (ha)", label_en="Leased (ha)", **_HA),
    FieldSpec("tenants_registered", "int", "Dự án thứ cấp đăng ký", "Tenant projects registered", for_zone=True,
              minimum=0, maximum=MAX_TENANTS),
    FieldSpec("tenants_operating", "int", "Dự án thứ cấp hoạt động", "Tenant projects operating", for_zone=True,
              minimum=0, maximum=MAX_TENANTS),
    FieldSpec("high_tech", "bool", "Định hướng công nghệ cao", "High-tech oriented", for_zone=True),
    FieldSpec("new_kcn_t6", "bool", "KCN mới (chỉ tiêu T6)", "New KCN of target T6", for_zone=True, default=False),
    FieldSpec("new_kcn_t6_basis", "str", "Căn cứ xếp vào 5 KCN mới (T6)", "Basis of the T6 classification", for_zone=True,
              choices=T6_BASES, max_length=20),
    FieldSpec("expected_infrastructure_done", "date", "Dự kiến hoàn thành hạ tầng", "Expected infrastructure completion", for_zone=True),
    FieldSpec("fill_2026_t5", "bool", "Lấp đầy 100% năm 2026 (T5)", "100% fill in 2026 (T5)", for_zone=True, default=False),
    FieldSpec("commune", "str", "Xã/phường (2025)", "Commune/ward (2025)", **_COMMON, max_length=200),
    FieldSpec("address_as_written", label_vi="Địa chỉ theo văn bản", label_en="Address as written", **_COMMON, **_TEXT),
    FieldSpec("geometry", "geometry", "Hình học (WKT)", "Geometry (WKT, WGS 84)", **_COMMON, choices=GEOMETRY_TYPES),
    FieldSpec("location_precision", "str", "Độ chính xác vị trí", "Location precision", **_COMMON, default="none",
              choices=LOCATION_PRECISIONS, max_length=20),
    FieldSpec("location_basis", label_vi="Căn cứ vị trí", label_en="Location basis", **_COMMON, **_TEXT),
    FieldSpec("location_source", label_vi="Nguồn vị trí", label_en="Location source", **_COMMON, **_TEXT),
    FieldSpec("location_licence", label_vi="Giấy phép dữ liệu vị trí", label_en="Location licence", **_COMMON, **_TEXT),
    FieldSpec("source", label_vi="Nguồn", label_en="Source", **_COMMON, **_TEXT),
    FieldSpec("note", label_vi="Ghi chú", label_en="Note", **_COMMON, **_TEXT),
)

#: Inputs that are not fields of a record but are typed with every change (options, import meta columns).
DOCUMENT_NUMBER_MAX = 80   # documents.number String(80)
RECORDED_BY_MAX = 120      # events.recorded_by String(120)
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


@functools.cache  # called per field per row when whole registers are read (10k rows: 2.5 s -> 0.6 s)
def fields_for(record_type: str) -> tuple[FieldSpec, ...]:
    """The tracked fields of "zone" or "project"."""
    attr = "for_zone" if record_type == "zone" else "for_project"
    return tuple(f for f in FIELDS if getattr(f, attr))


@functools.cache
def field_spec(record_type: str, name: str) -> FieldSpec:
    """The spec of one field (KeyError if the record type has no such field)."""
    for spec in fields_for(record_type):
        if spec.name == name:
            return spec
    raise KeyError(name)


def is_approximate(location_precision: str | None) -> bool:
    """Every location that is not surveyed or the site itself is approximate."""
    return location_precision not in PRECISE_LOCATIONS
