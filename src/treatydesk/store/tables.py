"""Imports every table module so that Base.metadata knows the whole schema (used by Alembic)."""

import treatydesk.store.desk_tables  # noqa: F401
from treatydesk.store import status_tables  # noqa: F401
from treatydesk.store import web_tables  # noqa: F401
