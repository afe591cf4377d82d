"""The vocabulary of the award and the contracts: certificates, deciding bodies, letters, contract
terms in the DECP 2.0 vocabulary, grounds and states.

Its own module so that the rules and the models can both use it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from procurement.choices import ANALYSIS_STATES, ConsultationState

# The award is proposed, and a lot closed without award, while the bids are analysed.
PROPOSAL_STATES = ANALYSIS_STATES
# The winners' certificates are recorded from the proposal to the members' approval.
CERTIFICATE_STATES = (*PROPOSAL_STATES, ConsultationState.AWARD_PROPOSED)


class CertificateKind(models.TextChoices):
    TAX = "tax", _("Tax certificate (attestation de régularité fiscale)")
    SOCIAL = "social", _("Social-security certificate (attestation sociale)")
    URSSAF = "urssaf", _("URSSAF vigilance certificate (attestation de vigilance)")


class DecidingBody(models.TextChoices):
    COMMITTEE = "committee", _("Tender committee (CAO)")
    COORDINATOR = "coordinator", _("The coordinator")


class LetterKind(models.TextChoices):
    AWARD = "award", _("Award letter")
    REJECTION = "rejection", _("Rejection letter")


class ContractState(models.TextChoices):
    TO_SIGN = "to_sign", _("To sign")
    SIGNED = "signed", _("Signed")
    NOTIFIED = "notified", _("Notified")
    IN_EXECUTION = "in_execution", _("In execution")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


# A notified contract in force is amended or terminated.
AMENDABLE = (ContractState.NOTIFIED, ContractState.IN_EXECUTION)


class AmountKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    MAXIMUM = "maximum", _("Maximum amount")


# The values below are the DECP 2.0 vocabulary, so that the open data say what users chose.
class PriceForm(models.TextChoices):
    UNIT = "Unitaire", _("Unit prices")
    LUMP_SUM = "Forfaitaire", _("Lump sum")
    MIXED = "Mixte", _("Mixed")


class PriceType(models.TextChoices):
    FIRM = "Définitif ferme", _("Firm")
    ADJUSTABLE = "Définitif actualisable", _("Adjustable (actualisable)")
    REVISABLE = "Définitif révisable", _("Revisable (révisable)")
    PROVISIONAL = "Provisoire", _("Provisional")


class Ccag(models.TextChoices):
    FCS = "Fournitures courantes et services", _("CCAG-FCS (supplies and services)")
    PI = "Prestations intellectuelles", _("CCAG-PI (intellectual services)")
    TIC = "Techniques de l'information et de la communication", _("CCAG-TIC")
    MI = "Marchés industriels", _("CCAG-MI (industrial)")
    WORKS = "Travaux", _("CCAG-Travaux (works)")
    MOE = "Maitrise d'œuvre", _("CCAG-MOE (project management)")
    NONE = "Pas de CCAG", _("No CCAG")


class ExecutionMode(models.TextChoices):
    NONE = "Sans objet", _("Single execution")
    ORDERS = "Bons de commande", _("Purchase orders")
    TRANCHES = "Tranches", _("Tranches")
    SUBSEQUENT = "Marchés subséquents", _("Subsequent contracts")


class SocialConsideration(models.TextChoices):
    NONE = "Pas de considération sociale", _("None")
    CLAUSE = "Clause sociale", _("Social clause")
    CRITERION = "Critère social", _("Social criterion")
    RESERVED = "Marché réservé", _("Reserved contract")


class EnvironmentalConsideration(models.TextChoices):
    NONE = "Pas de considération environnementale", _("None")
    CLAUSE = "Clause environnementale", _("Environmental clause")
    CRITERION = "Critère environnemental", _("Environmental criterion")


class TerminationGround(models.TextChoices):
    GENERAL_INTEREST = "general_interest", _("General interest (L2195-3 CCP)")
    HOLDER_FAULT = "holder_fault", _("Serious fault of the holder (L2195-3 CCP)")
    FORCE_MAJEURE = "force_majeure", _("Force majeure (L2195-2 CCP)")
    HOLDER_SITUATION = "holder_situation", _("Holder's situation: liquidation, death (L2195-4)")
    COURT = "court", _("Court decision (L2195-6 CCP)")


class AmendmentGround(models.TextChoices):
    REVIEW_CLAUSE = "review_clause", _("Review clause (R2194-1 CCP)")
    ADDITIONAL = "additional", _("Additional services (R2194-2 CCP)")
    UNFORESEEABLE = "unforeseeable", _("Unforeseeable circumstances (R2194-5 CCP)")
    NON_SUBSTANTIAL = "non_substantial", _("Non-substantial modification (R2194-7 CCP)")
    SMALL = "small", _("Small modification (R2194-8 CCP)")


class AmendmentState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved by the members")
    REFUSED = "refused", _("Refused by a member")
    SIGNED = "signed", _("Signed")
