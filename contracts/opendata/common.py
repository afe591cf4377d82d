"""What both open-data documents share: the JSON boundary and the procedure vocabulary."""

import json
import re

from core.formats import round_half_up
from procurement.models import GroupingKind, Procedure

# The labels of the DECP 2.0 procedure vocabulary; the OCDS export reuses them as details.
DECP_PROCEDURE = {
    Procedure.ADAPTED: "Procédure adaptée",
    Procedure.OPEN: "Appel d'offres ouvert",
    Procedure.RESTRICTED: "Appel d'offres restreint",
    Procedure.NEGOTIATED: "Procédure avec négociation",
}
DECP_GROUPING = {
    GroupingKind.SINGLE: "Pas de groupement",
    GroupingKind.JOINT: "Conjoint",
    GroupingKind.JOINT_SEVERAL: "Solidaire",
}
# An EU VAT number starts with its member state's prefix (Greece: EL, Northern Ireland: XI).
EU_VAT = re.compile(
    r"^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)"
    r"[0-9A-Z+*]{2,12}$"
)


def money(value) -> float:
    """The JSON boundary: a Decimal amount, rounded to the cent, as a number."""
    return float(round_half_up(value, 2))


def to_json(document: dict) -> str:
    """UTF-8 text with the accents as they are, indented for people who open the file."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
