"""Command-line interface. Each module registers its commands on the shared app."""

# Import for side effects: every module adds its commands to `app`.
from ncb.cli import (  # noqa: F401
    audit,
    backup,
    case,
    channels,
    db,
    demo,
    graph,
    identity,
    matching,
    node,
    node_post,
    retention,
    sar,
    serve,
    siena,
    sirene,
    threat,
    user,
)
from ncb.cli.main import app

__all__ = ["app"]
