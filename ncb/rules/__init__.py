"""The bureau's rules as data: legal periods, code lists, thresholds, routing and roles.

Why: periods and codes change with the law and with service agreements; they live in YAML files in
this package (each entry naming its source), are validated once at load, and are read through
`load_rules()` so no legal number is ever hard-coded elsewhere. See docs/rules.md.
"""

from ncb.rules.loader import RULES_DIR, RulesError, load_rules, load_rules_from, validate_file
from ncb.rules.models import (
    Channel,
    CodeItem,
    Country,
    DeadlineRule,
    Period,
    Priority,
    RequestType,
    Role,
    RoutingRule,
    StateMachine,
    Status,
    Team,
)
from ncb.rules.schema import Rules

__all__ = [
    "RULES_DIR",
    "Channel",
    "CodeItem",
    "Country",
    "DeadlineRule",
    "Period",
    "Priority",
    "RequestType",
    "Role",
    "RoutingRule",
    "Rules",
    "RulesError",
    "StateMachine",
    "Status",
    "Team",
    "load_rules",
    "load_rules_from",
    "validate_file",
]
