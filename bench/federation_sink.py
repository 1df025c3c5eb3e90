"""A do-nothing federation inbox: the catch-up benchmark's baseline.

The same HTTP stack as a node (uvicorn, FastAPI, the node's request model) receives and parses
the same request bodies, and stores, verifies and applies nothing.

    .venv/bin/python -m bench.federation_sink --port 8799
"""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn
from fastapi import FastAPI

from ncb.api.federation import PushIn

app = FastAPI()


@app.get("/federation/identity")
def identity() -> dict[str, str]:
    return {"agency": "SINK"}


@app.post("/federation/inbox")
def push(body: PushIn) -> dict[str, Any]:
    return {"receipts": [], "cursors": {}, "count": len(body.envelopes)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    uvicorn.run(app, host="127.0.0.1", port=ap.parse_args().port, access_log=False,
                log_level="warning")


if __name__ == "__main__":
    main()
