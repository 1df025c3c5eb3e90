"""Europol forms: a SIENA message with its handling code and 4x4 evaluation, a forward, the
provider's permission; and the evaluation refusals placed beside their inputs."""

from __future__ import annotations

from typing import Any

from ncb.web.deps import text
from ncb.web.forms.common import Errors, split_list

MSG_FIELDS = {"direction", "sender", "recipients", "subject", "body", "handling_code",
              "handling_conditions", "source_reliability", "information_accuracy",
              "classification", "in_reply_to", "evaluation"}
_EVALUATION_INPUTS = {"msg.evaluation.source": "msg.source_reliability",
                      "msg.evaluation.information": "msg.information_accuracy"}


def message_payload(form: dict[str, Any]) -> dict[str, Any]:
    return {"direction": text(form, "msg.direction") or "out",
            "sender": text(form, "msg.sender") or "",
            "recipients": split_list(text(form, "msg.recipients")),
            "subject": text(form, "msg.subject") or "", "body": text(form, "msg.body") or "",
            "handling_code": text(form, "msg.handling_code") or "",
            "handling_conditions": text(form, "msg.handling_conditions"),
            "source_reliability": text(form, "msg.source_reliability"),
            "information_accuracy": text(form, "msg.information_accuracy"),
            "provider_permission": text(form, "msg.provider_permission") == "yes"}


def message_errors(errors: Errors) -> Errors:
    return {_EVALUATION_INPUTS.get(k, k): v for k, v in errors.items()}


def forward_recipients(form: dict[str, Any], prefix: str) -> list[str]:
    return split_list(text(form, f"{prefix}.recipients"))
