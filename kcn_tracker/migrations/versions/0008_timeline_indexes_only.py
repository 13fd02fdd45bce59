"""events: the record timelines are the only per-record indexes (the single-column ones duplicated their lead)

Revision ID: 0008
Revises: 0007

``ix_events_project_id`` and ``ix_events_zone_id`` (0001) index the leading column of
``ix_events_project_timeline`` / ``ix_events_zone_timeline`` (0006: record, effective date,
id), which serve every lookup they served (foreign keys included). With both present
PostgreSQL picked the narrower index for the past-date fold and then sorted every
record's events (Incremental Sort): at 10,000 projects 26 ms against 7 ms walking the
timeline, ``kcn changes`` 28 against 18 ms, the map's last changes 37 against 16 ms.
SQLite already chose the timelines; its plans do not change. Plans: docs/PERFORMANCE.md.
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: index -> column of ``events`` (0001).
DROPPED = {"ix_events_project_id": "project_id", "ix_events_zone_id": "zone_id"}


def upgrade() -> None:
    for name in DROPPED:
        op.drop_index(name, table_name="events")


def downgrade() -> None:
    for name, column in DROPPED.items():
        op.create_index(name, "events", [column], unique=False)
