"""The indicators the board reports about tenant projects, for a period, from plain timelines.

Flows in the period (after ``period.after`` up to ``end``): new projects (first event, the
certificate), adjusted projects (a later event changing the registered capital: the
change is counted, up or down), terminated projects (moved to "revoked": their
capital leaves); split FDI (USD) / domestic (VND), by country and by VSIC section.
Stocks on ``end``: valid and operating projects, capital, realised capital, workers,
zones' occupancy (``derived.zone_figures``); T9, T11, T12 as documented in docs/TENANTS.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kcn_tracker.errors import InvalidValue
from kcn_tracker.periods import Period
from kcn_tracker.tenants.derived import Totals, ZoneFigures, is_valid, money, native_capital, tenant_states, zone_figures
from kcn_tracker.tenants.records import TenantData

MANUFACTURING_ENTERPRISES = "manufacturing_enterprises"
#: Keys of the figures the office enters (``kcn indicators set-base``): label, unit.
BASE_KEYS: dict[str, tuple[str, str]] = {
    MANUFACTURING_ENTERPRISES: ("Số doanh nghiệp chế biến, chế tạo đang hoạt động trên địa bàn tỉnh", "doanh nghiệp"),
}


@dataclass(eq=False)
class Flow:
    """A count of projects and their capital in the project's currency."""

    count: int = 0
    capital: Decimal = field(default_factory=Decimal)


@dataclass(eq=False)
class Attracted:
    """New, adjusted and terminated projects of one investment type in the period."""

    new: Flow = field(default_factory=Flow)
    adjusted: Flow = field(default_factory=Flow)
    revoked: Flow = field(default_factory=Flow)


@dataclass(eq=False)
class GroupLine:
    """One country or VSIC section: projects new in the period, capital new + adjusted, valid projects at the end."""

    key: str
    label: str
    new_count: int = 0
    capital_usd: Decimal = field(default_factory=Decimal)
    capital_vnd: Decimal = field(default_factory=Decimal)
    valid_count: int = 0


@dataclass(eq=False)
class Indicators(Totals):
    """Every tenant indicator for a period (the ``Totals`` are those of every valid project at the end)."""

    period: Period
    end: dt.date
    fdi: Attracted = field(default_factory=Attracted)
    ddi: Attracted = field(default_factory=Attracted)
    by_country: list[GroupLine] = field(default_factory=list)
    by_industry: list[GroupLine] = field(default_factory=list)
    zones: list[ZoneFigures] = field(default_factory=list)
    kcn_operating: int = 0
    ccn_operating: int = 0
    t12: float | None = None
    t12_enterprises: Decimal | None = None
    t12_year: int | None = None
    t12_source: str | None = None
    t9: float | None = None
    t9_digital: int = 0
    t11: int = 0
    #: The targets T9, T11, T12 as bundled (label, value, unit, deadline), for the comparison printed with them.
    targets: dict[str, Any] = field(default_factory=dict)


def period_end(period: Period, as_of: dt.date | None) -> dt.date:
    """The last day counted: the period's end, or ``as_of`` inside the period (a period still running)."""
    if as_of is None:
        return period.end
    if not period.after < as_of <= period.end:
        raise InvalidValue(f"--as-of {as_of:%d/%m/%Y} phải nằm trong kỳ {period.label_vi} ({period.range_vi}) / "
                           "--as-of must fall inside the period")
    return as_of


def _group(groups: dict[str, GroupLine], key: str, label: str) -> GroupLine:
    if key not in groups:
        groups[key] = GroupLine(key, label)
    return groups[key]


def _flows(data: TenantData, ind: Indicators, after: dt.date, end: dt.date,
           countries: dict[str, GroupLine], sections: dict[str, GroupLine]) -> None:
    for timeline in data.tenants:
        state: dict[str, Any] = {}
        for index, event in enumerate(timeline.events):
            if event.effective_on > end:
                break
            before = dict(state)
            state.update(event.changes)
            if event.effective_on <= after:
                continue
            kind = ind.fdi if state.get("fdi") else ind.ddi
            capital_field = "capital_usd" if state.get("fdi") else "capital_vnd"
            delta = Decimal(0)
            if index == 0:
                kind.new.count += 1
                delta = native_capital(state) or Decimal(0)
                kind.new.capital += delta
            elif money(before.get(capital_field)) != money(state.get(capital_field)):
                delta = (native_capital(state) or Decimal(0)) - (native_capital(before) or Decimal(0))
                kind.adjusted.count += 1
                kind.adjusted.capital += delta
            if state.get("stage") == "revoked" and before.get("stage") != "revoked":
                kind.revoked.count += 1
                kind.revoked.capital += native_capital(before) or Decimal(0)
            if index != 0 and not delta:
                continue
            for line in _lines_of(data, state, countries, sections):
                line.new_count += index == 0
                if state.get("fdi"):
                    line.capital_usd += delta
                else:
                    line.capital_vnd += delta


def _lines_of(data: TenantData, state: dict[str, Any], countries: dict[str, GroupLine],
              sections: dict[str, GroupLine]) -> list[GroupLine]:
    country = state.get("country") or ""
    section = data.industries.get(state.get("industry") or "", ("", ""))[0]
    section_label = data.industries.get(section, ("", "chưa rõ ngành"))[1]
    return [_group(countries, country, data.countries.get(country, "chưa rõ quốc tịch")), _group(sections, section, section_label)]


def compute_indicators(data: TenantData, period: Period, *, as_of: dt.date | None = None) -> Indicators:
    """Flows in the period and stocks at its end (or at ``as_of`` inside it)."""
    end = period_end(period, as_of)
    ind = Indicators(period=period, end=end)
    countries: dict[str, GroupLine] = {}
    sections: dict[str, GroupLine] = {}
    _flows(data, ind, period.after, end, countries, sections)
    figures = zone_figures(data.zones, data.tenants, end)
    kinds = {code: z.kind for code, z in figures.items()}
    kcn_operating_digital = 0
    for state in tenant_states(data.tenants, end):
        if not is_valid(state):
            continue
        operating = state.get("stage") == "operating"
        for line in _lines_of(data, state, countries, sections):
            line.valid_count += 1
        ind.add(state)
        ind.t11 += bool(state.get("high_tech"))
        kind = kinds.get(state.get("zone_code") or "")
        if operating and kind == "KCN":
            ind.kcn_operating += 1
            kcn_operating_digital += bool(state.get("digital_tech"))
        ind.ccn_operating += operating and kind == "CCN"
    ind.t9_digital = kcn_operating_digital
    ind.t9 = kcn_operating_digital / ind.kcn_operating if ind.kcn_operating else None
    ind.targets = {key: data.targets[key] for key in ("T9", "T11", "T12") if key in data.targets}
    base = data.base_figure(MANUFACTURING_ENTERPRISES, end.year)
    if base is not None:
        ind.t12_enterprises, ind.t12_year, ind.t12_source = base.value, base.year, base.citation
        ind.t12 = float(Decimal(ind.ccn_operating) * 1000 / base.value) if base.value else None
    ind.zones = sorted(figures.values(), key=lambda z: (z.kind, z.name))
    ind.by_country = sorted(countries.values(), key=lambda g: (-g.capital_usd, -g.new_count, g.label))
    ind.by_industry = sorted(sections.values(), key=lambda g: g.key or "~")
    return ind
