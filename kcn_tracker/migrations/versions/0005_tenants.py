"""tenant projects, their events and obstacles, VSIC industries, countries, base figures

Revision ID: 0005
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from kcn_tracker.tenants.catalogue import country_rows, industry_rows

revision = "0005"
down_revision = "0003"  # after 0003 (obstacle work items), the head of main when tenants merged
branch_labels = None
depends_on = None

MONEY = sa.Numeric(22, 4)


def _audit() -> list[sa.Column]:
    return [sa.Column("recorded_by", sa.String(120), nullable=False),
            sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    industries = op.create_table(
        "industries",
        sa.Column("code", sa.String(10), primary_key=True),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("section", sa.String(1), nullable=False),
        sa.Column("label_vi", sa.Text(), nullable=False),
        sa.Column("label_en", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.CheckConstraint("level IN ('section','division','detail')", name="industry_level"),
    )
    countries = op.create_table(
        "countries",
        sa.Column("code", sa.String(2), primary_key=True),
        sa.Column("label_vi", sa.String(120), nullable=False),
        sa.Column("label_en", sa.String(120), nullable=False),
        sa.Column("source", sa.Text()),
    )
    op.create_table(
        "tenants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("certificate_no", sa.String(20), nullable=False, unique=True),
        sa.Column("certificate_on", sa.Date()),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False, index=True),
        sa.Column("investor", sa.String(300)),
        sa.Column("country", sa.String(2), sa.ForeignKey("countries.code")),
        sa.Column("fdi", sa.Boolean()),
        sa.Column("zone_code", sa.String(80), sa.ForeignKey("zones.code"), index=True),
        sa.Column("industry", sa.String(10), sa.ForeignKey("industries.code")),
        sa.Column("stage", sa.String(30)),
        sa.Column("capital_usd", MONEY),
        sa.Column("capital_vnd", MONEY),
        sa.Column("fx_rate", sa.Numeric(14, 4)),
        sa.Column("fx_rate_on", sa.Date()),
        sa.Column("realised_capital", MONEY),
        sa.Column("leased_ha", sa.Float()),
        sa.Column("workers_vn", sa.Integer()),
        sa.Column("workers_foreign", sa.Integer()),
        sa.Column("high_tech", sa.Boolean()),
        sa.Column("digital_tech", sa.Boolean()),
        sa.Column("note", sa.Text()),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("workers_vn IS NULL OR workers_vn >= 0", name="tenant_workers_vn"),
        sa.CheckConstraint("workers_foreign IS NULL OR workers_foreign >= 0", name="tenant_workers_foreign"),
        sa.CheckConstraint("leased_ha IS NULL OR leased_ha >= 0", name="tenant_leased_ha"),
    )
    op.create_table(
        "tenant_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("effective_on", sa.Date(), nullable=False, index=True),
        sa.Column("date_basis", sa.String(10), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id")),
        sa.Column("note", sa.Text()),
        *_audit(),
        sa.Column("origin", sa.String(300), nullable=False),
        sa.CheckConstraint("date_basis IN ('document','inferred','unknown')", name="tenant_event_date_basis"),
    )
    op.create_table(
        "tenant_obstacles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("opened_document_id", sa.Integer(), sa.ForeignKey("documents.id")),
        sa.Column("resolved_on", sa.Date()),
        sa.Column("resolved_document_id", sa.Integer(), sa.ForeignKey("documents.id")),
        sa.Column("resolution_note", sa.Text()),
        *_audit(),
        sa.CheckConstraint("resolved_on IS NULL OR resolved_on >= opened_on", name="tenant_resolved_after_opened"),
    )
    op.create_table(
        "base_figures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(22, 4), nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id")),
        sa.Column("note", sa.Text()),
        *_audit(),
        sa.UniqueConstraint("key", "year", name="base_figure_key_year"),
    )
    # Reference data (cited row by row), not tenant data: no tenant record is shipped.
    op.bulk_insert(industries, industry_rows())
    op.bulk_insert(countries, country_rows())


def downgrade() -> None:
    for table in ("base_figures", "tenant_obstacles", "tenant_events", "tenants", "countries", "industries"):
        op.drop_table(table)
