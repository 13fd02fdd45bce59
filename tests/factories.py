"""A tiny-register factory: build zones and projects with history, with keyword overrides.

Events are written as past facts whatever the clock says (``today`` = the event's own
date), so a register built for a 2026 scenario loads the same when the suite runs with
KCN_TODAY pinned to an earlier day; the "not in the future" rule has its own tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from kcn_tracker.history import record_change
from kcn_tracker.models import Project, Technology, Zone

TECHNOLOGIES = {
    "solar": "T2a", "onshore_wind": "T2b", "lng": "T2c", "pumped_storage": "T2d", "small_hydro": "T2d",
    "large_hydro": "T2d", "waste_to_energy": "T2d", "battery_storage": "T2d", "rooftop_solar": "T2d",
    "nuclear": None, "transmission": None,
}
D = dt.date


def add_technologies(session: Session) -> None:
    """The technology table with the default sub-target mapping."""
    for key, target in TECHNOLOGIES.items():
        session.add(Technology(key=key, label_vi=key.replace("_", " "), label_en=key, target_id=target))
    session.flush()


def add_project(session: Session, code: str, *, on: dt.date = D(2025, 4, 15), **fields: Any) -> Project:
    """A project created on ``on`` with ``fields`` (defaults: named solar in plan, 100 MW, in_plan)."""
    values = {"name": code.replace("-", " ").title(), "technology": "solar", "capacity_mw": 100.0, "plan_role": "named",
              "in_plan_60": True, "stage": "in_plan", **fields}
    record = Project(code=code, name=values["name"], name_key="", location_precision="none")
    session.add(record)
    record_change(session, record, values, effective_on=on, by="test", origin="test", today=on)
    session.flush()
    return record


def add_zone(session: Session, code: str, *, on: dt.date = D(2025, 1, 1), **fields: Any) -> Zone:
    """A zone created on ``on`` with ``fields`` (defaults: KCN in plan)."""
    values = {"name": code.replace("-", " ").title(), "kind": "KCN", "stage": "in_plan", **fields}
    record = Zone(code=code, name=values["name"], name_key="", kind=values["kind"], location_precision="none")
    session.add(record)
    record_change(session, record, values, effective_on=on, by="test", origin="test", today=on)
    session.flush()
    return record


def change(session: Session, record: Zone | Project, on: dt.date, note: str | None = None, **fields: Any) -> None:
    """Append an event to ``record``."""
    record_change(session, record, fields, effective_on=on, note=note, by="test", origin="test", today=on)
    session.flush()
