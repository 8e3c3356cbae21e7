"""Alembic environment: runs on the connection `copilot.store.schema.upgrade` hands over."""

from __future__ import annotations

from alembic import context

from copilot.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters a table by copying it
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
