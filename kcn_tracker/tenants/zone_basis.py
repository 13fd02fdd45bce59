"""One zone's leased land, tenant counts and capital on a date, each with its basis, for ``kcn zones show``
and the zone's web page.

The figures are ``derived.zone_figures`` (the function behind the indicators, the report tables,
``kcn progress`` and the map): from the zone's tenant projects when at least one is entered on that
date ("theo dự án thứ cấp"), else the figure typed from a document ("theo báo cáo"), which is cited
here with the document of the event that last set it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kcn_tracker.tenants.derived import BASIS_LABELS, BASIS_REPORTED, BASIS_TENANTS, ZoneFigures, zone_figures

#: (key, Vietnamese label, unit, zone field holding the reported figure or None): the figures, in page order.
FIGURES: tuple[tuple[str, str, str, str | None], ...] = (
    ("leased_ha", "Đã cho thuê (ha)", "ha", "leased_ha"),
    ("occupancy", "Tỷ lệ lấp đầy", "%", None),
    ("tenants_registered", "Dự án thứ cấp còn hiệu lực", "dự án", "tenants_registered"),
    ("tenants_operating", "Dự án thứ cấp đang hoạt động", "dự án", "tenants_operating"),
    ("capital_usd", "Vốn đăng ký dự án FDI (USD)", "USD", None),
    ("capital_vnd", "Vốn đăng ký dự án trong nước (đồng)", "đồng", None),
)
#: The zone fields whose reported value this module shows with its basis (pages leave them out of the plain state).
REPORTED_FIELDS = tuple(f[3] for f in FIGURES if f[3])


@dataclass(frozen=True)
class Figure:
    """One figure: its value on the date, its basis ("tenants" | "reported" | None) and, if reported, the document."""

    key: str
    label_vi: str
    unit: str
    value: float | int | Decimal | None
    basis: str | None
    document: str | None = None
    effective_on: dt.date | None = None
    #: Why a figure is missing when that is not obvious (occupancy without the leasable area).
    note: str | None = None

    @property
    def basis_vi(self) -> str:
        """"theo dự án thứ cấp" / "theo báo cáo" / "chưa có số liệu"."""
        return BASIS_LABELS[self.basis if self.value is not None else None]


@dataclass(frozen=True)
class ZoneBasis:
    """A zone's figures on ``day`` (``figures`` in ``FIGURES`` order) and how many tenant projects they count."""

    code: str
    day: dt.date
    basis: str | None
    figures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


_ZONE_EVENTS = ("SELECT e.id, e.effective_on, e.date_basis, e.changes, d.number, d.title, d.doc_id, d.issued_on "
                "FROM events e LEFT JOIN documents d ON d.id = e.document_id WHERE e.zone_id = ? ORDER BY e.effective_on, e.id")


def _zone_events(bind: Any, zone_id: int) -> list[tuple[Any, Any, str | None]]:
    """(EventRecord, effective date, document citation) of each of the zone's events, in time order (plain SQL)."""
    from kcn_tracker.progress_records import EventRecord
    from kcn_tracker.state import changes_value, citation, day_value, run

    out = []
    for event_id, on, basis, raw, *doc in run(bind, _ZONE_EVENTS, zone_id):
        day = day_value(on)
        out.append((EventRecord(day, changes_value(raw), basis, event_id), day, citation(*doc)))  # type: ignore[arg-type]
    return out


def _reported_sources(events: list[tuple[Any, Any, str | None]], day: dt.date) -> dict[str, tuple[str | None, dt.date]]:
    """Per reported field: (document citation, effective date) of the last event on or before ``day`` that set it."""
    out: dict[str, tuple[str | None, dt.date]] = {}
    for event, on, cited in events:
        if on > day:
            break
        for name in REPORTED_FIELDS:
            if name in (event.changes or {}):
                out[name] = (cited, on)
    return out


