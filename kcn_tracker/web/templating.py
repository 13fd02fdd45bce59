"""The Jinja2 environment: autoescape always on (whatever a template's name), Vietnamese formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jinja2

from kcn_tracker.fields import OBSTACLE_CATEGORIES, field_spec
from kcn_tracker.labels import VALUE_LABELS
from kcn_tracker.stages import label as stage_label
from kcn_tracker.text import format_date, format_number, format_percent

TEMPLATES = Path(__file__).resolve().parent / "templates"
RECORD_NOUNS = {"zone": "Khu/cụm công nghiệp", "project": "Dự án điện"}
PLURAL_PATH = {"zone": "zones", "project": "projects"}


#: Fields shown first on a record page, in this order; the rest follow in declaration order.
FIRST_FIELDS = ("stage", "kind", "technology", "capacity_mw", "capacity_operating_mw", "expected_cod", "actual_cod",
                "investor", "developer", "total_area_ha", "leasable_ha", "leased_ha", "tenants_registered",
                "tenants_operating", "commune")


def ordered_state(state: dict[str, Any]) -> list[tuple[str, Any]]:
    """The state's fields with the important ones first (geometry, code and name left out)."""
    names = [n for n in FIRST_FIELDS if n in state] + [n for n in state if n not in FIRST_FIELDS]
    return [(n, state[n]) for n in names if n not in ("geometry", "code", "name") and state[n] not in (None, "")]


def show_value(record_type: str, name: str, value: Any) -> str:
    """A field value as people read it: labels, Vietnamese numbers and dates, có/không."""
    if value is None or value == "":
        return "—"
    if name == "stage":
        return stage_label(record_type, value)  # type: ignore[arg-type]
    if labels := VALUE_LABELS.get(name):
        return labels.get(str(value), str(value))
    try:
        kind = field_spec(record_type, name).kind
    except KeyError:
        kind = "str"
    if kind == "date":
        return format_date(dt.date.fromisoformat(value) if isinstance(value, str) else value)
    if kind == "bool":
        return "có" if value else "không"
    if kind == "int":
        return format_number(value, decimals=0)
    if kind == "float":
        return format_number(value, decimals=3)
    return str(value)


def field_label(record_type: str, name: str) -> str:
    """The Vietnamese label of a field."""
    try:
        return field_spec(record_type, name).label_vi
    except KeyError:
        return name


def _vietnam_time(moment: dt.datetime | None) -> str:
    """A stored instant (naive ones are UTC, as SQLite returns them) in Vietnam's time."""
    if moment is None:
        return "—"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y %H:%M")


def _status_label(key: str | None) -> str:
    from kcn_tracker.obstacles.statuses import status_label

    return status_label(key)


def step_text(changes: dict[str, Any] | None, agencies: dict[str, str]) -> str:
    """One step of an obstacle in Vietnamese: "Trạng thái: Đang xử lý; cơ quan: …; hạn: 30/09/2026"."""
    from kcn_tracker.obstacles.statuses import status_label

    changes = changes or {}
    parts = []
    if "status" in changes:
        parts.append(f"trạng thái: {status_label(changes['status'])}")
    if "agency_key" in changes:
        parts.append(f"cơ quan: {agencies.get(changes['agency_key'] or '', 'chưa rõ')}")
    if changes.get("action_requested"):
        parts.append(f"đề nghị: {changes['action_requested']}")
    if changes.get("deadline"):
        parts.append(f"hạn: {format_date(dt.date.fromisoformat(changes['deadline']))}")
    text = "; ".join(parts) or "cập nhật tình hình"
    return text[0].upper() + text[1:]


def make_environment() -> jinja2.Environment:
    """Our own environment: ``autoescape=True`` for every template, undefined names are errors."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(
        num=lambda v, d=1: format_number(v, decimals=d),
        pct=format_percent,
        vdate=lambda v: format_date(v),
        vdatetime=_vietnam_time,
        iso=lambda v: v.isoformat() if v else "",
    )
    env.globals.update(
        stage_label=stage_label, show_value=show_value, ordered_state=ordered_state, field_label=field_label, nouns=RECORD_NOUNS,
        plural=PLURAL_PATH, categories=OBSTACLE_CATEGORIES, step_text=step_text, status_label=_status_label,
        category_options=[(key, vi) for key, (vi, _en) in OBSTACLE_CATEGORIES.items()],
        date_basis_options=list(VALUE_LABELS["date_basis"].items()),
    )
    return env
