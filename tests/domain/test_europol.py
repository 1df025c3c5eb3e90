"""Europol handling-code inheritance, forwarding, judicial use, 4x4 evaluation, attachment size."""

from __future__ import annotations

import pytest

from ncb.domain.errors import DomainError
from ncb.domain.europol import (
    ForwardingRefused,
    check_attachment_size,
    check_forward,
    check_judicial_use,
    reply_handling,
    validate_evaluation,
)

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("parents", "expected"),
    [
        (["H0"], "H0"),
        (["H0", "H1"], "H1"),
        (["H2", "H1", "H0"], "H2"),
        (["h0", "H3", "H2"], "H3"),
        (["H1", "H1"], "H1"),
    ],
)
def test_reply_inherits_strictest(parents: list[str], expected: str) -> None:
    assert reply_handling(parents) == expected


@pytest.mark.parametrize(
    ("parents", "field"), [([], "parent_codes"), (["H0", "H9"], "parent_codes")]
)
def test_reply_handling_refusals(parents: list[str], field: str) -> None:
    with pytest.raises(DomainError) as info:
        reply_handling(parents)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("code", "permission", "h3_ok", "refused"),
    [
        ("H0", False, False, False),
        ("H1", False, False, False),
        ("H2", False, False, True),
        ("H2", True, False, False),
        ("H3", False, False, True),
        ("H3", False, True, False),
        ("H3", True, False, False),
    ],
)
def test_check_forward(code: str, permission: bool, h3_ok: bool, refused: bool) -> None:
    if refused:
        with pytest.raises(ForwardingRefused) as info:
            check_forward(code, permission, h3_conditions_met=h3_ok)
        assert info.value.field == "handling_code" and code in info.value.rule
        assert "permission" in str(info.value)
    else:
        check_forward(code, permission, h3_conditions_met=h3_ok)


def test_check_forward_unknown_code() -> None:
    with pytest.raises(DomainError):
        check_forward("H7", True)


@pytest.mark.parametrize(
    ("code", "permission", "refused"),
    [("H0", False, False), ("H1", False, True), ("H1", True, False), ("H2", False, True)],
)
def test_judicial_use(code: str, permission: bool, refused: bool) -> None:
    if refused:
        with pytest.raises(ForwardingRefused):
            check_judicial_use(code, permission)
    else:
        check_judicial_use(code, permission)


@pytest.mark.parametrize(
    ("source", "info", "ok"),
    [
        ("A", 1, True),
        ("b", "2", True),
        ("C", "3", True),
        ("X", "4", True),
        ("D", "1", False),
        ("A", "5", False),
        ("A", "0", False),
    ],
)
def test_evaluation(source: str, info: str | int, ok: bool) -> None:
    if ok:
        ev = validate_evaluation(source, info)
        assert ev.source == source.upper() and ev.source_label and ev.information_label
    else:
        with pytest.raises(DomainError):
            validate_evaluation(source, info)


@pytest.mark.parametrize(
    ("size", "ok"), [(0, True), (50 * MB, True), (50 * MB + 1, False), (200 * MB, False)]
)
def test_attachment_size(size: int, ok: bool) -> None:
    if ok:
        check_attachment_size(size)
    else:
        with pytest.raises(DomainError) as info:
            check_attachment_size(size)
        assert "large-file exchange" in str(info.value) and info.value.field == "size_bytes"