def _value(figures: ZoneFigures, key: str) -> Any:
    if key == "occupancy":
        return figures.occupancy
    if key in ("tenants_registered", "tenants_operating"):
        return figures.registered if key == "tenants_registered" else figures.operating
    if key in ("capital_usd", "capital_vnd"):
        return getattr(figures, key) if figures.basis == BASIS_TENANTS else None
    return getattr(figures, key)


def zone_basis(bind: Any, zone_id: int, code: str, day: dt.date) -> ZoneBasis | None:
    """The figures of the zone ``zone_id``/``code`` on ``day`` (plain SQL on a Connection or Session), None if
    the zone did not exist yet then."""
    from kcn_tracker.progress_data import load_tenant_timelines
    from kcn_tracker.progress_records import RecordTimeline

    events = _zone_events(bind, zone_id)
    timeline = RecordTimeline(code, tuple(event for event, _on, _cited in events))
    figures = zone_figures([timeline], load_tenant_timelines(bind), day).get(code)
    if figures is None:
        return None
    sources = _reported_sources(events, day) if figures.basis == BASIS_REPORTED else {}
    out = []
    for key, label, unit, field in FIGURES:
        value = _value(figures, key)
        basis = figures.basis if value is not None else None
        if key == "occupancy" and figures.basis == BASIS_REPORTED:
            field = "leased_ha"  # leased ÷ leasable: its basis is the leased figure's
        document, effective_on = sources.get(field or "", (None, None))
        note = None
        if key == "occupancy" and value is None and figures.leased_ha is not None:
            note = "chưa có diện tích đất công nghiệp cho thuê của khu"
        out.append(Figure(key, label, unit, value, basis, document, effective_on, note))
    return ZoneBasis(code, day, figures.basis, tuple(out))


def describe_basis(figure: Figure) -> str:
    """The basis in words, with the document of a reported figure: "theo báo cáo (Báo cáo 12/BC-BQL ngày 05/01/2026)"."""
    from kcn_tracker.text import format_date

    if figure.note:
        return f"{figure.basis_vi} ({figure.note})"
    if figure.basis != BASIS_REPORTED or figure.value is None:
        return figure.basis_vi
    cited = figure.document or "không ghi văn bản"
    when = f", hiệu lực {format_date(figure.effective_on)}" if figure.effective_on else ""
    return f"{figure.basis_vi} ({cited}{when})"


def figure_text(figure: Figure) -> str:
    """The value as people read it: "41,5" (ha), "41,5 %", "12.500.000" (USD); "—" when unknown."""
    from kcn_tracker.text import format_number, format_percent

    if figure.value is None:
        return "—"
    if figure.key == "occupancy":
        return format_percent(float(figure.value))
    return format_number(figure.value, decimals=2 if figure.unit in ("ha", "USD", "đồng") else 0)


def basis_lines(bind: Any, zone_id: int, code: str, day: dt.date) -> list[tuple[str, str, str]]:
    """(key, label, "value — basis") of a zone's figures for a terminal table; empty before the zone existed."""
    found = zone_basis(bind, zone_id, code, day)
    return [(f.key, f.label_vi, f"{figure_text(f)} — {describe_basis(f)}" if f.value is not None else describe_basis(f))
            for f in (found.figures if found else ())]


def figure_rows(bind: Any, zone_id: int, code: str, day: dt.date) -> list[dict[str, Any]]:
    """The figures as machine rows (``zones-show`` JSON ``figures``): occupancy in percent (``occupancy_pct``)."""
    from kcn_tracker.interface.published import percent

    found = zone_basis(bind, zone_id, code, day)
    rows = []
    for f in found.figures if found else ():
        key, value = (("occupancy_pct", percent(f.value)) if f.key == "occupancy" else (f.key, f.value))
        rows.append({"key": key, "value": value, "basis": f.basis if f.value is not None else None,
                     "document": f.document, "effective_on": f.effective_on})
    return rows
