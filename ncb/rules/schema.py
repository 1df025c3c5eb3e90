"""The `Rules` aggregate: every rules table of the bureau, as one frozen, validated object.

Why: code elsewhere asks `load_rules().deadlines["sirene_reply"]` and gets a typed, validated value;
one object keeps every consumer on the same version of the rules within a process.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, field_validator

from ncb.rules.channel_models import (
    Classification,
    EawClockSpec,
    EawSection,
    EawThresholds,
    EuropolLimits,
    GradingScheme,
    HandlingScheme,
    NoticeType,
    RefusalGround,
    SireneForm,
    SisArticle,
    TlpLabel,
)
from ncb.rules.data_protection_models import RetentionRules, SubjectAccessRules
from ncb.rules.identity_models import IdentityRules
from ncb.rules.models import (
    Channel,
    CodeItem,
    Country,
    DeadlineRule,
    Priority,
    RequestType,
    Role,
    RoutingRule,
    StateMachine,
    Status,
    Team,
)


class Rules(BaseModel):
    """All rules tables. Sections map one-to-one to top-level keys of the YAML files."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    countries: dict[str, Country]
    crime_areas: dict[str, CodeItem]
    channels: dict[str, Channel]
    priorities: dict[str, Priority]
    state_machines: dict[str, StateMachine]
    deadlines: dict[str, DeadlineRule]
    teams: dict[str, Team]
    routing: list[RoutingRule]
    request_types: dict[str, RequestType]
    permissions: dict[str, CodeItem]
    roles: dict[str, Role]
    classifications: dict[str, Classification]
    handling_codes: dict[str, HandlingScheme]
    tlp: dict[str, TlpLabel]
    grading: dict[str, GradingScheme]
    notice_types: dict[str, NoticeType]
    article3_characters: dict[str, CodeItem]
    sis_articles: dict[str, SisArticle]
    sirene_forms: dict[str, SireneForm]
    eaw_list_offences: dict[str, CodeItem]
    eaw_refusal_grounds: dict[str, RefusalGround]
    eaw_thresholds: EawThresholds
    eaw_sections: dict[str, EawSection]
    eaw_clocks: dict[str, EawClockSpec]
    europol_limits: EuropolLimits
    identities: IdentityRules
    retention: RetentionRules
    subject_access: SubjectAccessRules

    @field_validator("countries")
    @classmethod
    def _iso_keys(cls, value: dict[str, Country]) -> dict[str, Country]:
        bad = [k for k in value if not re.fullmatch(r"[A-Z]{2}", k)]
        if bad:
            raise ValueError(f"country keys must be ISO 3166-1 alpha-2: {', '.join(bad)}")
        return value

    @property
    def statuses(self) -> dict[str, Status]:
        """Statuses of the case state machine."""
        return self.state_machines["case"].statuses

    @property
    def transitions(self) -> dict[str, list[str]]:
        """Allowed transitions of the case state machine (status -> targets)."""
        return self.state_machines["case"].transitions

    @property
    def eaw_statuses(self) -> dict[str, Status]:
        """Statuses of the EAW life-cycle state machine."""
        return self.state_machines["eaw"].statuses

    @property
    def eaw_transitions(self) -> dict[str, list[str]]:
        """Allowed transitions of the EAW life cycle (status -> targets)."""
        return self.state_machines["eaw"].transitions
