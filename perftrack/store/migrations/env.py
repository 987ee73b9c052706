"""Alembic environment, run programmatically by ``perftrack.store.migrate``.

The caller hands over an open connection in ``config.attributes["connection"]`` so the
upgrade runs inside its transaction. Run from the command line (``alembic -c
perftrack/store/migrations/alembic.ini …``), it connects to ``sqlalchemy.url`` itself.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

from perftrack.store.schema import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_on(connection: Connection) -> None:
    """Run the migrations on an open connection."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it (``alembic upgrade --sql``)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations_on(connection)
        return
    # Only the command line gets Alembic's log lines; the program stays quiet.
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.begin() as conn:
        run_migrations_on(conn)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
