"""Command-line interface. Each module registers its commands on the shared app."""

# Import for side effects: every module adds its commands to `app`.
from ncb.cli import audit, case, channels, db, demo, matching, serve, siena, sirene, user  # noqa: F401
from ncb.cli.main import app

__all__ = ["app"]
