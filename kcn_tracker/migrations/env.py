"""Alembic environment: runs on the connection handed over by ``kcn_tracker.db.upgrade``."""

from alembic import context

from kcn_tracker.models import Base
import kcn_tracker.models_accounts  # noqa: F401  (web tables on the same metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
