"""What every command family shares: the `--json` option and the way a command opens the
database (schema brought up to date first, engine disposed after)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from treatydesk.settings import load_settings
from treatydesk.store.db import Database, migrate

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@contextmanager
def open_database() -> Iterator[Database]:
    settings = load_settings()
    migrate(settings)
    db = Database(settings)
    try:
        yield db
    finally:
        db.dispose()
