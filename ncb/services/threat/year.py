"""The bureau's year in numbers: new cases by channel and by month, EAW received, arrests and
surrenders, Captura appeals listed and caught, SIS hits and alerts, Interpol notices. Every count
is over records the reader may see (marked records go through the access filter), and each is
an aggregate query: nothing is replayed row by row (the EAW statistics page still replays the
warrant events, for its medians)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, extract, func, or_, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels.stats import ARREST
from ncb.services.errors import InvalidInput
from ncb.services.threat.trends import need_reader
from ncb.store import audit
from ncb.store.models import Alert, Appeal, Case, Notice, SireneForm, Warrant, WarrantEvent


@dataclass
class YearInNumbers:
    year: int
    cases_by_channel: dict[str, int] = field(default_factory=dict)
    cases_by_month: dict[str, int] = field(default_factory=dict)
    eaw: dict[str, int] = field(default_factory=dict)
    captura: dict[str, int] = field(default_factory=dict)
    sis: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)

    @property
    def total_cases(self) -> int:
        return sum(self.cases_by_channel.values())

    def rows(self) -> list[list[Any]]:
        """CSV rows: section, item, count."""
        out: list[list[Any]] = [["section", "item", "count"]]
        for section in ("cases_by_channel", "cases_by_month", "eaw", "captura", "sis",
                        "notices"):
            out += [[section, k, v] for k, v in getattr(self, section).items()]
        return out


def _span(year: int) -> tuple[datetime, datetime]:
    if not 2000 <= year <= 2100:
        raise InvalidInput("year: between 2000 and 2100", field="year", rule="range")
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def _month(session: Session, col: Any) -> Any:
    """The UTC calendar month (1-12) of a timestamp column, in SQL."""
    if session.get_bind().dialect.name == "postgresql":
        col = func.timezone("UTC", col)  # extract() would use the session's time zone
    return extract("month", col)


def _cases(session: Session, year: int, start: datetime, end: datetime
           ) -> tuple[dict[str, int], dict[str, int]]:
    """Cases per channel and per month: one query grouped by both. The access filter's columns
    are covered by ix_cases_received_access, so the year is counted from the index alone."""
    month = _month(session, Case.received_at)
    rows = session.execute(select(Case.channel, month, func.count())
                           .where(Case.received_at >= start, Case.received_at < end)
                           .group_by(Case.channel, month)).all()
    by_channel: dict[str, int] = {}
    months = [0] * 12
    for channel, m, n in rows:
        by_channel[str(channel)] = by_channel.get(str(channel), 0) + int(n)
        months[int(m) - 1] += int(n)
    return by_channel, {f"{year}-{m + 1:02d}": months[m] for m in range(12)}


def _eaw(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    """The EAW figures of the EAW statistics page (incoming warrants), counted in SQL: each
    warrant once per kind of event in the year (its first arrest, surrender, final decision)."""
    incoming = Warrant.direction == "incoming"
    received, certified = session.execute(select(
        func.count().filter(Warrant.received_at >= start, Warrant.received_at < end),
        func.count().filter(Warrant.certified_at >= start, Warrant.certified_at < end))
        .where(incoming)).one()
    def seen(*kinds: str) -> Any:
        return func.max(case((WarrantEvent.kind.in_(kinds), 1), else_=0))

    per_warrant = (select(seen(*ARREST).label("arrested"), seen("surrender").label("surrendered"),
                          seen("final_decision").label("decided"))
                   .join(Warrant, Warrant.id == WarrantEvent.warrant_id)
                   .where(incoming, WarrantEvent.at >= start, WarrantEvent.at < end,
                          WarrantEvent.kind.in_([*ARREST, "surrender", "final_decision"]))
                   .group_by(WarrantEvent.warrant_id).subquery())
    arrests, surrenders, decided = session.execute(select(
        *[func.coalesce(func.sum(c), 0) for c in per_warrant.c])).one()
    return {"received": received, "certified": certified, "arrests": int(arrests),
            "surrenders": int(surrenders), "final decisions": int(decided)}


def year_in_numbers(session: Session, p: Principal, year: int) -> YearInNumbers:
    need_reader(p)
    start, end = _span(year)
    rules = load_rules()
    y = YearInNumbers(year)
    by_channel, y.cases_by_month = _cases(session, year, start, end)
    y.cases_by_channel = {rules.channels[c].label if c in rules.channels else c:
                          by_channel.get(c, 0)
                          for c in [*rules.channels, *sorted(set(by_channel) - set(
                              rules.channels))] if by_channel.get(c) or c in rules.channels}
    y.eaw = _eaw(session, start, end)
    listed, caught, still = session.execute(select(
        func.count().filter(Appeal.published_at >= start, Appeal.published_at < end),
        func.count().filter(Appeal.caught_at >= start, Appeal.caught_at < end),
        func.count().filter(Appeal.published_at < end,
                            or_(Appeal.withdrawn_at.is_(None), Appeal.withdrawn_at >= end),
                            or_(Appeal.caught_at.is_(None), Appeal.caught_at >= end)))).one()
    y.captura = {"listed this year": listed, "caught this year": caught,
                 "still listed at year end": still}
    g_in, g_out = session.execute(select(
        func.count().filter(SireneForm.direction == "in"),
        func.count().filter(SireneForm.direction == "out")).where(
        SireneForm.form_type == "G", SireneForm.created_at >= start,
        SireneForm.created_at < end)).one()
    alerts = session.execute(select(Alert.article, func.count()).where(
        Alert.created_at >= start, Alert.created_at < end).group_by(Alert.article)).all()
    y.sis = {"hits on our alerts abroad (G in)": g_in,
             "our hits on others' alerts (G out)": g_out,
             **{f"alerts Art. {a}": n for a, n in sorted(alerts)}}
    notices = session.execute(select(Notice.notice_type, Notice.direction, func.count()).where(
        Notice.created_at >= start, Notice.created_at < end)
        .group_by(Notice.notice_type, Notice.direction)).all()
    y.notices = {f"{t} ({d})": n for t, d, n in sorted(notices)}
    audit.record(session, p, "consultation", "statistics", None, details={"year": year})
    return y
