"""A year of plausible cases with their deadlines, events, entities, keys, notes, tasks, messages.

Every row is a plain dict with its id chosen here; `CaseFactory.chunk` fills one `Rows` batch that
the seeder writes with Core bulk inserts. Statuses follow the case state machine step by step,
deadlines come from the rules (`compute_due`, `service_level_rule`) and teams from `route`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ncb.demo.names import Names
from ncb.demo.org import Org
from ncb.domain import deadlines, routing
from ncb.rules import load_rules
from ncb.services.text import keys_for

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


def _cum(weights: dict[str, int]) -> tuple[list[str], list[float]]:
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


class CaseFactory:
    def __init__(self, org: Org, names: Names, rng: random.Random, now: datetime,
                 usernames: dict[int, str]) -> None:
        self.org, self.names, self.rng, self.now, self.usernames = org, names, rng, now, usernames
        rules = load_rules()
        self.rules = rules
        self.ids = {t: 0 for t in TABLES}
        self.channel_keys, self.channel_cum = _cum(CHANNELS)
        self.crime_keys, self.crime_cum = _cum(CRIME_AREAS)
        self.prio_keys, self.prio_cum = _cum(PRIORITIES)
        countries = rules.countries
        members = [cc for cc, c in countries.items() if c.interpol_member and cc != "GB"]
        eu = [cc for cc, c in countries.items() if c.eu]
        post_countries = sorted({cc for ccs in org.posts.values() for cc in ccs})
        self.country_choice = {
            "interpol": _cum({cc: POPULAR.get(cc, 1) for cc in members}),
            "schengen": _cum({cc: POPULAR.get(cc, 1) for cc, c in countries.items() if c.sis}),
            "europol": _cum({cc: POPULAR.get(cc, 1) for cc in eu + ["NO", "CH", "AL", "RS", "US"]}),
            "eaw": _cum({cc: POPULAR.get(cc, 1) for cc in eu}),
            "bilateral": _cum({**{cc: 1 for cc in members}, "US": 40, "CA": 20, "AU": 20,
                               "NZ": 8}),
            "liaison": _cum({cc: POPULAR.get(cc, 1) for cc in post_countries}),
        }
        self.locale_of: dict[str, str] = {}
        for pool in names.pools:
            for cc in pool.nationalities:
                self.locale_of.setdefault(cc, pool.locale)
        self.rtypes = {ch: [code for code, rt in rules.request_types.items() if ch in rt.channels]
                       for ch in rules.channels}
        self.route_cache: dict[tuple[str, str, str], int] = {}
        self.due_cache: dict[str, tuple[str, str, timedelta]] = {}
        self.a = org.agency_by_code
        self.forces = [a["id"] for a in org.agencies if a["code"].startswith("GB-")
                       and a["id"] != org.home_id]
        self.five_eyes_by_country = {"US": ["US-FBI", "US-DEA", "US-ICE"], "CA": ["CA-RCMP"],
                                     "AU": ["AU-AFP", "AU-ACC"], "NZ": ["NZ-POLICE"]}
        self.all_officers = [u for ids in org.officers_by_team.values() for u in ids]

    # -- helpers -----------------------------------------------------------------------------
    def _pick(self, keys: list[str], cum: list[float]) -> str:
        x = self.rng.random() * cum[-1]
        lo, hi = 0, len(cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cum[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        return keys[lo]

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def _team(self, channel: str, crime: str, country: str) -> int:
        key = (channel, crime, country)
        tid = self.route_cache.get(key)
        if tid is None:
            tid = self.org.team_by_code[routing.route(channel, crime, country)]
            self.route_cache[key] = tid
        return tid

    def _rule(self, rule_id: str) -> tuple[str, str, timedelta]:
        if rule_id not in self.due_cache:
            probe = datetime(2000, 1, 1, tzinfo=self.now.tzinfo)
            due = deadlines.compute_due(rule_id, probe)
            self.due_cache[rule_id] = (due.label, due.basis, due.due_at - probe)
        return self.due_cache[rule_id]

    def _digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def _letters(self, n: int) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))

    def passport(self, cc: str) -> str:
        if cc in ("GB", "US", "CA", "AU", "NZ"):
            return self._digits(9)
        return self._letters(2) + self._digits(7)

    def plate(self, cc: str) -> str:
        r = self._letters
        return {"GB": lambda: f"{r(2)}{self._digits(2)} {r(3)}",
                "FR": lambda: f"{r(2)}-{self._digits(3)}-{r(2)}",
                "DE": lambda: f"{r(1)}-{r(2)} {self._digits(4)}",
                "ES": lambda: f"{self._digits(4)} {r(3)}",
                "NL": lambda: f"{r(2)}-{self._digits(3)}-{r(1)}"}.get(
                    cc, lambda: f"{r(3)} {self._digits(3)}")()

    def vin(self) -> str:
        return "".join(self.rng.choice(VIN_CHARS) for _ in range(17))

    def phone(self, cc: str) -> str:
        return f"+{DIAL.get(cc, DIAL['GB'])} {self._digits(3)} {self._digits(3)} {self._digits(4)}"

    # -- one case ----------------------------------------------------------------------------
    def case(self, rows: Rows, received: datetime, lean: bool = False) -> None:
        rng, org, now = self.rng, self.org, self.now
        cid = self._next("cases")
        channel = self._pick(self.channel_keys, self.channel_cum)
        country = self._pick(*self.country_choice[channel])
        crime = self._pick(self.crime_keys, self.crime_cum)
        if channel == "eaw" and crime in ("missing_persons", "vehicle_crime", "cultural_property"):
            crime = "fugitives"
        priority = self._pick(self.prio_keys, self.prio_cum)
        if crime in ("missing_persons", "kidnapping", "terrorism") and priority in ("normal", "low"):
            priority = "high"
        rtype = None
        choices = self.rtypes[channel]
        if choices and rng.random() < 0.6:
            if crime == "fugitives" and "locate_and_arrest" in choices:
                rtype = "locate_and_arrest"
            elif crime == "missing_persons" and "missing_person_search" in choices:
                rtype = "missing_person_search"
            elif crime == "vehicle_crime" and "vehicle_check" in choices:
                rtype = "vehicle_check"
            else:
                rtype = rng.choice(choices)
        rule_id = (self.rules.request_types[rtype].deadline if rtype
                   else deadlines.service_level_rule(channel, priority))
        label, basis, period = self._rule(rule_id)
        team_id = self._team(channel, crime, country)
        incoming = rng.random() < 0.7 or channel == "liaison"
        requester = self._requester(channel, country, incoming)
        created = min(received + timedelta(minutes=rng.uniform(1, 25)), now)
        due = received + period

        # Status along the state machine, by age.
        age_days = (now - received).total_seconds() / 86400
        tau = 0.35 * period.total_seconds() / 86400 + 0.5  # most cases end before their deadline
        open_ = rng.random() < 0.012 + 0.988 * math.exp(-age_days / tau)
        if open_:
            if age_days < 0.1:
                final = "new" if rng.random() < 0.7 else "triaged"
            elif age_days < 1:
                final = rng.choices(["new", "triaged", "assigned", "in_progress"],
                                    [15, 25, 30, 30])[0]
            else:
                final = rng.choices(OPEN_STAGES, [5, 15, 40, 30, 10])[0]
        elif rng.random() < 0.04:
            final = "cancelled"
        else:
            final = "answered" if age_days < 20 and rng.random() < 0.3 else "closed"
        path = self._path(final)
        if open_:
            end = now - timedelta(minutes=rng.uniform(1, 60))
        else:
            late = rng.random() < 0.15
            span = period * (rng.uniform(1.0, 2.5) if late else rng.uniform(0.2, 0.95))
            end = min(created + span, now - timedelta(minutes=1))
        end = max(end, created)
        steps = len(path)
        marks = sorted(rng.random() for _ in range(steps))
        times = [created + (end - created) * m for m in marks]
        officers = org.officers_by_team.get(team_id) or self.all_officers
        officer = rng.choice(officers)
        if officers and officers[0] == 1 and rng.random() < 0.3:  # the `desk` demo login
            officer = 1
        assignee = officer if any(s == "assigned" for s, _ in path) else None
        done_at = next((t for (s, _), t in zip(path, times, strict=True)
                        if s in ("answered", "closed", "cancelled")), None)
        closed_at = times[-1] if final in ("closed", "cancelled") else None
        classification, rank = self._classification()
        scope, group_id, share_with = self._scope(rank, channel, requester)
        home = org.home_id
        originator = requester if incoming and requester not in (None, home) and \
            requester not in self.forces and rng.random() < 0.8 else home
        handling, conditions = self._handling(channel)
        ref = f"NCB-{received.year}-{cid:07d}"
        subject = self.names.person(self.locale_of.get(country) if rng.random() < 0.55 else None)
        cname = self.rules.countries[country].name
        what = self.rules.request_types[rtype].label if rtype else TITLES[crime]
        title = f"{what}: {subject['display']} ({cname})"
        ext = self._external_ref(channel, received)
        case = {
            "id": cid, "reference": ref, "direction": "incoming" if incoming else "outgoing",
            "channel": channel, "request_type": rtype, "title": title,
            "summary": f"{TITLES[crime]} - {channel} request concerning {cname}.",
            "external_ref": ext, "requesting_agency_id": requester,
            "requesting_country": country if incoming and channel != "liaison" else "GB",
            "country": country, "crime_area": crime, "priority": priority,
            "priority_rank": self.rules.priorities[priority].order, "status": final,
            "team_id": team_id, "assignee_id": assignee,
            "next_due_at": None if done_at else due, "received_at": received,
            "created_at": created, "updated_at": times[-1] if times else created,
            "closed_at": closed_at,
            "classification": classification, "classification_rank": rank,
            "handling_code": handling, "handling_conditions": conditions,
            "tlp": rng.choices(["TLP:AMBER", "TLP:GREEN", "TLP:AMBER+STRICT", "TLP:RED"],
                               [70, 15, 10, 5])[0],
            "source_grade": rng.choice(["1", "2", "3"]) if rng.random() < 0.3 else None,
            "intel_grade": rng.choice("ABCDE") if rng.random() < 0.3 else None,
            "sharing_scope": scope, "owner_agency_id": home, "originator_agency_id": originator,
            "sharing_group_id": group_id,
        }
        rows.tables["cases"].append(case)
        if lean:
            return
        t = rows.tables
        actor = officer if incoming else rng.choice(self.all_officers)
        t["deadlines"].append({"id": self._next("deadlines"), "case_id": cid, "rule_id": rule_id,
                               "label": label, "basis": basis, "starts_at": received,
                               "due_at": due, "met_at": done_at})
        team_code = self.org.teams[team_id - 1]["code"]
        self._event(t, cid, "received", actor, created,
                    {"channel": channel, "team": team_code, "deadline": rule_id})
        prev = "new"
        for (status, kind), at in zip(path, times, strict=True):
            if kind == "triaged":
                data: dict[str, Any] = {"status": [prev, status]}
            elif kind == "assigned":
                data = {"officer": self.usernames[officer], "team": None}
            else:
                data = {"old": prev, "new": status,
                        "reason": "Withdrawn by the requester" if status == "cancelled" else ""}
            self._event(t, cid, kind, officer, at, data)
            prev = status
        for key in keys_for(ref, ext, title):
            t["search_keys"].append({"id": self._next("search_keys"), "record_kind": "case",
                                     "record_id": cid, "key": key})
        self._shares(t, "case", cid, share_with, actor, created, conditions)
        rows.audit.append((created, actor, "collection", "case", ref,
                           {"channel": channel, "team": team_code}))
        n_ent = self._entities(t, case, subject, rtype, crime, actor, share_with)
        rows.audit.append((created, actor, "collection", "entity", ref,
                           {"count": n_ent, "case": ref}))
        self._extras(t, rows, case, officer, requester, times, done_at)

    def _path(self, final: str) -> list[tuple[str, str]]:
        full = [("triaged", "triaged"), ("assigned", "assigned"), ("in_progress", "status")]
        if final == "new":
            return []
        if final in ("triaged", "assigned", "in_progress"):
            return full[: [s for s, _ in full].index(final) + 1]
        if final == "cancelled":
            cut = self.rng.randint(0, 3)
            return full[:cut] + [("cancelled", "status")]
        if final in ("awaiting_reply", "on_hold"):
            return full + [(final, "status")]
        path = list(full)
        if self.rng.random() < 0.5:
            path += [("awaiting_reply", "status"), ("in_progress", "status")]
        path.append(("answered", "status"))
        if final == "closed":
            path.append(("closed", "status"))
        return path

    def _event(self, t: dict[str, list[dict[str, Any]]], cid: int, kind: str, actor: int,
               at: datetime, data: dict[str, Any]) -> None:
        t["case_events"].append({"id": self._next("case_events"), "case_id": cid, "kind": kind,
                                 "actor_id": actor, "at": at, "data": data})

    def _requester(self, channel: str, country: str, incoming: bool) -> int | None:
        a = self.a
        if not incoming:
            return self.rng.choice(self.forces)
        if channel == "interpol":
            return a.get(f"INTERPOL-{country}")
        if channel in ("schengen", "eaw"):
            return a.get(f"SIRENE-{country}") or a.get(f"INTERPOL-{country}")
        if channel == "europol":
            return a["EUROPOL"]
        if channel == "bilateral":
            five = self.five_eyes_by_country.get(country)
            return a[self.rng.choice(five)] if five else a.get(f"INTERPOL-{country}")
        return self.org.home_id

    def _classification(self) -> tuple[str, int]:
        x = self.rng.random()
        if x < 0.84:
            return "OFFICIAL", 1
        if x < 0.98:
            return "OFFICIAL-SENSITIVE", 2
        return "SECRET", 3

    def _scope(self, rank: int, channel: str, requester: int | None
               ) -> tuple[str, int | None, list[int]]:
        x = self.rng.random()
        g = self.org.group_by_code
        if rank <= 2 and x < 0.10:
            code = {"interpol": "interpol_ncbs", "schengen": "sirene", "eaw": "sirene",
                    "europol": "europol"}.get(channel, "five_eyes")
            if self.rng.random() < 0.4:
                code = "five_eyes"
            return "group", g[code], []
        if rank <= 2 and x < 0.25:
            named = [self.a[self.rng.choice(["US-FBI", "CA-RCMP", "AU-AFP", "EUROPOL",
                                             "INTERPOL-FR", "US-DEA"])]]
            if requester and requester != self.org.home_id and requester not in named:
                named.append(requester)
            named = [aid for aid in named if self.org.agency_rank[aid] >= rank]
            if named:
                return "agencies", None, named
        return "own", None, []

    def _handling(self, channel: str) -> tuple[str, str | None]:
        rng = self.rng
        if channel == "europol":
            code = rng.choices(["H0", "H1", "H2", "H3"], [50, 25, 20, 5])[0]
            return code, "Not for use in court without written consent" if code == "H3" else None
        if rng.random() < 0.2:
            return "C", "Not to be disseminated beyond the receiving agency"
        return "P", None

    def _external_ref(self, channel: str, received: datetime) -> str | None:
        rng = self.rng
        if channel == "interpol":
            return f"{received.year}/{rng.randint(10000, 99999)}"
        if channel in ("schengen", "eaw"):
            return f"SIS-{self._letters(2)}{self._digits(10)}"
        if channel == "europol":
            return f"SIENA-{received.year}-{self._digits(6)}"
        return None if rng.random() < 0.5 else f"OP-{self._letters(4)}-{self._digits(3)}"

    def _shares(self, t: dict[str, list[dict[str, Any]]], kind: str, rid: int, agencies: list[int],
                by: int, at: datetime, conditions: str | None) -> None:
        for aid in agencies:
            t["shares"].append({"id": self._next("shares"), "record_kind": kind, "record_id": rid,
                                "agency_id": aid, "shared_at": at, "shared_by": by,
                                "conditions": conditions})

    def _entities(self, t: dict[str, list[dict[str, Any]]], case: dict[str, Any],
                  subject: dict[str, Any], rtype: str | None, crime: str, actor: int,
                  shared: list[int]) -> int:
        rng = self.rng
        cc = case["country"]
        role = ("wanted" if crime == "fugitives" or rtype == "locate_and_arrest" else
                "alert" if case["channel"] == "schengen" else "case")
        people = [(subject, "subject")]
        if rng.random() < 0.3:
            people.append((self.names.person(subject["locale"]), "associate"))
        ents: list[tuple[dict[str, Any], str]] = []
        for person, prole in people:
            year = rng.randint(1955, 2006)
            dob = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            aliases = [person["latin"]] if person["latin"] else []
            ents.append(({"kind": "person", "display_name": person["display"],
                          "first_name": person["first"], "last_name": person["last"],
                          "aliases": aliases, "date_of_birth": dob, "gender": person["gender"],
                          "nationality": person["nationality"],
                          "place_of_birth": self.rules.countries[person["nationality"]].name,
                          "identifier": None,
                          "details": {"script": person["script"]},
                          "watch_role": role if prole == "subject" else "case"}, prole))
            if rng.random() < 0.45 or rtype == "document_check":
                nat = person["nationality"]
                ents.append(({"kind": "travel_document",
                              "display_name": f"Passport {nat} {person['latin'] or person['display']}",
                              "identifier": self.passport(nat),
                              "details": {"document_type": "passport", "issuing_country": nat,
                                          "holder": person["display"]}}, "document"))
        if rtype == "vehicle_check" or crime == "vehicle_crime" or rng.random() < 0.12:
            make, model = rng.choice(MAKES)
            plate = self.plate(cc)
            ents.append(({"kind": "vehicle", "display_name": f"{make} {model} {plate}",
                          "identifier": plate,
                          "details": {"vin": self.vin(), "make": make, "model": model,
                                      "colour": rng.choice(COLOURS), "registered_in": cc}},
                         "vehicle"))
        if rtype == "phone_subscriber_check" or rng.random() < 0.2:
            number = self.phone(cc)
            ents.append(({"kind": "phone", "display_name": number, "identifier": number,
                          "details": {"country": cc}}, "phone"))
        mark_cols = ("classification", "classification_rank", "handling_code",
                     "handling_conditions", "tlp", "source_grade", "intel_grade",
                     "owner_agency_id", "originator_agency_id", "sharing_scope",
                     "sharing_group_id")
        marks = {c: case[c] for c in mark_cols}
        for ent, erole in ents:
            eid = self._next("entities")
            row = {"id": eid, "kind": ent["kind"], "display_name": ent["display_name"],
                   "first_name": ent.get("first_name"), "last_name": ent.get("last_name"),
                   "aliases": ent.get("aliases", []), "date_of_birth": ent.get("date_of_birth"),
                   "gender": ent.get("gender"), "nationality": ent.get("nationality"),
                   "place_of_birth": ent.get("place_of_birth"), "identifier": ent["identifier"],
                   "details": ent["details"], "watch_role": ent.get("watch_role", "case"),
                   "source_kind": "case", "source_ref": case["reference"], "created_by": actor,
                   "created_at": case["created_at"], "updated_at": case["created_at"], **marks}
            t["entities"].append(row)
            t["case_entities"].append({
                "id": self._next("case_entities"), "case_id": case["id"], "entity_id": eid,
                "role": erole, "provenance": f"{case['channel']} case {case['reference']}",
                "added_by": actor, "added_at": case["created_at"]})
            for key in keys_for(row["display_name"], row["first_name"], row["last_name"],
                                *row["aliases"], identifiers=(row["identifier"],)):
                t["search_keys"].append({"id": self._next("search_keys"),
                                         "record_kind": "entity", "record_id": eid, "key": key})
            self._shares(t, "entity", eid, shared, actor, case["created_at"],
                         case["handling_conditions"])
        return len(ents)

    def _extras(self, t: dict[str, list[dict[str, Any]]], rows: Rows, case: dict[str, Any],
                officer: int, requester: int | None, times: list[datetime],
                done_at: datetime | None) -> None:
        rng = self.rng
        start = case["created_at"]
        last = times[-1] if times else start
        marks = {c: case[c] for c in ("classification", "classification_rank", "handling_code",
                                      "handling_conditions", "tlp", "source_grade",
                                      "intel_grade", "owner_agency_id", "originator_agency_id",
                                      "sharing_scope", "sharing_group_id")}
        if times and rng.random() < 0.25:
            at = start + (last - start) * rng.random()
            nid = self._next("notes")
            t["notes"].append({"id": nid, "case_id": case["id"], "author_id": officer,
                               "body": rng.choice(NOTES), "created_at": at, **marks})
            self._event(t, case["id"], "note", officer, at, {"note_id": nid})
            rows.audit.append((at, officer, "collection", "note", str(nid),
                               {"case": case["reference"]}))
        if times and rng.random() < 0.15:
            at = start + (last - start) * rng.random()
            tid = self._next("tasks")
            t["tasks"].append({"id": tid, "case_id": case["id"], "title": rng.choice(TASKS),
                               "assignee_id": officer, "due_at": at + timedelta(days=2),
                               "done_at": done_at, "created_by": officer, "created_at": at})
            self._event(t, case["id"], "task", officer, at, {"task_id": tid})
            rows.audit.append((at, officer, "collection", "task", str(tid),
                               {"case": case["reference"]}))
        if requester and rng.random() < 0.3:
            agency = self.org.agencies[requester - 1]
            home = self.org.agencies[self.org.home_id - 1]["code"]
            inbound = case["direction"] == "incoming"
            first_id = self._next("messages")
            subject = case["title"][:250]
            t["messages"].append({
                "id": first_id, "case_id": case["id"], "direction": "in" if inbound else "out",
                "channel": case["channel"], "sender": agency["code"] if inbound else home,
                "recipients": [home] if inbound else [agency["code"]], "subject": subject,
                "body": case["summary"], "in_reply_to": None, "provider_permission": False,
                "sent_at": case["received_at"], **marks})
            if done_at:
                t["messages"].append({
                    "id": self._next("messages"), "case_id": case["id"],
                    "direction": "out" if inbound else "in", "channel": case["channel"],
                    "sender": home if inbound else agency["code"],
                    "recipients": [agency["code"]] if inbound else [home],
                    "subject": f"RE: {subject}"[:300], "body": "Result of enquiries attached.",
                    "in_reply_to": first_id, "provider_permission": False, "sent_at": done_at,
                    **marks})
