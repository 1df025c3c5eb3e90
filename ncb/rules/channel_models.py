"""Pydantic models for marking schemes and channel code lists (Interpol, SIS/SIRENE, EAW, Europol).

Why: markings decide who may see what, and channel code lists decide what a valid notice,
alert, form or warrant is. Keeping them as validated data lets the lead's policy code and the
channel modules share one vocabulary, each code traceable to the instrument that defines it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ncb.rules.models import CodeItem, Entry


class Classification(CodeItem):
    """A UK Government Security Classification tier; higher rank is more restricted."""

    rank: int = Field(ge=1)


class HandlingCode(CodeItem):
    """One handling code; higher rank is more restrictive within its scheme."""

    rank: int = Field(ge=0)
    requires_conditions: bool = False
    requires_text: bool = False


class HandlingScheme(CodeItem):
    """A handling scheme (3x5x2, Europol H0-H3, legacy 5x5x5) and its codes."""

    codes: dict[str, HandlingCode] = Field(min_length=1)


class TlpLabel(CodeItem):
    """A Traffic Light Protocol 2.0 label; higher rank is more restricted."""

    rank: int = Field(ge=0)


class GradingScheme(CodeItem):
    """A source/information evaluation scheme (3x5x2, Europol 4x4, legacy 5x5x5)."""

    source_codes: dict[str, CodeItem] = Field(min_length=1)
    information_codes: dict[str, CodeItem] = Field(min_length=1)


class NoticeType(CodeItem):
    """An Interpol notice colour (or a diffusion)."""

    kind: Literal["notice", "diffusion"] = "notice"
    reviewed: bool = True
    subject: Literal["person", "object", "entity", "asset", "modus_operandi"] = "person"


class SisArticle(CodeItem):
    """An SIS alert category of Regulation (EU) 2018/1862."""

    subject_kind: Literal["person", "object", "person_or_object"]
    required_fields: list[str] = Field(min_length=1)


class FormField(BaseModel):
    """A numbered field of a SIRENE form."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    required: bool = False


class SireneForm(CodeItem):
    """A SIRENE form with numbered fields; `deadline` names the reply deadline rule, if any."""

    deadline: str | None = None
    fields: dict[int, FormField] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> SireneForm:
        names = [f.name for f in self.fields.values()]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate field names: {', '.join(dupes)}")
        return self


class RefusalGround(CodeItem):
    """A ground for refusing to execute an EAW."""

    kind: Literal["mandatory", "optional"]
    article: str


class EawThresholds(Entry):
    """Punishment thresholds for issuing/executing an EAW (months)."""

    offence_min_months: int = Field(gt=0)
    sentence_min_months: int = Field(gt=0)
    list_offence_min_months: int = Field(gt=0)


class EawSection(CodeItem):
    """A section (a)-(i) of the EAW form annexed to the framework decision."""

    required: bool


class ClockExtension(BaseModel):
    """How a clock may be extended: by which event, with which rule, how many times."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event: str
    rule: str
    max_times: int = Field(ge=1)
    requires_reason: bool = False


class EawClockSpec(Entry):
    """A time limit that runs during EAW execution, described as data."""

    label: str
    rule: str
    starts_on: list[str] = Field(min_length=1)
    start_from: Literal["event", "new_date"] = "event"
    restart: bool = False
    met_by: list[str] = Field(min_length=1)
    dropped_by: list[str] = []
    extension: ClockExtension | None = None


class EuropolLimits(Entry):
    """Technical limits of the SIENA exchange."""

    attachment_max_bytes: int = Field(gt=0)
    large_file_route: str = Field(min_length=3)
