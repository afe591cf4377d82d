"""The vocabulary of groupements: kinds, roles, missions, states and permission names.

Its own module so that the rules and the models can both use it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Object permissions, granted to role groups by groupement.access.sync_groupement_permissions.
VIEW_GROUPEMENT = "groupement.view_groupement"
MANAGE_GROUPEMENT = "groupement.manage_groupement"
ACT_FOR_MEMBERSHIP = "groupement.act_for_membership"


class OrganisationKind(models.TextChoices):
    POLE_METROPOLITAIN = "pole_metropolitain", _("Pôle métropolitain")
    AGGLOMERATION = "agglomeration", _("Communauté d'agglomération")
    COMMUNE = "commune", _("Commune")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    GESTIONNAIRE = "gestionnaire", _("Procurement officer (gestionnaire)")
    REFERENT = "referent", _("Member referent (référent)")
    EVALUATEUR = "evaluateur", _("Evaluator (évaluateur)")
    MEMBRE_CAO = "membre_cao", _("Tender committee member (membre de la CAO)")
    LECTEUR = "lecteur", _("Reader (lecteur)")


class Mission(models.TextChoices):
    A = "A", _("A: runs the procedure up to the award")
    B = "B", _("B: also signs and notifies the contract for all members")
    C = "C", _("C: also manages execution and amendments")


class CommitteeKind(models.TextChoices):
    COORDINATOR = "coordinator", _("The coordinator's tender committee (CAO)")
    AD_HOC = "ad_hoc", _("Ad hoc committee of the groupement (CGCT L1414-3)")


class GroupementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DELIBERATING = "deliberating", _("Members deliberating")
    IN_FORCE = "in_force", _("In force")
    DISSOLVED = "dissolved", _("Dissolved")


class MembershipState(models.TextChoices):
    INVITED = "invited", _("Invited")
    DELIBERATED = "deliberated", _("Deliberated")
    SIGNED = "signed", _("Signed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
