"""Every business action on consultations and bids: permission, transition, save and journal,
atomically. Split by subject; import from here."""

from journal.workflow import BusinessRuleError
from procurement.services.bids import (
    BidTerms,
    bid_document_open,
    bid_register,
    bidder_for,
    consultation_open_bids,
    consultation_start_analysis,
)
from procurement.services.consultations import (
    ConsultationTerms,
    LotTerms,
    consultation_cancel,
    consultation_close_if_due,
    consultation_create,
    consultation_extend_deadline,
    consultation_publish,
    consultation_review,
    consultation_submit_for_review,
    consultation_update,
    document_add,
)
from procurement.services.questions import question_answer, question_record

__all__ = [
    "BidTerms",
    "BusinessRuleError",
    "ConsultationTerms",
    "LotTerms",
    "bid_document_open",
    "bid_register",
    "bidder_for",
    "consultation_cancel",
    "consultation_close_if_due",
    "consultation_create",
    "consultation_extend_deadline",
    "consultation_open_bids",
    "consultation_publish",
    "consultation_review",
    "consultation_start_analysis",
    "consultation_submit_for_review",
    "consultation_update",
    "document_add",
    "question_answer",
    "question_record",
]
