"""The EAW life-cycle events in the words of the Extradition Act 2003 Part 1 and Framework
Decision 2002/584/JHA, each with what it starts and stops.

The hints are built from the clock rules (`eaw_clocks` in ncb/rules/eaw.yaml and the periods in
ncb/rules/deadlines.yaml), so they can never disagree with the clocks that actually run.
"""

from __future__ import annotations

from dataclasses import dataclass

from ncb.rules import load_rules
from ncb.services.channels.eaw_inputs import EVENT_STATUS

# Life-cycle order, with the statutory wording. "decision" is the judge's first-instance order
# (appealable); "final_decision" is the decision on execution that can no longer be appealed.
EVENTS: dict[str, str] = {
    "circulated": "Warrant circulated (SIS alert / Interpol diffusion)",
    "provisional_arrest": "Provisional arrest before the certified warrant (EA 2003 s.5)",
    "arrest": "Arrest under the certified warrant (EA 2003 s.3)",
    "warrant_produced": "Warrant and certificate produced to the judge (EA 2003 s.6(2))",
    "provisional_extension": "Judge extends the time to produce the warrant (EA 2003 s.6(3A))",
    "initial_hearing": "Initial hearing: brought before the appropriate judge (EA 2003 s.4, s.7)",
    "consent": "Consent to extradition given before the judge (EA 2003 s.45; FD Art. 13)",
    "extension": "Decision limit extended by 30 days, reasons to the issuing authority "
                 "(FD Art. 17(4))",
    "extradition_hearing": "Extradition hearing begins (EA 2003 s.8)",
    "decision": "Judge orders extradition at the hearing: first-instance, open to appeal "
                "(EA 2003 s.21(3))",
    "appeal_window_closed": "Appeal period ended without an appeal (EA 2003 s.26(4))",
    "appeal_lodged": "Notice of appeal to the High Court given (EA 2003 s.26)",
    "appeal_hearing_started": "High Court appeal hearing begins (EA 2003 s.31)",
    "appeal_decided": "High Court decides the appeal (EA 2003 s.29)",
    "supreme_court_application": "Application for leave to appeal to the Supreme Court "
                                 "(EA 2003 s.32)",
    "final_decision": "Final decision on execution: no appeal left (FD Art. 17; after consent "
                      "the order under EA 2003 s.46)",
    "force_majeure": "Surrender prevented by circumstances beyond control; new date agreed "
                     "(FD Art. 23(3))",
    "surrender": "Surrendered to the issuing state (FD Art. 23; EA 2003 s.35)",
    "discharge": "Discharged by the judge (EA 2003 s.21(2), s.35(5))",
    "withdrawn": "Warrant withdrawn by the issuing authority (EA 2003 s.41)",
}
CONSENT_IS_FINAL = ("after consent there is no appeal: the judge's order is the final decision "
                    "(EA 2003 s.46; FD Art. 17(2)); record 'final_decision'")


@dataclass(frozen=True)
class EventChoice:
    kind: str
    label: str
    hint: str  # what it starts, meets and stops, and the status it moves to


def label(kind: str) -> str:
    return EVENTS.get(kind, kind.replace("_", " ").capitalize())


def _period(rule_id: str) -> str:
    period = load_rules().deadlines[rule_id].period
    return f"{period.amount} {period.unit}" if period else rule_id


def hint(kind: str) -> str:
    starts, meets, stops, extends = [], [], [], []
    for spec in load_rules().eaw_clocks.values():
        name = f"{spec.label} ({_period(spec.rule)})"
        if kind in spec.starts_on:
            starts.append(name)
        if kind in spec.met_by:
            meets.append(spec.label)
        if kind in spec.dropped_by:
            stops.append(spec.label)
        if spec.extension and spec.extension.event == kind:
            extends.append(f"{spec.label} (+{_period(spec.extension.rule)})")
    parts = [f"{word}: {', '.join(items)}" for word, items in (
        ("Starts", starts), ("Meets", meets), ("Stops", stops), ("Extends", extends)) if items]
    status = EVENT_STATUS.get(kind)
    if status:
        parts.append(f"status becomes {status.replace('_', ' ')}")
    if kind == "decision":
        parts.append("not the final decision: record that when no appeal is left")
    return "; ".join(parts) + "." if parts else "Recorded in the warrant's history."


def known(kinds: set[str]) -> list[str]:
    """`kinds` in life-cycle order (any the vocabulary lacks go last)."""
    order = list(EVENTS)
    return sorted(kinds, key=lambda k: (order.index(k) if k in order else len(order), k))


def choices(kinds: set[str], consent: bool) -> list[EventChoice]:
    """The events an officer may record, in life-cycle order; after consent there is no
    first-instance decision to record (the order is final)."""
    return [EventChoice(k, label(k), hint(k)) for k in known(kinds)
            if not (consent and k in ("decision", "appeal_lodged", "appeal_window_closed"))]
