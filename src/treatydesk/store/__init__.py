"""Persistence adapter: SQLAlchemy 2 models, Alembic migrations, repository functions."""
