"""indexes for reads at national scale: each record's timeline in (effective_on, id) order

Revision ID: 0006
Revises: 0005 (written against 0001; chained after web's 0004, then after tenants' 0005)

The fold of past dates and ``kcn history`` read events ordered by record, effective
date and id; with these composite indexes PostgreSQL and SQLite walk the index in
that order instead of sorting the whole event log (see benchmarks/bench_quick.py).

Today's state is read from the records' columns (``kcn_tracker.state``), so the columns
0003 added empty are filled from each record's events here.
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = "0005"  # after tenants (main's head when perf merged)
branch_labels = None
depends_on = None

INDEXES = {
    "ix_events_project_timeline": ("events", ["project_id", "effective_on", "id"]),
    "ix_events_zone_timeline": ("events", ["zone_id", "effective_on", "id"]),
}


#: Event fields whose columns 0003 added empty: today's reads come from the columns now, so they are
#: filled from each record's fold (a register upgraded with data keeps what its events say).
LATE_COLUMNS = {
    "zone": {"new_kcn_t6_basis": sa.String(20), "expected_infrastructure_done": sa.Date()},
    "project": {"expected_construction_start": sa.Date(), "expected_first_power": sa.Date(),
                "construction_completed": sa.Boolean()},
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)
    _fill_late_columns()


def _fill_late_columns() -> None:
    import datetime as dt

    from kcn_tracker.state import TABLES, finish, json_states

    bind = op.get_bind()
    for record_type, columns in LATE_COLUMNS.items():
        table = sa.table(TABLES[record_type], sa.column("id", sa.Integer()),
                         *(sa.column(name, kind) for name, kind in columns.items()))
        for record_id, state in json_states(bind, record_type, dt.date.max).items():
            done = finish(record_type, state)
            values = {name: done[name] for name in columns}
            bind.execute(table.update().where(table.c.id == record_id).values(**values))


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
