"""The one exception hierarchy of TreatyDesk.

Every error carries a message that names the object (file and line, JSON path, participant,
request) and optional structured items; the CLI and the HTTP API each have one mapper that turns
these into their own error output. Core code raises only these.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One problem: where it is (a file:line, a JSON path such as `offences[0].max_penalty_years`,
    an XML element path) and what is wrong there."""

    location: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"location": self.location, "message": self.message}

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class TreatyDeskError(Exception):
    """Base of every error TreatyDesk raises on purpose."""

    #: short machine-readable kind, stable across releases (used in API error bodies)
    code: str = "error"
    #: HTTP status the API mapper uses
    http_status: int = 400

    def __init__(self, message: str, *, items: list[ErrorItem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.items: list[ErrorItem] = list(items or [])

    def __str__(self) -> str:
        if not self.items:
            return self.message
        lines = [self.message] + [f"  - {item}" for item in self.items]
        return "\n".join(lines)


class DataFileError(TreatyDeskError):
    """A data file (YAML, CSV, XML) is malformed: names the file and, where known, the line."""

    code = "data_file_error"
    http_status = 422

    def __init__(
        self, message: str, *, file: str, line: int | None = None,
        items: list[ErrorItem] | None = None,
    ) -> None:
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}", items=items)
        self.file = file
        self.line = line


class InvalidInput(TreatyDeskError):
    """Input (request JSON, form, argument) fails validation; each item names its path."""

    code = "invalid_input"
    http_status = 422


class NotFound(TreatyDeskError):
    """Something named does not exist (or is not visible to the caller); may carry suggestions."""

    code = "not_found"
    http_status = 404

    def __init__(
        self, message: str, *, suggestions: list[str] | None = None,
        items: list[ErrorItem] | None = None,
    ) -> None:
        if suggestions:
            message = f"{message} (did you mean: {', '.join(suggestions)}?)"
        super().__init__(message, items=items)
        self.suggestions = list(suggestions or [])


class StatusImportError(TreatyDeskError):
    """A depositary status file cannot be imported: names the source and element or line."""

    code = "status_import_error"
    http_status = 422


class SourceUnavailable(TreatyDeskError):
    """The depositary's site cannot be reached or answered with something that is not a status
    file (its maintenance page, an HTML error); nothing was changed."""

    code = "source_unavailable"
    http_status = 502


class DatabaseBusy(TreatyDeskError):
    """Another program holds the database's write lock for longer than a writer waits."""

    code = "database_busy"
    http_status = 503


class TransitionNotAllowed(TreatyDeskError):
    """A case lifecycle transition that the state machine forbids; lists the allowed ones."""

    code = "transition_not_allowed"
    http_status = 409

    def __init__(self, message: str, *, allowed: list[str]) -> None:
        allowed_text = ", ".join(allowed) if allowed else "none (the case is final)"
        super().__init__(f"{message}; allowed from here: {allowed_text}")
        self.allowed = list(allowed)


class Conflict(TreatyDeskError):
    """A stale edit (someone else changed the object since it was read) or a duplicate."""

    code = "conflict"
    http_status = 409


class PermissionDenied(TreatyDeskError):
    """The caller is authenticated but its role does not allow the operation."""

    code = "permission_denied"
    http_status = 403


class AuthenticationRequired(TreatyDeskError):
    """No valid session or token, or wrong credentials."""

    code = "authentication_required"
    http_status = 401


class RateLimited(TreatyDeskError):
    code = "rate_limited"
    http_status = 429


class PayloadTooLarge(TreatyDeskError):
    code = "payload_too_large"
    http_status = 413


class AuditChainBroken(TreatyDeskError):
    """The audit chain does not verify: names the first entry where it breaks and why."""

    code = "audit_chain_broken"
    http_status = 500


@dataclass(slots=True)
class ErrorCollector:
    """Gathers every problem in one pass so the user sees all of them at once."""

    items: list[ErrorItem] = field(default_factory=list)

    def add(self, location: str, message: str) -> None:
        self.items.append(ErrorItem(location, message))

    def __bool__(self) -> bool:
        return bool(self.items)


def value_kind(value: object) -> str:
    """What a parsed JSON or YAML value is, in the words of its author (not Python's type
    names): "an object", "a list", "a number", "a string", "true/false" or "null"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a value of another kind"


#: pydantic's error types for "this should be an object (mapping)": its message names the
#: Python class (e.g. "instance of Authority")
OBJECT_EXPECTED_TYPES = frozenset({"model_type", "dict_type", "model_attributes_type"})
