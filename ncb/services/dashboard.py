"""The supervisor dashboard: persons to release at once (EAW custody limits expired), open
caseload by channel, country, crime area and team, and the deadlines at risk or passed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services import queues
from ncb.services.channels.eaw_panel import PanelEntry, release_panel
from ncb.services.errors import Forbidden
from ncb.services.queue_views import CaseNames, names_for
from ncb.settings import Settings
from ncb.store import directory
from ncb.store.models import Case


class TeamLoad(NamedTuple):
    name: str
    open: int
    overdue: int
    unassigned: int


@dataclass(frozen=True)
class Dashboard:
    channel: list[tuple[str, int]]
    country: list[tuple[str, int]]
    crime_area: list[tuple[str, int]]
    teams: list[TeamLoad]
    at_risk: queues.Page
    overdue: queues.Page
    names: CaseNames
    release: list[PanelEntry]  # persons to release now (an EAW custody limit expired)
    at_risk_hours: int  # "at risk": due within this many hours (NCB_AT_RISK_HOURS)


def caseload(session: Session, now: datetime) -> dict[str, Counter[Any]]:
    """Open cases counted by channel, country, crime area and team (with overdue, unassigned).

    One grouped scan of the open cases (the status index) instead of one per dimension: a
    GROUP BY on a single column makes SQLite walk that column's index over every case.
    """
    overdue = sql_case((Case.next_due_at < now, 1), else_=0)
    unassigned = sql_case((Case.assignee_id.is_(None), 1), else_=0)
    # coalesce(): without it SQLite walks the whole channel index to avoid a sort.
    channel = func.coalesce(Case.channel, "")
    rows = session.execute(
        select(channel, Case.country, Case.crime_area, Case.team_id, overdue, unassigned, func.count(Case.id))
        .where(Case.status.in_(queues.open_statuses()))
        .group_by(channel, Case.country, Case.crime_area, Case.team_id, overdue, unassigned)
    ).all()
    out: dict[str, Counter[Any]] = {
        k: Counter() for k in ("channel", "country", "crime_area", "team", "team_overdue", "team_unassigned")
    }
    for channel, country, area, team, late, free, n in rows:
        out["channel"][channel] += n
        out["country"][country or "—"] += n
        out["crime_area"][area or "—"] += n
        out["team"][team] += n
        out["team_overdue"][team] += n * late
        out["team_unassigned"][team] += n * free
    return out


def dashboard(
    session: Session, p: Principal, settings: Settings, now: datetime | None = None, *, top: int = 12
) -> Dashboard:
    """The panels; `settings` (the app's) give the at-risk window and how many cases are listed."""
    if not p.has("case.read_desk"):
        raise Forbidden("the dashboard is for supervisors and analysts", rule="permission:case.read_desk")
    load = caseload(session, now or datetime.now(UTC))
    names = directory.team_names(session)
    teams = [
        TeamLoad(names.get(t, "no team"), n, load["team_overdue"][t], load["team_unassigned"][t])
        for t, n in load["team"].most_common()
    ]
    hours, listed = settings.at_risk_hours, settings.dashboard_listed
    at_risk = queues.queue(session, p, "due", hours=hours, sort="due", page_size=listed)
    overdue = queues.queue(session, p, "overdue", sort="due", page_size=listed)
    return Dashboard(
        load["channel"].most_common(top),
        load["country"].most_common(top),
        load["crime_area"].most_common(top),
        teams,
        at_risk,
        overdue,
        names_for(session, at_risk.items + overdue.items),
        release_panel(session, p),
        hours,
    )
