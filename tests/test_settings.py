"""Settings are checked when they are loaded: a bad NCB_* value stops start-up, naming it."""

import pytest
from pydantic import ValidationError

from ncb.settings import Settings


def test_defaults_load() -> None:
    s = Settings()
    assert (s.dashboard_listed, s.post_tasks, s.partner_page, s.case_audit_rows) == (15, 50, 15, 100)
    assert s.tip_form_min_seconds < s.tip_form_max_seconds


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("NCB_DASHBOARD_LISTED", "0"),
        ("NCB_POST_TASKS", "-1"),
        ("NCB_PARTNER_PAGE", "many"),
        ("NCB_CASE_AUDIT_ROWS", "0"),
        ("NCB_TIP_FORM_MIN_SECONDS", "-1"),
        ("NCB_TIP_FORM_MAX_SECONDS", "10"),
        ("NCB_AT_RISK_HOURS", "0"),
        ("NCB_CHANNEL_PAGE_SIZE", "0"),
        ("NCB_SIRENE_RECENT_FORMS", "0"),
        ("NCB_EUROPOL_LATEST_CASES", "1e9"),
        ("NCB_AUDIT_PAGE_SIZE", "0"),
        ("NCB_AUDIT_EXPORT_ROWS", "0"),
        ("NCB_INTERPOL_IMPORT_MB", "0"),
    ],
)
def test_a_bad_value_is_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, var: str, value: str
) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(ValidationError, match=var.removeprefix("NCB_").lower()):
        Settings()


def test_a_tip_form_cannot_be_both_too_fast_and_expired(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCB_TIP_FORM_MIN_SECONDS", "300")
    monkeypatch.setenv("NCB_TIP_FORM_MAX_SECONDS", "120")
    with pytest.raises(ValidationError, match="NCB_TIP_FORM_MIN_SECONDS must be below"):
        Settings()
