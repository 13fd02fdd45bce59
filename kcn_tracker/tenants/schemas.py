"""JSON Schemas of the tenant outputs, generated from the field and column declarations.

``python -m kcn_tracker.tenants.schemas`` rewrites the files in
``kcn_tracker/interface/schemas/``; a test checks they are current, so the declared
outputs cannot drift from the fields (``tenants.fields``) and tables (``report_tables``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kcn_tracker.tenants.fields import TENANT_FIELDS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_KIND_TYPES = {"decimal": ["number", "null"], "float": ["number", "null"], "int": ["integer", "null"],
               "bool": ["boolean", "null"], "date": ["string", "null"]}
LIST_EXTRA = {"open_obstacles": ({"title": "Số vướng mắc đang mở", "description": "Open obstacles on the as-of date",
                                  "type": "integer"})}
INDICATOR_TABLES = ("summary", "attracted", "zones", "business", "workers", "countries", "industries")
#: (title, description) of a published key that differs from its field or column (``interface.published``).
PUBLISHED_TEXT = {
    "fx_rate_vnd_per_usd": ("Tỷ giá quy đổi (đồng/USD)", "Exchange rate, VND per USD"),
    "realised_usd": ("Vốn đã thực hiện lũy kế (USD, dự án FDI)", "Realised capital to date, USD (FDI projects; null otherwise)"),
    "realised_vnd": ("Vốn đã thực hiện lũy kế (đồng, dự án trong nước)",
                     "Realised capital to date, VND (domestic projects; null otherwise)"),
    "occupancy_pct": ("Tỷ lệ lấp đầy (%)", "Occupancy: leased / leasable, percent (0-100, 2 decimals)"),
}


def _published(name: str, title: str, description: str, **schema: Any) -> dict[str, Any]:
    """The property (or two, where a value splits) a field or column ``name`` is published as (``interface.published``)."""
    from kcn_tracker.interface.published import published_keys

    texts = {key: PUBLISHED_TEXT.get(key, (title, description)) for key in published_keys(name)}
    return {key: {"title": vi, "description": en, **schema} for key, (vi, en) in texts.items()}


def _field_properties(spec: Any) -> dict[str, Any]:
    kind = "string" if spec.name in ("certificate_no", "name") else _KIND_TYPES.get(spec.kind, ["string", "null"])
    return _published(spec.name, spec.label_vi, spec.label_en, type=kind, **({"format": "date"} if spec.kind == "date" else {}))


def _object(properties: dict[str, Any], **head: Any) -> dict[str, Any]:
    return {**head, "type": "object", "additionalProperties": False, "required": list(properties), "properties": properties}


def _record() -> dict[str, Any]:
    return {key: prop for f in TENANT_FIELDS for key, prop in _field_properties(f).items()} | LIST_EXTRA


def _table_rows(table: Any) -> dict[str, Any]:
    kinds = {"text": ["string", "null"], "int": ["integer", "null"], "number": ["number", "null"], "percent": ["number", "null"]}
    return {"type": "array", "items": _object({key: prop for c in table.columns
                                                for key, prop in _published(c.key, c.header, c.en, type=kinds[c.kind]).items()})}


def _indicator_tables() -> dict[str, Any]:
    from kcn_tracker.periods import quarter
    from kcn_tracker.tenants.indicators import Indicators
    from kcn_tracker.tenants.report_tables import report_tables

    period = quarter(2026, 2)
    return dict(zip(INDICATOR_TABLES, report_tables(Indicators(period=period, end=period.end))))


def tenant_schemas() -> dict[str, dict[str, Any]]:
    """Every tenant output schema by name (the ``data`` part of the envelope)."""
    out: dict[str, dict[str, Any]] = {
        "tenants-list": {"$schema": DRAFT, "title": "Danh sách dự án thứ cấp",
                         "description": "kcn tenants list: tenant projects on the as-of date, one row each.",
                         "type": "array", "items": _object(_record())},
        "tenants-show": _object(_record(), **{"$schema": DRAFT, "title": "Một dự án thứ cấp",
                                              "description": "kcn tenants show: one tenant project's state on the as-of date."}),
        "tenants-history": {"$schema": DRAFT, "title": "Lịch sử dự án thứ cấp",
                            "description": "kcn tenants history: every event and obstacle entry of one tenant project.",
                            "type": "array", "items": _object({
                                "effective_on": {"title": "Ngày hiệu lực", "description": "Date the change took effect", "type": "string", "format": "date"},
                                "kind": {"title": "Loại: thay đổi, mở/giải quyết vướng mắc", "description": "event, obstacle_opened or obstacle_resolved", "type": "string"},
                                "changes": {"title": "Các trường thay đổi", "description": "Field values set by the event: tenant field key (as stored, e.g. realised_capital) -> value", "type": "object"},
                                "document": {"title": "Văn bản căn cứ", "description": "Cited document", "type": ["string", "null"]},
                                "note": {"title": "Ghi chú", "description": "Note (reason, obstacle description)", "type": ["string", "null"]},
                                "obstacle_id": {"title": "Số hiệu vướng mắc", "description": "Obstacle number for obstacle entries", "type": ["integer", "null"]},
                                "recorded_by": {"title": "Người ghi", "description": "Who recorded the entry", "type": ["string", "null"]}})},
        "tenants-industries": {"$schema": DRAFT, "title": "Danh mục ngành VSIC 2018",
                               "description": "kcn tenants industries: the VSIC 2018 codes tenants may be classified under.",
                               "type": "array", "items": _object({
                                   "code": {"title": "Mã ngành", "description": "VSIC code: section letter or 2-5 digits", "type": "string"},
                                   "level": {"title": "Cấp", "description": "section, division or detail", "type": "string"},
                                   "section": {"title": "Ngành cấp 1", "description": "Section letter (A-U)", "type": "string"},
                                   "label_vi": {"title": "Tên ngành", "description": "Vietnamese name", "type": "string"},
                                   "label_en": {"title": "Tên tiếng Anh", "description": "English name", "type": ["string", "null"]},
                                   "source": {"title": "Nguồn", "description": "Source of the row", "type": ["string", "null"]}})},
        "tenants-countries": {"$schema": DRAFT, "title": "Danh mục quốc gia, vùng lãnh thổ",
                              "description": "kcn tenants countries: investors' countries and territories.",
                              "type": "array", "items": _object({
                                  "code": {"title": "Mã ISO 3166-1", "description": "ISO 3166-1 alpha-2 code", "type": "string"},
                                  "label_vi": {"title": "Tên", "description": "Vietnamese name", "type": "string"},
                                  "label_en": {"title": "Tên tiếng Anh", "description": "English name", "type": "string"},
                                  "source": {"title": "Nguồn", "description": "Source of the row", "type": ["string", "null"]}})},
    }
    tables = _indicator_tables()
    whole = {}
    for name, table in tables.items():
        rows = _table_rows(table)
        out[f"indicators-{name}"] = {"$schema": DRAFT, "title": table.title.split(" — ")[0].split(" đến ")[0],
                                     "description": f"kcn indicators --table {name}: the rows of that table.", **rows}
        whole[name] = _object({"title": {"title": "Tiêu đề bảng", "description": "Table title", "type": "string"},
                               "notes": {"title": "Ghi chú", "description": "Notes printed under the table", "type": "array",
                                         "items": {"type": "string"}},
                               "rows": {"title": "Các dòng", "description": "Rows of the table", **rows}})
    out["indicators"] = _object(whole, **{"$schema": DRAFT, "title": "Chỉ số dự án thứ cấp",
                                          "description": "kcn indicators: every tenant indicator table of the period."})
    return out


def write_schemas(directory: Path) -> list[Path]:
    """Write every tenant schema file into ``directory``."""
    written = []
    for name, schema in tenant_schemas().items():
        path = directory / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    from kcn_tracker.interface.catalogue import SCHEMA_DIR

    for written_path in write_schemas(SCHEMA_DIR):
        print(written_path)
