"""Who to sign in as in the demo, and what to try: one list for the README, the CLI and the
sign-in page (shown only when NCB_DEMO_MODE is on), so a newcomer finds every role."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "demo-password-2026"  # synthetic bureau only; `ncb serve` refuses demo mode off loopback


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    agency: str
    clearance: str
    try_this: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("desk", "Desk officer", "GB-NCA", "SECRET",
              "Work the Interpol desk queue, open a case, review a screening hit, reply to a message."),
    DemoLogin("supervisor", "Duty supervisor", "GB-NCA", "SECRET",
              "The dashboard: overdue deadlines and custody releases; assign cases; read the audit."),
    DemoLogin("analyst", "Intelligence analyst", "GB-NCA", "SECRET",
              "Search across every channel and script; follow a person through cases."),
    DemoLogin("liaison", "Liaison officer (Madrid post)", "GB-NCA", "SECRET",
              "The post view: cases for the post's countries, times in the post's zone."),
    DemoLogin("extradition", "Extradition officer", "GB-NCA", "SECRET",
              "EAW warrants: certify, record arrest and consent, watch the clocks and releases."),
    DemoLogin("partner.fbi", "Partner user", "US-FBI", "OFFICIAL-SENSITIVE",
              "Send a person trace and see only what was shared with the FBI."),
    DemoLogin("partner.rcmp", "Partner user", "CA-RCMP", "OFFICIAL-SENSITIVE",
              "The same as the FBI user for Canada: Five Eyes sharing, nothing else."),
    DemoLogin("partner.europol", "Partner user", "EUROPOL", "OFFICIAL-SENSITIVE",
              "SIENA exchanges under their handling codes; nothing beyond them."),
    DemoLogin("partner.interpol_fr", "Partner user", "INTERPOL-FR", "OFFICIAL-SENSITIVE",
              "A French NCB: diffusions and notices shared with it."),
    DemoLogin("tips", "Tip handler", "GB-NCA", "OFFICIAL",
              "Anonymous tips from the public site: read, sanitise, answer the tipster."),
    DemoLogin("admin", "Administrator", "GB-NCA", "OFFICIAL-SENSITIVE",
              "Users, roles and agencies; verify the audit chain."),
    DemoLogin("dpo", "Data protection officer", "GB-NCA", "SECRET",
              "The audit page: who consulted, disclosed or was refused what; export it as CSV."),
)
