"""Domain errors that carry the field and the rule they concern.

Why: the API turns every domain refusal into an RFC 9457 problem document naming the offending
field and the rule that refused it; a plain ValueError cannot say either. `DomainError` is still a
ValueError so callers that only know about ValueError keep working.
"""

from __future__ import annotations


class DomainError(ValueError):
    """A business rule refused an input; `field` names the input, `rule` the rule id."""

    def __init__(self, field: str, rule: str, message: str) -> None:
        self.field = field
        self.rule = rule
        self.message = message
        super().__init__(message)

    def as_problem(self) -> dict[str, str]:
        """The error as the body fields of an RFC 9457 problem (type/title left to the API)."""
        return {"detail": self.message, "field": self.field, "rule": self.rule}


class UnknownCode(DomainError):
    """A code is not in the rules table it should come from."""

    def __init__(
        self, field: str, code: object, table: str, known: list[str] | None = None
    ) -> None:
        hint = f"; known: {', '.join(known)}" if known is not None and len(known) <= 30 else ""
        super().__init__(
            field, f"{table}.known_code", f"unknown {field} {code!r} (table {table}){hint}"
        )
        self.code = code


class ForbiddenTransition(DomainError):
    """A state machine does not allow moving from `current` to `target`."""

    def __init__(
        self, current: str, target: str, allowed: list[str], machine: str = "case"
    ) -> None:
        self.current = current
        self.target = target
        self.allowed = list(allowed)
        listed = ", ".join(self.allowed) if self.allowed else "none (terminal state)"
        super().__init__(
            "status",
            f"{machine}.transitions",
            f"{machine} cannot move from {current!r} to {target!r}; allowed from {current!r}: "
            f"{listed}",
        )


class NaiveDatetime(DomainError):
    """A datetime without a time zone was given where UTC is required."""

    def __init__(self, field: str) -> None:
        super().__init__(
            field, "datetime.aware", f"{field} must be timezone-aware (UTC); got a naive datetime"
        )
