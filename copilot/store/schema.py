"""The one owner of the SQL schema: every table, and the migrations that build them.

Every table module is imported here, so ``metadata`` is complete; the Alembic migrations in
``migrations/versions`` create and change the tables, and ``upgrade`` runs them when a
Database opens (SQLite and PostgreSQL alike). A new or changed table needs a new migration
(``tests/store/test_migrations.py`` fails while models and migrations disagree).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, inspect, text

from copilot.store import (
    connector_tables,
    console_table,
    faq_table,
    jobs_table,
    keys_table,
    profile_table,
    question_tables,
    tables,
)
from copilot.store.db import Base

TABLE_MODULES = (
    tables,
    faq_table,
    profile_table,
    keys_table,
    connector_tables,
    jobs_table,
    console_table,
    question_tables,
)
metadata: MetaData = Base.metadata
PG_LOCK = 7_336_108  # advisory lock id: one process migrates, the others wait for it


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("copilot.store") / "migrations"))
    return config


@cache
def scripts() -> ScriptDirectory:
    """The migration scripts (read once per process)."""
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    revision = scripts().get_current_head()
    assert revision is not None
    return revision


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision. One already there costs one query; an empty
    one gets the models' tables and is stamped (Alembic's recipe for a new database, several
    times faster than replaying every migration; the tests prove both build the same)."""
    if current(engine) == head():
        return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # API workers may start together
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": PG_LOCK})
        context = MigrationContext.configure(connection)
        if context.get_current_revision() == head():  # another process was first
            return
        if not inspect(connection).get_table_names():
            metadata.create_all(connection)
            context.stamp(scripts(), head())
            return
        migrate(connection)


def migrate(connection: Connection, revision: str = "head") -> None:
    """Run the migrations from the database's revision to `revision`."""
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
