"""SQLAlchemy 2 models: zones, power projects, documents, events, obstacles, targets.

Zones and projects hold their *current* state; every change to them is an
append-only ``Event`` and the current state is always the replay of those events
(see ``history``). Geometry is WGS 84 WKT: TEXT on SQLite, a PostGIS
``geometry(Geometry,4326)`` column on PostgreSQL so QGIS opens the tables directly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.types import UserDefinedType


class PostGISGeometry(UserDefinedType):
    """PostGIS geometry column (SRID 4326) read and written as WKT text."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "geometry(Geometry,4326)"

    def bind_expression(self, bindvalue: Any) -> Any:
        return func.ST_GeomFromText(bindvalue, 4326, type_=self)

    def column_expression(self, col: Any) -> Any:
        return func.ST_AsText(col, type_=self)


#: WKT on SQLite (portable, no SpatiaLite needed), PostGIS geometry on PostgreSQL.
Geometry = Text().with_variant(PostGISGeometry(), "postgresql")


class Base(DeclarativeBase):
    """Declarative base of all tables."""


class Recorded:
    """Who recorded an append-only row, when, and from where (CLI, import, web): shared columns."""

    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    origin: Mapped[str] = mapped_column(String(300), default="cli")


class Document(Base):
    """A văn bản: decision, plan or report that records and events cite."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(80), unique=True)
    number: Mapped[str | None] = mapped_column(String(80))
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    issuer: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(Text)
    seed_file: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)

    def citation(self) -> str:
        """Short Vietnamese citation: "215/QĐ-UBND ngày 14/04/2025"."""
        from kcn_tracker.state import citation

        return citation(self.number, self.title, self.doc_id, self.issued_on)  # type: ignore[return-value]


class Technology(Base):
    """A generation technology and the sub-target (T2a–T2d) it counts toward: editable data."""

    __tablename__ = "technologies"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    label_vi: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    target_id: Mapped[str | None] = mapped_column(String(10))
    plan_mw: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(Text)


class Target(Base):
    """A provincial target (T1–T12) with its citation."""

    __tablename__ = "targets"

    target_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    label_vi: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(40))
    comparator: Mapped[str | None] = mapped_column(String(4))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class PlanFact(Base):
    """A figure about the PDP8 list as a whole (60 projects, 8,517.4 MW...)."""

    __tablename__ = "plan_facts"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(Text)


class _Located:
    """Columns shared by zones and projects."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    stage: Mapped[str | None] = mapped_column(String(40))
    commune: Mapped[str | None] = mapped_column(String(200))
    address_as_written: Mapped[str | None] = mapped_column(Text)
    geometry: Mapped[str | None] = mapped_column(Geometry)
    location_precision: Mapped[str] = mapped_column(String(20), default="none")
    location_basis: Mapped[str | None] = mapped_column(Text)
    location_source: Mapped[str | None] = mapped_column(Text)
    location_licence: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # Optimistic locking: an UPDATE from a stale read matches no row and is refused.
        return {"version_id_col": cls.__table__.c.version}


class Zone(_Located, Base):
    """An industrial park (KCN), cluster (CCN) or economic-zone area (KKT), or one phase of it."""

    __tablename__ = "zones"
    __table_args__ = (
        CheckConstraint("kind IN ('KCN','CCN','KKT')", name="zone_kind"),
        CheckConstraint("leased_ha IS NULL OR leasable_ha IS NULL OR leased_ha <= leasable_ha", name="leased_le_leasable"),
    )

    kind: Mapped[str] = mapped_column(String(3))
    phase: Mapped[str | None] = mapped_column(String(80))
    total_area_ha: Mapped[float | None] = mapped_column(Float)
    area_note: Mapped[str | None] = mapped_column(Text)
    leasable_ha: Mapped[float | None] = mapped_column(Float)
    leased_ha: Mapped[float | None] = mapped_column(Float)
    tenants_registered: Mapped[int | None] = mapped_column(Integer)
    tenants_operating: Mapped[int | None] = mapped_column(Integer)
    developer: Mapped[str | None] = mapped_column(String(300))
    high_tech: Mapped[bool | None] = mapped_column(Boolean)
    new_kcn_t6: Mapped[bool] = mapped_column(Boolean, default=False)
    fill_2026_t5: Mapped[bool] = mapped_column(Boolean, default=False)
    new_kcn_t6_basis: Mapped[str | None] = mapped_column(String(20))
    expected_infrastructure_done: Mapped[dt.date | None] = mapped_column(Date)

    events: Mapped[list[Event]] = relationship(back_populates="zone", order_by="(Event.effective_on, Event.id)")
    obstacles: Mapped[list[Obstacle]] = relationship(back_populates="zone", order_by="Obstacle.id")


