"""What the web desk needs beyond D1's services: sign-in sessions with their CSRF token, the
party profiles and policy pack an organisation uploads, and the safeguards check bound to them.

Every operation takes a Principal (or a session token) and stays inside the caller's
organisation; profiles and policy packs are per organisation, so one desk's view of a State
never leaks into another's decisions.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, select

from treatydesk.audit.chain import AuditAction
from treatydesk.cooperation.kinds import RequestKind
from treatydesk.cooperation.request import CooperationRequest, validate_request_data
from treatydesk.errors import (
    AuthenticationRequired,
    ErrorItem,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from treatydesk.parties.profile import PartyProfile, load_profile
from treatydesk.safeguards import PolicyPack, load_policy
from treatydesk.services.access import AccessService
from treatydesk.services.cases import CaseService
from treatydesk.services.common import Clock, current_user, utcnow, write
from treatydesk.services.evaluation import (
    CONVENTION_TREATY,
    Evaluation,
    StatusSource,
    evaluate_request,
    record_standings,
    standings_for,
)
from treatydesk.services.principal import Permission, Principal, Role, require, role_scopes
from treatydesk.services.views import CaseView
from treatydesk.status.model import Standing
from treatydesk.store import desk_repo
from treatydesk.store.db import Database
from treatydesk.store.desk_tables import UserRow
from treatydesk.store.status_tables import StatusSnapshotRow
from treatydesk.store.web_tables import StoredPolicyRow, StoredProfileRow, WebSessionRow

#: a session ends this long after sign-in, whatever happens
SESSION_LIFETIME = timedelta(hours=12)
#: ... or after this long without a request
SESSION_IDLE = timedelta(hours=2)
#: last_seen_at is rewritten at most this often, so reading pages does not write on every hit
SESSION_TOUCH = timedelta(minutes=1)
#: largest profile or policy YAML accepted
MAX_DOCUMENT_BYTES = 256 * 1024


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------------ sessions


@dataclass(frozen=True, slots=True)
class WebSession:
    principal: Principal
    csrf_token: str


@dataclass(frozen=True, slots=True)
class NewWebSession:
    """Returned once at sign-in: `cookie` goes to the browser and is never stored."""

    cookie: str
    session: WebSession


class WebSessionService:
    def __init__(self, db: Database, access: AccessService, *, now: Clock = utcnow) -> None:
        self._db = db
        self._access = access
        self._now = now

    def sign_in(self, username: str, password: str, client_address: str) -> NewWebSession:
        """AccessService.login (rate limited, audited) and a new server-side session."""
        principal = self._access.login(username, password, client_address)
        cookie = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        at = self._now()
        with self._db.transaction() as session:
            # expired rows of this user go now, so the table does not grow without bound
            session.execute(delete(WebSessionRow).where(
                WebSessionRow.user_id == principal.user_id, WebSessionRow.expires_at <= at))
            session.add(WebSessionRow(
                token_sha256=_sha256(cookie), csrf_token=csrf, user_id=principal.user_id,
                org_id=principal.org_id, created_at=at, last_seen_at=at,
                expires_at=at + SESSION_LIFETIME,
            ))
        return NewWebSession(cookie=cookie, session=WebSession(principal, csrf))

    def resolve(self, cookie: str) -> WebSession:
        """The session a cookie stands for, or AuthenticationRequired (unknown, expired, idle,
        or its user deactivated)."""
        refused = AuthenticationRequired("sign in to continue (no valid session)")
        if not cookie or len(cookie) > 200:
            raise refused
        at = self._now()
        found: WebSession | None = None
        with self._db.transaction() as session:
            row = session.execute(select(WebSessionRow).where(
                WebSessionRow.token_sha256 == _sha256(cookie))).scalar_one_or_none()
            if row is None:
                raise refused
            user = session.get(UserRow, row.user_id)
            stale = row.expires_at <= at or row.last_seen_at + SESSION_IDLE <= at
            if stale or user is None or not user.active or user.org_id != row.org_id:
                # deleted and committed before refusing, so the dead session is gone for good
                session.delete(row)
            else:
                if at - row.last_seen_at >= SESSION_TOUCH:
                    row.last_seen_at = at
                role = Role(user.role)
                found = WebSession(principal=Principal(
                    user_id=user.id, org_id=user.org_id, role=role, scopes=role_scopes(role),
                    username=user.username,
                ), csrf_token=row.csrf_token)
        if found is None:
            raise AuthenticationRequired("your session has ended; sign in again")
        return found

    def sign_out(self, cookie: str) -> None:
        """End the session and record it (logout) in the same transaction; a cookie that
        stands for no session ends nothing and records nothing."""
        with write(self._db) as session:
            row = session.execute(select(WebSessionRow).where(
                WebSessionRow.token_sha256 == _sha256(cookie))).scalar_one_or_none()
            if row is None:
                return
            user = session.get(UserRow, row.user_id)
            session.delete(row)
            actor = f"user:{row.user_id}:{user.username}" if user else f"user:{row.user_id}"
            desk_repo.append_audit(
                session, at=self._now(), org_id=row.org_id, actor=actor,
                action=AuditAction.LOGOUT, object_type="user", object_id=row.user_id,
                details={})


def csrf_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison, so the token cannot be guessed byte by byte."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


# ------------------------------------------------------------------ profiles and policy


@dataclass(frozen=True, slots=True)
class StoredDocument:
    key: str
    name: str
    digest: str
    uploaded_at: datetime
    uploaded_by: int
    source_yaml: str

    def public(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "digest": self.digest,
                "uploaded_at": self.uploaded_at.isoformat(), "uploaded_by": self.uploaded_by}


def _document_text(text: str, what: str) -> str:
    if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(f"the {what} is larger than {MAX_DOCUMENT_BYTES} bytes",
                           items=[ErrorItem("file", f"at most {MAX_DOCUMENT_BYTES} bytes")])
    if not text.strip():
        raise InvalidInput(f"the {what} is empty", items=[ErrorItem("file", "empty file")])
    return text


class DeskDocuments:
    """Party profiles and the policy pack of each organisation. Everyone signed in to the
    organisation may read them (reviewers need them to judge a check); only administrators
    upload."""

    def __init__(self, db: Database, *, now: Clock = utcnow) -> None:
        self._db = db
        self._now = now

    def upload_profile(self, principal: Principal, *, filename: str, text: str) -> StoredDocument:
        require(principal, Permission.PEOPLE_ADMIN)
        profile = load_profile(Path(filename).name or "profile.yaml",
                               text=_document_text(text, "profile"))
        at = self._now()
        with write(self._db) as session:
            current_user(session, principal)
            row = session.execute(select(StoredProfileRow).where(
                StoredProfileRow.org_id == principal.org_id,
                StoredProfileRow.party_key == profile.key)).scalar_one_or_none()
            previous = row.digest if row is not None else None
            if row is None:
                row = StoredProfileRow(org_id=principal.org_id, party_key=profile.key)
                session.add(row)
            row.name, row.source_yaml, row.digest = profile.name, text, profile.digest
            row.uploaded_by, row.uploaded_at = principal.user_id, at
            session.flush()
            _audit_upload(session, principal, AuditAction.PROFILE_UPLOAD, "profile",
                          profile.key, row.name, row.digest, previous, filename, at)
            return _profile_doc(row)

    def list_profiles(self, principal: Principal) -> list[StoredDocument]:
        with self._db.reading() as session:
            current_user(session, principal)
            rows = session.execute(select(StoredProfileRow).where(
                StoredProfileRow.org_id == principal.org_id
            ).order_by(StoredProfileRow.party_key)).scalars()
            return [_profile_doc(row) for row in rows]

    def get_profile(self, principal: Principal, key: str) -> StoredDocument:
        with self._db.reading() as session:
            current_user(session, principal)
            row = self._profile_row(session, principal.org_id, key)
            if row is None:
                raise NotFound(f"no profile of {key!r} is stored for your desk")
            return _profile_doc(row)

    @staticmethod
    def _profile_row(session: Any, org_id: int, key: str) -> StoredProfileRow | None:
        found: StoredProfileRow | None = session.execute(select(StoredProfileRow).where(
            StoredProfileRow.org_id == org_id,
            StoredProfileRow.party_key == key)).scalar_one_or_none()
        return found

    def upload_policy(self, principal: Principal, *, filename: str, text: str) -> StoredDocument:
        require(principal, Permission.PEOPLE_ADMIN)
        policy = load_policy(Path(filename).name or "policy.yaml",
                             text=_document_text(text, "policy pack"))
        at = self._now()
        with write(self._db) as session:
            current_user(session, principal)
            row = session.execute(select(StoredPolicyRow).where(
                StoredPolicyRow.org_id == principal.org_id)).scalar_one_or_none()
            previous = row.digest if row is not None else None
            if row is None:
                row = StoredPolicyRow(org_id=principal.org_id)
                session.add(row)
            row.name, row.source_yaml, row.digest = policy.name, text, policy.digest
            row.uploaded_by, row.uploaded_at = principal.user_id, at
            session.flush()
            _audit_upload(session, principal, AuditAction.POLICY_UPLOAD, "policy", "policy",
                          row.name, row.digest, previous, filename, at)
            return _policy_doc(row)

    def get_policy(self, principal: Principal) -> StoredDocument | None:
        with self._db.reading() as session:
            current_user(session, principal)
            row = session.execute(select(StoredPolicyRow).where(
                StoredPolicyRow.org_id == principal.org_id)).scalar_one_or_none()
            return _policy_doc(row) if row is not None else None

    # parsed forms for the engine (re-parsed from the stored text: it was valid on upload)
    def parsed_profile(self, org_id: int, key: str) -> PartyProfile | None:
        with self._db.reading() as session:
            row = self._profile_row(session, org_id, key)
            return load_profile(f"{key}.yaml", text=row.source_yaml) if row else None

    def parsed_policy(self, org_id: int) -> PolicyPack | None:
        with self._db.reading() as session:
            row = session.execute(select(StoredPolicyRow).where(
                StoredPolicyRow.org_id == org_id)).scalar_one_or_none()
            return load_policy("policy.yaml", text=row.source_yaml) if row else None


def _audit_upload(
    session: Any, principal: Principal, action: AuditAction, object_type: str, key: str,
    name: str, digest: str, previous_digest: str | None, filename: str, at: datetime,
) -> None:
    # the digest identifies the text that now decides; the text itself is in the row
    desk_repo.append_audit(
        session, at=at, org_id=principal.org_id, actor=principal.actor, action=action,
        object_type=object_type, object_id=key,
        details={"name": name, "digest": digest, "previous_digest": previous_digest,
                 "filename": Path(filename).name[:200]})


def _profile_doc(row: StoredProfileRow) -> StoredDocument:
    return StoredDocument(key=row.party_key, name=row.name, digest=row.digest,
                          uploaded_at=row.uploaded_at, uploaded_by=row.uploaded_by,
                          source_yaml=row.source_yaml)


def _policy_doc(row: StoredPolicyRow) -> StoredDocument:
    return StoredDocument(key="policy", name=row.name, digest=row.digest,
                          uploaded_at=row.uploaded_at, uploaded_by=row.uploaded_by,
                          source_yaml=row.source_yaml)


# ----------------------------------------------------------------------- safeguards check


class _LastParse(threading.local):
    """One-shot hand-over of a parsed request between the steps of one operation in one
    thread (create: kind and parties, then the validator, then the engine), so the request is
    parsed once, not three times. `take` returns the model only for the very dict object it was
    parsed from or dumped to, and forgets it, so nothing outlives the next step."""

    data: object = None
    model: CooperationRequest | None = None

    def give(self, data: object, model: CooperationRequest) -> None:
        self.data, self.model = data, model

    def take(self, data: object) -> CooperationRequest | None:
        model = self.model if data is self.data else None
        self.data = self.model = None
        return model


_last_parse = _LastParse()


def validate_request(kind: RequestKind, request: Mapping[str, Any]) -> dict[str, Any]:
    """The CaseService's validator: the request model, and its kind must be the case's."""
    model = _last_parse.take(request) or validate_request_data(dict(request))
    if model.kind is not kind:
        raise InvalidInput(
            f"the request is of kind {model.kind.value} but the case is {kind.value}",
            items=[ErrorItem("request.kind", f"must be {kind.value}")])
    normalised = model.model_dump(mode="json")
    _last_parse.give(normalised, model)
    return normalised


#: parsed profiles and policy packs kept per process (each a few KB parsed)
PARSED_DOCUMENTS_KEPT = 512


class _ParsedDocuments:
    """Parsed profile and policy YAML, keyed by file name and the SHA-256 of the stored text:
    each text is parsed once per process, and an upload (new text, new hash) can never be
    served stale, whichever worker process stored it. Shared by the request threads."""

    def __init__(self, kept: int = PARSED_DOCUMENTS_KEPT) -> None:
        self._kept = kept
        self._items: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, filename: str, text: str, parse: Callable[..., Any]) -> Any:
        key = (filename, hashlib.sha256(text.encode("utf-8")).hexdigest())
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        parsed = parse(filename, text=text)  # outside the lock; a race only parses twice
        with self._lock:
            self._items[key] = parsed
            while len(self._items) > self._kept:
                self._items.popitem(last=False)
        return parsed


class SafeguardsChecks:
    """Evaluates a request for an organisation: the party profiles and policy pack that
    organisation uploaded, standings from the chosen status source (services.evaluation).

    What the engine is given is read in one short read transaction per evaluation (the two
    parties' stored profiles, the policy pack, the id of the newest stored depositary
    snapshot); parsing and standings are reused while those have not changed."""

    def __init__(self, db: Database, documents: DeskDocuments) -> None:
        self._db = db
        self._documents = documents
        self._parsed = _ParsedDocuments()
        self._standings_lock = threading.Lock()
        #: the newest snapshot's id (None: nothing stored, the bundled one) -> standings, note
        self._record: tuple[int | None, tuple[Mapping[str, Standing], str]] | None = None

    def evaluate_for(
        self, org_id: int, request: CooperationRequest, *, on: date, source: StatusSource
    ) -> Evaluation:
        parties = sorted({request.requesting_party, request.requested_party})
        with self._db.reading() as session:
            profile_texts: dict[str, str] = {
                key: text for key, text in session.execute(
                    _PROFILES, {"org_id": org_id, "parties": parties})}
            policy_text = session.execute(_POLICY, {"org_id": org_id}).scalar_one_or_none()
            newest = (_newest_snapshot_id(session) if source is StatusSource.RECORD
                      else None)
        if source is StatusSource.RECORD:
            status, note = self._record_standings(newest)
        else:
            status, note = standings_for(source, settings=self._db.settings, db=self._db)
        profiles = {key: self._parsed.get(f"{key}.yaml", text, load_profile)
                    for key, text in profile_texts.items()}
        policy = (self._parsed.get("policy.yaml", policy_text, load_policy)
                  if policy_text is not None else None)
        return evaluate_request(request, on=on, profile_of=profiles.get, policy=policy,
                                standings=status, notes=(note,))

    def _record_standings(self, newest: int | None) -> tuple[Mapping[str, Standing], str]:
        with self._standings_lock:
            if self._record is not None and self._record[0] == newest:
                return self._record[1]
        found = record_standings(self._db)
        with self._db.reading() as session:
            still = _newest_snapshot_id(session)
        if still == newest:  # kept only if no import happened while it was computed
            with self._standings_lock:
                self._record = (newest, found)
        return found

    def check_request(
        self, principal: Principal, request: Mapping[str, Any], *, on: date,
        source: StatusSource,
    ) -> Evaluation:
        """Stateless check of a request JSON (nothing stored)."""
        require(principal, Permission.CASE_READ)
        with self._db.reading() as session:
            current_user(session, principal)
        model = validate_request_data(dict(request))
        return self.evaluate_for(principal.org_id, model, on=on, source=source)

    def check_case(
        self, principal: Principal, cases: CaseService, case_id: int, *, on: date,
        source: StatusSource,
    ) -> tuple[CaseView, Evaluation]:
        case = cases.get_case(principal, case_id)  # role and organisation checked there
        model = validate_request_data(case.request, source=f"case {case_id}")
        return case, self.evaluate_for(principal.org_id, model, on=on, source=source)


# what an evaluation reads, built once (every created or edited case runs them)
_PROFILES = select(StoredProfileRow.party_key, StoredProfileRow.source_yaml).where(
    StoredProfileRow.org_id == bindparam("org_id"),
    StoredProfileRow.party_key.in_(bindparam("parties", expanding=True)))
_POLICY = select(StoredPolicyRow.source_yaml).where(
    StoredPolicyRow.org_id == bindparam("org_id"))
_NEWEST_SNAPSHOT = (
    select(StatusSnapshotRow.id).where(StatusSnapshotRow.treaty == CONVENTION_TREATY)
    .order_by(StatusSnapshotRow.retrieved_at.desc(), StatusSnapshotRow.id.desc()).limit(1))


def _newest_snapshot_id(session: Any) -> int | None:
    """The id of the snapshot record_standings reads (newest retrieval, then newest id)."""
    found: int | None = session.execute(_NEWEST_SNAPSHOT).scalar_one_or_none()
    return found


def case_service(
    db: Database, checks: SafeguardsChecks, org_id: int, *, now: Clock = utcnow
) -> CaseService:
    """A CaseService whose saved requests and decisions are checked with `org_id`'s profiles
    and policy against the depositary record (never the hypothetical example)."""

    def evaluate_case(
        kind: RequestKind, request: Mapping[str, Any], *, on: date, subject: str
    ) -> Evaluation:
        model = _last_parse.take(request) or validate_request_data(dict(request),
                                                                   source=subject)
        return checks.evaluate_for(org_id, model, on=on, source=StatusSource.RECORD)

    return CaseService(db, validate_request=validate_request, evaluate=evaluate_case, now=now)


# ------------------------------------------------------------------------ cases and audit


def _parties(request: Mapping[str, Any]) -> tuple[RequestKind, str, str]:
    model = validate_request_data(dict(request))
    _last_parse.give(request, model)
    return model.kind, model.requesting_party, model.requested_party


def create_case(
    cases: CaseService, principal: Principal, *, direction: str, title: str,
    request: Mapping[str, Any], urgent: bool = False, received_at: datetime | None = None,
    requesting_deadline: datetime | None = None,
) -> CaseView:
    """An outgoing draft or an incoming registration whose kind and parties are read from the
    request itself, so the case can never disagree with the request it holds."""
    require(principal, Permission.CASE_WRITE)
    try:
        kind, requesting, requested = _parties(request)
        if direction == "outgoing":
            if received_at is not None:
                raise InvalidInput("an outgoing draft has no received_at",
                                   items=[ErrorItem("received_at", "only for incoming requests")])
            return cases.create_outgoing_draft(
                principal, kind=kind, requesting_party=requesting, requested_party=requested,
                title=title, request=request, requesting_deadline=requesting_deadline,
                urgent=urgent)
        if direction == "incoming":
            return cases.register_incoming(
                principal, kind=kind, requesting_party=requesting, requested_party=requested,
                title=title, request=request, received_at=received_at,
                requesting_deadline=requesting_deadline, urgent=urgent)
        raise InvalidInput(f"direction must be 'outgoing' or 'incoming', got {direction!r}",
                           items=[ErrorItem("direction", "outgoing or incoming")])
    finally:
        _last_parse.take(None)  # nothing handed over outlives the call


def require_audit_verifier(principal: Principal, db: Database) -> None:
    """Verifying the chain is for auditors and administrators (the result names only a
    sequence number, never another organisation's entries)."""
    if principal.role not in (Role.AUDITOR, Role.ADMIN):
        raise PermissionDenied(
            f"the {principal.role.value} role cannot verify the audit chain; roles that can: "
            "admin, auditor")
    with db.reading() as session:
        current_user(session, principal)


@dataclass(frozen=True, slots=True)
class Desk:
    """The services one web application uses, built once per application."""

    db: Database
    access: AccessService
    sessions: WebSessionService
    documents: DeskDocuments
    checks: SafeguardsChecks

    def cases(self, principal: Principal) -> CaseService:
        return case_service(self.db, self.checks, principal.org_id)


def build_desk(db: Database, *, access: AccessService | None = None) -> Desk:
    access = access or AccessService(db)
    documents = DeskDocuments(db)
    return Desk(db=db, access=access, sessions=WebSessionService(db, access),
                documents=documents, checks=SafeguardsChecks(db, documents))
