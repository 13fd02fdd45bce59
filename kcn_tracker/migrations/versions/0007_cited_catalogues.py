"""cited tenant catalogues: VSIC 2018 sections and all 88 divisions checked against a copy of the decision,
country names from CLDR

Revision ID: 0007
Revises: 0006

Migration 0005 shipped VSIC names transcribed without a source to check them against and country
names typed by hand. A register created from now on gets the cited rows from 0005 itself
(``catalogue.industry_rows`` / ``country_rows``); an existing one is brought to the same rows here:
shipped rows are renamed and re-cited, missing divisions added. Rows the office added or changed
(any other ``source``) are left as they are. Data only: downgrading keeps the rows.
"""

import sqlalchemy as sa
from alembic import op

from kcn_tracker.tenants.catalogue import HAND_TYPED_COUNTRY_SOURCE, UNCHECKED_VSIC_SOURCE, country_rows, industry_rows

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _refresh(table: sa.Table, rows: list[dict], replaceable: str) -> None:
    bind = op.get_bind()
    existing = dict(bind.execute(sa.select(table.c.code, table.c.source)).tuples().all())
    for row in rows:
        if row["code"] not in existing:
            bind.execute(table.insert().values(**row))
        elif existing[row["code"]] in (replaceable, row["source"]):
            bind.execute(table.update().where(table.c.code == row["code"]).values(**row))


def upgrade() -> None:
    industries = sa.table("industries", sa.column("code"), sa.column("level"), sa.column("section"), sa.column("label_vi"),
                          sa.column("label_en"), sa.column("source"))
    countries = sa.table("countries", sa.column("code"), sa.column("label_vi"), sa.column("label_en"), sa.column("source"))
    _refresh(industries, industry_rows(), UNCHECKED_VSIC_SOURCE)
    _refresh(countries, country_rows(), HAND_TYPED_COUNTRY_SOURCE)


def downgrade() -> None:
    """Nothing to undo: the catalogue rows are data the tenants may point at."""
