"""The README starts with the two commands and documents every NCB_* setting."""

from pathlib import Path

from ncb.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_documents_every_setting() -> None:
    text = README.read_text()
    assert text.splitlines()[:2] == ["make demo", "make test"]
    for name in Settings.model_fields:
        assert f"`NCB_{name.upper()}`" in text, f"NCB_{name.upper()} is not in README.md"
