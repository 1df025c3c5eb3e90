"""Graph API: neighbourhood, paths, communities and central nodes, exports (GraphML, GEXF, FtM)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.services.graph import analysis

router = APIRouter(prefix="/graph", tags=["graph"])


def _out(v: analysis.GraphView) -> dict[str, Any]:
    return {"nodes": v.nodes, "edges": [list(e) for e in v.edges], **v.notes}


@router.get("/identities/{identity_id}")
def neighbourhood(identity_id: int, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """The identity, the cases it appears in, and the identities in those cases (visible only)."""
    return _out(analysis.neighbours(session, p, identity_id))


@router.get("/path")
def path(a: int, b: int, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """Shortest chain of cases and identities between identities a and b."""
    return _out(analysis.path(session, p, a, b))


@router.get("/summary")
def summary(session: SessionDep, p: PrincipalDep, top: int = 20) -> dict[str, Any]:
    """Communities and the most connected identities of the graph you may see."""
    return analysis.summary(session, p, top)


@router.get("/export", response_class=Response, responses={200: {"content": {
    "application/graphml+xml": {"schema": {"type": "string"}},
    "application/gexf+xml": {"schema": {"type": "string"}},
    "application/x-ndjson": {"schema": {"type": "string"}}}}})
def export(session: SessionDep, p: PrincipalDep, format: str = "graphml") -> Response:
    """The graph you may see as graphml, gexf or ftm (FollowTheMoney JSON lines); logged."""
    body, media = analysis.export(session, p, format)
    ext = "jsonl" if format == "ftm" else format
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="ncb-graph.{ext}"'})
