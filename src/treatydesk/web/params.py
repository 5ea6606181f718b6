"""Bounds shared by every route's numeric parameters.

Databases hold integers up to 2**63 - 1 (SQLite INTEGER, PostgreSQL BIGINT); a larger number in
a path, query or form would fail inside the driver, so it is refused as 422 here, naming the
parameter, before any query runs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_ID = 2**62

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
