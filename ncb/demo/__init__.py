"""The synthetic demo bureau: `seed(engine, small, cases, seed) -> SeedReport`."""

from ncb.demo.seed import DEMO_PASSWORD, DEMO_URL, DemoError, SeedReport, reset, seed

__all__ = ["DEMO_PASSWORD", "DEMO_URL", "DemoError", "SeedReport", "reset", "seed"]
