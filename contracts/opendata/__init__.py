"""Open data of the groupement's procurement: the French essential data (DECP 2.0) of notified
contracts, and the whole process of a consultation in the Open Contracting Data Standard.

Both builders are pure: they read the database with a fixed number of queries, whatever the
number of contracts, and return plain dicts ready for `json.dumps`. Money is Decimal up to here
and becomes a float, rounded to the cent, only in the returned document.
"""

from contracts.opendata.common import DECP_GROUPING, DECP_PROCEDURE, money, to_json
from contracts.opendata.decp import decp_document, foreign_identifier, notified_contracts
from contracts.opendata.ocds import (
    CONTRACT_STATUS,
    OCID_PREFIX,
    PROCUREMENT_METHOD,
    SIRET_SCHEME,
    TENDER_STATUS,
    ocds_release_package,
)

__all__ = [
    "CONTRACT_STATUS",
    "DECP_GROUPING",
    "DECP_PROCEDURE",
    "OCID_PREFIX",
    "PROCUREMENT_METHOD",
    "SIRET_SCHEME",
    "TENDER_STATUS",
    "decp_document",
    "foreign_identifier",
    "money",
    "notified_contracts",
    "ocds_release_package",
    "to_json",
]
