"""Who is acting: roles, token scopes, permissions, and the checks every service makes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from treatydesk.errors import PermissionDenied


class Role(StrEnum):
    OFFICER = "officer"  # drafts, edits and sends requests; registers incoming ones
    REVIEWER = "reviewer"  # reviews and decides incoming requests
    AUDITOR = "auditor"  # reads the audit trail and decision records only
    ADMIN = "admin"  # manages users, tokens and profiles; sees no case content


class Scope(StrEnum):
    """What an API token may be used for (a token never exceeds its user's role)."""

    READ = "read"
    WRITE = "write"
    REVIEW = "review"
    ADMIN = "admin"


class Permission(StrEnum):
    CASE_READ = "case.read"
    CASE_WRITE = "case.write"
    CASE_REVIEW = "case.review"
    CONSULTATION_RECORD = "consultation.record"
    DECISION_READ = "decision.read"
    AUDIT_READ = "audit.read"
    PEOPLE_ADMIN = "people.admin"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: frozenset(
        {Permission.CASE_READ, Permission.CASE_WRITE, Permission.CONSULTATION_RECORD,
         Permission.DECISION_READ}
    ),
    Role.REVIEWER: frozenset(
        {Permission.CASE_READ, Permission.CASE_REVIEW, Permission.CONSULTATION_RECORD,
         Permission.DECISION_READ}
    ),
    Role.AUDITOR: frozenset({Permission.AUDIT_READ, Permission.DECISION_READ}),
    Role.ADMIN: frozenset({Permission.PEOPLE_ADMIN}),
}

#: any one of these scopes lets a token use the permission
PERMISSION_SCOPES: dict[Permission, frozenset[Scope]] = {
    Permission.CASE_READ: frozenset({Scope.READ}),
    Permission.DECISION_READ: frozenset({Scope.READ}),
    Permission.AUDIT_READ: frozenset({Scope.READ}),
    Permission.CASE_WRITE: frozenset({Scope.WRITE}),
    Permission.CASE_REVIEW: frozenset({Scope.REVIEW}),
    Permission.CONSULTATION_RECORD: frozenset({Scope.WRITE, Scope.REVIEW}),
    Permission.PEOPLE_ADMIN: frozenset({Scope.ADMIN}),
}


def role_scopes(role: Role) -> frozenset[Scope]:
    """The scopes that mean something for a role (a token may carry only these)."""
    return frozenset(
        scope for permission in ROLE_PERMISSIONS[role] for scope in PERMISSION_SCOPES[permission]
    )


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: int
    org_id: int
    role: Role
    #: a signed-in session has every scope of its role; a token has the ones it was given
    scopes: frozenset[Scope]
    username: str
    #: set when the caller authenticated with an API token
    token_id: int | None = None

    @property
    def actor(self) -> str:
        """How the audit trail names this caller."""
        base = f"user:{self.user_id}:{self.username}"
        return f"{base}:token:{self.token_id}" if self.token_id is not None else base


def require(principal: Principal, permission: Permission) -> None:
    """PermissionDenied with the reason unless the role and (for tokens) the scope allow it."""
    if permission not in ROLE_PERMISSIONS[principal.role]:
        allowed = sorted(role.value for role, perms in ROLE_PERMISSIONS.items()
                         if permission in perms)
        raise PermissionDenied(
            f"the {principal.role.value} role cannot do {permission.value}; roles that can: "
            f"{', '.join(allowed)}"
        )
    needed = PERMISSION_SCOPES[permission]
    if not needed & principal.scopes:
        raise PermissionDenied(
            f"this token lacks the scope for {permission.value} (needs one of: "
            f"{', '.join(sorted(scope.value for scope in needed))})"
        )
