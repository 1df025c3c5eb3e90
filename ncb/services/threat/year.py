"""The bureau's year in numbers: new cases by channel and by month, EAW received, arrests and
surrenders, Captura appeals listed and caught, SIS hits and alerts, Interpol notices. Every count
is over records the reader may see (marked records go through the access filter)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels.stats import eaw_stats
from ncb.services.errors import InvalidInput
from ncb.services.threat.trends import need_reader
from ncb.store import audit
from ncb.store.models import Alert, Appeal, Case, Notice, SireneForm


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


def year_in_numbers(session: Session, p: Principal, year: int) -> YearInNumbers:
    need_reader(p)
    start, end = _span(year)
    rules = load_rules()
    y = YearInNumbers(year)
    cases = session.execute(select(Case.channel, Case.received_at).where(
        Case.received_at >= start, Case.received_at < end)).all()
    by_channel = Counter(ch for ch, _ in cases)
    y.cases_by_channel = {rules.channels[c].label if c in rules.channels else c: by_channel[c]
                          for c in [*rules.channels, *sorted(set(by_channel) - set(
                              rules.channels))] if by_channel[c] or c in rules.channels}
    months = Counter(f"{at:%Y-%m}" for _, at in cases)
    y.cases_by_month = {f"{year}-{m:02d}": months[f"{year}-{m:02d}"] for m in range(1, 13)}
    eaw = eaw_stats(session, p, year)
    y.eaw = {"received": eaw["requests_received"], "certified": eaw["certified"],
             "arrests": eaw["arrests"], "surrenders": eaw["surrenders"],
             "final decisions": eaw["final_decisions"]}
    appeals = session.execute(select(Appeal.published_at, Appeal.caught_at, Appeal.status,
                                     Appeal.withdrawn_at)).all()
    y.captura = {
        "listed this year": sum(1 for pub, *_ in appeals if pub and start <= pub < end),
        "caught this year": sum(1 for _, caught, *_ in appeals
                                if caught and start <= caught < end),
        "still listed at year end": sum(1 for pub, caught, status, gone in appeals
                                        if pub and pub < end and not (gone and gone < end)
                                        and not (caught and caught < end)),
    }
    forms = session.execute(select(SireneForm.direction).where(
        SireneForm.form_type == "G", SireneForm.created_at >= start,
        SireneForm.created_at < end)).scalars().all()
    alerts = Counter(session.scalars(select(Alert.article).where(
        Alert.created_at >= start, Alert.created_at < end)).all())
    y.sis = {"hits on our alerts abroad (G in)": forms.count("in"),
             "our hits on others' alerts (G out)": forms.count("out"),
             **{f"alerts Art. {a}": n for a, n in sorted(alerts.items())}}
    notices = Counter(session.execute(select(Notice.notice_type, Notice.direction).where(
        Notice.created_at >= start, Notice.created_at < end)).all())
    y.notices = {f"{t} ({d})": n for (t, d), n in sorted(notices.items())}
    audit.record(session, p, "consultation", "statistics", None, details={"year": year})
    return y
