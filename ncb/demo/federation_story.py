"""The exchange `ncb demo --federation` plays between the nodes (synthetic people and places).

1. The UK bureau shares a counterfeit-medicine case with US-FBI and with its Lagos post. The
   FBI gets the case, the subject and the one note shared with it; not the SECRET source note
   (the link is accredited to OFFICIAL-SENSITIVE) nor the internal note. The post, accredited
   to SECRET, also gets the source note.
2. US-FBI replies with its own case, shared back to the UK bureau.
3. The UK bureau shares a precursor-chemicals case with AU-AFP, then recalls it (the source
   withdrew consent); AU-AFP erases it and acknowledges.
4. The Lagos liaison officer opens a case on the laptop and it reaches the bureau on sync.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ncb.demo.federation import DemoNode, as_node
from ncb.services import casework, intake
from ncb.services.casework_inputs import NoteIn
from ncb.services.context import unit_of_work
from ncb.services.federation import recall, share, sync
from ncb.services.inputs import CaseIn, EntityIn, MarkingsIn

TITLE_FBI = "Counterfeit oxycodone posted from Lagos to Newark"
TITLE_REPLY = "Re: counterfeit oxycodone - FBI holds the Newark consignee"
TITLE_AFP = "Pseudoephedrine consignments Felixstowe to Sydney"
TITLE_POST = "Forged UK visas sold near Murtala Muhammed airport"
NOTE_SHARED = "Consignee address in Newark, NJ matches two earlier seizures."
NOTE_SECRET = "Source reporting: the courier is paid through a Lagos bureau de change."
NOTE_INTERNAL = "Internal: check with CPS before any overt action."


@dataclass
class Story:
    lines: list[str] = field(default_factory=list)
    refs: dict[str, str] = field(default_factory=dict)
    recall_id: str = ""

    def say(self, text: str) -> None:
        self.lines.append(text)


def _case(n: DemoNode, user: str, title: str, summary: str, country: str, share_with: list[str],
          person: dict[str, Any], notes: list[tuple[str, MarkingsIn | None]]) -> str:
    p = n.principal(user)
    with as_node(n), unit_of_work(n.factory, p) as s:
        case = intake.intake_case(s, p, CaseIn(
            channel="bilateral", title=title, summary=summary, country=country,
            crime_area="drugs" if "oxy" in title or "ephedrine" in title else None,
            markings=MarkingsIn(share_with=share_with),
            entities=[EntityIn(kind="person", **person, markings=MarkingsIn(share_with=share_with))]))
        for body, mk in notes:
            casework.add_note(s, p, case.reference, NoteIn(body=body, markings=mk))
        return case.reference


def _send(n: DemoNode, user: str, ref: str, to: list[str], why: str, story: Story) -> None:
    p = n.principal(user)
    with as_node(n), unit_of_work(n.factory, p) as s:
        for sent in share.send_case(s, p, n.node(), ref, to, why):
            story.say(f"{n.code} -> {sent.agency}: case {ref}, {len(sent.released)} object(s) "
                      f"released, {len(sent.withheld)} withheld by their markings")


def sync_all(nodes: dict[str, DemoNode], order: list[str]) -> list[str]:
    errors = []
    for code in order:
        n = nodes[code]
        with as_node(n):
            for r in sync.sync(n.factory, n.node(), timeout=20.0):
                errors += [f"{code} <-> {r.peer}: {e}" for e in r.errors]
    return errors


def play(nodes: dict[str, DemoNode]) -> Story:
    story = Story()
    uk, fbi, afp, post = (nodes[c] for c in ("GB-NCA", "US-FBI", "AU-AFP", "GB-NCA-LOS"))
    secret = MarkingsIn(classification="SECRET", share_with=["US-FBI", post.code])
    ref = _case(uk, "supervisor", TITLE_FBI,
                "Parcels of counterfeit OxyContin declared as hair products, posted from Lagos.",
                "US", ["US-FBI", post.code],
                {"first_name": "Chinedu", "last_name": "Okonkwo-Hale", "date_of_birth": "1987-06-14"},
                [(NOTE_SHARED, MarkingsIn(share_with=["US-FBI", post.code])), (NOTE_SECRET, secret),
                 (NOTE_INTERNAL, MarkingsIn())])  # own markings: not shared as the case is
    story.refs["fbi"] = ref
    _send(uk, "supervisor", ref, ["US-FBI", post.code], "joint investigation Op. KESTREL", story)

    afp_ref = _case(uk, "supervisor", TITLE_AFP,
                    "Blister packs of pseudoephedrine declared as cold remedies.", "AU", ["AU-AFP"],
                    {"first_name": "Harriet", "last_name": "Moss-Delaney", "date_of_birth": "1979-11-02"},
                    [("Next container due at Port Botany in nine days.",
                      MarkingsIn(share_with=["AU-AFP"]))])
    story.refs["afp"] = afp_ref
    _send(uk, "supervisor", afp_ref, ["AU-AFP"], "precursor diversion enquiry", story)
    story.lines += sync_all(nodes, ["GB-NCA"])

    reply = _case(fbi, "supervisor", TITLE_REPLY,
                  f"Reply to {ref}: the Newark consignee is under FBI investigation.", "US",
                  ["GB-NCA"], {"first_name": "Dwayne", "last_name": "Kessler",
                               "date_of_birth": "1990-02-21"},
                  [("Consignee's phone seized on 2 December; contacts in Lagos.",
                    MarkingsIn(share_with=["GB-NCA"]))])
    story.refs["reply"] = reply
    _send(fbi, "supervisor", reply, ["GB-NCA"], f"reply to {ref}", story)
    story.lines += sync_all(nodes, ["US-FBI"])

    p = uk.principal("supervisor")
    with as_node(uk), unit_of_work(uk.factory, p) as s:
        story.recall_id = recall.recall_case(s, p, uk.node(), afp_ref, "erase",
                                             "the source withdrew consent").recall_id
    story.say(f"GB-NCA recalls {afp_ref} from AU-AFP (erase)")

    post_ref = _case(post, "liaison", TITLE_POST,
                     "Two travel agents offer forged UK visit visas for cash.", "NG", ["GB-NCA"],
                     {"first_name": "Babatunde", "last_name": "Adeyemi-Cole",
                      "date_of_birth": "1983-09-30"},
                     [("Met the airport police commander; he will share the CCTV.",
                       MarkingsIn(share_with=["GB-NCA"]))])
    story.refs["post"] = post_ref
    _send(post, "liaison", post_ref, ["GB-NCA"], "liaison report", story)
    # The recall goes out and is applied; the AFP's acknowledgement comes back on the next pull.
    story.lines += sync_all(nodes, ["GB-NCA", "GB-NCA-LOS", "GB-NCA"])
    with unit_of_work(uk.factory, p) as s:
        view = next(v for v in recall.recalls(s) if v.recall_id == story.recall_id)
    story.say(f"recall acknowledged by {', '.join(view.acknowledged) or 'nobody yet'}"
              + (f"; waiting for {', '.join(view.pending)}" if view.pending else ""))
    return story
