"""Anonymous tips: received from the public, sanitised by a tip handler, dispatched by a supervisor.

Nothing about the sender is stored or logged: no address, user agent, cookie or exact time
(the hour only). The sender gets a reference code (10 base32 characters, ~50 bits) and a
6-digit PIN; only an HMAC of the PIN (keyed by settings.secret_key) is kept and compared in
constant time. Wrong PINs lock the tip (not a person) for a while.

Abuse is limited without identifying anyone: a short-lived signed form token (HMAC over a
timestamp and a random nonce, no client data, single use), a global rate ceiling shared by all
senders, and size limits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import unicodedata
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services import lookup, marking
from ncb.services.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from ncb.services.reading import case_by_ref
from ncb.settings import Settings
from ncb.store import audit
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
LOCK_MINUTES = 60
FORM_MIN_SECONDS = 2.0      # a form filled faster than this is a script
FORM_MAX_SECONDS = 2 * 3600


class TooMany(ServiceError):
    status = 429
    title = "Too many requests"


class Locked(ServiceError):
    status = 423
    title = "Locked"


# --- abuse limits without identifying anyone --------------------------------------------


class RateCeiling:
    """A global sliding-window ceiling on events (all senders together; no per-person state)."""

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit, self.window = limit, window_seconds
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def take(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            while self._times and now - self._times[0] > self.window:
                self._times.popleft()
            if len(self._times) >= self.limit:
                return False
            self._times.append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._times.clear()


SUBMISSIONS = RateCeiling(limit=120, window_seconds=600)   # tips + answers, all senders
PIN_CHECKS = RateCeiling(limit=600, window_seconds=600)    # reference+PIN look-ups, all senders

_used_nonces: dict[str, float] = {}
_nonce_lock = threading.Lock()


def _mac(settings: Settings, purpose: str, message: str) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, f"{purpose}:{message}".encode(), hashlib.sha256).hexdigest()


def issue_form_token(settings: Settings, now: float | None = None) -> str:
    """A token for one form: issue time and a random nonce, signed. Holds nothing about anyone."""
    ts = int(time.time() if now is None else now)
    nonce = secrets.token_urlsafe(12)
    return f"{ts}.{nonce}.{_mac(settings, 'tip-form', f'{ts}.{nonce}')}"


def check_form_token(settings: Settings, token: str | None, now: float | None = None) -> None:
    """Refuse forged, stale, too-fast or reused form tokens."""
    now = time.time() if now is None else now
    try:
        ts_s, nonce, mac = (token or "").split(".")
        ts = int(ts_s)
    except ValueError:
        raise InvalidInput("the form has expired; reload the page and send again",
                           field="form_token", rule="form_token") from None
    if not hmac.compare_digest(mac, _mac(settings, "tip-form", f"{ts}.{nonce}")):
        raise InvalidInput("the form has expired; reload the page and send again",
                           field="form_token", rule="form_token")
    age = now - ts
    if age > FORM_MAX_SECONDS:
        raise InvalidInput("the form has expired; reload the page and send again",
                           field="form_token", rule="form_token_expired")
    if age < FORM_MIN_SECONDS:
        raise TooMany("please take a moment to check what you wrote, then send again",
                      rule="form_too_fast")
    with _nonce_lock:
        for n, exp in list(_used_nonces.items()):
            if exp < now:
                del _used_nonces[n]
        if nonce in _used_nonces:
            raise InvalidInput("this form was already sent; reload the page to send another",
                               field="form_token", rule="form_token_used")
        _used_nonces[nonce] = ts + FORM_MAX_SECONDS


def _take(ceiling: RateCeiling) -> None:
    if not ceiling.take():
        raise TooMany("the service is busy; please try again in a few minutes", rule="ceiling")


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
               appeal_public_id: str | None = None, form_token: str | None = None
               ) -> Receipt:
    """Store an anonymous tip; return the reference code and PIN to give the sender once."""
    check_form_token(settings, form_token)
    text = _clean(body, MAX_TIP_CHARS, "body", MIN_TIP_CHARS)
    _take(SUBMISSIONS)
    appeal_id = None
    if appeal_public_id:
        appeal_id = session.scalar(select(Appeal.id).where(
            Appeal.public_id == appeal_public_id, Appeal.published_at.is_not(None),
            Appeal.withdrawn_at.is_(None)))
    home = lookup.home_agency(session)
    reference = new_reference()
    while session.scalar(select(Tip.id).where(Tip.reference == reference)
                         .execution_options(skip_access=True)) is not None:
        reference = new_reference()
    pin = new_pin()
    tip = Tip(reference=reference, pin_hash=pin_hash(settings, reference, pin), body=text,
              appeal_id=appeal_id, status="received", received_hour=_hour(datetime.now(UTC)),
              classification="OFFICIAL", classification_rank=1, handling_code="P",
              tlp="TLP:AMBER", owner_agency_id=home.id, originator_agency_id=home.id,
              sharing_scope="own")
    session.add(tip)
    session.flush()
    audit.record(session, PUBLIC, "collection", "tip", tip.id, details={"channel": "web form"})
    return Receipt(reference, pin)


def _unlock(session: Session, settings: Settings, reference: str, pin: str) -> Tip:
    """The tip for reference + PIN, or one refusal for every failure (no hint which part)."""
    _take(PIN_CHECKS)
    ref = normalise_reference(reference)
    tip = session.scalar(select(Tip).where(Tip.reference == ref)
                         .execution_options(skip_access=True))
    refusal = Forbidden("the reference code or PIN is not right", rule="tip_credentials")
    if tip is None:
        hmac.compare_digest(pin_hash(settings, ref, pin), "0" * 64)  # same work either way
        raise refusal
    now = datetime.now(UTC)
    if tip.locked_until is not None and tip.locked_until > now:
        raise Locked("too many wrong PINs for this reference; try again later", rule="tip_locked")
    if not hmac.compare_digest(pin_hash(settings, ref, (pin or "").strip()), tip.pin_hash):
        tip.failed_pins += 1
        if tip.failed_pins >= MAX_PIN_FAILURES:
            tip.failed_pins = 0
            tip.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        # The failure must outlive the refusal (the caller's transaction rolls back on error);
        # nothing else has been written in this use case before the PIN check.
        session.commit()
        raise refusal
    tip.failed_pins, tip.locked_until = 0, None
    return tip


def _thread(session: Session, tip: Tip) -> PublicThread:
    rows = session.execute(select(TipMessage.kind, TipMessage.body)
                           .where(TipMessage.tip_id == tip.id).order_by(TipMessage.id)).all()
    msgs = tuple((r.kind, r.body) for r in rows)
    open_q = 0
    for kind, _ in msgs:
        open_q = open_q + 1 if kind == "question" else 0
    label = {"received": "received", "sanitised": "being handled",
             "dispatched": "passed to investigators", "closed": "closed"}[tip.status]
    return PublicThread(tip.reference, label, msgs, open_q)


def read_thread(session: Session, settings: Settings, reference: str, pin: str) -> PublicThread:
    return _thread(session, _unlock(session, settings, reference, pin))


def answer(session: Session, settings: Settings, reference: str, pin: str, body: str,
           form_token: str | None = None) -> PublicThread:
    """The sender answers the bureau's follow-up questions."""
    check_form_token(settings, form_token)
    text = _clean(body, MAX_ANSWER_CHARS, "body")
    tip = _unlock(session, settings, reference, pin)
    if tip.status == "closed":
        raise Conflict("this tip is closed; thank you", rule="tip_closed")
    _take(SUBMISSIONS)
    session.add(TipMessage(tip_id=tip.id, kind="answer", body=text,
                           at=_hour(datetime.now(UTC))))
    session.flush()
    audit.record(session, PUBLIC, "collection", "tip", tip.id, details={"follow_up": "answer"})
    return _thread(session, tip)


