"""Plain data for the indicators and report tables, read with plain SELECTs (no ORM), as ``progress_data``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kcn_tracker.progress_data import _day, load_records
from kcn_tracker.progress_records import ProgressRecords, RecordTimeline


@dataclass(frozen=True)
class BaseFigureRecord:
    """A figure the office entered for an indicator's denominator, with its citation."""

    key: str
    year: int
    value: Decimal
    citation: str | None
    note: str | None


@dataclass
class TenantData:
    """Zones' and tenants' timelines, base figures and the labels of countries and industries."""

    zones: tuple[RecordTimeline, ...]
    tenants: tuple[RecordTimeline, ...]
    base_figures: list[BaseFigureRecord] = field(default_factory=list)
    countries: dict[str, str] = field(default_factory=dict)
    industries: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (section, label_vi)
    targets: dict[str, Any] = field(default_factory=dict)

    def base_figure(self, key: str, year: int) -> BaseFigureRecord | None:
        """The figure for ``year``, else the latest earlier one (the caller says which year it is)."""
        found = [b for b in self.base_figures if b.key == key and b.year <= year]
        return max(found, key=lambda b: b.year) if found else None


_BASE_SQL = ("SELECT b.key, b.year, b.value, d.number, d.issued_on, b.note FROM base_figures b "
             "LEFT JOIN documents d ON d.id = b.document_id ORDER BY b.key, b.year")


def _citation(number: Any, issued_on: Any) -> str | None:
    if not number:
        return None
    day = _day(issued_on)
    return f"{number} ngày {day:%d/%m/%Y}" if day else str(number)


def load_tenant_data(bind: Any, *, records: ProgressRecords | None = None) -> TenantData:
    """Everything the indicators need from the database (reads only, never commits)."""
    records = records or load_records(bind)
    connection = bind if hasattr(bind, "exec_driver_sql") else bind.connection()
    base = [BaseFigureRecord(r[0], int(r[1]), Decimal(str(r[2])), _citation(r[3], r[4]), r[5])
            for r in connection.exec_driver_sql(_BASE_SQL).all()]
    countries = dict(connection.exec_driver_sql("SELECT code, label_vi FROM countries").all())
    industries = {r[0]: (r[1], r[2]) for r in connection.exec_driver_sql("SELECT code, section, label_vi FROM industries").all()}
    return TenantData(records.zones, records.tenants, base, countries, industries,
                      {t.target_id: t for t in records.targets})

