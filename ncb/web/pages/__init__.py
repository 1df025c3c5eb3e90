"""Workbench page routers; each module exposes `router` (assembled in ncb.web)."""
