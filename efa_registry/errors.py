"""Domain errors. They carry no HTTP status: ``api/problems.py`` maps them in one table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotFound(DomainError):
    """The named entity does not exist."""


def found(value: T | None, detail: str, *, field: str) -> T:
    """``value``, or NotFound (``detail``, naming ``field``) when there is none."""
    if value is None:
        raise NotFound(detail, field=field)
    return value


class AlreadyExists(DomainError):
    """A unique key is taken (``field`` names it)."""


class InvalidInput(DomainError):
    """A value is malformed or violates a rule across fields (``field`` names it)."""


class InvalidParameter(InvalidInput):
    """A query parameter is unknown or malformed (``field`` names it)."""


class InvalidReference(InvalidInput):
    """A value points at an entity that does not exist (an unknown OZG-ID, ARS …)."""


class InvalidTransition(DomainError):
    """A state change is not allowed from the current state."""

    def __init__(self, detail: str, *, allowed: Sequence[str] = ()) -> None:
        super().__init__(detail, field="status")
        self.allowed = list(allowed)


class Unauthenticated(DomainError):
    """No valid credentials (missing, unknown, expired or revoked token)."""


class Forbidden(DomainError):
    """The caller is known but may not do this."""


class PreconditionRequired(DomainError):
    """A write to an existing entity came without the version it is based on."""


class VersionConflict(DomainError):
    """The entity changed since the version the caller based its write on."""

    def __init__(self, detail: str, *, current_version: int | None = None) -> None:
        super().__init__(detail)
        self.current_version = current_version


class Conflict(DomainError):
    """The request conflicts with the current state (e.g. a reused idempotency key)."""


class ImportFailed(DomainError):
    """An import file is malformed; ``errors`` lists (line number, message); nothing was written."""

    def __init__(self, detail: str, errors: Sequence[tuple[int, str]]) -> None:
        super().__init__(detail)
        self.errors = list(errors)

    def __str__(self) -> str:
        lines = [self.detail, *(f"  line {n}: {msg}" for n, msg in self.errors[:20])]
        if len(self.errors) > 20:
            lines.append(f"  … and {len(self.errors) - 20} more")
        return "\n".join(lines)


class DatabaseNotReady(DomainError):
    """The database is unreachable or its schema is not at the current migration."""
