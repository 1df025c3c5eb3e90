"""What case work takes: triage, assignment, a status move, a note, a task (ncb.services.casework)."""

from __future__ import annotations

from pydantic import AwareDatetime, Field, field_validator

from ncb.services.inputs import MarkingsIn, Strict, country_code, crime_area, priority


class TriageIn(Strict):
    priority: str | None = None
    crime_area: str | None = None
    country: str | None = None

    @field_validator("priority")
    @classmethod
    def _prio(cls, v: str | None) -> str | None:
        return priority(v)

    @field_validator("crime_area")
    @classmethod
    def _crime(cls, v: str | None) -> str | None:
        return crime_area(v)

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        return country_code(v)


class AssignIn(Strict):
    username: str | None = Field(default=None, description="Officer; omit to take it yourself")
    team: str | None = Field(default=None, description="Team code; omit to keep")


class TransitionIn(Strict):
    status: str
    reason: str = Field(default="", max_length=2000)


class NoteIn(Strict):
    body: str = Field(min_length=1, max_length=20000)
    markings: MarkingsIn | None = None


class TaskIn(Strict):
    title: str = Field(min_length=3, max_length=300)
    assignee: str | None = None
    due_at: AwareDatetime | None = None
