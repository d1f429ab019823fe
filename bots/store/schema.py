"""Schema migrations (Alembic, configured in code) and the start-up check of the schema.

Alembic is imported only to migrate or to explain a mismatch: a server whose database is at
`HEAD` starts without it (it and its dialect modules are ~11 MiB and a tenth of start-up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
    text,
)

from bots.store.db import Database
from bots.store.models import Base

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The newest revision in migrations/versions (a test checks that Alembic agrees).
HEAD = "0001"
VERSION_TABLE = "alembic_version"  # Alembic's default, which alembic_config() keeps
#: A constant every replica shares: serialises concurrent `nudge db upgrade` runs on PostgreSQL.
_UPGRADE_LOCK = 0x6E75646765


class SchemaError(RuntimeError):
    """The database schema does not match this code; the message says what to run."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config built in code, pointing at the migrations shipped with the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The revision this code expects."""
    return HEAD


def alembic_head() -> str | None:
    """The head of the shipped migrations, as Alembic reads them."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


async def current_revision(db: Database) -> str | None:
    """The revision the database is at (None for a database never migrated)."""
    async with db.engine.connect() as conn:
        return await conn.run_sync(_stamped_revision)


def _stamped_revision(conn: Connection) -> str | None:
    """What Alembic's MigrationContext.get_current_revision() reads, without Alembic."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    result = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
    stamped = [str(row[0]) for row in result]
    if len(stamped) > 1:
        raise SchemaError(f"{VERSION_TABLE} names several revisions: {', '.join(stamped)}")
    return stamped[0] if stamped else None


async def create_if_empty(db: Database) -> bool:
    """On a database without any table, build the schema of models.py and stamp it `HEAD`
    (what `alembic stamp` writes); False, doing nothing, when it has tables.

    The same schema as running every migration (a test compares the two), without loading
    Alembic: development starts on a fresh SQLite file this way.
    """
    async with db.engine.begin() as conn:
        return await conn.run_sync(_create_if_empty)


def _create_if_empty(conn: Connection) -> bool:
    if inspect(conn).get_table_names():
        return False
    Base.metadata.create_all(conn)
    version = Table(
        VERSION_TABLE,
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"),
    )
    version.create(conn)
    conn.execute(version.insert().values(version_num=HEAD))
    return True


async def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply migrations up to `revision`; returns (before, after)."""
    before = await current_revision(db)
    if before == HEAD and revision in ("head", HEAD):
        return before, before  # nothing to apply: no need to load Alembic
    from alembic import command

    async with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two replicas starting `nudge db upgrade` at once must not both run DDL.
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
        await conn.run_sync(lambda c: command.upgrade(alembic_config(c), revision))
    return before, await current_revision(db)


async def check_schema(db: Database) -> None:
    """Raise SchemaError unless the database is at the revision this code expects."""
    try:
        current = await current_revision(db)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        raise SchemaError(f"cannot reach the database {_safe(db)}: {reason}") from exc
    head = head_revision()
    if current == head:
        return
    if current is None:
        raise SchemaError(
            f"the database {_safe(db)} has no schema yet; run `nudge db upgrade` before starting"
        )
    if current not in known_revisions():
        raise SchemaError(
            f"the database {_safe(db)} is at revision {current}, newer than this code ({head}); "
            "deploy the newer code or restore a matching database"
        )
    raise SchemaError(
        f"the database {_safe(db)} is at revision {current} but this code needs {head}; "
        "run `nudge db upgrade` before starting"
    )


def _safe(db: Database) -> str:
    """The URL without its password, fit for an error message."""
    return db.url.render_as_string(hide_password=True)
