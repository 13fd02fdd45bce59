"""Published keys: the names machine outputs give to values, decided once.

Stored names (event JSON, database columns, ``fields.py`` and ``tenants/fields.py``
keys) are not renamed; the machine outputs (``--format json|csv``, ``/api/v1/…``) name
every date and quantity with its unit (``UNITS``). ``PUBLISHED`` says where each
published key that differs from the stored or computed one reads its value;
``publish`` builds an output's data from internal rows: exactly the keys its schema
declares, in order, each read through ``PUBLISHED``. It is the one place outputs
rename keys; the CLI (``cli.render``) and the web API (``interface.queries``) call it.

The naming rule (tests/test_machine_interface.py enforces it on every schema): a date
key ends in ``_on`` (``DATE_EXCEPTIONS`` aside); a number key names its unit
(``unit_of``) or is a declared unit-less number (``UNITLESS``: counts, ids, years).
Imports nothing heavy: quick commands call it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kcn_tracker.interface.envelope import plain

#: Units a published key names, as its last word(s): suffix -> (meaning, nghĩa).
UNITS: dict[str, tuple[str, str]] = {
    "_on": ("a date, ISO yyyy-mm-dd", "ngày (ISO)"),
    "_mw": ("megawatts", "MW"),
    "_ha": ("hectares", "ha"),
    "_kv": ("kilovolts", "kV"),
    "_pct": ("percent, 0-100 (70.5 is 70.5 %), rounded to 2 decimals", "phần trăm (0-100)"),
    "_usd": ("US dollars", "USD"),
    "_million_usd": ("million US dollars", "triệu USD"),
    "_vnd": ("Vietnamese đồng", "đồng"),
    "_billion_vnd": ("billion đồng", "tỷ đồng"),
    "_vnd_per_usd": ("đồng per US dollar (an exchange rate)", "đồng/USD"),
    "_days": ("days (also as the first word: days_overdue, days_open, days_since)", "ngày (số ngày)"),
    "_months": ("months", "tháng"),
}

#: Date keys that do not end in ``_on``, and why.
DATE_EXCEPTIONS: dict[str, str] = {
    "as_of": "envelope: the date the data describes",
}

#: Number keys without a unit, and what they are: counts (of projects, zones, people...), ids, codes, years,
#: or numbers whose unit another key of the row gives.
UNITLESS: dict[str, str] = {
    **dict.fromkeys((
        "projects", "named_projects", "unnamed_projects", "plan_projects", "zones_without_area", "approximate_locations",
        "without_location", "open_obstacles", "new_zones_without_area", "land_fund_without_area", "new_kcn_operating",
        "new_kcn_firm", "new_kcn_total", "new_kcn_high_tech", "new_kcn_inferred", "tenants_registered", "tenants_operating",
        "registered", "operating", "fdi_projects", "ddi_projects", "fdi_count", "ddi_count", "new_count", "valid_count",
        "workers_vn", "workers_foreign", "zones_by_kind", "zones_by_stage", "projects_by_stage",
        "pipeline_without_area_by_stage"), "count"),
    "total": "count (indicators-workers); in indicators-summary the row's `unit` gives the unit",
    **dict.fromkeys(("id", "obstacle_id"), "obstacle number"),
    "severity": "severity code (1 high, 2 medium, 3 low)",
    "order": "position in a sequence",
    "version": "optimistic-lock version",
    "schema_version": "schema version",
    "expected_year": "calendar year",
    **dict.fromkeys(("value", "value_max", "fdi", "ddi"), "the row's `unit` gives the unit"),
    "inputs": "a map whose keys name their units (counted_mw, target_pct; counts unsuffixed)",
}


def unit_of(key: str) -> str | None:
    """The unit suffix ``key`` names, or None: ``capacity_mw`` -> ``_mw``; a map keyed by year, stage or
    technology names it before ``_by_…`` (``online_mw_by_year``, ``mw_by_technology``); a duration may
    start with it (``days_overdue``)."""
    for base in (key, key.rsplit("_by_", 1)[0]):  # capacity_mw, expected_by_deadline_mw; online_mw_by_year
        for suffix in sorted(UNITS, key=len, reverse=True):
            if f"_{base}".endswith(suffix):
                return suffix
    return "_days" if key.startswith("days_") else None


@dataclass(frozen=True)
class Source:
    """Where a published key reads its value: an internal key, converted (value, whole row) -> published value."""

    key: str
    convert: Callable[[Any, Mapping[str, Any]], Any] | None = None
    note: str = ""

    def read(self, row: Mapping[str, Any]) -> Any:
        value = row.get(self.key)
        return value if self.convert is None else self.convert(value, row)


def percent(ratio: Any, row: Mapping[str, Any] | None = None) -> float | None:
    """A 0-1 ratio as percent (0-100), 2 decimals."""
    return None if ratio is None else round(float(ratio) * 100, 2)


def _when(test: Callable[[Mapping[str, Any]], bool]) -> Callable[[Any, Mapping[str, Any]], Any]:
    return lambda value, row: value if test(row) else None


#: Register fields (``fields.py``, ``tenants/fields.py``: events, database, imports) -> published key, where they differ.
FIELD_KEYS: dict[str, str] = {
    "expected_cod": "expected_cod_on",
    "actual_cod": "actual_cod_on",
    "expected_construction_start": "expected_construction_start_on",
    "expected_first_power": "expected_first_power_on",
    "expected_infrastructure_done": "expected_infrastructure_done_on",
    "fx_rate": "fx_rate_vnd_per_usd",
}

#: Published key -> where it reads its value, for every published key that differs from the internal one.
PUBLISHED: dict[str, Source] = {
    **{published: Source(field) for field, published in FIELD_KEYS.items()},
    "realised_usd": Source("realised_capital", _when(lambda row: bool(row.get("fdi"))), "tenant projects: FDI ones (null for domestic)"),
    "realised_vnd": Source("realised_capital", _when(lambda row: not row.get("fdi")), "tenant projects: domestic ones (null for FDI)"),
    "last_confirmed_on": Source("last_confirmed"),
    "deadline_on": Source("deadline"),
    "reference_on": Source("date", note="alerts: the date `days` counts from"),
    "occupancy_pct": Source("occupancy", percent, "the 0-1 ratio × 100"),
    "t4_occupancy_pct": Source("t4_occupancy", percent, "the 0-1 ratio × 100"),
    "mw": Source("size", _when(lambda row: row.get("record_type") == "project"), "progress stuck[]: projects (null for zones); elsewhere mw is computed as mw"),
    "area_ha": Source("size", _when(lambda row: row.get("record_type") == "zone"), "progress stuck[]: zones (null for projects); elsewhere area_ha is computed as area_ha"),
    "online_mw_by_year": Source("online_by_year"),
    "expected_mw_by_year": Source("expected_by_year"),
    "cumulative_mw_by_year": Source("cumulative_by_year"),
    "gap_mw_by_year": Source("gap_by_year"),
}


def published_keys(internal: str) -> list[str]:
    """The key(s) an internal field or column is published as (two where one value splits: realised_capital)."""
    return [key for key, source in PUBLISHED.items() if source.key == internal] or [internal]


def publish(output: str, data: Any) -> Any:
    """``data`` as output ``output`` publishes it: every key its schema declares, in order, as plain values.

    A declared key the data has is taken as it is; otherwise it is read through ``PUBLISHED``
    (so publishing published data changes nothing); otherwise it is null. Maps (objects
    without declared properties, e.g. history ``changes`` by field key) keep their keys.
    """
    from kcn_tracker.interface.catalogue import data_schema

    return _shape(data_schema(output), data)


def _shape(spec: Mapping[str, Any], value: Any) -> Any:
    if isinstance(value, Mapping) and "properties" in spec:
        return {key: _shape(sub, _read(value, key)) for key, sub in spec["properties"].items()}
    items = spec.get("items")
    if isinstance(value, (list, tuple)) and isinstance(items, Mapping) and "properties" in items:
        return [_shape(items, v) for v in value]
    return plain(value)


def _read(row: Mapping[str, Any], key: str) -> Any:
    if key in row:
        return row[key]
    source = PUBLISHED.get(key)
    return source.read(row) if source else None
