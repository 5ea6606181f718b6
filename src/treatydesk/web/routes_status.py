"""Status routes: the read-only status pages and the JSON API under /api/v1/status.

Handlers only read parameters, call `treatydesk.services.status` and render; they are plain
`def` so FastAPI runs their database work in its thread pool.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from treatydesk.services import status as status_service
from treatydesk.status.projection import load_comparables, project
from treatydesk.store import status_repo
from treatydesk.store.db import Database
from treatydesk.web.params import MAX_ID, Offset
from treatydesk.web.templating import render

#: largest page of participants the API returns at once
MAX_PAGE = 500

pages = APIRouter(tags=["status pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/status", tags=["status"])


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def reading(db: Annotated[Database, Depends(database)]) -> Any:
    with db.reading() as session:
        yield session


SessionDep = Annotated[Session, Depends(reading)]
TreatyQuery = Annotated[str, Query(min_length=1, max_length=64,
                                   description="Depositary reference, e.g. XVIII-16.")]
OnQuery = Annotated[date | None, Query(description="As of this day (YYYY-MM-DD); "
                                       "default today.")]
KeyPath = Annotated[str, Path(min_length=1, max_length=64,
                              description="Participant key (ISO 3166 alpha-3 or a slug).")]


def _report(session: Session, treaty: str, on: date | None) -> status_service.StatusReport:
    return status_service.status_report(session, treaty=treaty, on=on or date.today())


# ---------------------------------------------------------------------------------- pages


@pages.get("/", response_class=HTMLResponse)
@pages.get("/status", response_class=HTMLResponse)
def status_page(
    request: Request, session: SessionDep, treaty: TreatyQuery = status_repo.DEFAULT_TREATY,
    on: OnQuery = None,
) -> HTMLResponse:
    report = _report(session, treaty, on)
    projection = project(report.snapshot, report.rule, load_comparables(), report.on)
    return render(request, "status.html", {
        "report": report, "counts": report.counts(), "projection": projection.as_dict(),
        "on_given": on is not None,
    })


@pages.get("/status/party/{key}", response_class=HTMLResponse)
def party_page(
    request: Request, session: SessionDep, key: KeyPath,
    treaty: TreatyQuery = status_repo.DEFAULT_TREATY, on: OnQuery = None,
) -> HTMLResponse:
    report = _report(session, treaty, on)
    detail = status_service.participant_detail(report, key)
    return render(request, "party.html", {"report": report, "party": detail})


# ------------------------------------------------------------------------------------ API


@api.get("", summary="Entry-into-force position, counts and projection")
def status_api(
    session: SessionDep, treaty: TreatyQuery = status_repo.DEFAULT_TREATY, on: OnQuery = None,
) -> dict[str, Any]:
    report = _report(session, treaty, on)
    data = report.as_dict()
    # the participant table has its own paginated endpoint
    data.pop("participants")
    data["projection"] = project(
        report.snapshot, report.rule, load_comparables(), report.on
    ).as_dict()
    return {"ok": True, **data}


@api.get("/participants", summary="Participants and their standing, a page at a time")
def participants_api(
    session: SessionDep,
    treaty: TreatyQuery = status_repo.DEFAULT_TREATY,
    on: OnQuery = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    report = _report(session, treaty, on)
    items = report.standings[offset:offset + limit]
    return {
        "ok": True, "snapshot_id": report.info.id, "on": report.on.isoformat(),
        "total": len(report.standings), "limit": limit, "offset": offset,
        "items": [status_service.standing_dict(standing) for standing in items],
    }


@api.get("/participants/{key}", summary="One participant with footnotes and declarations")
def participant_api(
    session: SessionDep, key: KeyPath, treaty: TreatyQuery = status_repo.DEFAULT_TREATY,
    on: OnQuery = None,
) -> dict[str, Any]:
    report = _report(session, treaty, on)
    return {"ok": True, "snapshot_id": report.info.id,
            **status_service.participant_detail(report, key)}


@api.get("/diff", summary="Changes between two stored snapshots (default: the two newest)")
def diff_api(
    session: SessionDep,
    treaty: TreatyQuery = status_repo.DEFAULT_TREATY,
    old: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Old snapshot id.")] = None,
    new: Annotated[int | None, Query(ge=1, le=MAX_ID, description="New snapshot id.")] = None,
) -> dict[str, Any]:
    stored = status_service.diff_stored(session, treaty=treaty, old_id=old, new_id=new)
    return {"ok": True, **stored.as_dict()}
