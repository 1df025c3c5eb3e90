"""The link graph as its reader may see it: identities and the cases they appear in.

Nodes are identities ("i:<id>": persons, organisations, and the shared selectors — phones,
addresses, documents, accounts, vehicles — that tie people together) and cases ("c:<ref>").
An edge joins an identity to a case it appears in. Every row comes through the access filter
(entities and cases are marked records), so an appearance the reader may not see adds neither
a node nor an edge, and no label comes from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.store.models import Case, CaseEntity, Entity, IdentityMember

_ROWS = (IdentityMember.identity_id, Entity.kind, Entity.display_name, Case.reference,
         Case.channel, Case.crime_area)


def _query(case_ids: Iterable[int] | None = None,
           identity_ids: Iterable[int] | None = None) -> Any:
    q = (select(*_ROWS).join(Entity, Entity.id == IdentityMember.entity_id)
         .join(CaseEntity, CaseEntity.entity_id == Entity.id)
         .join(Case, Case.id == CaseEntity.case_id))
    if case_ids is not None:
        q = q.where(Case.id.in_(list(case_ids)))
    if identity_ids is not None:
        q = q.where(IdentityMember.identity_id.in_(list(identity_ids)))
    return q


def _add(g: nx.Graph, rows: Iterable[tuple[int, str, str, str, str, str | None]]) -> nx.Graph:
    names: dict[str, Counter[str]] = {}
    for ident, kind, name, ref, channel, crime in rows:
        node, case = f"i:{ident}", f"c:{ref}"
        if node not in g:
            g.add_node(node, type="identity", kind=kind, label="")
        names.setdefault(node, Counter())[name] += 1
        if case not in g:
            g.add_node(case, type="case", kind="case", label=ref, channel=channel,
                       crime_area=crime or "")
        g.add_edge(node, case)
    for node, counter in names.items():
        g.nodes[node]["label"] = counter.most_common(1)[0][0]
    return g


def visible_graph(session: Session, p: Principal) -> nx.Graph:
    """Every identity-case link the reader may see (the analyst's whole picture)."""
    return _add(nx.Graph(), session.execute(_query()))


def neighbourhood(session: Session, p: Principal, identity_id: int) -> nx.Graph:
    """The identity, its visible cases, and every identity visible in those cases (2 hops)."""
    g = _add(nx.Graph(), session.execute(_query(identity_ids=[identity_id])))
    refs = [n[2:] for n, d in g.nodes(data=True) if d["type"] == "case"]
    if refs:
        ids = session.scalars(select(Case.id).where(Case.reference.in_(refs)))
        _add(g, session.execute(_query(case_ids=list(ids))))
    return g


def case_neighbourhood(session: Session, p: Principal, case_id: int) -> nx.Graph:
    """The case, the identities visible in it, and every visible case they also appear in."""
    g = _add(nx.Graph(), session.execute(_query(case_ids=[case_id])))
    ids = [int(n[2:]) for n, d in g.nodes(data=True) if d["type"] == "identity"]
    if ids:
        _add(g, session.execute(_query(identity_ids=ids)))
    return g


HOP_ROWS = 2000  # links read for the network page's extra hop: a bounded look, not the graph


def one_more_hop(session: Session, g: nx.Graph, outer: list[str], parties: frozenset[str]
                 ) -> bool:
    """Add what the outer ring's nodes touch: the identities of kind `parties` in outer cases,
    or the cases of outer identities. At most HOP_ROWS links; True when more were left out."""
    if not outer:
        return False
    if outer[0].startswith("c:"):
        ids = list(session.scalars(select(Case.id).where(Case.reference.in_([k[2:] for k in outer]))))
        q = _query(case_ids=ids).where(Entity.kind.in_(sorted(parties)))
    else:
        q = _query(identity_ids=[int(k[2:]) for k in outer])
    rows = session.execute(q.order_by(Case.reference, IdentityMember.identity_id)
                           .limit(HOP_ROWS + 1)).all()
    _add(g, [tuple(r) for r in rows[:HOP_ROWS]])
    return len(rows) > HOP_ROWS
