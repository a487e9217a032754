"""The one error type business code raises: a machine-readable code, a message, field errors."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. Adapters turn it into a 4xx problem response; nothing was written."""

    status = 422

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        errors: list[dict[str, str]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = list(errors or [])
        if field is not None:
            self.errors.append({"field": field, "code": code, "message": message})
        if status is not None:
            self.status = status


class NotFound(DomainError):
    status = 404

    def __init__(self, what: str, key: object, *, field: str | None = None) -> None:
        super().__init__(f"{what}_not_found", f"No {what.replace('_', ' ')} {key!r}.", field=field)


class Conflict(DomainError):
    status = 409
