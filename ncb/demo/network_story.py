"""A small planted network the desk officer can find on the network page.

Three cases the desk officer (`desk`) takes in through the intake service, as at work: a
Spanish Interpol request about a courier, a bilateral request from the Netherlands about a
second man, and a later Interpol case about the courier again. One phone and one passport
recur, so identity resolution joins them (E.164 phone; document number + issuing country):
the courier is one identity in two cases, the phone ties both men's cases together. Visible
to the desk officer, who made them (default markings: the bureau, OFFICIAL).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ncb.services.context import principal_named
from ncb.services.inputs import CaseIn, EntityIn
from ncb.services.intake import intake_case

PHONE = EntityIn(kind="phone", identifier="+34 611 203 947", role="contact")
PASSPORT = "PAE482913"  # with nationality ES: one person key


def _courier() -> EntityIn:
    return EntityIn(
        first_name="Rafael",
        last_name="Montoya Vidal",
        date_of_birth="1984-02-19",
        nationality="ES",
        identifier=PASSPORT,
    )


def seed_demo_network(session: Session, now: datetime) -> list[str]:
    """The three cases (their references); none if there is no `desk` login."""
    p = principal_named(session, "desk")
    if p is None:
        return []
    plan = [
        CaseIn(
            channel="interpol",
            title="Cocaine courier on the Algeciras ferry",
            country="ES",
            crime_area="drugs",
            received_at=now - timedelta(days=40),
            entities=[_courier(), PHONE],
        ),
        CaseIn(
            channel="bilateral",
            title="Rotterdam pick-up: phone of a Spanish contact",
            country="NL",
            crime_area="drugs",
            received_at=now - timedelta(days=25),
            entities=[
                EntityIn(
                    first_name="Joost", last_name="Verhagen", date_of_birth="1979-11-03", nationality="NL"
                ),
                PHONE,
            ],
        ),
        CaseIn(
            channel="interpol",
            title="Courier seen again: Stansted arrival",
            country="ES",
            crime_area="drugs",
            received_at=now - timedelta(days=6),
            entities=[_courier()],
        ),
    ]
    return [intake_case(session, p, c).reference for c in plan]
