"""Tables of tenant projects: the project (current state), its events, obstacles, and reference data.

A tenant's current columns are always the replay of its ``TenantEvent`` rows (the same
fold as ``history.replay``), exactly as zones and power projects. Money is exact
(``Numeric``), never float: capital in USD for FDI projects and VND for domestic ones.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kcn_tracker.models import Base, Document, Recorded

#: Capital amounts: up to 10^18 with 4 decimals (VND amounts reach 10^13, USD cents need 2).
Money = Numeric(22, 4)


class Industry(Base):
    """A VSIC 2018 section (letter), division (two digits) or finer code (detail); the office may add rows."""

    __tablename__ = "industries"
    __table_args__ = (CheckConstraint("level IN ('section','division','detail')", name="industry_level"),)

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    level: Mapped[str] = mapped_column(String(10))
    section: Mapped[str] = mapped_column(String(1))
    label_vi: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)


class Country(Base):
    """An investor's country or territory (ISO 3166-1 alpha-2 code); the office may add rows."""

    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    label_vi: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    source: Mapped[str | None] = mapped_column(Text)


class Tenant(Base):
    """A secondary investment project (dự án thứ cấp) in a KCN/CCN/KKT area, identified by its certificate number."""

    __tablename__ = "tenants"
    __table_args__ = (
        CheckConstraint("workers_vn IS NULL OR workers_vn >= 0", name="tenant_workers_vn"),
        CheckConstraint("workers_foreign IS NULL OR workers_foreign >= 0", name="tenant_workers_foreign"),
        CheckConstraint("leased_ha IS NULL OR leased_ha >= 0", name="tenant_leased_ha"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_no: Mapped[str] = mapped_column(String(20), unique=True)
    certificate_on: Mapped[dt.date | None] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    investor: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    fdi: Mapped[bool | None] = mapped_column(Boolean)
    zone_code: Mapped[str | None] = mapped_column(ForeignKey("zones.code"), index=True)
    industry: Mapped[str | None] = mapped_column(ForeignKey("industries.code"))
    stage: Mapped[str | None] = mapped_column(String(30))
    capital_usd: Mapped[Decimal | None] = mapped_column(Money)
    capital_vnd: Mapped[Decimal | None] = mapped_column(Money)
    fx_rate: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    fx_rate_on: Mapped[dt.date | None] = mapped_column(Date)
    realised_capital: Mapped[Decimal | None] = mapped_column(Money)
    leased_ha: Mapped[float | None] = mapped_column(Float)
    workers_vn: Mapped[int | None] = mapped_column(Integer)
    workers_foreign: Mapped[int | None] = mapped_column(Integer)
    high_tech: Mapped[bool | None] = mapped_column(Boolean)
    digital_tech: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    events: Mapped[list[TenantEvent]] = relationship(back_populates="tenant", order_by="(TenantEvent.effective_on, TenantEvent.id)")
    obstacles: Mapped[list[TenantObstacle]] = relationship(back_populates="tenant", order_by="TenantObstacle.id")

    __mapper_args__: dict[str, Any] = {"version_id_col": version}


class TenantEvent(Recorded, Base):
    """An append-only change to a tenant project: what changed, when, citing which document."""

    __tablename__ = "tenant_events"
    __table_args__ = (CheckConstraint("date_basis IN ('document','inferred','unknown')", name="tenant_event_date_basis"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    effective_on: Mapped[dt.date] = mapped_column(Date, index=True)
    date_basis: Mapped[str] = mapped_column(String(10), default="document")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    note: Mapped[str | None] = mapped_column(Text)

    tenant: Mapped[Tenant] = relationship(back_populates="events")
    document: Mapped[Document | None] = relationship()


class TenantObstacle(Base):
    """A vướng mắc of a tenant project, opened and maybe resolved, each with a date and document."""

    __tablename__ = "tenant_obstacles"
    __table_args__ = (CheckConstraint("resolved_on IS NULL OR resolved_on >= opened_on", name="tenant_resolved_after_opened"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    opened_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    resolved_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    tenant: Mapped[Tenant] = relationship(back_populates="obstacles")
    opened_document: Mapped[Document | None] = relationship(foreign_keys=[opened_document_id])
    resolved_document: Mapped[Document | None] = relationship(foreign_keys=[resolved_document_id])


class BaseFigure(Base):
    """A dated, cited figure the office enters for an indicator's denominator (e.g. manufacturing enterprises)."""

    __tablename__ = "base_figures"
    __table_args__ = (UniqueConstraint("key", "year", name="base_figure_key_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(Numeric(22, 4))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    document: Mapped[Document | None] = relationship()
