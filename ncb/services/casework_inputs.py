"""What case work takes: triage, assignment, a status move, a note, a task (ncb.services.casework)."""

from __future__ import annotations

from pydantic import AwareDatetime, Field, field_validator

from ncb.services.inputs import CaseIn, MarkingsIn, Strict


class TriageIn(Strict):
    priority: str | None = None
    crime_area: str | None = None
    country: str | None = None

    _prio = field_validator("priority")(CaseIn._prio.__func__)  # type: ignore[attr-defined]
    _crime = field_validator("crime_area")(CaseIn._crime.__func__)  # type: ignore[attr-defined]
    _country = field_validator("country")(CaseIn._country.__func__)  # type: ignore[attr-defined]


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
