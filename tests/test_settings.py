"""Settings are checked when they are loaded: a bad NCB_* value stops start-up, naming it."""

import pytest
from pydantic import ValidationError

from ncb.settings import Settings, SettingsError, load_settings


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
        ("NCB_JUSTIFICATION_GRANT_MINUTES", "0"),
        ("NCB_DEVICE_COOKIE_DAYS", "0"),
        ("NCB_MIN_PASSWORD_LENGTH", "4"),
        ("NCB_RETENTION_QUEUE_ROWS", "0"),
        ("NCB_PERSON_SECTION_ROWS", "lots"),
        ("NCB_APPEAL_PHOTO_KIB", "0"),
        ("NCB_THREAT_MAX_MONTHS", "0"),
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


def test_loading_names_the_variable_and_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCB_THREAT_MAX_MONTHS", "0")
    monkeypatch.setenv("NCB_MIN_PASSWORD_LENGTH", "short")
    with pytest.raises(SettingsError) as exc:
        load_settings()
    said = str(exc.value)
    assert "NCB_THREAT_MAX_MONTHS='0': Input should be greater than or equal to 1" in said
    assert "NCB_MIN_PASSWORD_LENGTH='short': Input should be a valid integer" in said


def test_the_cli_refuses_a_bad_variable_with_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ncb.cli import app
    from ncb.settings import get_settings

    monkeypatch.setenv("NCB_DEVICE_COOKIE_DAYS", "0")
    get_settings.cache_clear()
    try:
        r = CliRunner().invoke(app, ["threat", "trends", "--from", "2025-01", "--to", "2025-02",
                                    "--as", "analyst"])
    finally:
        get_settings.cache_clear()
    assert r.exit_code == 2 and "NCB_DEVICE_COOKIE_DAYS='0'" in r.output, r.output
