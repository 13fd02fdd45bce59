"""obstacles as work items (agency, action, deadline, status, history, version); expected dates

Revision ID: 0003
Revises: 0004

Adds the agencies table (seeded with the usual provincial agencies; the office
extends it), the append-only obstacle_updates history, and on obstacles the
agency, action requested, deadline, status and an optimistic-lock version.
Existing obstacles are migrated: status ``resolved`` where a resolution date
exists, else ``new``; their opening (and resolution) become the first entries of
their history. Projects gain expected construction start / first power and a
"construction completed" flag; zones an expected infrastructure completion and
the basis of their T6 classification.

(Written as 0001 -> 0003; chained after 0004 (web accounts) when main brought 0004 in.)
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0004"
branch_labels = None
depends_on = None

#: (key, Vietnamese name, English name): the seed of the agency list.
AGENCIES = (
    ("ubnd-tinh", "UBND tỉnh Khánh Hòa", "Provincial People's Committee"),
    ("so-tai-chinh", "Sở Tài chính", "Department of Finance"),
    ("so-nn-mt", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment"),
    ("so-cong-thuong", "Sở Công Thương", "Department of Industry and Trade"),
    ("so-xay-dung", "Sở Xây dựng", "Department of Construction"),
    ("ubnd-xa", "UBND xã/phường (địa phương)", "Commune/ward People's Committee (local authority)"),
    ("bql-kkt", "Ban Quản lý Khu kinh tế và các Khu công nghiệp tỉnh", "Economic Zone and Industrial Park Board"),
    ("evn-npt", "EVN / NPT (Tập đoàn Điện lực Việt Nam / Tổng công ty Truyền tải điện quốc gia)", "EVN / NPT (national utility / grid)"),
    ("bo-cong-thuong", "Bộ Công Thương", "Ministry of Industry and Trade"),
    ("nha-dau-tu", "Nhà đầu tư / chủ đầu tư dự án", "The investor / project owner"),
)


def upgrade() -> None:
    agencies = op.create_table(
        "agencies",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name_vi", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.bulk_insert(agencies, [{"key": k, "name_vi": vi, "name_en": en, "note": None} for k, vi, en in AGENCIES])
    with op.batch_alter_table("obstacles") as batch:
        batch.add_column(sa.Column("agency_key", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("action_requested", sa.Text(), nullable=True))
        batch.add_column(sa.Column("deadline", sa.Date(), nullable=True))
        batch.add_column(sa.Column("deadline_basis", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("status", sa.String(length=20), nullable=False, server_default="new"))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.create_foreign_key("fk_obstacles_agency", "agencies", ["agency_key"], ["key"])
        batch.create_check_constraint("obstacle_status", "status IN ('new','in_progress','waiting','resolved','dropped')")
    op.execute("UPDATE obstacles SET status = 'resolved' WHERE resolved_on IS NOT NULL")
    updates = op.create_table(
        "obstacle_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obstacle_id", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["obstacle_id"], ["obstacles.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_obstacle_updates_obstacle_id", "obstacle_updates", ["obstacle_id"])
    _migrate_history(updates)
    for table, columns in (
        ("projects", (sa.Column("expected_construction_start", sa.Date(), nullable=True),
                      sa.Column("expected_first_power", sa.Date(), nullable=True),
                      sa.Column("construction_completed", sa.Boolean(), nullable=True))),
        ("zones", (sa.Column("new_kcn_t6_basis", sa.String(length=20), nullable=True),
                   sa.Column("expected_infrastructure_done", sa.Date(), nullable=True))),
    ):
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.add_column(column)


def _migrate_history(updates: sa.Table) -> None:
    """Existing obstacles: their opening and resolution become the first history entries (plain SQL:
    the stored values are copied as they are, on SQLite and PostgreSQL alike)."""
    del updates
    columns = "obstacle_id, effective_on, changes, document_id, note, recorded_by, recorded_at, origin"
    op.execute(f"INSERT INTO obstacle_updates ({columns}) SELECT id, opened_on, '{{\"status\": \"new\"}}', "
               "opened_document_id, description, recorded_by, recorded_at, 'migration 0003' FROM obstacles ORDER BY id")
    op.execute(f"INSERT INTO obstacle_updates ({columns}) SELECT id, resolved_on, '{{\"status\": \"resolved\"}}', "
               "resolved_document_id, resolution_note, recorded_by, recorded_at, 'migration 0003' FROM obstacles "
               "WHERE resolved_on IS NOT NULL ORDER BY id")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, names in (("zones", ("expected_infrastructure_done", "new_kcn_t6_basis")),
                         ("projects", ("construction_completed", "expected_first_power", "expected_construction_start"))):
        if sqlite:
            # Plain columns: SQLite (>= 3.35) drops them in place. A batch copy would drop and re-create
            # zones/projects, which events and obstacles reference: refused with foreign keys on.
            for name in names:
                op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
            continue
        with op.batch_alter_table(table) as batch:
            for name in names:
                batch.drop_column(name)
    op.drop_index("ix_obstacle_updates_obstacle_id", table_name="obstacle_updates")
    op.drop_table("obstacle_updates")
    with op.batch_alter_table("obstacles") as batch:
        batch.drop_constraint("obstacle_status", type_="check")
        batch.drop_constraint("fk_obstacles_agency", type_="foreignkey")
        for name in ("version", "status", "deadline_basis", "deadline", "action_requested", "agency_key"):
            batch.drop_column(name)
    op.drop_table("agencies")
