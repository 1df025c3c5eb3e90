"""Flat settings from `NCB_*` environment variables; every one is documented in the README.

The environment is read in one place, `get_settings()` (the app factory and the CLI call it);
everything else is handed the Settings object: by the app (`app.state.settings`), by the
request, or by the session its factory opened (`ncb.services.context.settings_of`).
"""

from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NCB_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///ncb.sqlite3",
        description="SQLAlchemy URL. SQLite file (WAL) by default; postgresql+psycopg://... for a server.",
    )
    secret_key: str = Field(
        default="dev-only-change-me",
        description="Keys the hashes of session and API tokens and tip PINs. Set it in production.",
    )
    home_agency: str = Field(default="GB-NCA", description="Code of the agency running this bureau.")
    argon2_time_cost: int = Field(default=3, ge=1, description="argon2id passes (lower only in tests).")
    argon2_memory_kib: int = Field(default=65536, ge=8, description="argon2id memory in KiB.")
    lockout_threshold: int = Field(
        default=5,
        ge=1,
        description="Failed logins from one source at one account before that source's back-off "
        "starts (1 s, doubling per further failure).",
    )
    lockout_minutes: int = Field(
        default=15,
        ge=1,
        description="Longest back-off between two checked logins from a throttled source "
        "(browsers the user signed in from count their own failures).",
    )
    cookie_secure: bool = Field(
        default=False,
        description="Always mark cookies Secure (set it when the site is served over HTTPS by a proxy).",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses of reverse proxies "
        "whose X-Forwarded-Proto `ncb serve` believes (HTTPS => Secure cookies).",
    )
    session_hours: int = Field(default=12, ge=1, description="Lifetime of a browser session or token.")
    max_attachment_mb: int = Field(default=50, ge=1, description="Attachments above this are refused.")
    at_risk_hours: int = Field(
        default=48, ge=1, le=2160, description="Dashboard: a deadline due within this many hours is at risk."
    )
    dashboard_listed: int = Field(
        default=15,
        ge=1,
        le=500,
        description="Dashboard: cases listed in each deadline panel (at risk, overdue).",
    )
    post_tasks: int = Field(default=50, ge=1, le=1000, description="Liaison post page: open tasks listed.")
    partner_page: int = Field(
        default=15,
        ge=1,
        le=500,
        description="Partner landing page: cases of each kind (our requests, shared with us) listed.",
    )
    channel_page_size: int = Field(
        default=50, ge=1, le=1000, description="Channel pages (EAW, Interpol, Schengen): rows per list page."
    )
    sirene_recent_forms: int = Field(
        default=20, ge=1, le=1000, description="Schengen page: latest SIRENE forms listed."
    )
    europol_latest_cases: int = Field(
        default=100, ge=1, le=5000, description="Europol page: latest Europol cases listed."
    )
    audit_page_size: int = Field(default=50, ge=1, le=1000, description="Audit page: entries per page.")
    audit_export_rows: int = Field(
        default=100_000, ge=1, le=10_000_000, description="Audit page: most entries in one CSV download."
    )
    interpol_import_mb: int = Field(
        default=20, ge=1, le=1024, description="Interpol page: largest JSON file of notices imported."
    )
    case_audit_rows: int = Field(
        default=100,
        ge=1,
        le=10000,
        description="Case page: newest audit entries of the case shown to an auditor.",
    )
    tip_form_min_seconds: float = Field(
        default=2.0,
        ge=0,
        le=600,
        description="Public tip form: "
        "sent sooner than this after it was served, it is refused "
        "as a script's (0 only in tests).",
    )
    tip_form_max_seconds: int = Field(
        default=7200,
        ge=60,
        le=86400,
        description="Public tip form: a form older than this has expired (reload to send).",
    )
    log_level: str = Field(default="INFO", description="Python log level.")
    node_key_file: str = Field(
        default="ncb-node.key",
        description="Federation: this node's private keys, sealed with NCB_NODE_PASSPHRASE.",
    )
    node_passphrase: str = Field(
        default="", description="Federation: passphrase of the node key file (never logged)."
    )
    node_scrypt_log_n: int = Field(
        default=15,
        ge=10,
        le=22,
        description="Federation: scrypt cost (log2 N) sealing key files.",
    )
    federation_retry_seconds: float = Field(
        default=5.0,
        gt=0,
        description="Federation: first retry delay; doubles per failure up to 1 h.",
    )
    federation_batch: int = Field(
        default=200,
        ge=1,
        le=5000,
        description="Federation: envelopes per push or pull request.",
    )
    # --- Federation protocol limits (moved from ncb/services/federation; helper fedwire) ---
    federation_max_push: int = Field(
        default=5000,
        ge=1,
        le=100_000,
        description="Federation: most envelopes a peer may push in one request (more: 422).",
    )
    federation_pull_window_seconds: int = Field(
        default=300,
        ge=10,
        le=3600,
        description="Federation: a signed pull request older or newer than this is refused.",
    )
    federation_max_request_bytes: int = Field(
        default=2 << 20,
        ge=64 << 10,
        le=256 << 20,
        description="Federation: bytes of envelopes per push request or pull answer (at least one envelope).",
    )
    # --- end of federation protocol limits ---
    sql_echo: bool = Field(default=False, description="Log SQL statements (never parameters).")
    audit_key: str = Field(
        default="",
        description="Key of the audit chain's MACs and checkpoints; "
        "derived from NCB_SECRET_KEY when empty. Keep it outside the database.",
    )
    demo_mode: bool = Field(
        default=False,
        description="Show the demo logins on the sign-in page (set by `make demo`; never in production).",
    )
    # --- Bureau calendar (helper flows): display and the law's calendar days ---
    bureau_timezone: str = Field(
        default="Europe/London",
        description="IANA time zone of the bureau: times shown to readers without their own zone, "
        "and the calendar on which the law counts days (a limit 'within 7 days' ends at 23:59 there).",
    )

    @field_validator("bureau_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"NCB_BUREAU_TIMEZONE: {value!r} is not an IANA time zone") from None
        return value

    # --- end of bureau calendar ---

    # ---- operational limits once module globals (issue 12); periods of law stay in ncb/rules
    justification_grant_minutes: int = Field(
        default=30,
        ge=1,
        le=1440,
        description="Case page: a justification given to open a restricted case is remembered "
        "this long in a signed cookie (then asked again).",
    )
    device_cookie_days: int = Field(
        default=365,
        ge=1,
        le=3650,
        description="Sign-in: lifetime of the device cookie that spares a known browser the back-off.",
    )
    min_password_length: int = Field(
        default=8,
        ge=8,
        le=128,
        description="Users: shortest password accepted when a user is added or a password is set.",
    )
    retention_queue_rows: int = Field(
        default=200,
        ge=1,
        le=10000,
        description="Retention review queue: records listed per kind (oldest first).",
    )
    person_section_rows: int = Field(
        default=200,
        ge=1,
        le=10000,
        description="Person page and GET /identities/{id}: rows per section; "
        "the page says 'showing N of M' when there are more (the subject-access pack has all).",
    )
    appeal_photo_kib: int = Field(
        default=2048,
        ge=16,
        le=20480,
        description="Public appeals: largest photo accepted, in KiB.",
    )
    threat_max_months: int = Field(
        default=60,
        ge=1,
        le=600,
        description="Threat picture: most months in one trend (from/to).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> "Settings":
        # Refused at load, naming both variables: with min >= max every tip form is refused.
        if self.tip_form_min_seconds >= self.tip_form_max_seconds:
            raise ValueError("NCB_TIP_FORM_MIN_SECONDS must be below NCB_TIP_FORM_MAX_SECONDS")
        return self


class SettingsError(ValueError):
    """A bad `NCB_*` variable; the message names each variable and the rule it breaks."""


def _explain(error: Any) -> str:
    loc = [str(part) for part in error.get("loc", ())]
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    if not loc:  # a rule across fields: its message names the variables itself
        return message
    return f"NCB_{loc[0].upper()}={error.get('input')!r}: {message}"


def load_settings(**values: Any) -> Settings:
    """Settings from the environment (and `values`), or SettingsError naming what is wrong."""
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise SettingsError("; ".join(_explain(e) for e in exc.errors())) from None


@lru_cache
def get_settings() -> Settings:
    return load_settings()
