"""The web application factory: `uvicorn --factory treatydesk.web.app:create_app`.

One Database per application (app.state.db) and one set of desk services (app.state.desk); the
schema is brought up to date when the app starts. Each area adds its own APIRouter here.
Oversized bodies are refused by BodySizeLimit before any handler reads them.
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from treatydesk.services.access import AccessService, LoginPolicy
from treatydesk.services.desk_support import build_desk
from treatydesk.settings import Settings, load_settings
from treatydesk.store.db import Database, migrate
from treatydesk.web import api_desk, pages_admin, pages_auth, pages_desk, routes_status
from treatydesk.web.errors import install_error_handlers
from treatydesk.web.middleware import BodySizeLimit
from treatydesk.web.templating import STATIC_DIR

_start_up_frozen = False


def _freeze_start_up_objects() -> None:
    """What a worker's start-up built (routes, models, mappers: some 150,000 objects) lives as
    long as the process; moved out of the collector's reach, a full collection no longer
    pauses the worker for about 100 ms to scan it again (the tail of request latency). Once per
    process: a process that builds many apps (the tests) would otherwise keep each one's
    garbage for good."""
    global _start_up_frozen
    if not _start_up_frozen:
        _start_up_frozen = True
        gc.collect()
        gc.freeze()


def create_app(
    settings: Settings | None = None, *, database: Database | None = None,
    login_policy: LoginPolicy | None = None, cookie_secure: bool | None = None,
) -> FastAPI:
    """`database` lets tests hand in one on either backend; `cookie_secure` defaults to
    TREATYDESK_COOKIE_SECURE=1 (set it when the desk is served over HTTPS)."""
    if database is not None:
        settings = database.settings
    settings = settings or load_settings()
    db = database or Database(settings)
    owns_db = database is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        migrate(settings)
        _freeze_start_up_objects()
        try:
            yield
        finally:
            if owns_db:
                db.dispose()

    app = FastAPI(
        title="TreatyDesk",
        summary="Status of the UN Convention against Cybercrime (XVIII-16) and a desk for "
        "cooperation requests under it.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.desk = build_desk(db, access=AccessService(db, login_policy=login_policy))
    if cookie_secure is None:
        cookie_secure = os.environ.get("TREATYDESK_COOKIE_SECURE", "0") == "1"
    app.state.cookie_secure = cookie_secure
    install_error_handlers(app)
    # routes are matched in order: the API, called most often and by machines, comes first
    app.include_router(api_desk.api)
    app.include_router(routes_status.api)
    app.include_router(routes_status.pages)
    app.include_router(pages_auth.pages)
    app.include_router(pages_desk.pages)
    app.include_router(pages_admin.pages)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.add_middleware(BodySizeLimit, max_body_bytes=settings.max_body_bytes)
    return app
