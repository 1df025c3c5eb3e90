"""What the demo's cases are made of: channel, crime-area and priority weights, titles, notes,
tasks, identifier formats, and the batch of table rows a `CaseFactory` fills."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CHANNELS = {"interpol": 34, "europol": 18, "schengen": 22, "eaw": 5, "bilateral": 13, "liaison": 8}
CRIME_AREAS = {
    "drugs": 18, "fraud": 14, "fugitives": 10, "money_laundering": 8, "cybercrime": 7,
    "missing_persons": 6, "other": 6, "human_trafficking": 5, "sexual_offences": 5,
    "child_sexual_exploitation": 4, "firearms": 4, "robbery": 4, "organised_immigration_crime": 4,
    "vehicle_crime": 4, "homicide": 3, "corruption": 2, "terrorism": 1, "kidnapping": 1,
    "cultural_property": 1, "environmental": 1,
}
PRIORITIES = {"urgent": 5, "high": 20, "normal": 60, "low": 15}
POPULAR = {"ES": 10, "FR": 8, "DE": 8, "PL": 8, "RO": 8, "NL": 7, "IE": 6, "IT": 6, "US": 6,
           "LT": 4, "PT": 4, "BE": 4, "AL": 4, "TR": 3, "IN": 3, "PK": 3, "CN": 3, "CO": 3,
           "NG": 3, "AU": 3, "CA": 3, "BR": 2, "MA": 2, "AE": 2, "TH": 2, "GR": 2, "BG": 3}
DIAL = {"GB": "44", "IE": "353", "FR": "33", "DE": "49", "ES": "34", "IT": "39", "NL": "31",
        "PL": "48", "RO": "40", "PT": "351", "BE": "32", "US": "1", "CA": "1", "AU": "61",
        "NZ": "64", "RU": "7", "UA": "380", "TR": "90", "CN": "86", "JP": "81", "KR": "82",
        "IN": "91", "PK": "92", "AE": "971", "MA": "212", "NG": "234", "CO": "57", "BR": "55",
        "GR": "30", "IL": "972", "AL": "355", "LT": "370", "BG": "359", "EG": "20"}
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
MAKES = [("Volkswagen", "Golf"), ("BMW", "X5"), ("Mercedes-Benz", "Sprinter"), ("Audi", "A6"),
         ("Toyota", "Land Cruiser"), ("Ford", "Transit"), ("Range Rover", "Sport"),
         ("Skoda", "Octavia"), ("Renault", "Master"), ("Peugeot", "308"), ("Scania", "R450")]
COLOURS = ["black", "white", "silver", "grey", "blue", "red", "green"]
TITLES = {
    "drugs": "Cocaine importation", "fraud": "Investment fraud", "fugitives": "Wanted fugitive",
    "money_laundering": "Money laundering network", "cybercrime": "Ransomware attack",
    "missing_persons": "Missing person", "other": "Enquiry", "human_trafficking":
    "Trafficking in human beings", "sexual_offences": "Sexual offence",
    "child_sexual_exploitation": "Child sexual exploitation", "firearms": "Firearms trafficking",
    "robbery": "Armed robbery", "organised_immigration_crime": "Facilitated illegal entry",
    "vehicle_crime": "Stolen vehicle", "homicide": "Murder enquiry", "corruption": "Bribery",
    "terrorism": "Terrorist financing", "kidnapping": "Kidnap for ransom",
    "cultural_property": "Stolen artwork", "environmental": "Illegal waste shipment",
}
NOTES = ["Checked PNC and PND: no trace.", "Partner confirms the subject's address.",
         "Subject believed to have left the country by ferry.", "Awaiting translation.",
         "Spoke to the OIC; enquiry still live.", "Duplicate of an earlier request, linked.",
         "Subject's passport reported lost in the SLTD database.",
         "Liaison officer asked to follow up with the host police."]
TASKS = ["Run SIS and Interpol checks", "Request translation", "Reply to the requesting bureau",
         "Update the OIC", "Check travel movements", "Prepare Form M"]
OPEN_STAGES = ["triaged", "assigned", "in_progress", "awaiting_reply", "on_hold"]
TABLES = ("cases", "deadlines", "case_events", "entities", "case_entities", "search_keys",
          "shares", "notes", "tasks", "messages")


def cum(weights: dict[str, int]) -> tuple[list[str], list[float]]:
    keys = list(weights)
    total = 0.0
    cum = []
    for k in keys:
        total += weights[k]
        cum.append(total)
    return keys, cum


@dataclass
class Rows:
    tables: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {t: [] for t in TABLES})
    audit: list[tuple[Any, ...]] = field(default_factory=list)  # (at, user_id, actor, kind, ...)
