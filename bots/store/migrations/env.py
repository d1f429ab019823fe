"""Alembic environment: run only through bots.store.schema, which hands over a connection."""

from __future__ import annotations

from alembic import context

from bots.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations with `nudge db upgrade` (bots.store.schema), not bare alembic"
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
