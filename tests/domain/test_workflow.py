"""Every case and EAW transition, allowed and forbidden, against the expected state machine."""

from __future__ import annotations

import pytest

from ncb.domain.errors import DomainError, ForbiddenTransition
from ncb.domain.workflow import allowed_targets, check_transition, initial_status, is_terminal

CASE = {
    "new": {"triaged", "cancelled"},
    "triaged": {"assigned", "cancelled"},
    "assigned": {"in_progress", "cancelled"},
    "in_progress": {"awaiting_reply", "on_hold", "answered", "cancelled"},
    "awaiting_reply": {"in_progress", "answered", "cancelled"},
    "on_hold": {"in_progress", "cancelled"},
    "answered": {"closed", "cancelled"},
    "closed": {"in_progress"},
    "cancelled": set(),
}
ALLOWED = [(a, b) for a, targets in CASE.items() for b in sorted(targets)]
FORBIDDEN = [(a, b) for a in CASE for b in CASE if b not in CASE[a]]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_case_transition(current: str, target: str) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_forbidden_case_transition(current: str, target: str) -> None:
    with pytest.raises(ForbiddenTransition) as info:
        check_transition(current, target)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, DomainError)
    assert repr(current) in str(err) and repr(target) in str(err)
    assert set(err.allowed) == CASE[current]
    for name in CASE[current]:
        assert name in str(err)
    assert err.field == "status" and err.rule == "case.transitions"


@pytest.mark.parametrize("status", sorted(CASE))
def test_allowed_targets_match_table(status: str) -> None:
    assert set(allowed_targets(status)) == CASE[status]


def test_cancelled_is_reachable_from_every_non_closed_state() -> None:
    for status in CASE:
        if status not in {"closed", "cancelled"}:
            assert "cancelled" in allowed_targets(status)


@pytest.mark.parametrize(
    ("current", "target", "field"),
    [("bogus", "new", "current_status"), ("new", "bogus", "target_status")],
)
def test_unknown_status_names_the_field(current: str, target: str, field: str) -> None:
    with pytest.raises(ValueError) as info:
        check_transition(current, target)
    assert isinstance(info.value, DomainError)
    assert info.value.field == field and "bogus" in str(info.value)


def test_unknown_status_in_allowed_targets() -> None:
    with pytest.raises(DomainError) as info:
        allowed_targets("nope")
    assert info.value.field == "status"


EAW_PATH = [
    "received",
    "certified",
    "circulated",
    "arrested",
    "initial_hearing",
    "extradition_hearing",
    "decided",
    "appeal",
    "surrendered",
]


@pytest.mark.parametrize(("current", "target"), list(zip(EAW_PATH, EAW_PATH[1:], strict=False)))
def test_eaw_life_cycle_main_path(current: str, target: str) -> None:
    check_transition(current, target, "eaw")


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("received", "arrested"),
        ("surrendered", "appeal"),
        ("discharged", "decided"),
        ("certified", "decided"),
        ("appeal", "received"),
    ],
)
def test_eaw_forbidden(current: str, target: str) -> None:
    with pytest.raises(ForbiddenTransition) as info:
        check_transition(current, target, "eaw")
    assert info.value.rule == "eaw.transitions"


def test_initial_and_terminal() -> None:
    assert initial_status() == "new"
    assert initial_status("eaw") == "received"
    assert is_terminal("closed") and not is_terminal("on_hold")
    assert is_terminal("surrendered", "eaw") and is_terminal("discharged", "eaw")
    with pytest.raises(DomainError):
        allowed_targets("new", "no_such_machine")
