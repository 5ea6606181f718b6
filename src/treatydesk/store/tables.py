"""Imports every table module so that Base.metadata knows the whole schema (used by Alembic)."""

from treatydesk.store import status_tables  # noqa: F401