class Project(_Located, Base):
    """A power project (or a placeholder for the unnamed ones, or a transmission work)."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("plan_role IN ('named','unnamed','unallocated','outside')", name="plan_role"),
        CheckConstraint(
            "capacity_operating_mw IS NULL OR capacity_mw IS NULL OR capacity_operating_mw <= capacity_mw",
            name="operating_le_capacity",
        ),
    )

    technology: Mapped[str] = mapped_column(ForeignKey("technologies.key"))
    technology_basis: Mapped[str] = mapped_column(String(20), default="stated")
    capacity_mw: Mapped[float | None] = mapped_column(Float)
    capacity_operating_mw: Mapped[float | None] = mapped_column(Float)
    plan_role: Mapped[str] = mapped_column(String(20), default="named")
    in_plan_60: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_investor: Mapped[bool] = mapped_column(Boolean, default=True)
    voltage_kv: Mapped[float | None] = mapped_column(Float)
    zone_code: Mapped[str | None] = mapped_column(ForeignKey("zones.code"))
    expected_cod: Mapped[dt.date | None] = mapped_column(Date)
    expected_cod_precision: Mapped[str | None] = mapped_column(String(10))
    actual_cod: Mapped[dt.date | None] = mapped_column(Date)
    expected_construction_start: Mapped[dt.date | None] = mapped_column(Date)
    expected_first_power: Mapped[dt.date | None] = mapped_column(Date)
    construction_completed: Mapped[bool | None] = mapped_column(Boolean)
    investor: Mapped[str | None] = mapped_column(String(300))

    events: Mapped[list[Event]] = relationship(back_populates="project", order_by="(Event.effective_on, Event.id)")
    obstacles: Mapped[list[Obstacle]] = relationship(back_populates="project", order_by="Obstacle.id")


class Event(Recorded, Base):
    """An append-only change to a zone or project: what changed, when, citing which document."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("(zone_id IS NULL) <> (project_id IS NULL)", name="event_one_record"),
        CheckConstraint("date_basis IN ('document','inferred','unknown')", name="event_date_basis"),
        # Each record's timeline in fold order (migration 0006): past-date reads and history walk it.
        Index("ix_events_project_timeline", "project_id", "effective_on", "id"),
        Index("ix_events_zone_timeline", "zone_id", "effective_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the timelines above, whose leading column they are (migration 0008 dropped their own indexes).
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    effective_on: Mapped[dt.date] = mapped_column(Date, index=True)
    date_basis: Mapped[str] = mapped_column(String(10), default="document")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    note: Mapped[str | None] = mapped_column(Text)

    zone: Mapped[Zone | None] = relationship(back_populates="events")
    project: Mapped[Project | None] = relationship(back_populates="events")
    document: Mapped[Document | None] = relationship()


class Agency(Base):
    """A cơ quan that can be asked to act on an obstacle; the office extends the list (``kcn obstacle agency add``)."""

    __tablename__ = "agencies"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class Obstacle(Recorded, Base):
    """A vướng mắc on a zone or project, tracked as a work item.

    Who must act (``agency_key``), what is asked (``action_requested``), by when
    (``deadline``) and its ``status`` are the replay of its append-only
    ``ObstacleUpdate`` history. ``resolved_on`` is the day it was closed (status
    resolved or dropped). ``version`` is an optimistic lock: a write from a stale
    read (e.g. a second resolution) matches no row and is refused.
    """

    __tablename__ = "obstacles"
    __table_args__ = (
        CheckConstraint("(zone_id IS NULL) <> (project_id IS NULL)", name="obstacle_one_record"),
        CheckConstraint("resolved_on IS NULL OR resolved_on >= opened_on", name="resolved_after_opened"),
        CheckConstraint("status IN ('new','in_progress','waiting','resolved','dropped')", name="obstacle_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    opened_basis: Mapped[str] = mapped_column(String(10), default="document")
    opened_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    resolved_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    agency_key: Mapped[str | None] = mapped_column(ForeignKey("agencies.key"))
    action_requested: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    deadline_basis: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="new")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    zone: Mapped[Zone | None] = relationship(back_populates="obstacles")
    project: Mapped[Project | None] = relationship(back_populates="obstacles")
    opened_document: Mapped[Document | None] = relationship(foreign_keys=[opened_document_id])
    resolved_document: Mapped[Document | None] = relationship(foreign_keys=[resolved_document_id])
    agency: Mapped[Agency | None] = relationship()
    updates: Mapped[list[ObstacleUpdate]] = relationship(
        back_populates="obstacle", order_by="(ObstacleUpdate.effective_on, ObstacleUpdate.id)")

    __mapper_args__ = {"version_id_col": version}

    def is_open_on(self, day: dt.date) -> bool:
        """Open on ``day``: opened on or before it and not yet closed."""
        return self.opened_on <= day and (self.resolved_on is None or self.resolved_on > day)


class ObstacleUpdate(Recorded, Base):
    """One dated, cited step in an obstacle's life (append-only, like ``Event``)."""

    __tablename__ = "obstacle_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    obstacle_id: Mapped[int] = mapped_column(ForeignKey("obstacles.id"), index=True)
    effective_on: Mapped[dt.date] = mapped_column(Date)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    note: Mapped[str | None] = mapped_column(Text)

    obstacle: Mapped[Obstacle] = relationship(back_populates="updates")
    document: Mapped[Document | None] = relationship()


class LoadedBundle(Base):
    """Which bundled records were loaded, so loading twice never duplicates or overwrites."""

    __tablename__ = "loaded_bundle"

    item: Mapped[str] = mapped_column(String(200), primary_key=True)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
