"""Work queues: mine, my team, unassigned, due within N hours, overdue, the whole desk; for a
partner agency's users, their agency's requests and the cases shared with it.

Pages are fetched with LIMIT n+1 (no COUNT over 270,000 rows) and ordered on indexed columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.errors import Forbidden, InvalidInput
from ncb.store.models import Case

QueueName = Literal["mine", "team", "unassigned", "due", "overdue", "desk", "post", "ours",
                    "shared"]
# The queues a bureau officer works from, and those of a partner agency's user (who has no
# team and assigns nothing: what they asked for and what the bureau shared with them).
OFFICER_QUEUES = ("mine", "team", "due", "overdue", "unassigned", "desk")
PARTNER_QUEUES = ("ours", "shared")
SORTS = {
    "due": (Case.next_due_at.asc(), Case.id.asc()),
    "priority": (Case.priority_rank.asc(), Case.next_due_at.asc(), Case.id.asc()),
    "newest": (Case.created_at.desc(), Case.id.desc()),
    "oldest": (Case.created_at.asc(), Case.id.asc()),
}


@dataclass(frozen=True)
class QueueFilter:
    channel: str | None = None
    country: str | None = None
    crime_area: str | None = None
    priority: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[Case]
    page: int
    page_size: int
    has_next: bool


def is_partner(p: Principal) -> bool:
    return "partner_user" in p.roles and not p.system


def queues_for(p: Principal) -> list[str]:
    """The queues shown to `p`, in tab order (the whole desk only to those who may read it)."""
    if is_partner(p):
        return list(PARTNER_QUEUES)
    return [n for n in OFFICER_QUEUES if n != "desk" or p.has("case.read_desk")]


def landing(p: Principal) -> str:
    """Where `p` starts: the dashboard, the liaison post, the partner page, or a queue."""
    if p.has("case.read_desk") and p.has("case.assign"):
        return "dashboard"
    if "liaison_officer" in p.roles:
        return "post"
    if is_partner(p):
        return "partner"
    if not p.has("case.transition") and not p.has("case.read_desk"):
        return "team"
    return "mine"


def open_statuses() -> list[str]:
    machine = load_rules().state_machines["case"]
    return [code for code, s in machine.statuses.items() if not s.terminal]


def queue_statement(
    p: Principal, name: str, f: QueueFilter, hours: int = 24, sort: str = "due",
    now: datetime | None = None, post_countries: tuple[str, ...] = (),
) -> Select[Any]:
    now = now or datetime.now(UTC)
    stmt = select(Case)
    if f.status:
        if f.status not in load_rules().state_machines["case"].statuses:
            raise InvalidInput(f"status: unknown status {f.status!r}", field="status",
                               rule="code_list")
        stmt = stmt.where(Case.status == f.status)
    else:
        # closed_at IS NULL for every open case: it lets the planner use the partial index.
        stmt = stmt.where(Case.status.in_(open_statuses()), Case.closed_at.is_(None))
    if name == "mine":
        stmt = stmt.where(Case.assignee_id == p.user_id)
    elif name == "team":
        stmt = stmt.where(Case.team_id == (p.team_id or -1))
    elif name == "unassigned":
        stmt = stmt.where(Case.assignee_id.is_(None))
        if not p.has("case.read_desk"):
            stmt = stmt.where(Case.team_id == (p.team_id or -1))
    elif name == "due":
        if not 1 <= hours <= 24 * 90:
            raise InvalidInput("hours must be between 1 and 2160", field="hours", rule="range")
        stmt = stmt.where(Case.next_due_at >= now, Case.next_due_at <= now + timedelta(hours=hours))
    elif name == "overdue":
        stmt = stmt.where(Case.next_due_at < now)
    elif name == "desk":
        if not p.has("case.read_desk"):
            raise Forbidden("only a supervisor sees the whole desk", rule="permission:case.read_desk")
    elif name == "ours":  # what the caller's agency asked for or originated
        stmt = stmt.where((Case.originator_agency_id == p.agency_id)
                          | (Case.requesting_agency_id == p.agency_id))
    elif name == "shared":  # seen only because it was shared (the access filter decides)
        stmt = stmt.where(Case.owner_agency_id != p.agency_id,
                          Case.originator_agency_id != p.agency_id,
                          Case.requesting_agency_id.is_(None)
                          | (Case.requesting_agency_id != p.agency_id))
    elif name == "post":
        stmt = stmt.where(Case.country.in_(list(post_countries) or ["--"]))
    else:
        raise InvalidInput(f"queue: unknown queue {name!r}", field="queue", rule="code_list")
    if name in ("due", "overdue") and not p.has("case.read_desk"):
        stmt = stmt.where((Case.team_id == (p.team_id or -1)) | (Case.assignee_id == p.user_id))
    for col, value in (("channel", f.channel), ("country", f.country),
                       ("crime_area", f.crime_area), ("priority", f.priority)):
        if value:
            stmt = stmt.where(getattr(Case, col) == value)
    if sort not in SORTS:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS)}", field="sort", rule="code_list")
    return stmt.order_by(*SORTS[sort])


def queue(
    session: Session, p: Principal, name: str, f: QueueFilter | None = None, *, hours: int = 24,
    sort: str = "due", page: int = 1, page_size: int = 50, post_countries: tuple[str, ...] = (),
) -> Page:
    if not 1 <= page_size <= 200:
        raise InvalidInput("page_size must be between 1 and 200", field="page_size", rule="range")
    if page < 1:
        raise InvalidInput("page must be 1 or more", field="page", rule="range")
    stmt = queue_statement(p, name, f or QueueFilter(), hours, sort, post_countries=post_countries)
    rows = list(session.scalars(stmt.offset((page - 1) * page_size).limit(page_size + 1)))
    return Page(rows[:page_size], page, page_size, len(rows) > page_size)
