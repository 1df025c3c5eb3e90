"""Errors a use case can raise; the API turns each into an RFC 9457 problem, the CLI into exit 2."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    status: int = 400
    title: str = "Bad request"

    def __init__(
        self, detail: str, *, field: str | None = None, rule: str | None = None, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.rule = rule
        self.extra = extra


class NotFound(ServiceError):
    status = 404
    title = "Not found"


class Forbidden(ServiceError):
    status = 403
    title = "Forbidden"


class JustificationRequired(ServiceError):
    status = 428
    title = "Justification required"


class Conflict(ServiceError):
    status = 409
    title = "Conflict"


class InvalidInput(ServiceError):
    status = 422
    title = "Invalid input"


class TooLarge(ServiceError):
    status = 413
    title = "Too large"


class AuditUnavailable(ServiceError):
    """The audit log could not record a refused attempt: the request fails closed."""

    status = 503
    title = "Audit log unavailable"
