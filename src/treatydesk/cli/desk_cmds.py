"""`treatydesk init` and `treatydesk serve`: set up a desk's home and database, run the web app."""

from __future__ import annotations

import typer
import uvicorn

from treatydesk.cli.output import console
from treatydesk.services.access import FIRST_ADMIN_USERNAME, bootstrap_first_admin
from treatydesk.services.status import ensure_bundled
from treatydesk.settings import Settings, load_settings
from treatydesk.store.db import Database, migrate


def _init_home(settings: Settings) -> str:
    settings.ensure_home()
    return f"home: {settings.home}"


def _init_schema(settings: Settings) -> str:
    migrate(settings)
    return "database schema: up to date"


def _init_status(db: Database) -> str:
    result = ensure_bundled(db)
    if result is None:
        return "status: a Convention snapshot is already stored (nothing imported)"
    return (
        f"status: imported the bundled snapshot of {result.snapshot.treaty.reference} as "
        f"#{result.snapshot_id} ({len(result.snapshot.participants)} participants"
        f"{', partial' if result.snapshot.partial else ''}); refresh it with "
        "`treatydesk status sync`"
    )


def _init_first_admin(db: Database) -> str:
    password = bootstrap_first_admin(db)
    if password is None:
        return "first administrator: already set up (the credential is never shown again)"
    # printed once to the operator's terminal only; never logged, never stored in clear
    return (
        f"FIRST SIGN-IN (shown once, write it down now): username {FIRST_ADMIN_USERNAME}  "
        f"password {password}"
    )


def init_desk(settings: Settings) -> list[str]:
    """Every step is idempotent, so `init` can run on each start (`make run` does). Later steps
    (e.g. the first administrator's credential) are appended here, one call each."""
    report = [_init_home(settings), _init_schema(settings)]
    db = Database(settings)
    try:
        report.append(_init_status(db))
        report.append(_init_first_admin(db))
    finally:
        db.dispose()
    return report


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init() -> None:
        """Create TREATYDESK_HOME, bring the database schema up to date and store the bundled
        status snapshot if none is stored. Safe to run again."""
        for line in init_desk(load_settings()):
            console.print(line)

    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
        port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
        workers: int = typer.Option(
            1, min=1, max=64,
            help="Web worker processes. Each opens its own database connections; the "
            "database is the only state they share (SQLite in WAL mode with a busy timeout, "
            "or PostgreSQL)."),
    ) -> None:
        """Run the web desk (status pages and the HTTP API, OpenAPI at /docs)."""
        shown = f"[{host}]" if ":" in host else host
        plural = "process" if workers == 1 else "processes"
        console.print(f"TreatyDesk on http://{shown}:{port}/  ({workers} worker {plural}; "
                      "API docs: /docs; Ctrl+C stops)")
        # brought up to date once here, so that the workers' own start-up migration (app
        # lifespan) finds nothing to do instead of racing each other on a fresh database
        migrate(load_settings())
        # the import string and factory=True let uvicorn build one app, hence one Database
        # and engine, in each worker process; none is inherited from this one
        uvicorn.run("treatydesk.web.app:create_app", factory=True, host=host, port=port,
                    workers=workers, log_level="info")
