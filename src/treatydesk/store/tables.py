"""Imports every table module so that Base.metadata knows the whole schema (used by Alembic)."""

from treatydesk.store import desk_tables, status_tables, web_tables

__all__ = ["desk_tables", "status_tables", "web_tables"]
