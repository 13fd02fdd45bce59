"""Zone figures derived from the tenant projects on any date, or the reported figure where none are entered.

Pure functions over plain timelines (``progress_records.RecordTimeline``; a tenant's
``code`` is its certificate number), so ``kcn progress`` uses them without the ORM.
A zone with at least one tenant project entered (on that date) takes its leased land,
counts and capital from them ("theo dự án thứ cấp"); otherwise the zone keeps the
figure typed from a document ("theo báo cáo").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kcn_tracker.progress_records import RecordTimeline
from kcn_tracker.quantities import plus

BASIS_TENANTS = "tenants"
BASIS_REPORTED = "reported"
BASIS_LABELS = {BASIS_TENANTS: "theo dự án thứ cấp", BASIS_REPORTED: "theo báo cáo", None: "chưa có số liệu"}
ENDED = ("revoked",)


def money(value: Any) -> Decimal | None:
    """An event's money value (exact text) as a Decimal."""
    return None if value is None else Decimal(str(value))


def native_capital(state: dict[str, Any]) -> Decimal | None:
    """Registered capital in the project's own currency: USD for FDI, VND for domestic."""
    return money(state.get("capital_usd") if state.get("fdi") else state.get("capital_vnd"))


def tenant_states(tenants: Iterable[RecordTimeline], day: dt.date) -> list[dict[str, Any]]:
    """The state on ``day`` of every tenant entered by then (JSON values), with ``certificate_no``."""
    out = []
    for timeline in tenants:
        state = timeline.state(day)
        if state:
            out.append({**state, "certificate_no": timeline.code})
    return out


def is_valid(state: dict[str, Any]) -> bool:
    """Còn hiệu lực: entered and not terminated."""
    return state.get("stage") not in ENDED


@dataclass(eq=False, kw_only=True)
class Totals:
    """What valid tenant projects add up to: counts, capital (FDI USD, domestic VND, never mixed), workers."""

    valid_fdi: int = 0
    valid_ddi: int = 0
    operating_fdi: int = 0
    operating_ddi: int = 0
    capital_usd: Decimal = field(default_factory=Decimal)
    capital_vnd: Decimal = field(default_factory=Decimal)
    realised_usd: Decimal = field(default_factory=Decimal)
    realised_vnd: Decimal = field(default_factory=Decimal)
    workers_vn: int = 0
    workers_foreign: int = 0

    def add(self, state: dict[str, Any]) -> None:
        """Count one valid project's state (JSON values)."""
        operating = state.get("stage") == "operating"
        capital, realised = native_capital(state) or Decimal(0), money(state.get("realised_capital")) or Decimal(0)
        if state.get("fdi"):
            self.valid_fdi, self.operating_fdi = self.valid_fdi + 1, self.operating_fdi + operating
            self.capital_usd, self.realised_usd = self.capital_usd + capital, self.realised_usd + realised
        else:
            self.valid_ddi, self.operating_ddi = self.valid_ddi + 1, self.operating_ddi + operating
            self.capital_vnd, self.realised_vnd = self.capital_vnd + capital, self.realised_vnd + realised
        self.workers_vn += int(state.get("workers_vn") or 0)
        self.workers_foreign += int(state.get("workers_foreign") or 0)


@dataclass(eq=False)
class ZoneFigures(Totals):
    """One zone's occupancy and tenant figures on a date, and the basis they have."""

    code: str
    name: str
    kind: str
    phase: str | None = None
    stage: str | None = None
    total_area_ha: float | None = None
    leasable_ha: float | None = None
    leased_ha: float | None = None
    registered: int | None = None
    operating: int | None = None
    basis: str | None = None

    @property
    def occupancy(self) -> float | None:
        """Leased ÷ leasable land (None when either is unknown)."""
        return self.leased_ha / self.leasable_ha if self.leased_ha is not None and self.leasable_ha else None

    @property
    def basis_vi(self) -> str:
        return BASIS_LABELS[self.basis]

    def add(self, state: dict[str, Any]) -> None:
        """Count one valid project, its leased land included."""
        super().add(state)
        self.registered = (self.registered or 0) + 1
        self.operating = (self.operating or 0) + (state.get("stage") == "operating")
        self.leased_ha = plus(self.leased_ha, state.get("leased_ha"))


def zone_figures(zones: Iterable[RecordTimeline], tenants: Iterable[RecordTimeline], day: dt.date) -> dict[str, ZoneFigures]:
    """Every zone existing on ``day``: figures from its tenants if any were entered, else as reported."""
    states = tenant_states(tenants, day)
    with_tenants = {s.get("zone_code") for s in states}
    out: dict[str, ZoneFigures] = {}
    for timeline in zones:
        z = timeline.state(day)
        if not z:
            continue
        figures = ZoneFigures(timeline.code, z.get("name") or timeline.code, z.get("kind") or "", z.get("phase"), z.get("stage"),
                              z.get("total_area_ha"), z.get("leasable_ha"))
        if timeline.code in with_tenants:
            figures.basis, figures.leased_ha, figures.registered, figures.operating = BASIS_TENANTS, 0.0, 0, 0
        else:
            figures.leased_ha, figures.registered, figures.operating = z.get("leased_ha"), z.get("tenants_registered"), z.get("tenants_operating")
            figures.basis = BASIS_REPORTED if any(v is not None for v in (figures.leased_ha, figures.registered, figures.operating)) else None
        out[timeline.code] = figures
    for state in states:
        zone = out.get(state.get("zone_code") or "")
        if zone is not None and is_valid(state):
            zone.add(state)
    return out


def derived_leased_ha(tenants: Iterable[RecordTimeline], day: dt.date) -> dict[str, float]:
    """Leased hectares per zone code from its valid tenants on ``day`` (zones without tenants absent)."""
    out: dict[str, float] = {}
    for state in tenant_states(tenants, day):
        code = state.get("zone_code")
        if code:
            out[code] = plus(out.get(code), state.get("leased_ha") if is_valid(state) else None)
    return out


def apply_derived_leases(zone_rows: list[dict[str, Any]], tenants: Iterable[RecordTimeline], day: dt.date) -> None:
    """Give zone view rows (``registry.views``) the leased land of their tenants, and say the basis (for the map)."""
    derived = derived_leased_ha(tenants, day)
    for row in zone_rows:
        if row.get("code") in derived:
            row["leased_ha"], row["leased_basis"] = derived[row["code"]], BASIS_TENANTS
        elif row.get("leased_ha") is not None:
            row["leased_basis"] = BASIS_REPORTED
