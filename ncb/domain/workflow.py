"""Case (and EAW) state machines: which status may follow which.

Why: the allowed transitions are data in `ncb/rules/workflow.yaml`; this module is the only place
that reads them, so the API, the CLI and the services refuse the same moves with the same message.
"""

from __future__ import annotations

from ncb.domain.errors import ForbiddenTransition, UnknownCode
from ncb.rules import StateMachine, load_rules

__all__ = [
    "ForbiddenTransition",
    "allowed_targets",
    "check_transition",
    "initial_status",
    "is_terminal",
    "machine",
]


def machine(name: str = "case") -> StateMachine:
    """The named state machine (`case` or `eaw`)."""
    machines = load_rules().state_machines
    if name not in machines:
        raise UnknownCode("machine", name, "state_machines", sorted(machines))
    return machines[name]


def _known(status: str, sm: StateMachine, field: str, name: str) -> None:
    if status not in sm.statuses:
        raise UnknownCode(field, status, f"state_machines.{name}.statuses", list(sm.statuses))


def allowed_targets(status: str, machine_name: str = "case") -> list[str]:
    """Statuses that `status` may move to, in the order the rules list them."""
    sm = machine(machine_name)
    _known(status, sm, "status", machine_name)
    return list(sm.transitions.get(status, []))


def check_transition(current: str, target: str, machine_name: str = "case") -> None:
    """Refuse a move the state machine does not allow (ForbiddenTransition names both states)."""
    sm = machine(machine_name)
    _known(current, sm, "current_status", machine_name)
    _known(target, sm, "target_status", machine_name)
    allowed = allowed_targets(current, machine_name)
    if target not in allowed:
        raise ForbiddenTransition(current, target, allowed, machine_name)


def initial_status(machine_name: str = "case") -> str:
    """The status a new record starts in."""
    return machine(machine_name).initial


def is_terminal(status: str, machine_name: str = "case") -> bool:
    """True for a status that ends the life cycle (a closed case may still be reopened)."""
    sm = machine(machine_name)
    _known(status, sm, "status", machine_name)
    return sm.statuses[status].terminal
