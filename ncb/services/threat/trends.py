"""Cases per month by crime area, country concerned or route (requesting country to country
concerned): the top values, the rest as "other". Only cases the reader may see are counted."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.context import settings_of
from ncb.services.errors import Forbidden, InvalidInput
from ncb.store import audit
from ncb.store.models import Case

DIMENSIONS = ("crime_area", "country", "route")


@dataclass
class Trend:
    by: str
    months: list[str]
    series: dict[str, list[int]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    def rows(self) -> list[list[Any]]:
        """CSV rows: month, then one column per value."""
        head: list[Any] = ["month", *[self.labels[k] for k in self.series]]
        body: list[list[Any]] = [[m, *[self.series[k][i] for k in self.series]]
                                 for i, m in enumerate(self.months)]
        return [head, *body]


def need_reader(p: Principal) -> None:
    if not p.has("case.read_desk"):
        raise Forbidden("the threat picture is for analysts and supervisors",
                        rule="permission:case.read_desk")


def month_range(start: str, end: str, most: int) -> list[str]:
    """Months 'YYYY-MM' from start to end inclusive, at most `most` (NCB_THREAT_MAX_MONTHS);
    400 on bad input, naming the field."""
    out: list[str] = []
    for name, value in (("from", start), ("to", end)):
        if not re.fullmatch(r"\d{4}-\d{2}", value or ""):
            raise InvalidInput(f"{name}: a month as YYYY-MM", field=name, rule="month")
    try:
        y, m = (int(x) for x in start.split("-"))
        ey, em = (int(x) for x in end.split("-"))
        datetime(y, m, 1), datetime(ey, em, 1)  # noqa: B018 - validates both months
    except ValueError:
        raise InvalidInput("from/to: months as YYYY-MM", field="from", rule="month") from None
    while (y, m) <= (ey, em):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        if len(out) > most:
            raise InvalidInput(f"from/to: at most {most} months", field="to",
                               rule="range")
    if not out:
        raise InvalidInput("to: on or after from", field="to", rule="order")
    return out


def trends(session: Session, p: Principal, by: str, start: str, end: str,
           top: int = 8) -> Trend:
    need_reader(p)
    if by not in DIMENSIONS:
        raise InvalidInput(f"by: one of {', '.join(DIMENSIONS)}", field="by", rule="code_list")
    if not 1 <= top <= 30:
        raise InvalidInput("top: between 1 and 30", field="top", rule="range")
    months = month_range(start, end, settings_of(session).threat_max_months)
    first = datetime(int(months[0][:4]), int(months[0][5:]), 1, tzinfo=UTC)
    ly, lm = int(months[-1][:4]), int(months[-1][5:])
    after = datetime(ly + (lm == 12), 1 if lm == 12 else lm + 1, 1, tzinfo=UTC)
    cols = (Case.crime_area,) if by == "crime_area" else (Case.country,) if by == "country" \
        else (Case.requesting_country, Case.country)
    rows = session.execute(select(Case.received_at, *cols).where(
        Case.received_at >= first, Case.received_at < after)).all()
    counts: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    for at, *values in rows:
        key = "→".join(v or "?" for v in values) if by == "route" else (values[0] or "?")
        counts[(key, f"{at:%Y-%m}")] += 1
        totals[key] += 1
    keep = [k for k, _ in totals.most_common(top)]
    trend = Trend(by, months)
    for key in keep:
        trend.series[key] = [counts[(key, m)] for m in months]
        trend.labels[key] = _label(by, key)
        trend.totals[key] = totals[key]
    rest = set(totals) - set(keep)
    if rest:
        trend.series["other"] = [sum(counts[(k, m)] for k in rest) for m in months]
        trend.labels["other"] = "Other"
        trend.totals["other"] = sum(totals[k] for k in rest)
    audit.record(session, p, "consultation", "statistics", None,
                 details={"trends": by, "from": months[0], "to": months[-1]})
    return trend


def _label(by: str, key: str) -> str:
    rules = load_rules()
    if by == "crime_area":
        return rules.crime_areas[key].label if key in rules.crime_areas else key
    if by == "country":
        return rules.countries[key].name if key in rules.countries else key
    return key
