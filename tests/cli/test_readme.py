"""The README starts with the two commands and documents every NCB_* setting."""

from pathlib import Path

from ncb.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_documents_every_setting() -> None:
    text = README.read_text()
    assert text.splitlines()[:6] == ["# NCB Gateway", "", "```", "make demo", "make test", "```"]
    for name in Settings.model_fields:
        assert f"`NCB_{name.upper()}`" in text, f"NCB_{name.upper()} is not in README.md"


def test_readme_lists_every_demo_login_with_what_to_try() -> None:
    from ncb.demo.guide import DEMO_LOGINS, DEMO_PASSWORD

    text = README.read_text()
    assert f"`{DEMO_PASSWORD}`" in text
    for login in DEMO_LOGINS:
        assert f"| `{login.username}` | {login.role} | {login.agency} | {login.clearance} | " \
               f"{login.try_this} |" in text, login.username
