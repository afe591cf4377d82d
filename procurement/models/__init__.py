from procurement.models.bids import (
    Bid,
    Bidder,
    BidDocument,
    BidMember,
    CandidatureState,
    GroupingKind,
    LowPriceDecision,
    OfferState,
    Opening,
    Subcontractor,
)
from procurement.models.consultation import (
    Consultation,
    ConsultationState,
    Lot,
    LotOutcome,
    Nature,
    Procedure,
)
from procurement.models.documents import DocumentKind, TenderDocument
from procurement.models.notices import RegisteredCandidate
from procurement.models.questions import Question
from procurement.models.review import MemberReview, ReviewDecision

__all__ = [
    "LotOutcome",
    "Bid",
    "BidDocument",
    "BidMember",
    "Bidder",
    "CandidatureState",
    "GroupingKind",
    "LowPriceDecision",
    "OfferState",
    "Opening",
    "Subcontractor",
    "Consultation",
    "ConsultationState",
    "DocumentKind",
    "Lot",
    "MemberReview",
    "Nature",
    "Procedure",
    "Question",
    "RegisteredCandidate",
    "ReviewDecision",
    "TenderDocument",
]
