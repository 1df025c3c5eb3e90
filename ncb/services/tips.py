"""Anonymous tips: received from the public, sanitised by a tip handler, dispatched by a supervisor.

Nothing about the sender is stored or logged: no address, user agent, cookie or exact time
(the hour only). The sender gets a reference code (10 base32 characters, ~50 bits) and a
6-digit PIN; only an HMAC of the PIN (keyed by settings.secret_key) is kept and compared in
constant time. Wrong PINs lock the tip (not a person) for a while; wrong guesses from one
source are limited for the hour, counted in memory under a key of the hour (no address kept).

Abuse is limited without identifying anyone (ncb.services.tip_forms): a short-lived signed
single-use form token, a proof of work asked only while the line is flooded, a limit of answers
per tip and per hour, and size limits. The audit entries of what the public sends are appended
only once their hour has closed, with the hour as their time (see `log_closed_hours`), so
neither their time nor their place in the chain is finer than the tips table's hour.
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services import lookup, marking
from ncb.services.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from ncb.services.reading import case_by_ref
from ncb.services.tip_forms import (  # noqa: F401  (re-exported: the public site's names)
    PIN_FAILURES,
    SLOW_LANE,
    SUBMISSIONS,
    TooMany,
    _mac,
    check_form_token,
    current_bits,
    issue_form_token,
)
from ncb.settings import Settings
from ncb.store import audit
from ncb.store import tips as tip_store
from ncb.store.models import Appeal, Case, CaseEvent, Note, Tip, TipMessage

# The anonymous public as an audit actor: no user, no agency, no details about anyone.
PUBLIC = Principal(user_id=None, username="public", agency_id=0, agency_code="PUBLIC")

REF_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"[:32]  # Crockford-like: no I, L, O, U
REF_LENGTH = 10
PIN_DIGITS = 6
MAX_TIP_CHARS = 5000
MIN_TIP_CHARS = 10
MAX_ANSWER_CHARS = 3000
MAX_PIN_FAILURES = 5
LOCK_HOURS = 1              # locked until the end of the next whole hour (no exact time kept)
ANSWERS_PER_HOUR = 10       # per tip: a flood needs the tip's PIN, and then floods only that tip
PIN_FAILURES_PER_HOUR = 20  # per source: a guesser is stopped, other senders are not


class Locked(ServiceError):
    status = 423
    title = "Locked"


# --- codes and PINs ------------------------------------------------------------------------


def new_reference() -> str:
    return "".join(secrets.choice(REF_ALPHABET) for _ in range(REF_LENGTH))


def new_pin() -> str:
    return f"{secrets.randbelow(10 ** PIN_DIGITS):0{PIN_DIGITS}d}"


def pin_hash(settings: Settings, reference: str, pin: str) -> str:
    return _mac(settings, "tip-pin", f"{reference}:{pin}")


def normalise_reference(text: str) -> str:
    """Upper-case, separators dropped, and the look-alikes O, I, L, U read as 0, 1, 1, V."""
    text = (text or "").upper().translate(str.maketrans("OILU", "011V"))
    return "".join(ch for ch in text if ch in REF_ALPHABET)[:REF_LENGTH]


def _clean(text: str, limit: int, field: str, minimum: int = 1) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = text.strip()
    if len(text) > limit:
        raise InvalidInput(f"please keep it under {limit} characters", field=field, rule="max_length")
    if len(text) < minimum:
        raise InvalidInput(f"please write at least {minimum} characters", field=field,
                           rule="min_length")
    return text


def _hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Receipt:
    reference: str
    pin: str


@dataclass(frozen=True)
class PublicThread:
    """What a sender sees with reference + PIN: status and the follow-up exchange."""

    reference: str
    status: str
    messages: tuple[tuple[str, str], ...]  # (kind, body): question | answer
    open_questions: int


# --- the public side -----------------------------------------------------------------------


def submit_tip(session: Session, settings: Settings, body: str,
               appeal_public_id: str | None = None, form_token: str | None = None,
               stamp: str | None = None, source: str | None = None) -> Receipt:
    """Store an anonymous tip; return the reference code and PIN to give the sender once.

    `stamp` is the proof of work the form carries while the line is flooded; without one the
    form takes the slow lane, counted per `source` (the client address, kept in memory under a
    key of the hour only: ncb.services.tip_forms).
    """
    text = _clean(body, MAX_TIP_CHARS, "body", MIN_TIP_CHARS)
    check_form_token(settings, form_token, stamp=stamp, work=True, source=source)
    appeal_id = None
    if appeal_public_id:
        appeal_id = session.scalar(select(Appeal.id).where(
            Appeal.public_id == appeal_public_id, Appeal.published_at.is_not(None),
            Appeal.withdrawn_at.is_(None)))
    home = lookup.home_agency(session)
    reference = new_reference()
    while tip_store.reference_taken(session, reference):
        reference = new_reference()
    pin = new_pin()
    tip = Tip(reference=reference, pin_hash=pin_hash(settings, reference, pin), body=text,
              appeal_id=appeal_id, status="received", received_hour=_hour(datetime.now(UTC)),
              classification="OFFICIAL", classification_rank=1, handling_code="P",
              tlp="TLP:AMBER", owner_agency_id=home.id, originator_agency_id=home.id,
              sharing_scope="own")
    session.add(tip)
    session.flush()
    log_closed_hours(session)  # this tip's own entry waits for its hour to close
    return Receipt(reference, pin)


def log_closed_hours(session: Session, now: datetime | None = None) -> int:
    """Append the audit entries (collection by the public) of tips and answers received in
    hours that have closed, each dated with its hour; returns how many were appended.

    Logged at once, an entry's time and its place in the chain (between staff entries timed to
    the microsecond) would date the tip to the second, which a proxy log can match to an
    address. Called by every tip use case, so an hour's entries follow within the next hour
    the line or the queue is used.
    """
    before = _hour(now or datetime.now(UTC))
    tips_due, answers_due = tip_store.unlogged_public_events(session, before)
    if not tips_due and not answers_due:
        return 0
    tip_store.lock_chain(session)  # then look again: another writer may have just logged them
    tips_due, answers_due = tip_store.unlogged_public_events(session, before)
    entries = [audit.Pending("collection", "tip", tid, {"channel": "web form"}, at=hour)
               for tid, hour in tips_due]
    entries += [audit.Pending("collection", "tip", tid, {"follow_up": "answer"}, at=hour)
                for _mid, tid, hour in answers_due]
    entries.sort(key=lambda e: e.at or before)
    audit.record_many(session, PUBLIC, entries)
    return len(entries)


def _unlock(session: Session, settings: Settings, reference: str, pin: str,
            source: str | None = None) -> Tip:
    """The tip for reference + PIN, or one refusal for every failure (no hint which part).

    Wrong guesses are limited per source (`source`, the client address, counted in memory
    under a key of the hour: ncb.services.sources) and per tip (the tip's lock), never for
    everyone: a flood of guesses stops the guesser, not the senders reading their threads.
    """
    if PIN_FAILURES.count(source) >= PIN_FAILURES_PER_HOUR:
        raise TooMany("too many wrong codes were tried from your connection; please try "
                      "again in the next hour", rule="pin_source_limit")
    ref = normalise_reference(reference)
    tip = tip_store.by_reference(session, ref)
    refusal = Forbidden("the reference code or PIN is not right", rule="tip_credentials")
    if tip is None:
        hmac.compare_digest(pin_hash(settings, ref, pin), "0" * 64)  # same work either way
        PIN_FAILURES.add(source)
        raise refusal
    now = datetime.now(UTC)
    if tip.locked_until is not None and tip.locked_until > now:
        raise Locked("too many wrong PINs for this reference; try again later", rule="tip_locked")
    if not hmac.compare_digest(pin_hash(settings, ref, (pin or "").strip()), tip.pin_hash):
        tip.failed_pins += 1
        if tip.failed_pins >= MAX_PIN_FAILURES:
            tip.failed_pins = 0
            # To a whole hour: the exact time of the fifth wrong PIN is not kept.
            tip.locked_until = _hour(now) + timedelta(hours=LOCK_HOURS + 1)
        # The failure must outlive the refusal (the caller's transaction rolls back on error);
        # nothing else has been written in this use case before the PIN check.
        session.commit()
        PIN_FAILURES.add(source)
        raise refusal
    tip.failed_pins, tip.locked_until = 0, None
    return tip


def _thread(session: Session, tip: Tip) -> PublicThread:
    msgs = tuple(tip_store.thread(session, tip))
    open_q = 0
    for kind, _ in msgs:
        open_q = open_q + 1 if kind == "question" else 0
    label = {"received": "received", "sanitised": "being handled",
             "dispatched": "passed to investigators", "closed": "closed"}[tip.status]
    return PublicThread(tip.reference, label, msgs, open_q)


def read_thread(session: Session, settings: Settings, reference: str, pin: str,
                source: str | None = None) -> PublicThread:
    return _thread(session, _unlock(session, settings, reference, pin, source))


def answer(session: Session, settings: Settings, reference: str, pin: str, body: str,
           form_token: str | None = None, source: str | None = None) -> PublicThread:
    """The sender answers the bureau's follow-up questions."""
    check_form_token(settings, form_token)
    text = _clean(body, MAX_ANSWER_CHARS, "body")
    tip = _unlock(session, settings, reference, pin, source)
    if tip.status == "closed":
        raise Conflict("this tip is closed; thank you", rule="tip_closed")
    hour = _hour(datetime.now(UTC))
    sent = tip_store.answers_since(session, tip, hour)
    if sent >= ANSWERS_PER_HOUR:  # per tip, not global: one flooded tip closes no other
        raise TooMany("you have sent many answers this hour; please send again later",
                      rule="answers_per_hour")
    session.add(TipMessage(tip_id=tip.id, kind="answer", body=text, at=hour))
    session.flush()
    log_closed_hours(session)
    return _thread(session, tip)


# --- the workbench side --------------------------------------------------------------------


def _need(p: Principal, *perms: str) -> None:
    if not any(p.has(x) for x in perms):
        raise Forbidden(f"your role lacks the permission {' or '.join(perms)}",
                        rule=f"permission:{perms[0]}")


def queue(session: Session, p: Principal, status: str | None = None) -> list[Tip]:
    """Tips for the handler (received first) or the supervisor (sanitised first)."""
    _need(p, "tip.handle", "tip.dispatch")
    log_closed_hours(session)
    stmt = select(Tip).order_by(Tip.received_hour.desc(), Tip.id.desc())
    if status:
        stmt = stmt.where(Tip.status == status)
    return list(session.scalars(stmt).all())


def open_tip(session: Session, p: Principal, tip_id: str) -> Tip:
    """Open a tip in the workbench by its public id; the consultation is logged.

    Tips are named by their random public id (never their internal number, which would tell
    how many tips came and let anyone walk them)."""
    _need(p, "tip.handle", "tip.dispatch")
    tip = session.scalar(select(Tip).where(Tip.public_id == tip_id)) if tip_id else None
    if tip is None:
        raise NotFound("no such tip")
    log_closed_hours(session)
    audit.record(session, p, "consultation", "tip", tip.id)
    return tip


@dataclass(frozen=True)
class MessageView:
    """One follow-up message as the workbench shows it to this user. `n` is its place in this
    tip's thread (1 = first): the row id is global and sequential, so it would tell how many
    follow-ups all tips had and in which order; it stays internal."""

    n: int
    kind: str             # question | answer
    at: datetime
    body: str | None      # None: an answer as sent, which only the tip handler reads


def messages(session: Session, p: Principal, tip: Tip) -> list[MessageView]:
    """The follow-up thread; the sender's answers in their own words only for the tip handler
    (they may identify the sender: the handler folds their facts into the sanitised text)."""
    raw = may_read_raw(p)
    rows = session.scalars(select(TipMessage).where(TipMessage.tip_id == tip.id)
                           .order_by(TipMessage.id)).all()
    return [MessageView(n, m.kind, m.at, m.body if raw or m.kind != "answer" else None)
            for n, m in enumerate(rows, 1)]


def message_view(session: Session, p: Principal, msg: TipMessage) -> MessageView:
    """One message of a thread (as `messages` shows it), e.g. the question just asked."""
    n = session.scalar(select(func.count(TipMessage.id)).where(
        TipMessage.tip_id == msg.tip_id, TipMessage.id <= msg.id)) or 1
    raw = may_read_raw(p) or msg.kind != "answer"
    return MessageView(n, msg.kind, msg.at, msg.body if raw else None)


def may_read_raw(p: Principal) -> bool:
    """Only the call handler reads the tip as sent; the supervisor reads the sanitised text."""
    return p.has("tip.handle")


def reference_for(p: Principal, tip: Tip) -> str | None:
    """The sender's reference code, for the tip handler only: it is half of the sender's
    credential (with the PIN), so every other view names the tip by its public id."""
    return tip.reference if may_read_raw(p) else None


def sanitise(session: Session, p: Principal, tip_id: str, text: str) -> Tip:
    """The handler's rewrite: facts only, nothing that could identify the sender."""
    _need(p, "tip.handle")
    tip = open_tip(session, p, tip_id)
    if tip.status in ("dispatched", "closed"):
        raise Conflict(f"this tip is already {tip.status}")
    tip.sanitised_body = _clean(text, MAX_TIP_CHARS, "sanitised_body", MIN_TIP_CHARS)
    tip.status, tip.sanitised_by, tip.sanitised_at = "sanitised", p.user_id, datetime.now(UTC)
    audit.record(session, p, "alteration", "tip", tip.id, details={"status": "sanitised"})
    return tip


def dispatch(session: Session, p: Principal, tip_id: str, case_ref: str,
             justification: str | None = None) -> Tip:
    """A supervisor sends the sanitised tip to the fugitive's case (as a note on it), audited.

    The note names the tip by its public id, never by the sender's reference code: whoever
    reads the case (partners it is shared with included) must not be able to match a code
    the sender keeps on paper to a tip."""
    _need(p, "tip.dispatch")
    tip = open_tip(session, p, tip_id)
    if tip.status != "sanitised" or not tip.sanitised_body:
        raise Conflict("only a sanitised tip can be dispatched", rule="tip_not_sanitised")
    case: Case = case_by_ref(session, p, case_ref)
    now = datetime.now(UTC)
    note = Note(case_id=case.id, author_id=p.user_id, created_at=now,
                body=f"Anonymous tip {tip.public_id} (sanitised):\n{tip.sanitised_body}")
    marking.copy_markings(case, note)
    session.add(note)
    session.add(CaseEvent(case_id=case.id, kind="tip_dispatched", actor_id=p.user_id, at=now,
                          data={"tip": tip.id}))
    tip.case_id, tip.status, tip.dispatched_by, tip.dispatched_at = case.id, "dispatched", p.user_id, now
    audit.record(session, p, "disclosure", "tip", tip.id, justification=justification or None,
                 recipients=[case.reference], details={"case": case.reference})
    return tip


def ask(session: Session, p: Principal, tip_id: str, question: str) -> TipMessage:
    """A follow-up question for the sender; they read it with their reference code and PIN."""
    _need(p, "tip.handle", "tip.dispatch")
    tip = open_tip(session, p, tip_id)
    if tip.status == "closed":
        raise Conflict("this tip is closed")
    msg = TipMessage(tip_id=tip.id, kind="question", author_id=p.user_id,
                     body=_clean(question, MAX_ANSWER_CHARS, "question", 3))
    session.add(msg)
    session.flush()
    audit.record(session, p, "disclosure", "tip", tip.id, recipients=["tip sender"],
                 details={"follow_up": "question"})
    return msg


def close(session: Session, p: Principal, tip_id: str) -> Tip:
    _need(p, "tip.handle", "tip.dispatch")
    tip = open_tip(session, p, tip_id)
    if tip.status != "closed":
        tip.status, tip.closed_at = "closed", datetime.now(UTC)
        audit.record(session, p, "alteration", "tip", tip.id, details={"status": "closed"})
    return tip


def case_ref_of(session: Session, tip: Tip) -> str | None:
    if tip.case_id is None:
        return None
    return session.scalar(select(Case.reference).where(Case.id == tip.case_id))


def appeal_case_ref(session: Session, tip: Tip) -> str | None:
    """The case of the appeal the sender named, to suggest where to dispatch."""
    if tip.appeal_id is None:
        return None
    return session.scalar(select(Case.reference).join(Appeal, Appeal.case_id == Case.id)
                          .where(Appeal.id == tip.appeal_id))
