"""The network page's view model: the link graph around one identity or one case, in rings.

Ring 0 is the chosen identity (or case), ring 1 what it touches directly, ring 2 what those
touch, ring 3 one hop further (around a case: the people in the ring-2 cases; around an
identity: the other cases of the people and selectors in its cases), read bounded.
Every node and edge comes from ncb.services.graph.build, so through the access filter:
a hidden case is neither a node nor an edge, and no label comes from it. The consultation is
logged like the /graph API's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services import reading
from ncb.services.errors import NotFound
from ncb.services.graph.analysis import _check
from ncb.services.graph.build import HOP_ROWS as HOP_ROWS  # the page says the bound
from ncb.services.graph.build import case_neighbourhood, neighbourhood, one_more_hop
from ncb.store import audit

# Kinds that are people or bodies; every other identity kind is a selector (phone, address,
# document, account, vehicle...) that ties appearances together.
PARTIES = frozenset({"person", "organisation"})


@dataclass(frozen=True)
class Node:
    key: str  # "i:<id>" or "c:<ref>", as in the /graph API
    type: str  # identity | case
    kind: str  # person, phone, ... or case
    label: str
    ring: int
    href: str
    detail: str = ""  # channel and crime area of a case


@dataclass(frozen=True)
class Link:
    identity: Node
    case: Node


@dataclass(frozen=True)
class Shared:
    """A selector or party seen in two or more of the visible cases: what ties them together."""

    identity: Node
    cases: list[Node]


@dataclass
class NetworkView:
    centre: Node
    nodes: list[Node]
    links: list[Link]
    shared: list[Shared] = field(default_factory=list)
    hop_cut: bool = False  # ring 3 was read bounded (build.HOP_ROWS links) and more exist

    def ring(self, n: int) -> list[Node]:
        return [x for x in self.nodes if x.ring == n]


def _node(g: nx.Graph, key: str, ring: int) -> Node:
    d = g.nodes[key]
    if d["type"] == "case":
        detail = " · ".join(x for x in (d["channel"], d.get("crime_area", "")) if x)
        return Node(key, "case", "case", d["label"], ring, f"/w/cases/{d['label']}", detail)
    return Node(key, "identity", d["kind"], d["label"], ring, f"/w/identities/{key[2:]}")


def _view(g: nx.Graph, centre: str, hop_cut: bool = False) -> NetworkView:
    rings = nx.single_source_shortest_path_length(g, centre, cutoff=3)
    # Deterministic order: ring, then cases by reference, identities by label then id.
    order = sorted(rings, key=lambda k: (rings[k], g.nodes[k]["label"].casefold(), k))
    nodes = {k: _node(g, k, rings[k]) for k in order}
    links = []
    for a, b in g.edges():
        if a in nodes and b in nodes:
            ident, case = (a, b) if a.startswith("i:") else (b, a)
            links.append(Link(nodes[ident], nodes[case]))
    links.sort(key=lambda x: (x.case.ring + x.identity.ring, x.case.label, x.identity.label))
    shared = [
        Shared(n, sorted((nodes[c] for c in g.neighbors(n.key) if c in nodes), key=lambda c: c.label))
        for n in nodes.values()
        if n.type == "identity" and sum(1 for c in g.neighbors(n.key) if c in nodes) > 1
    ]
    # Selectors first: a shared phone or passport is the lead; a shared person is expected.
    shared.sort(key=lambda s: (s.identity.kind in PARTIES, -len(s.cases), s.identity.label))
    return NetworkView(nodes[centre], list(nodes.values()), links, shared, hop_cut)


def _outer(session: Session, g: nx.Graph, centre: str) -> bool:
    """Read ring 3 into `g`; True when it was cut."""
    rings = nx.single_source_shortest_path_length(g, centre, cutoff=2)
    return one_more_hop(session, g, sorted(k for k, r in rings.items() if r == 2), PARTIES)


def around_identity(session: Session, p: Principal, identity_id: int) -> NetworkView:
    """The identity, its visible cases, and the identities visible in them."""
    _check(p)
    g = neighbourhood(session, p, identity_id)
    key = f"i:{identity_id}"
    if key not in g:
        raise NotFound(f"no identity {identity_id} you may see in any case", field="identity")
    cut = _outer(session, g, key)
    audit.record(session, p, "consultation", "graph", identity_id, details={"network": g.number_of_nodes()})
    return _view(g, key, cut)


def around_case(session: Session, p: Principal, ref: str) -> NetworkView:
    """The case, the identities visible in it, and the other visible cases they appear in."""
    _check(p)
    case = reading.case_by_ref(session, p, ref)
    g = case_neighbourhood(session, p, case.id)
    key = f"c:{case.reference}"
    if key not in g:  # a case with no entities yet: the case alone
        g.add_node(
            key,
            type="case",
            kind="case",
            label=case.reference,
            channel=case.channel,
            crime_area=case.crime_area or "",
        )
    cut = _outer(session, g, key)
    audit.record(
        session,
        p,
        "consultation",
        "graph",
        None,
        details={"network": g.number_of_nodes(), "case": case.reference},
    )
    return _view(g, key, cut)
