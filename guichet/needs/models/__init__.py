"""The guichet's data: client requests, their lots, rankings, shortlists and consortia."""

from guichet.needs.models.consortia import (
    Consortium,
    ConsortiumKind,
    ConsortiumMember,
    ConsortiumRole,
)
from guichet.needs.models.lots import Lot
from guichet.needs.models.matching import (
    MatchingIndexState,
    MatchingRules,
    MatchingRun,
    MatchingSnapshot,
)
from guichet.needs.models.requests import (
    BudgetRange,
    ClientKind,
    Request,
    RequestDocument,
    RequestMessage,
    RequestStatus,
    ServiceKind,
)
from guichet.needs.models.shortlists import (
    MemberResponse,
    ProviderInvitation,
    ShortlistEntry,
)

__all__ = [
    "BudgetRange",
    "ClientKind",
    "Consortium",
    "ConsortiumKind",
    "ConsortiumMember",
    "ConsortiumRole",
    "Lot",
    "MatchingIndexState",
    "MatchingRules",
    "MatchingRun",
    "MatchingSnapshot",
    "MemberResponse",
    "ProviderInvitation",
    "Request",
    "RequestDocument",
    "RequestMessage",
    "RequestStatus",
    "ServiceKind",
    "ShortlistEntry",
]
