"""Shared pieces of the interchange tests: a tiny register, a DB snapshot, the CLI on an engine."""

from __future__ import annotations

from pathlib import Path

from click.testing import Result
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from cli_helpers import kcn
from factories import D, add_project, add_technologies, add_zone
from kcn_tracker.db import session_scope
from kcn_tracker.models import Document, Event, Obstacle, Project, Zone

DATA = Path(__file__).resolve().parent / "data"


def seed(engine: Engine) -> Engine:
    """Two projects and two zones; Ninh Thủy has a recorded area of 120 ha."""
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        add_project(s, "pt2", name="Điện mặt trời Phước Thái 2", capacity_mw=87.0, stage="investor_approved",
                    investor="Công ty A", on=D(2025, 3, 1))
        add_project(s, "lng", name="LNG Cà Ná", technology="lng", capacity_mw=1500.0, stage="policy_decision",
                    on=D(2025, 4, 14))
        add_zone(s, "ninh-thuy", name="KCN Ninh Thủy", total_area_ha=120.0, stage="operating", leasable_ha=80.0)
        add_zone(s, "doc-da-trang", name="KCN Dốc Đá Trắng", stage="site_clearance")
    return engine


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def run(engine: Engine, *args: str) -> Result:
    """``kcn --db <engine> ARGS`` in-process."""
    return kcn(url_of(engine), *args)


def snapshot(engine: Engine) -> tuple:
    """Everything an import could change: counts, and every record's version and state columns."""
    with session_scope(engine) as s:
        counts = tuple(s.scalar(select(func.count()).select_from(m)) for m in (Event, Obstacle, Document))
        projects = [(p.code, p.version, p.stage, p.capacity_mw, p.capacity_operating_mw, p.investor, p.geometry,
                     p.location_precision) for p in s.scalars(select(Project).order_by(Project.code))]
        zones = [(z.code, z.version, z.stage, z.leased_ha, z.geometry, z.location_precision)
                 for z in s.scalars(select(Zone).order_by(Zone.code))]
    return counts, projects, zones
