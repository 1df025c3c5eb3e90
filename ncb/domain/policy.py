"""The one access policy: who may see a marked record, and which agency may receive it.

The same rules exist twice on purpose: `can_see` here explains a decision in words, and
`ncb.store.access.visible_clause` states it in SQL so every query is filtered. The policy
matrix tests check that both agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCOPES = ("own", "agencies", "group", "team")
JUSTIFICATION_RANK = 2  # OFFICIAL-SENSITIVE and above


@dataclass(frozen=True)
class Principal:
    """The caller as the policy sees it."""

    user_id: int | None
    username: str
    agency_id: int
    agency_code: str
    roles: frozenset[str] = frozenset()
    permissions: frozenset[str] = frozenset()
    clearance_rank: int = 1
    group_ids: frozenset[int] = frozenset()
    team_id: int | None = None
    system: bool = False
    timezone: str = "UTC"  # for display only: every clock is computed and stored in UTC

    def has(self, permission: str) -> bool:
        return self.system or permission in self.permissions


@dataclass(frozen=True)
class Marking:
    classification: str
    classification_rank: int
    owner_agency_id: int
    originator_agency_id: int
    sharing_scope: str = "own"
    sharing_group_id: int | None = None
    shared_agency_ids: frozenset[int] = frozenset()
    handling_code: str | None = None
    handling_conditions: str | None = None
    tlp: str | None = None
    sharing_team_id: int | None = None  # scope "team": the owner agency's team that may see it


@dataclass(frozen=True)
class Recipient:
    agency_id: int
    agency_code: str
    max_classification_rank: int
    group_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[str, ...]

    def __bool__(self) -> bool:
        return self.allowed


def _agency_reason(p: Principal, m: Marking) -> str | None:
    if m.sharing_scope == "team" and p.agency_id == m.owner_agency_id:
        # Limited to one team of the owner agency: the rest of the agency does not see it.
        return "limited to your team" if p.team_id == m.sharing_team_id else None
    if p.agency_id in (m.owner_agency_id, m.originator_agency_id):
        return "your agency holds or provided this record"
    if p.agency_id in m.shared_agency_ids:
        return "shared with your agency by name"
    if m.sharing_scope == "group" and m.sharing_group_id in p.group_ids:
        return "shared with a sharing group your agency belongs to"
    return None


def can_see(p: Principal, m: Marking) -> Decision:
    if p.system:
        return Decision(True, ("system context",))
    reasons: list[str] = []
    ok = True
    if p.clearance_rank < m.classification_rank:
        ok = False
        reasons.append(f"record is {m.classification}; your clearance is below it")
    why = _agency_reason(p, m)
    if why is None:
        ok = False
        reasons.append("record is limited to a team you are not in"
                       if m.sharing_scope == "team" and p.agency_id == m.owner_agency_id
                       else "record was not shared with your agency")
    else:
        reasons.append(why)
    return Decision(ok, tuple(reasons))


def needs_justification(m: Marking) -> bool:
    return m.classification_rank >= JUSTIFICATION_RANK


# Handling codes that forbid passing a record on, and what they require instead.
_NO_FORWARD = {
    "4": "legacy 5x5x5 handling 4: originating agency only",
    "5": "legacy 5x5x5 handling 5: no further dissemination, refer to the originator",
}


# TLP labels that stop a recipient passing a record to another organisation.
_TLP_ONWARD = {
    "TLP:RED": "TLP:RED: named recipients only; only the originator may name more",
    "TLP:AMBER+STRICT": "TLP:AMBER+STRICT: recipient organisation only, no onward sharing",
    "TLP:AMBER": "TLP:AMBER: recipient organisation and its clients only, no onward sharing",
}


def can_receive(
    r: Recipient, m: Marking, sharer_agency_id: int, provider_permission: bool = False
) -> Decision:
    """May agency `sharer_agency_id` disclose this record to agency `r`? Explains every refusal."""
    reasons: list[str] = []
    if r.agency_id in (m.owner_agency_id, m.originator_agency_id):
        return Decision(True, ("recipient already holds or provided this record",))
    if r.max_classification_rank < m.classification_rank:
        reasons.append(f"{r.agency_code} is not accredited to receive {m.classification}")
    code = (m.handling_code or "").upper()
    onward = sharer_agency_id != m.originator_agency_id
    if onward and code in _NO_FORWARD:
        reasons.append(_NO_FORWARD[code])
    if onward and code == "H2" and not provider_permission:
        reasons.append("Europol H2: not to be passed on without the provider's permission")
    if code == "C" and not (m.handling_conditions or "").strip():
        reasons.append("3x5x2 handling C: the sharing conditions must be stated first")
    tlp = (m.tlp or "").upper()
    if onward and tlp in _TLP_ONWARD:
        reasons.append(_TLP_ONWARD[tlp])
    if reasons:
        return Decision(False, tuple(reasons))
    ok = ["markings permit disclosure"]
    if code == "C":
        ok.append(f"conditions travel with it: {m.handling_conditions}")
    return Decision(True, tuple(ok))
