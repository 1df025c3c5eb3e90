"""Command-line interface. Each module registers its commands on the shared app."""

from ncb.cli.main import app

# Import for side effects: every module adds its commands to `app`.
from ncb.cli import audit, case, db, matching, serve, user  # noqa: E402,F401
from ncb.cli import demo  # noqa: E402,F401

__all__ = ["app"]
