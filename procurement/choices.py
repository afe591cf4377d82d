"""The vocabulary of consultations: procedures, natures, states, decisions, document kinds.

Its own module so that the rules and the models can both use it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Procedure(models.TextChoices):
    ADAPTED = "adapted", _("Procédure adaptée (MAPA)")
    OPEN = "open", _("Appel d'offres ouvert")
    RESTRICTED = "restricted", _("Appel d'offres restreint")
    NEGOTIATED = "negotiated", _("Procédure avec négociation")


FORMAL_PROCEDURES = {Procedure.OPEN, Procedure.RESTRICTED, Procedure.NEGOTIATED}


class Nature(models.TextChoices):
    SERVICES = "services", _("Services")
    SUPPLIES = "supplies", _("Supplies")
    WORKS = "works", _("Works")


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    MEMBER_REVIEW = "member_review", _("Members reviewing")
    READY = "ready", _("Ready to publish")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    OPENED = "opened", _("Bids opened")
    ANALYSIS = "analysis", _("Analysis")
    NEGOTIATION = "negotiation", _("Negotiation")
    AWARD_PROPOSED = "award_proposed", _("Award proposed")
    AWARDED = "awarded", _("Awarded")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled (sans suite)")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful (infructueuse)")


# A consultation may be declared sans suite from any state before a contract is signed.
CANCELLABLE = [
    ConsultationState.DRAFT,
    ConsultationState.MEMBER_REVIEW,
    ConsultationState.READY,
    ConsultationState.PUBLISHED,
    ConsultationState.CLOSED,
    ConsultationState.OPENED,
    ConsultationState.ANALYSIS,
    ConsultationState.NEGOTIATION,
    ConsultationState.AWARD_PROPOSED,
    ConsultationState.AWARDED,
]


# Bids are analysed and scored, and the award proposed, in these states.
ANALYSIS_STATES = (ConsultationState.ANALYSIS, ConsultationState.NEGOTIATION)


# Deposits are recorded once the consultation is published, late ones included.
REGISTRATION_STATES = {
    ConsultationState.PUBLISHED,
    ConsultationState.CLOSED,
    ConsultationState.OPENED,
    ConsultationState.ANALYSIS,
}


class LotOutcome(models.TextChoices):
    OPEN = "", _("To award")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful (infructueux)")
    CANCELLED = "cancelled", _("Cancelled (sans suite)")


class GroupingKind(models.TextChoices):
    SINGLE = "single", _("Single bidder")
    JOINT = "joint", _("Joint group (groupement conjoint)")
    JOINT_SEVERAL = "joint_several", _("Joint and several group (groupement solidaire)")


class CandidatureState(models.TextChoices):
    PENDING = "pending", _("To examine")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    ADMITTED = "admitted", _("Admitted")
    REJECTED = "rejected", _("Rejected")


class OfferState(models.TextChoices):
    PENDING = "pending", _("To examine")
    REGULAR = "regular", _("Regular")
    IRREGULAR = "irregular", _("Irregular")
    REGULARISATION_REQUESTED = "regularisation_requested", _("Regularisation requested")
    UNACCEPTABLE = "unacceptable", _("Unacceptable")
    INAPPROPRIATE = "inappropriate", _("Inappropriate")
    ABNORMALLY_LOW = "abnormally_low", _("Rejected as abnormally low")


class LowPriceDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Justification accepted")
    REJECTED = "rejected", _("Justification rejected")


class DocumentKind(models.TextChoices):
    RC = "rc", _("Consultation rules (RC)")
    CCAP = "ccap", _("Administrative specifications (CCAP)")
    CCTP = "cctp", _("Technical specifications (CCTP)")
    AE = "ae", _("Acte d'engagement (AE)")
    PRICES = "prices", _("Price schedule (BPU, DQE or DPGF)")
    OTHER = "other", _("Other document")


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
