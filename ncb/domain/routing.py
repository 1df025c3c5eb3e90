"""Route a new case to a team from the ordered routing table in `ncb/rules/routing.yaml`.

Why: routing changes with staffing and with crime priorities; the table is data (first match wins,
absent condition = any), and this function only reads it, so a supervisor can change routing
without touching code and every route can be explained by the row that matched.
"""

from __future__ import annotations

from ncb.domain.errors import UnknownCode
from ncb.rules import RoutingRule, load_rules

__all__ = ["explain_route", "matching_rule", "route"]


def _matches(row: RoutingRule, channel: str, crime_area: str | None, country: str | None) -> bool:
    rules = load_rules()
    region = rules.countries[country].region if country else None
    checks: list[tuple[list[str] | None, str | None]] = [
        (row.channel, channel),
        (row.crime_area, crime_area),
        (row.country, country),
        (row.region, region),
    ]
    return all(
        wanted is None or (value is not None and value in wanted) for wanted, value in checks
    )


def matching_rule(channel: str, crime_area: str | None, country: str | None) -> RoutingRule:
    """The first routing row that matches (the table always ends with a catch-all)."""
    rules = load_rules()
    if channel not in rules.channels:
        raise UnknownCode("channel", channel, "channels", list(rules.channels))
    if crime_area is not None and crime_area not in rules.crime_areas:
        raise UnknownCode("crime_area", crime_area, "crime_areas", list(rules.crime_areas))
    if country is not None:
        country = country.upper()
        if country not in rules.countries:
            raise UnknownCode("country", country, "countries")
    for row in rules.routing:
        if _matches(row, channel, crime_area, country):
            return row
    raise AssertionError("routing table has no catch-all row")  # the loader guarantees one


def route(channel: str, crime_area: str | None, country: str | None) -> str:
    """Team code for a new case on `channel`, about `crime_area`, with partner `country` (ISO2)."""
    return matching_rule(channel, crime_area, country).team


def explain_route(channel: str, crime_area: str | None, country: str | None) -> str:
    """One sentence saying which team gets the case and which routing row decided it."""
    rules = load_rules()
    row = matching_rule(channel, crime_area, country)
    index = rules.routing.index(row)
    team = rules.teams[row.team].name
    note = f" ({row.note})" if row.note else ""
    return f"routed to {team} by routing row {index + 1}{note}; source: {row.source}"
