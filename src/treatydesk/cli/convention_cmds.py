"""Commands of this family register here (filled in by the issue that owns them)."""

import typer


def register(app: typer.Typer) -> None:
    del app
