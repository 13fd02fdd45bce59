"""Which spreadsheet column is which field: Vietnamese labels, English labels, field keys.

A column nobody knows refuses the file (a renamed "Ngày hiệu lực" or MW column must never
be dropped silently), except the informational columns our own exports and templates
write (stage and technology names, GEM status, occupancy, coordinates…), which are
listed as ignored. ``geometry`` is read-only here: boundaries come from GIS files.
"""

from __future__ import annotations

import difflib
from typing import Any

from kcn_tracker.errors import Problem
from kcn_tracker.fields import fields_for
from kcn_tracker.text import fold

#: Columns of ``kcn export`` that describe a record but are not fields: ignored on import.
INFORMATIONAL = ("stage_label", "Tên giai đoạn", "technology_label", "Tên công nghệ", "gem_status",
                 "Trạng thái GEM (GEM status)", "occupancy_pct", "Tỷ lệ lấp đầy (%)", "approximate", "Vị trí gần đúng",
                 "open_obstacles", "Số vướng mắc đang mở", "lon", "Kinh độ (điểm đại diện)", "lat", "Vĩ độ (điểm đại diện)",
                 "geometry", "wkt", "Hình học (WKT)", "Geometry (WKT, WGS 84)", "id")


def header_index(record_type: str) -> dict[str, tuple[str, str, bool]]:
    """folded header -> (kind "field"/"meta", key, machine) for Vietnamese labels, English labels and keys."""
    from kcn_tracker.template import UPDATE_COLUMNS

    index: dict[str, tuple[str, str, bool]] = {}
    for spec in fields_for(record_type):
        index[fold(spec.label_vi)] = ("field", spec.name, False)
        index[fold(spec.label_en)] = ("field", spec.name, False)
        index[fold(spec.name)] = ("field", spec.name, True)
    for col in UPDATE_COLUMNS:
        for text in (col.label_vi, col.label_en):
            index[fold(text)] = ("meta", col.key, False)
        index[fold(col.key)] = ("meta", col.key, True)
    return index


def map_columns(headers: list[str], record_type: str, *, file: str, sheet: str) -> tuple[dict[int, Any], list[Problem], list[str]]:
    """(position -> ((kind, key, machine), header), problems, ignored headers) for one sheet's header row."""
    index = header_index(record_type)
    informational = {fold(h) for h in INFORMATIONAL}
    labels = [f.label_vi for f in fields_for(record_type)]
    columns: dict[int, Any] = {}
    problems: list[Problem] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for position, header in enumerate(headers):
        key = fold(header or "")
        if not key:
            continue
        hit = index.get(key)
        if hit is None or (hit[0] == "field" and hit[1] == "geometry"):
            if key in informational:
                ignored.append(f"{sheet}: {header}")
                continue
            close = difflib.get_close_matches(header, labels, n=1, cutoff=0.6)
            hint = f"; có phải / did you mean “{close[0]}”?" if close else ""
            problems.append(Problem(f"cột “{header}” không có trong mẫu, tệp không được nhập{hint} / unknown column: "
                                    "the file is refused (rename it as in `kcn template`, or delete it)",
                                    file=file, sheet=sheet, row=1, field=header))
            continue
        if hit[1] in seen:
            problems.append(Problem(f"cột “{header}” trùng với cột “{seen[hit[1]]}” / two columns for one field",
                                    file=file, sheet=sheet, row=1, field=header))
            continue
        seen[hit[1]] = header
        columns[position] = (hit, header)
    return columns, problems, ignored
