from procurement.models.consultation import (
    Consultation,
    ConsultationState,
    Lot,
    Nature,
    Procedure,
)
from procurement.models.documents import DocumentKind, TenderDocument
from procurement.models.review import MemberReview, ReviewDecision

__all__ = [
    "Consultation",
    "ConsultationState",
    "DocumentKind",
    "Lot",
    "MemberReview",
    "Nature",
    "Procedure",
    "ReviewDecision",
    "TenderDocument",
]
