"""initial schema

Revision ID: 0001
Revises: 
"""

import sqlalchemy as sa
from alembic import op

# A stable type kept in models for both the ORM and the migrations: WKT on
# SQLite, geometry(Geometry,4326) on PostGIS.
from kcn_tracker.models import PostGISGeometry


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.String(length=80), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('issuer', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('seed_file', sa.String(length=80), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('doc_id')
    )
    op.create_table('loaded_bundle',
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('item')
    )
    op.create_table('plan_facts',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('targets',
    sa.Column('target_id', sa.String(length=10), nullable=False),
    sa.Column('label_vi', sa.Text(), nullable=False),
    sa.Column('label_en', sa.Text(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('value_max', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=True),
    sa.Column('comparator', sa.String(length=4), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('target_id')
    )
    op.create_table('technologies',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label_vi', sa.String(length=120), nullable=False),
    sa.Column('label_en', sa.String(length=120), nullable=False),
    sa.Column('target_id', sa.String(length=10), nullable=True),
    sa.Column('plan_mw', sa.Float(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('zones',
    sa.Column('kind', sa.String(length=3), nullable=False),
    sa.Column('phase', sa.String(length=80), nullable=True),
    sa.Column('total_area_ha', sa.Float(), nullable=True),
    sa.Column('area_note', sa.Text(), nullable=True),
    sa.Column('leasable_ha', sa.Float(), nullable=True),
    sa.Column('leased_ha', sa.Float(), nullable=True),
    sa.Column('tenants_registered', sa.Integer(), nullable=True),
    sa.Column('tenants_operating', sa.Integer(), nullable=True),
    sa.Column('developer', sa.String(length=300), nullable=True),
    sa.Column('high_tech', sa.Boolean(), nullable=True),
    sa.Column('new_kcn_t6', sa.Boolean(), nullable=False),
    sa.Column('fill_2026_t5', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=True),
    sa.Column('commune', sa.String(length=200), nullable=True),
    sa.Column('address_as_written', sa.Text(), nullable=True),
    sa.Column('geometry', sa.Text().with_variant(PostGISGeometry(), 'postgresql'), nullable=True),
    sa.Column('location_precision', sa.String(length=20), nullable=False),
    sa.Column('location_basis', sa.Text(), nullable=True),
    sa.Column('location_source', sa.Text(), nullable=True),
    sa.Column('location_licence', sa.Text(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('KCN','CCN','KKT')", name='zone_kind'),
    sa.CheckConstraint('leased_ha IS NULL OR leasable_ha IS NULL OR leased_ha <= leasable_ha', name='leased_le_leasable'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('zones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zones_name_key'), ['name_key'], unique=False)

    op.create_table('projects',
    sa.Column('technology', sa.String(length=40), nullable=False),
    sa.Column('technology_basis', sa.String(length=20), nullable=False),
    sa.Column('capacity_mw', sa.Float(), nullable=True),
    sa.Column('capacity_operating_mw', sa.Float(), nullable=True),
    sa.Column('plan_role', sa.String(length=20), nullable=False),
    sa.Column('in_plan_60', sa.Boolean(), nullable=False),
    sa.Column('needs_investor', sa.Boolean(), nullable=False),
    sa.Column('voltage_kv', sa.Float(), nullable=True),
    sa.Column('zone_code', sa.String(length=80), nullable=True),
    sa.Column('expected_cod', sa.Date(), nullable=True),
    sa.Column('expected_cod_precision', sa.String(length=10), nullable=True),
    sa.Column('actual_cod', sa.Date(), nullable=True),
    sa.Column('investor', sa.String(length=300), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=True),
    sa.Column('commune', sa.String(length=200), nullable=True),
    sa.Column('address_as_written', sa.Text(), nullable=True),
    sa.Column('geometry', sa.Text().with_variant(PostGISGeometry(), 'postgresql'), nullable=True),
    sa.Column('location_precision', sa.String(length=20), nullable=False),
    sa.Column('location_basis', sa.Text(), nullable=True),
    sa.Column('location_source', sa.Text(), nullable=True),
    sa.Column('location_licence', sa.Text(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("plan_role IN ('named','unnamed','unallocated','outside')", name='plan_role'),
    sa.CheckConstraint('capacity_operating_mw IS NULL OR capacity_mw IS NULL OR capacity_operating_mw <= capacity_mw', name='operating_le_capacity'),
    sa.ForeignKeyConstraint(['technology'], ['technologies.key'], ),
    sa.ForeignKeyConstraint(['zone_code'], ['zones.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_name_key'), ['name_key'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('date_basis', sa.String(length=10), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.String(length=300), nullable=False),
    sa.CheckConstraint("date_basis IN ('document','inferred','unknown')", name='event_date_basis'),
    sa.CheckConstraint('(zone_id IS NULL) <> (project_id IS NULL)', name='event_one_record'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_effective_on'), ['effective_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_zone_id'), ['zone_id'], unique=False)

    op.create_table('obstacles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('opened_basis', sa.String(length=10), nullable=False),
    sa.Column('opened_document_id', sa.Integer(), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('resolved_document_id', sa.Integer(), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.String(length=300), nullable=False),
    sa.CheckConstraint('(zone_id IS NULL) <> (project_id IS NULL)', name='obstacle_one_record'),
    sa.CheckConstraint('resolved_on IS NULL OR resolved_on >= opened_on', name='resolved_after_opened'),
    sa.ForeignKeyConstraint(['opened_document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
    sa.ForeignKeyConstraint(['resolved_document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('obstacles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_obstacles_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_obstacles_zone_id'), ['zone_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_zones_geometry ON zones USING gist (geometry)")
        op.execute("CREATE INDEX ix_projects_geometry ON projects USING gist (geometry)")


def downgrade() -> None:
    with op.batch_alter_table('obstacles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_obstacles_zone_id'))
        batch_op.drop_index(batch_op.f('ix_obstacles_project_id'))

    op.drop_table('obstacles')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_zone_id'))
        batch_op.drop_index(batch_op.f('ix_events_project_id'))
        batch_op.drop_index(batch_op.f('ix_events_effective_on'))

    op.drop_table('events')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_name_key'))

    op.drop_table('projects')
    with op.batch_alter_table('zones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zones_name_key'))

    op.drop_table('zones')
    op.drop_table('technologies')
    op.drop_table('targets')
    op.drop_table('plan_facts')
    op.drop_table('loaded_bundle')
    op.drop_table('documents')
