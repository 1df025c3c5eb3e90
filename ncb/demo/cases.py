"""A year of plausible cases with their deadlines, events, entities, keys, notes, tasks, messages.

Every row is a plain dict with its id chosen here; `CaseFactory.chunk` fills one `Rows` batch that
the seeder writes with Core bulk inserts. Statuses follow the case state machine step by step,
deadlines come from the rules (`compute_due`, `service_level_rule`) and teams from `route`.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from typing import Any

from ncb.demo.case_children import CaseChildren
from ncb.demo.case_words import (
    CHANNELS,
    CRIME_AREAS,
    OPEN_STAGES,
    POPULAR,
    PRIORITIES,
    TABLES,
    TITLES,
    Rows,
    cum,
)
from ncb.demo.names import Names
from ncb.demo.org import Org
from ncb.domain import deadlines, routing
from ncb.rules import load_rules
from ncb.services.text import keys_for


class CaseFactory(CaseChildren):
    def __init__(self, org: Org, names: Names, rng: random.Random, now: datetime,
                 usernames: dict[int, str]) -> None:
        self.org, self.names, self.rng, self.now, self.usernames = org, names, rng, now, usernames
        rules = load_rules()
        self.rules = rules
        self.ids = {t: 0 for t in TABLES}
        self.channel_keys, self.channel_cum = cum(CHANNELS)
        self.crime_keys, self.crime_cum = cum(CRIME_AREAS)
        self.prio_keys, self.prio_cum = cum(PRIORITIES)
        countries = rules.countries
        members = [cc for cc, c in countries.items() if c.interpol_member and cc != "GB"]
        eu = [cc for cc, c in countries.items() if c.eu]
        post_countries = sorted({cc for ccs in org.posts.values() for cc in ccs})
        self.country_choice = {
            "interpol": cum({cc: POPULAR.get(cc, 1) for cc in members}),
            "schengen": cum({cc: POPULAR.get(cc, 1) for cc, c in countries.items() if c.sis}),
            "europol": cum({cc: POPULAR.get(cc, 1) for cc in eu + ["NO", "CH", "AL", "RS", "US"]}),
            "eaw": cum({cc: POPULAR.get(cc, 1) for cc in eu}),
            "bilateral": cum({**{cc: 1 for cc in members}, "US": 40, "CA": 20, "AU": 20,
                               "NZ": 8}),
            "liaison": cum({cc: POPULAR.get(cc, 1) for cc in post_countries}),
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

