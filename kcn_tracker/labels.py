"""Vietnamese labels for the values people see: every enumerated key has words (issue 13, req. 5).

The register stores short keys (``onshore_wind``, ``named``, ``district``); terminal
tables, the Word and Excel reports show these labels instead. Stage labels live in
``stages``, obstacle categories in ``fields``; this module adds the rest and one
function that knows them all. Nothing heavy is imported.
"""

from __future__ import annotations

from typing import Any

from kcn_tracker.fields import OBSTACLE_CATEGORIES

RECORD_TYPES = {"project": "Dự án điện", "zone": "Khu/cụm CN"}

VALUE_LABELS: dict[str, dict[str, str]] = {
    "technology_basis": {"stated": "theo văn bản", "inferred": "suy luận, chưa có văn bản xác nhận"},
    "plan_role": {"named": "có tên trong 60 dự án", "unnamed": "chưa nêu tên", "unallocated": "chưa phân bổ cho dự án",
                  "outside": "ngoài 60 dự án"},
    "expected_cod_precision": {"day": "theo ngày", "month": "theo tháng", "quarter": "theo quý", "year": "theo năm"},
    "location_precision": {"surveyed": "đo đạc", "site": "vị trí dự án", "nearby_site": "gần vị trí dự án",
                           "commune": "trung tâm xã/phường", "district": "trung tâm huyện cũ", "none": "chưa có vị trí"},
    "date_basis": {"document": "theo văn bản", "inferred": "suy luận", "unknown": "chưa rõ (vào hoặc trước ngày này)"},
    "opened_basis": {"document": "theo văn bản", "inferred": "suy luận", "unknown": "chưa rõ (vào hoặc trước ngày này)"},
    "record_type": RECORD_TYPES,
}


def value_label(name: str, value: Any, *, record_type: str | None = None, technologies: dict[str, str] | None = None) -> Any:
    """The Vietnamese label of ``value`` for field ``name``; other values are returned unchanged.

    ``technologies`` maps technology keys to labels (they live in the database).
    """
    if value is None or not isinstance(value, str):
        return value
    if name == "stage" and record_type:
        from kcn_tracker.stages import label

        try:
            return label(record_type, value)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - an unknown key is shown as stored
            return value
    if name == "technology" and technologies:
        return technologies.get(value, value)
    if name in ("category", "obstacle_category"):
        return OBSTACLE_CATEGORIES.get(value, (value, ""))[0]
    return VALUE_LABELS.get(name, {}).get(value, value)
