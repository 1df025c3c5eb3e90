"""Link analysis on the reader's graph: neighbours, paths, communities, central nodes, export.

Each use case builds the graph the reader may see (ncb.services.graph.build) and logs the
consultation; nothing here reads past the access filter.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from networkx.algorithms import community
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.errors import Forbidden, InvalidInput, NotFound
from ncb.services.graph.build import neighbourhood, visible_graph
from ncb.store import audit

FORMATS = ("graphml", "gexf", "ftm")
FTM_SCHEMA = {"person": "Person", "organisation": "Organization", "vehicle": "Vehicle",
              "travel_document": "Passport", "phone": "Thing", "address": "Address",
              "bank_account": "BankAccount", "firearm": "Thing"}


@dataclass
class GraphView:
    nodes: list[dict[str, Any]]
    edges: list[tuple[str, str]]
    notes: dict[str, Any] = field(default_factory=dict)


def _check(p: Principal) -> None:
    if not p.has("screen.run"):
        raise Forbidden("your role may not run link analysis", rule="permission:screen.run")


def _view(g: nx.Graph, **notes: Any) -> GraphView:
    return GraphView([{"id": n, **d} for n, d in g.nodes(data=True)],
                     [(a, b) for a, b in g.edges()], notes)


def neighbours(session: Session, p: Principal, identity_id: int) -> GraphView:
    _check(p)
    g = neighbourhood(session, p, identity_id)
    if f"i:{identity_id}" not in g:
        raise NotFound(f"no identity {identity_id} you may see in any case")
    audit.record(session, p, "consultation", "graph", identity_id,
                 details={"neighbourhood": g.number_of_nodes()})
    return _view(g)


def path(session: Session, p: Principal, a: int, b: int) -> GraphView:
    _check(p)
    g = visible_graph(session, p)
    src, dst = f"i:{a}", f"i:{b}"
    for name, node in (("a", src), ("b", dst)):
        if node not in g:
            raise NotFound(f"no identity {node[2:]} you may see in any case", field=name)
    try:
        nodes = nx.shortest_path(g, src, dst)
    except nx.NetworkXNoPath:
        nodes = []
    audit.record(session, p, "consultation", "graph", None, details={"path": [a, b]})
    sub = g.subgraph(nodes)
    view = _view(sub, length=max(len(nodes) - 1, 0), found=bool(nodes))
    view.nodes.sort(key=lambda n: nodes.index(n["id"]))
    return view


def summary(session: Session, p: Principal, top: int = 20) -> dict[str, Any]:
    """Communities (Louvain, seeded) and the most central identities of the reader's graph."""
    _check(p)
    if not 1 <= top <= 200:
        raise InvalidInput("top must be between 1 and 200", field="top", rule="range")
    g = visible_graph(session, p)
    people = [n for n, d in g.nodes(data=True) if d["type"] == "identity"]
    degree = sorted(((g.degree(n), n) for n in people), reverse=True)[:top]
    linked = g.subgraph(n for n in g if g.degree(n) > 1)
    groups = sorted(community.louvain_communities(linked, seed=1), key=len, reverse=True)
    audit.record(session, p, "consultation", "graph", None, details={"summary": len(people)})
    return {
        "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
        "central": [{"id": n, "label": g.nodes[n]["label"], "kind": g.nodes[n]["kind"],
                     "cases": d} for d, n in degree],
        "communities": [{"size": len(c), "identities": sorted(
            g.nodes[n]["label"] for n in c if g.nodes[n]["type"] == "identity")[:10]}
            for c in groups[:top] if len(c) > 2],
    }


def export(session: Session, p: Principal, fmt: str) -> tuple[bytes, str]:
    """The reader's graph as GraphML, GEXF or FollowTheMoney JSON lines; disclosure is logged."""
    _check(p)
    if fmt not in FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}", field="format",
                           rule="code_list")
    g = visible_graph(session, p)
    audit.record(session, p, "disclosure", "graph", None, recipients=[p.username],
                 details={"export": fmt, "nodes": g.number_of_nodes()})
    if fmt == "ftm":
        return ftm_lines(g), "application/x-ndjson"
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(g, buf)
        return buf.getvalue(), "application/graphml+xml"
    nx.write_gexf(g, buf)
    return buf.getvalue(), "application/gexf+xml"


def ftm_lines(g: nx.Graph) -> bytes:
    """FollowTheMoney entities: one per identity, and each case as an Event involving them."""
    out = []
    for n, d in g.nodes(data=True):
        if d["type"] == "identity":
            prop = "number" if d["kind"] in ("travel_document", "bank_account") else "name"
            out.append({"id": f"ncb-{n.replace(':', '-')}", "schema": FTM_SCHEMA.get(
                d["kind"], "Thing"), "properties": {prop: [d["label"]], "name": [d["label"]]}})
        else:
            involved = [f"ncb-{m.replace(':', '-')}" for m in g.neighbors(n)]
            out.append({"id": f"ncb-{n.replace(':', '-')}", "schema": "Event",
                        "properties": {"name": [d["label"]], "summary": [d.get("crime_area", "")],
                                       "involved": involved}})
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in out).encode()
