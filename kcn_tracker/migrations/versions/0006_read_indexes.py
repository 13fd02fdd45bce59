"""indexes for reads at national scale: each record's timeline in (effective_on, id) order

Revision ID: 0006
Revises: 0004 (written against 0001; chained after web's 0004 once it landed on main)

The fold of past dates and ``kcn history`` read events ordered by record, effective
date and id; with these composite indexes PostgreSQL and SQLite walk the index in
that order instead of sorting the whole event log (see benchmarks/bench_quick.py).
"""

from alembic import op

revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None

INDEXES = {
    "ix_events_project_timeline": ("events", ["project_id", "effective_on", "id"]),
    "ix_events_zone_timeline": ("events", ["zone_id", "effective_on", "id"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
