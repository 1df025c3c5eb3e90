"""All ORM models; importing this module registers every table on Base.metadata."""

from ncb.store.models.base import Base, Marked, UTCDateTime, utcnow
from ncb.store.models.cases import Attachment, Case, CaseEvent, Deadline, Message, Note, Task
from ncb.store.models.channels import Alert, Notice, SireneForm, SltdDocument, Warrant, WarrantEvent
from ncb.store.models.data_protection import RetentionReview, SubjectAccessRequest
from ncb.store.models.entities import (
    ENTITY_KINDS,
    AuditEntry,
    AuditHead,
    CaseEntity,
    Entity,
    SearchKey,
)
from ncb.store.models.federation import (
    FedConflict,
    FedCursor,
    FedDisclosure,
    FedGroup,
    FedInbox,
    FedKey,
    FedObject,
    FedOutbox,
    FedPeer,
    FedRecall,
    FedRecallAck,
)
from ncb.store.models.identities import (
    Identity,
    IdentityChange,
    IdentityJudgement,
    IdentityKey,
    IdentityMember,
)
from ncb.store.models.org import (
    Agency,
    ApiToken,
    LoginThrottle,
    Share,
    SharingGroup,
    SharingGroupMember,
    Team,
    User,
)
from ncb.store.models.public import Appeal, Tip, TipMessage
from ncb.store.models.screening import Hit, Judgement

__all__ = [
    "Alert", "Notice", "SireneForm", "SltdDocument", "Warrant", "WarrantEvent",
    "ENTITY_KINDS", "Agency", "ApiToken", "Appeal", "Attachment", "AuditEntry", "AuditHead", "Base",
    "Case", "CaseEntity", "Identity", "IdentityChange", "IdentityJudgement",
    "IdentityKey", "IdentityMember", "CaseEvent", "Deadline", "Entity", "Hit", "Judgement",
    "LoginThrottle",
    "FedConflict", "FedCursor", "FedDisclosure", "FedGroup", "FedInbox", "FedKey", "FedObject",
    "FedOutbox", "FedPeer", "FedRecall", "FedRecallAck", "Marked", "Message",
    "Note", "RetentionReview", "SearchKey", "SubjectAccessRequest", "Share", "SharingGroup",
    "SharingGroupMember",
    "Task", "Team", "Tip",
    "TipMessage", "UTCDateTime", "User", "utcnow",
]
