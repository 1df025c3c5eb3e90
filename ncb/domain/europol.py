"""Europol (SIENA) exchange rules: handling-code inheritance, forwarding, evaluation, attachments.

Why: Europol handling codes travel with the information (Reg. (EU) 2016/794 Art. 19). A reply built
on several messages must keep the strictest restriction of any of them, H2 information must not be
passed on without the provider's permission, and attachments above the SIENA limit must go through
the large-file exchange. Codes, ranks and the size limit come from the rules files.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from ncb.domain.errors import DomainError, UnknownCode
from ncb.rules import load_rules
from ncb.rules.channel_models import HandlingCode

__all__ = [
    "Evaluation",
    "ForwardingRefused",
    "check_attachment_size",
    "check_forward",
    "check_judicial_use",
    "reply_handling",
    "validate_evaluation",
]


class ForwardingRefused(DomainError):
    """Information may not be passed on under its handling code."""


def _codes() -> dict[str, HandlingCode]:
    return load_rules().handling_codes["europol"].codes


def _code(code: str, field: str = "handling_code") -> HandlingCode:
    codes = _codes()
    key = code.strip().upper()
    if key not in codes:
        raise UnknownCode(field, code, "handling_codes.europol", list(codes))
    return codes[key]


def reply_handling(parent_codes: Iterable[str]) -> str:
    """The handling code of a reply: the strictest of the messages it draws on (H0<H1<H2<H3)."""
    parents = [c.strip().upper() for c in parent_codes]
    if not parents:
        raise DomainError(
            "parent_codes",
            "europol.handling.inherit",
            "a reply must name the handling codes of the messages it answers",
        )
    return max(parents, key=lambda c: _code(c, "parent_codes").rank)


def check_forward(
    handling_code: str, provider_permission_recorded: bool, h3_conditions_met: bool = False
) -> None:
    """Refuse passing information on when its handling code forbids it.

    H2 needs the provider's permission on record; H3 carries free-text restrictions that a person
    must check, so it also needs either the permission or an explicit `h3_conditions_met`.
    """
    key = handling_code.strip().upper()
    code = _code(key)
    if key == "H2" and not provider_permission_recorded:
        raise ForwardingRefused(
            "handling_code",
            "europol.handling.H2",
            f"H2 ({code.label}): record the provider's permission before passing it on "
            f"({code.source})",
        )
    if key == "H3" and not (provider_permission_recorded or h3_conditions_met):
        raise ForwardingRefused(
            "handling_code",
            "europol.handling.H3",
            "H3 carries the provider's own restrictions: confirm they allow this forwarding "
            f"or record the provider's permission ({code.source})",
        )


def check_judicial_use(handling_code: str, provider_permission_recorded: bool) -> None:
    """Refuse use in judicial proceedings of H1 (or stricter) information without permission."""
    code = _code(handling_code)
    if code.rank >= _codes()["H1"].rank and not provider_permission_recorded:
        raise ForwardingRefused(
            "handling_code",
            "europol.handling.H1",
            f"{handling_code.upper()}: not to be used in judicial proceedings without the "
            f"provider's permission ({code.source})",
        )


class Evaluation(BaseModel):
    """A Europol 4x4 evaluation (source reliability, information accuracy)."""

    model_config = ConfigDict(frozen=True)

    source: str
    information: str
    source_label: str
    information_label: str


def validate_evaluation(source: str, information: str | int) -> Evaluation:
    """Check a 4x4 evaluation: source A/B/C/X, information 1-4."""
    scheme = load_rules().grading["europol_4x4"]
    s, i = source.strip().upper(), str(information).strip()
    if s not in scheme.source_codes:
        raise UnknownCode(
            "evaluation.source",
            source,
            "grading.europol_4x4.source_codes",
            list(scheme.source_codes),
        )
    if i not in scheme.information_codes:
        raise UnknownCode(
            "evaluation.information",
            information,
            "grading.europol_4x4.information_codes",
            list(scheme.information_codes),
        )
    return Evaluation(
        source=s,
        information=i,
        source_label=scheme.source_codes[s].label,
        information_label=scheme.information_codes[i].label,
    )


def check_attachment_size(size_bytes: int) -> None:
    """Refuse an attachment above the SIENA limit, pointing to the large-file exchange."""
    limits = load_rules().europol_limits
    if size_bytes < 0:
        raise DomainError("size_bytes", "europol.attachment", "size must not be negative")
    if size_bytes > limits.attachment_max_bytes:
        mb = limits.attachment_max_bytes // (1024 * 1024)
        raise DomainError(
            "size_bytes",
            "europol.attachment.max_size",
            f"attachment of {size_bytes} bytes exceeds the {mb} MB SIENA limit; send it through "
            f"{limits.large_file_route}",
        )
