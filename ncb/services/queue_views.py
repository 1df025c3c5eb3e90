"""What the queue, liaison post and partner pages show: a page of cases with the names of
their teams and officers, and the post's open tasks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services import queues
from ncb.services.channels.eaw_panel import PanelEntry, release_panel
from ncb.services.errors import Forbidden
from ncb.services.queues import Page, QueueFilter
from ncb.settings import Settings
from ncb.store import directory
from ncb.store.models import Case, Task


@dataclass(frozen=True)
class CaseNames:
    """Team and officer names of listed cases (the templates' `names.teams`, `names.users`)."""

    teams: dict[int, str] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QueueView:
    name: str
    queues: list[str]
    result: Page
    names: CaseNames
    release: list[PanelEntry] = field(default_factory=list)  # shown above every queue, loudly


@dataclass(frozen=True)
class PostView:
    post: str | None
    countries: tuple[str, ...]
    result: Page
    names: CaseNames
    tasks: list[tuple[Task, str, str]]


@dataclass(frozen=True)
class PartnerView:
    """A partner's first screen: what their agency asked for, and what was shared with it."""

    agency: str
    ours: Page
    shared: Page
    names: CaseNames


def names_for(session: Session, cases: Sequence[Case]) -> CaseNames:
    return CaseNames(
        directory.team_names(session), directory.usernames(session, (c.assignee_id for c in cases))
    )


def queue_view(
    session: Session,
    p: Principal,
    name: str,
    f: QueueFilter,
    *,
    hours: int = 24,
    sort: str = "due",
    page: int = 1,
) -> QueueView:
    result = queues.queue(session, p, name, f, hours=hours, sort=sort, page=max(page, 1))
    return QueueView(
        name, queues.queues_for(p), result, names_for(session, result.items), release_panel(session, p)
    )


def post_view(
    session: Session, p: Principal, settings: Settings, *, sort: str = "due", page: int = 1
) -> PostView:
    """A liaison officer's post: cases concerning its countries, and their open tasks (at most
    NCB_POST_TASKS)."""
    user = directory.user(session, p.user_id)
    countries = tuple(user.post_countries or ()) if user else ()
    result = queues.queue(session, p, "post", None, sort=sort, page=max(page, 1), post_countries=countries)
    tasks: list[Any] = []
    if countries:  # the join on Case keeps the access filter on the tasks' cases
        tasks = list(
            session.execute(
                select(Task, Case.reference, Case.title)
                .join(Case, Case.id == Task.case_id)
                .where(Case.country.in_(list(countries)), Task.done_at.is_(None))
                .order_by(Task.due_at.asc().nulls_last(), Task.id)
                .limit(settings.post_tasks)
            )
        )
    return PostView(user.post if user else None, countries, result, names_for(session, result.items), tasks)


def partner_view(session: Session, p: Principal, settings: Settings) -> PartnerView:
    """A partner's landing page: NCB_PARTNER_PAGE cases of each kind."""
    page_size = settings.partner_page
    if not queues.is_partner(p):
        raise Forbidden("this page is for partner agencies' users", rule="role:partner_user")
    ours = queues.queue(session, p, "ours", sort="newest", page_size=page_size)
    shared = queues.queue(session, p, "shared", sort="newest", page_size=page_size)
    return PartnerView(p.agency_code, ours, shared, names_for(session, ours.items + shared.items))
