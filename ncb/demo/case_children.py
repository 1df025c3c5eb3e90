"""The rows hanging off a demo case: its entities (people, documents, vehicles, phones) with
their search keys and shares, timeline events, notes, tasks and messages, and plausible
identifiers. A mixin of `ncb.demo.cases.CaseFactory`, which holds the state used here."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from ncb.demo.case_words import COLOURS, DIAL, MAKES, NOTES, TASKS, VIN_CHARS, Rows
from ncb.demo.names import Names
from ncb.demo.org import Org
from ncb.rules import Rules
from ncb.services.text import keys_for


class CaseChildren:
    # Set by CaseFactory.__init__.
    rng: random.Random
    names: Names
    org: Org
    rules: Rules
    ids: dict[str, int]

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

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

    def _event(self, t: dict[str, list[dict[str, Any]]], cid: int, kind: str, actor: int,
               at: datetime, data: dict[str, Any]) -> None:
        t["case_events"].append({"id": self._next("case_events"), "case_id": cid, "kind": kind,
                                 "actor_id": actor, "at": at, "data": data})

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
