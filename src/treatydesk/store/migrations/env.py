"""Alembic environment: runs migrations against the URL the caller put in the config."""

from alembic import context
from sqlalchemy import create_engine, pool

import treatydesk.store.tables  # noqa: F401  (registers every table on Base.metadata)
from treatydesk.store.db import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
