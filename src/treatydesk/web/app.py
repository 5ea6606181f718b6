"""The web application factory: `uvicorn --factory treatydesk.web.app:create_app`.

One Database per application (app.state.db); the schema is brought up to date when the app
starts. Each area adds its own APIRouter here (status now; auth and desk routes later).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from treatydesk.settings import Settings, load_settings
from treatydesk.store.db import Database, migrate
from treatydesk.web import routes_status
from treatydesk.web.errors import install_error_handlers
from treatydesk.web.templating import STATIC_DIR


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    database = Database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        migrate(settings)
        try:
            yield
        finally:
            database.dispose()

    app = FastAPI(
        title="TreatyDesk",
        summary="Status of the UN Convention against Cybercrime (XVIII-16) and a desk for "
        "cooperation requests under it.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = database
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(routes_status.pages)
    app.include_router(routes_status.api)
    return app
