"""Imports every table module so that Base.metadata knows the whole schema (used by Alembic)."""
