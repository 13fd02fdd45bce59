"""Vietnamese labels for the values people see, and the keys read back from them (issue 13, req. 5).

The register stores short keys (``onshore_wind``, ``named``, ``district``); terminal
tables, the Word and Excel reports, the update template, KML and the QGIS styles
show these labels instead, and every reader of people's input (spreadsheet cells,
``--set``, web forms) accepts the label as well as the key (``key_for``). Stage
labels live in ``stages``, technology labels in the database, obstacle categories
in ``fields``; this module holds the rest and the functions that know them all.
Nothing heavy is imported.
"""

from __future__ import annotations

from typing import Any

from kcn_tracker.fields import OBSTACLE_CATEGORIES
from kcn_tracker.style import STAGE_GROUP_LABELS

RECORD_TYPES = {"project": "Dự án điện", "zone": "Khu/cụm CN"}
_DATE_BASES = {"document": "theo văn bản", "inferred": "suy luận", "unknown": "chưa rõ (vào hoặc trước ngày này)"}

#: field or column name -> stored key -> Vietnamese label, for every enumerated value that is not a stage,
#: a technology or an obstacle category. The keys are those of ``fields`` (PLAN_ROLES, LOCATION_PRECISIONS…).
VALUE_LABELS: dict[str, dict[str, str]] = {
    "technology_basis": {"stated": "theo văn bản", "inferred": "suy luận (chưa có văn bản xác nhận)"},
    "plan_role": {"named": "có tên trong 60 dự án", "unnamed": "chưa nêu tên", "unallocated": "chưa phân bổ cho dự án",
                  "outside": "ngoài 60 dự án"},
    "expected_cod_precision": {"day": "theo ngày", "month": "theo tháng", "quarter": "theo quý", "year": "theo năm"},
    "location_precision": {"surveyed": "ranh giới/tọa độ đo đạc", "site": "đúng vị trí dự án",
                           "nearby_site": "gần vị trí dự án (sai số vài km)", "commune": "trung tâm xã/phường (gần đúng)",
                           "district": "trung tâm huyện cũ (sai số 5–25 km)", "none": "chưa có vị trí"},
    "new_kcn_t6_basis": {"document": "văn bản nêu rõ", "inferred": "suy luận (cách đọc chú thích của văn bản 003)"},
    "date_basis": _DATE_BASES,
    "opened_basis": _DATE_BASES,
    "leased_basis": {"tenants": "theo dự án thứ cấp", "reported": "theo báo cáo"},
    "record_type": RECORD_TYPES,
    #: Global Energy Monitor's status vocabulary, as the map's stage groups name it.
    "gem_status": STAGE_GROUP_LABELS,
}
YES, NO = "có", "không"


def labels_for(name: str, *, record_type: str | None = None) -> dict[str, str]:
    """key -> Vietnamese label of every value of ``name`` this module knows (stages need ``record_type``)."""
    if name == "stage" and record_type:
        from kcn_tracker.stages import stages_for

        return {s.key: s.label_vi for s in stages_for(record_type)}  # type: ignore[arg-type]
    if name in ("category", "obstacle_category"):
        return {key: vi for key, (vi, _en) in OBSTACLE_CATEGORIES.items()}
    return VALUE_LABELS.get(name, {})


def value_label(name: str, value: Any, *, record_type: str | None = None, technologies: dict[str, str] | None = None) -> Any:
    """The Vietnamese label of ``value`` for field ``name``; other values are returned unchanged.

    ``technologies`` maps technology keys to labels (they live in the database).
    """
    if value is None or not isinstance(value, str):
        return value
    if name == "technology":
        return (technologies or {}).get(value, value)
    return labels_for(name, record_type=record_type).get(value, value)


def yes_no(value: Any) -> Any:
    """ "có"/"không" for a boolean (what the importer reads back); other values unchanged."""
    return (YES if value else NO) if isinstance(value, bool) else value


def key_for(text: str, choices: tuple[str, ...] | list[str], labels: dict[str, str]) -> str | None:
    """The key ``text`` names: a key or its label, case and accents optional; a label's bracketed
    explanation may be left out ("chưa rõ" for "chưa rõ (vào hoặc trước ngày này)"). None if none matches."""
    from kcn_tracker.text import fold

    wanted = fold(text)
    for key in choices:
        label = labels.get(key)
        names = {fold(key)} | ({fold(label), fold(label.split(" (")[0])} if label else set())
        if wanted in names:
            return key
    return None


def origin_label(origin: str | None) -> str | None:
    """Where an event was recorded, in words: "cli" -> "dòng lệnh", "import:tệp.xlsx" -> "nhập từ tệp tệp.xlsx"."""
    if not origin:
        return origin
    kind, _, rest = origin.partition(":")
    if kind == "bundled":
        source, _, number = rest.rpartition(":")
        return f"dữ liệu kèm theo ({source or rest}" + (f", dòng {number})" if source and number.isdigit() else ")")
    words = {"cli": "dòng lệnh", "web": "ứng dụng web", "import": "nhập từ tệp"}
    return f"{words[kind]} {rest}".strip() if kind in words else origin
