"""API models in families: *Create and *Update are what a client sends, *Public what it gets
back. Each field says which article or rule it serves; the services validate the content."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from treatydesk.convention import ref
from treatydesk.cooperation.clocks import ClockPolicy, due_status
from treatydesk.cooperation.lifecycle import CaseState, Direction, allowed_targets
from treatydesk.services.common import utcnow
from treatydesk.services.desk_support import StatusSource
from treatydesk.services.views import CaseView
from treatydesk.web.params import MAX_ID


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseCreate(_In):
    direction: Literal["outgoing", "incoming"] = Field(
        description="outgoing: a draft this desk will send; incoming: a request received "
        f"(Art {ref('mla_central_authority')})")
    title: str = Field(min_length=1, max_length=300, description="A title for the desk's list")
    request: dict[str, Any] = Field(
        description="The request (see /api/v1/requests/schema); kind and parties are read "
        f"from it (Art {ref('mla_contents')})")
    urgent: bool = Field(default=False,
                         description=f"Urgent handling (Art {ref('mla_execution_deadline')})")
    received_at: datetime | None = Field(
        default=None, description="Incoming only: when it was received (its clocks start)")
    requesting_deadline: datetime | None = Field(
        default=None, description="Deadline the requesting State asked for "
        f"(Art {ref('mla_execution_deadline')})")


class CaseUpdate(_In):
    version: int = Field(ge=1, le=MAX_ID,
                         description="The case version you read (stale edits get 409)")
    request: dict[str, Any] = Field(
        description=f"The whole new request (Art {ref('mla_contents')})")
    title: str | None = Field(default=None, min_length=1, max_length=300)


class CaseTransition(_In):
    to: str = Field(min_length=1, max_length=32, description="Target state")
    version: int = Field(ge=1, le=MAX_ID)


class ReviewCreate(_In):
    version: int = Field(ge=1, le=MAX_ID)
    approve: bool = Field(description="Approve the current request version (two reviewers for "
                          "intrusive measures, Arts 45, 46)")
    note: str = Field(default="", max_length=10_000)


class ConsultationCreate(_In):
    held_at: datetime = Field(description="When the consultation was held "
                                      f"(Art {ref('mla_consultation')})")
    summary: str = Field(min_length=1, max_length=10_000)


class DecisionCreate(_In):
    version: int = Field(ge=1, le=MAX_ID)
    decision: Literal["execute", "execute_with_conditions", "postpone", "consult", "refuse"]
    reasons: list[str] = Field(default_factory=list, max_length=50,
                               description="Reasons; required to refuse or postpone "
                               f"(Art {ref('mla_reasons_for_refusal')}, "
                               f"{ref('mla_postponement')})")
    conditions: list[str] = Field(default_factory=list, max_length=50)


class CheckOptions(_In):
    request: dict[str, Any]
    on: date | None = Field(default=None, description="Check as of this day (default today)")
    status: StatusSource = Field(
        default=StatusSource.RECORD,
        description="record: the depositary record (the Convention is not yet in force); "
        "hypothetical: the shipped invented example, for training")


class CasePublic(CaseView):
    due_status: Literal["overdue", "due_soon", "pending"] | None
    allowed_transitions: list[str]

    @classmethod
    def from_view(cls, view: CaseView) -> CasePublic:
        status = None
        if view.due_at is not None:
            status = due_status(view.due_at, now=utcnow(), policy=ClockPolicy()).value
        targets = allowed_targets(Direction(view.direction), CaseState(view.state))
        return cls(**view.model_dump(), due_status=status,
                   allowed_transitions=[t.value for t in targets])


class CasePage(BaseModel):
    items: list[CasePublic]
    total: int
    limit: int
    offset: int


class UserCreate(_In):
    username: str = Field(min_length=1, max_length=64)
    role: Literal["officer", "reviewer", "auditor", "admin"]
    password: str = Field(min_length=1, max_length=1024)


class RoleChange(_In):
    role: Literal["officer", "reviewer", "auditor", "admin"]


class TokenCreate(_In):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[Literal["read", "write", "review", "admin"]] = Field(min_length=1)
    expires_at: datetime | None = None


class TokenLogin(TokenCreate):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class DocumentUpload(_In):
    filename: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._-]+$")
    yaml: str = Field(min_length=1)


class DocumentPublic(BaseModel):
    key: str
    name: str
    digest: str
    uploaded_at: datetime
    uploaded_by: int
