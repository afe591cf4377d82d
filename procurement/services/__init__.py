"""Every business action on consultations and bids: permission, transition, save and journal,
atomically. Split by subject; import from here."""

from procurement.services.analysis import (
    DECISIONS,
    bid_decide,
    bid_judge_price_justification,
    bid_record_price,
    bid_request_price_justification,
    candidatures_request_completion,
    consultation_declare_unsuccessful,
    consultation_start_negotiation,
)
from procurement.services.bid_import import ImportReport, bids_import_register
from procurement.services.bids import (
    BidderIdentity,
    BidTerms,
    bid_document_open,
    bid_register,
    bidder_for,
    consultation_open_bids,
    consultation_start_analysis,
    deposit_register,
)
from procurement.services.consultations import (
    ConsultationTerms,
    LotTerms,
    consultation_cancel,
    consultation_create,
    consultation_extend_deadline,
    consultation_publish,
    consultation_review,
    consultation_submit_for_review,
    consultation_update,
    consultations_close_due,
    document_add,
)
from procurement.services.notices import candidate_register
from procurement.services.questions import question_answer, question_record

__all__ = [
    "ImportReport",
    "bids_import_register",
    "DECISIONS",
    "bid_decide",
    "bid_judge_price_justification",
    "bid_record_price",
    "bid_request_price_justification",
    "candidatures_request_completion",
    "consultation_declare_unsuccessful",
    "consultation_start_negotiation",
    "BidTerms",
    "BidderIdentity",
    "deposit_register",
    "ConsultationTerms",
    "LotTerms",
    "bid_document_open",
    "bid_register",
    "bidder_for",
    "candidate_register",
    "consultation_cancel",
    "consultations_close_due",
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
