"""Every business action of the award, the contracts and their open data: permission,
transition, save and journal, atomically. Split by subject; import from here."""

from contracts.award_rules import Votes
from contracts.services.amendments import (
    amendment_notify,
    amendment_propose,
    amendment_review,
    amendment_sign,
)
from contracts.services.award import (
    award_approve,
    award_decide,
    award_propose,
    award_reconsider,
    certificate_record,
    consultation_propose_award,
    letters_send,
    lot_close_without_award,
)
from contracts.services.contracts import (
    ContractTerms,
    contract_finish,
    contract_notify,
    contract_set_shares,
    contract_sign,
    contract_start,
    contract_terminate,
    contract_update,
)
from contracts.services.publication import essential_data_record_publication

__all__ = [
    "Votes",
    "ContractTerms",
    "amendment_notify",
    "amendment_propose",
    "amendment_review",
    "amendment_sign",
    "award_approve",
    "award_decide",
    "award_propose",
    "award_reconsider",
    "certificate_record",
    "consultation_propose_award",
    "contract_finish",
    "contract_notify",
    "contract_set_shares",
    "contract_sign",
    "contract_start",
    "contract_terminate",
    "contract_update",
    "essential_data_record_publication",
    "letters_send",
    "lot_close_without_award",
]
