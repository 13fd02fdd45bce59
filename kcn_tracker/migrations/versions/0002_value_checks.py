"""value checks: the validation layer's ranges and sets as CHECK constraints (last line of defence)

Revision ID: 0002
Revises: 0001

The numbers are those of kcn_tracker/fields.py at the time of writing (a migration is
frozen: later changes to the declarations need a new migration). SQLite cannot add a
constraint to a table, so its tables are rebuilt (batch mode); ``db._migrate`` runs
migrations with foreign keys off and checks every reference before committing, as
SQLite's documentation prescribes for rebuilding a table.
"""

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_LOCATION = "location_precision IN ('surveyed','site','nearby_site','commune','district','none')"


def _range(column: str, high: int) -> str:
    return f"{column} IS NULL OR ({column} >= 0 AND {column} <= {high})"


CHECKS = {
    "projects": {
        "project_capacity_range": _range("capacity_mw", 10000),
        "project_operating_range": _range("capacity_operating_mw", 10000),
        "project_voltage_range": _range("voltage_kv", 1100),
        "project_technology_basis": "technology_basis IN ('stated','inferred')",
        "project_cod_precision": "expected_cod_precision IS NULL OR expected_cod_precision IN ('day','month','quarter','year')",
        "project_location_precision": _LOCATION,
    },
    "zones": {
        "zone_total_area_range": _range("total_area_ha", 200000),
        "zone_leasable_range": _range("leasable_ha", 200000),
        "zone_leased_range": _range("leased_ha", 200000),
        "zone_tenants_registered_range": _range("tenants_registered", 100000),
        "zone_tenants_operating_range": _range("tenants_operating", 100000),
        "zone_location_precision": _LOCATION,
    },
}


def upgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, condition in checks.items():
                batch.create_check_constraint(name, condition)


def downgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name in checks:
                batch.drop_constraint(name, type_="check")