# --- the workbench side --------------------------------------------------------------------


def _need(p: Principal, *perms: str) -> None:
    if not any(p.has(x) for x in perms):
        raise Forbidden(f"your role lacks the permission {' or '.join(perms)}",
                        rule=f"permission:{perms[0]}")


def queue(session: Session, p: Principal, status: str | None = None) -> list[Tip]:
    """Tips for the handler (received first) or the supervisor (sanitised first)."""
    _need(p, "tip.handle", "tip.dispatch")
    stmt = select(Tip).order_by(Tip.received_hour.desc(), Tip.id.desc())
    if status:
        stmt = stmt.where(Tip.status == status)
    return list(session.scalars(stmt).all())


def open_tip(session: Session, p: Principal, tip_id: int) -> Tip:
    """Open a tip in the workbench; the consultation is logged."""
    _need(p, "tip.handle", "tip.dispatch")
    tip = session.get(Tip, tip_id)
    if tip is None:
        raise NotFound(f"no tip {tip_id}")
    audit.record(session, p, "consultation", "tip", tip.id)
    return tip


def messages(session: Session, tip: Tip) -> list[TipMessage]:
    return list(session.scalars(select(TipMessage).where(TipMessage.tip_id == tip.id)
                                .order_by(TipMessage.id)).all())


def may_read_raw(p: Principal) -> bool:
    """Only the call handler reads the tip as sent; the supervisor reads the sanitised text."""
    return p.has("tip.handle")


def sanitise(session: Session, p: Principal, tip_id: int, text: str) -> Tip:
    """The handler's rewrite: facts only, nothing that could identify the sender."""
    _need(p, "tip.handle")
    tip = open_tip(session, p, tip_id)
    if tip.status in ("dispatched", "closed"):
        raise Conflict(f"this tip is already {tip.status}")
    tip.sanitised_body = _clean(text, MAX_TIP_CHARS, "sanitised_body", MIN_TIP_CHARS)
    tip.status, tip.sanitised_by, tip.sanitised_at = "sanitised", p.user_id, datetime.now(UTC)
    audit.record(session, p, "alteration", "tip", tip.id, details={"status": "sanitised"})
    return tip


def dispatch(session: Session, p: Principal, tip_id: int, case_ref: str,
             justification: str | None = None) -> Tip:
    """A supervisor sends the sanitised tip to the fugitive's case (as a note on it), audited."""
    _need(p, "tip.dispatch")
    tip = open_tip(session, p, tip_id)
    if tip.status != "sanitised" or not tip.sanitised_body:
        raise Conflict("only a sanitised tip can be dispatched", rule="tip_not_sanitised")
    case: Case = case_by_ref(session, p, case_ref)
    now = datetime.now(UTC)
    note = Note(case_id=case.id, author_id=p.user_id, created_at=now,
                body=f"Anonymous tip {tip.reference} (sanitised):\n{tip.sanitised_body}")
    marking.copy_markings(case, note)
    session.add(note)
    session.add(CaseEvent(case_id=case.id, kind="tip_dispatched", actor_id=p.user_id, at=now,
                          data={"tip": tip.id}))
    tip.case_id, tip.status, tip.dispatched_by, tip.dispatched_at = case.id, "dispatched", p.user_id, now
    audit.record(session, p, "disclosure", "tip", tip.id, justification=justification or None,
                 recipients=[case.reference], details={"case": case.reference})
    return tip


def ask(session: Session, p: Principal, tip_id: int, question: str) -> TipMessage:
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


def close(session: Session, p: Principal, tip_id: int) -> Tip:
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
