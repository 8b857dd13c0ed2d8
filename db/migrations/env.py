"""Alembic environment: runs all pending migrations on the given connection in ONE transaction.

The engine (see send_desktop.storage.database) issues BEGIN itself, so SQLite's DDL is
transactional: a crash mid-way leaves the file exactly as it was.
"""

from alembic import context

from send_desktop.core.testhooks import checkpoint
from send_desktop.storage.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    transaction_per_migration=False,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
    checkpoint("migration")
