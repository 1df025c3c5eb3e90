"""The demo bureau's organisation: agencies, sharing groups, teams and users, as plain rows.

Ids are assigned here (the database is empty), so cases can refer to them without round trips.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from ncb.demo.names import Names
from ncb.rules import load_rules

FIVE_EYES = [
    # (code, name, country); the home agency (NCB_HOME_AGENCY) is added first, separately.
    ("AU-ACC", "Australian Crime Commission", "AU"),
    ("AU-AFP", "Australian Federal Police", "AU"),
    ("US-DEA", "Drug Enforcement Administration", "US"),
    ("US-FBI", "Federal Bureau of Investigation", "US"),
    ("US-ICE", "Immigration and Customs Enforcement", "US"),
    ("NZ-POLICE", "New Zealand Police", "NZ"),
    ("CA-RCMP", "Royal Canadian Mounted Police", "CA"),
]
UK_FORCES = [
    "Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "City of London",
    "Cleveland", "Cumbria", "Derbyshire", "Devon and Cornwall", "Dorset", "Durham", "Dyfed-Powys",
    "Essex", "Gloucestershire", "Greater Manchester", "Gwent", "Hampshire and Isle of Wight",
    "Hertfordshire", "Humberside", "Kent", "Lancashire", "Leicestershire", "Lincolnshire",
    "Merseyside", "Metropolitan", "Norfolk", "North Wales", "North Yorkshire", "Northamptonshire",
    "Northumbria", "Nottinghamshire", "South Wales", "South Yorkshire", "Staffordshire",
    "Suffolk", "Surrey", "Sussex", "Thames Valley", "Warwickshire", "West Mercia",
    "West Midlands", "West Yorkshire", "Wiltshire", "Police Scotland", "Police Service of Northern Ireland",
]
# Liaison posts: (post city, host country). Every other country is covered by a post in its region.
POSTS = [
    ("Madrid", "ES"), ("Lisbon", "PT"), ("Paris", "FR"), ("The Hague", "NL"), ("Brussels", "BE"),
    ("Berlin", "DE"), ("Rome", "IT"), ("Warsaw", "PL"), ("Bucharest", "RO"), ("Sofia", "BG"),
    ("Athens", "GR"), ("Nicosia", "CY"), ("Ankara", "TR"), ("Belgrade", "RS"), ("Tirana", "AL"),
    ("Vienna", "AT"), ("Stockholm", "SE"), ("Dublin", "IE"), ("Kyiv", "UA"), ("Tbilisi", "GE"),
    ("Washington", "US"), ("Ottawa", "CA"), ("Mexico City", "MX"), ("Bogota", "CO"),
    ("Lima", "PE"), ("Brasilia", "BR"), ("Panama City", "PA"), ("Kingston", "JM"),
    ("Bridgetown", "BB"), ("Rabat", "MA"), ("Cairo", "EG"), ("Amman", "JO"), ("Dubai", "AE"),
    ("Islamabad", "PK"), ("Kabul", "AF"), ("New Delhi", "IN"), ("Bangkok", "TH"),
    ("Hong Kong", "CN"), ("Canberra", "AU"), ("Wellington", "NZ"), ("Accra", "GH"),
    ("Lagos", "NG"), ("Dakar", "SN"), ("Nairobi", "KE"), ("Pretoria", "ZA"),
]
# The time zone each post works in (liaison officers see their clocks in local time).
POST_ZONES = {
    "Madrid": "Europe/Madrid", "Lisbon": "Europe/Lisbon", "Paris": "Europe/Paris",
    "The Hague": "Europe/Amsterdam", "Brussels": "Europe/Brussels", "Berlin": "Europe/Berlin",
    "Rome": "Europe/Rome", "Warsaw": "Europe/Warsaw", "Bucharest": "Europe/Bucharest",
    "Sofia": "Europe/Sofia", "Athens": "Europe/Athens", "Nicosia": "Asia/Nicosia",
    "Ankara": "Europe/Istanbul", "Belgrade": "Europe/Belgrade", "Tirana": "Europe/Tirane",
    "Vienna": "Europe/Vienna", "Stockholm": "Europe/Stockholm", "Dublin": "Europe/Dublin",
    "Kyiv": "Europe/Kyiv", "Tbilisi": "Asia/Tbilisi", "Washington": "America/New_York",
    "Ottawa": "America/Toronto", "Mexico City": "America/Mexico_City", "Bogota": "America/Bogota",
    "Lima": "America/Lima", "Brasilia": "America/Sao_Paulo", "Panama City": "America/Panama",
    "Kingston": "America/Jamaica", "Bridgetown": "America/Barbados", "Rabat": "Africa/Casablanca",
    "Cairo": "Africa/Cairo", "Amman": "Asia/Amman", "Dubai": "Asia/Dubai",
    "Islamabad": "Asia/Karachi", "Kabul": "Asia/Kabul", "New Delhi": "Asia/Kolkata",
    "Bangkok": "Asia/Bangkok", "Hong Kong": "Asia/Hong_Kong", "Canberra": "Australia/Sydney",
    "Wellington": "Pacific/Auckland", "Accra": "Africa/Accra", "Lagos": "Africa/Lagos",
    "Dakar": "Africa/Dakar", "Nairobi": "Africa/Nairobi", "Pretoria": "Africa/Johannesburg",
}
LIAISON_OFFICERS = 140
STAFF_PER_TEAM = 6


@dataclass
class Org:
    home_id: int
    agencies: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    teams: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    agency_by_code: dict[str, int] = field(default_factory=dict)
    agency_rank: dict[int, int] = field(default_factory=dict)
    group_by_code: dict[str, int] = field(default_factory=dict)
    team_by_code: dict[str, int] = field(default_factory=dict)
    officers_by_team: dict[int, list[int]] = field(default_factory=dict)
    posts: dict[str, list[str]] = field(default_factory=dict)  # post -> countries
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, agency


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.upper()).strip("-")


def build_org(rng: random.Random, names: Names, home_code: str, password_hash: str) -> Org:
    rules = load_rules()
    countries = rules.countries
    org = Org(home_id=1)

    def agency(code: str, name: str, country: str, kind: str, channels: list[str], rank: int) -> int:
        aid = len(org.agencies) + 1
        org.agencies.append({"id": aid, "code": code, "name": name, "country": country,
                             "kind": kind, "channels": channels, "max_classification_rank": rank})
        org.agency_by_code[code] = aid
        org.agency_rank[aid] = rank
        return aid

    all_channels = list(rules.channels)
    agency(home_code, "National Crime Agency (UK National Central Bureau)", "GB", "ncb",
           all_channels, max(c.rank for c in rules.classifications.values()))
    five = [org.home_id] + [agency(c, n, cc, "police", ["bilateral", "liaison", "interpol"], 3)
                            for c, n, cc in FIVE_EYES]
    europol = agency("EUROPOL", "Europol", "NL", "europol", ["europol"], 2)
    agency("INTERPOL-GS", "INTERPOL General Secretariat", "FR", "interpol", ["interpol"], 2)
    ncbs = [agency(f"INTERPOL-{cc}", f"INTERPOL NCB {c.name}", cc, "ncb", ["interpol"], 2)
            for cc, c in countries.items() if c.interpol_member and cc != "GB"]
    sirene = [agency(f"SIRENE-{cc}", f"SIRENE {c.name}", cc, "sirene", ["schengen"], 2)
              for cc, c in countries.items() if c.sis and cc != "GB"]
    for force in UK_FORCES:
        label = force if "Police" in force else f"{force} Police"
        agency(f"GB-{_slug(force)}", label, "GB", "police", ["bilateral"], 2)

    def group(code: str, name: str, agency_ids: list[int]) -> None:
        gid = len(org.groups) + 1
        org.groups.append({"id": gid, "code": code, "name": name})
        org.group_by_code[code] = gid
        for aid in dict.fromkeys(agency_ids):
            org.members.append({"id": len(org.members) + 1, "group_id": gid, "agency_id": aid})

    group("five_eyes", "Five Eyes law-enforcement group", five)
    group("interpol_ncbs", "All INTERPOL National Central Bureaux", [org.home_id] + ncbs)
    group("sirene", "SIRENE bureaux (Schengen Information System)", [org.home_id] + sirene)
    group("europol", "Europol and its National Units", [org.home_id, europol])

    for code, team in rules.teams.items():
        tid = len(org.teams) + 1
        org.teams.append({"id": tid, "code": code, "name": team.name, "agency_id": org.home_id})
        org.team_by_code[code] = tid
        org.officers_by_team[tid] = []

    _posts(org, rng)
    _users(org, rng, names, password_hash)
    return org


def _posts(org: Org, rng: random.Random) -> None:
    countries = load_rules().countries
    region_posts: dict[str, list[str]] = {}
    for city, cc in POSTS:
        org.posts[city] = [cc]
        region_posts.setdefault(countries[cc].region, []).append(city)
    hosts = {cc for _, cc in POSTS}
    for cc, c in countries.items():
        if cc in hosts or cc == "GB" or not c.interpol_member:
            continue
        posts = region_posts.get(c.region) or [city for city, _ in POSTS]
        org.posts[rng.choice(posts)].append(cc)


def _users(org: Org, rng: random.Random, names: Names, password_hash: str) -> None:
    def user(username: str, roles: list[str], clearance: str, agency_id: int | None = None,
             team: str | None = None, locale: str = "en_GB", post: str | None = None,
             login: bool = False) -> int:
        uid = len(org.users) + 1
        person = names.person(locale)
        tid = org.team_by_code[team] if team else None
        aid = agency_id or org.home_id
        org.users.append({
            "id": uid, "username": username, "display_name": person["display"],
            "agency_id": aid, "team_id": tid, "roles": roles, "clearance": clearance,
            "post": post, "post_countries": org.posts.get(post, []) if post else [],
            "timezone": POST_ZONES.get(post or "", "Europe/London"),
            "password_hash": password_hash, "failed_logins": 0, "active": True,
        })
        if tid and roles[0] in ("desk_officer", "extradition_officer", "supervisor"):
            org.officers_by_team[tid].append(uid)
        if login:
            code = next(a["code"] for a in org.agencies if a["id"] == aid)
            org.logins.append((username, roles[0], code))
        return uid

    user("desk", ["desk_officer"], "SECRET", team="interpol_desk", login=True)
    user("supervisor", ["supervisor"], "SECRET", team="general_desk", login=True)
    user("analyst", ["analyst"], "SECRET", team="intel_analysis", login=True)
    user("liaison", ["liaison_officer"], "SECRET", team="liaison_coordination", post="Madrid",
         login=True)
    user("extradition", ["extradition_officer"], "SECRET", team="eaw_extradition", login=True)
    a = org.agency_by_code
    user("partner.fbi", ["partner_user"], "OFFICIAL-SENSITIVE", a["US-FBI"], locale="en_US",
         login=True)
    user("partner.rcmp", ["partner_user"], "OFFICIAL-SENSITIVE", a["CA-RCMP"], locale="en_US",
         login=True)
    user("partner.europol", ["partner_user"], "OFFICIAL-SENSITIVE", a["EUROPOL"], locale="nl_NL",
         login=True)
    user("partner.interpol_fr", ["partner_user"], "OFFICIAL-SENSITIVE", a["INTERPOL-FR"],
         locale="fr_FR", login=True)
    user("tips", ["tip_handler"], "OFFICIAL", team="fugitives", login=True)
    user("admin", ["administrator"], "OFFICIAL-SENSITIVE", login=True)
    user("dpo", ["data_protection_officer"], "SECRET", login=True)

    for team in org.team_by_code:
        user(f"supervisor.{team}", ["supervisor"], "SECRET", team=team)
        for i in range(1, STAFF_PER_TEAM + 1):
            role = "extradition_officer" if team == "eaw_extradition" else "desk_officer"
            clearance = "SECRET" if rng.random() < 0.3 else "OFFICIAL-SENSITIVE"
            user(f"{team}.{i:02d}", [role], clearance, team=team)
    for i in range(1, 9):
        user(f"analyst.{i:02d}", ["analyst"], "SECRET", team="intel_analysis")
    posts = list(org.posts)
    for i in range(1, LIAISON_OFFICERS):  # `liaison` is the 140th
        post = posts[i % len(posts)]
        user(f"lo.{_slug(post).lower()}.{i:03d}", ["liaison_officer"], "SECRET",
             team="liaison_coordination", post=post)
    for i in range(1, 4):
        user(f"tips.{i:02d}", ["tip_handler"], "OFFICIAL", team="fugitives")
    for code, loc in (("US-DEA", "en_US"), ("US-ICE", "en_US"), ("AU-AFP", "en_GB"),
                      ("NZ-POLICE", "en_GB"), ("AU-ACC", "en_GB"), ("INTERPOL-DE", "de_DE"),
                      ("INTERPOL-ES", "es_ES"), ("SIRENE-PL", "pl_PL"), ("GB-METROPOLITAN", "en_GB")):
        user(f"partner.{code.lower()}", ["partner_user"], "OFFICIAL-SENSITIVE", a[code], locale=loc)
