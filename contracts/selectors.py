"""Permission-filtered reads of the award and the contracts, without N+1."""

from django.urls import reverse
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from contracts import contract_rules
from contracts.access import may_record_decision, signing_organisation
from contracts.models import (
    AmendmentState,
    AwardApproval,
    AwardDecision,
    Contract,
    ContractState,
    Letter,
)
from core.formats import format_day
from groupement.hooks import PendingAction
from groupement.models import MANAGE_GROUPEMENT, VIEW_GROUPEMENT, Groupement
from procurement.access import member_membership
from procurement.models import Consultation, ConsultationState


def pending_actions(user) -> list[PendingAction]:
    """What waits for this user in the award, the contracts and their open data."""
    visible = get_objects_for_user(
        user, VIEW_GROUPEMENT, klass=Groupement, accept_global_perms=False
    )
    managed = set(
        get_objects_for_user(
            user, MANAGE_GROUPEMENT, klass=Groupement, accept_global_perms=False
        ).values_list("pk", flat=True)
    )
    actions = []
    proposed = list(
        Consultation.objects.filter(groupement__in=visible, state=ConsultationState.AWARD_PROPOSED)
        .select_related("groupement__coordinator")
        .prefetch_related("groupement__memberships")
    )
    # Decisions and approvals of every proposed consultation, each read once.
    decided = set(
        AwardDecision.objects.filter(consultation__in=proposed).values_list(
            "consultation_id", "award_round"
        )
    )
    approved = set(
        AwardApproval.objects.filter(consultation__in=proposed).values_list(
            "consultation_id", "award_round", "organisation_id"
        )
    )
    for consultation in proposed:
        url = reverse("contracts:award", args=[consultation.pk])
        round_key = (consultation.pk, consultation.award_round)
        if round_key not in decided:
            if may_record_decision(user, consultation):
                actions.append(
                    PendingAction(_("Record the award decision"), str(consultation), url)
                )
            continue
        membership = member_membership(user, consultation)
        if membership is not None and (*round_key, membership.organisation_id) not in approved:
            actions.append(PendingAction(_("Approve the award"), str(consultation), url))
    for consultation in Consultation.objects.filter(
        groupement__in=managed, state=ConsultationState.AWARDED
    ).exclude(pk__in=Letter.objects.values("award__lot__consultation")):
        actions.append(
            PendingAction(
                _("Send the award and rejection letters"),
                str(consultation),
                reverse("contracts:award", args=[consultation.pk]),
            )
        )
    contracts = list(
        Contract.objects.filter(lot__consultation__groupement__in=visible)
        .exclude(state__in=[ContractState.COMPLETED, ContractState.TERMINATED])
        .select_related("lot__consultation__groupement__coordinator", "award", "holder")
        .prefetch_related(
            "signatures",
            "amendments__approvals",
            "lot__consultation__groupement__memberships__organisation",
        )
    )
    for contract in contracts:
        url = reverse("contracts:contract", args=[contract.pk])
        signer = signing_organisation(user, contract)
        consultation = contract.lot.consultation
        if (
            contract.state == ContractState.TO_SIGN
            and signer in contract_rules.missing_signatories(contract)
            and not contract_rules.standstill_errors(contract)
        ):
            actions.append(PendingAction(_("Sign the contract"), str(contract), url))
        if contract.state == ContractState.SIGNED and consultation.groupement_id in managed:
            actions.append(PendingAction(_("Notify the contract"), str(contract), url))
        membership = member_membership(user, consultation)
        for amendment in contract.amendments.all():
            answered = {a.organisation_id for a in amendment.approvals.all()}
            if (
                amendment.state == AmendmentState.PROPOSED
                and membership is not None
                and membership.organisation_id not in answered
            ):
                actions.append(PendingAction(_("Approve the amendment"), str(amendment), url))
        if consultation.groupement_id in managed:
            for what, due in contract_rules.essential_data_due(
                contract, list(contract.amendments.all())
            ):
                actions.append(
                    PendingAction(
                        _("Publish before %(day)s") % {"day": format_day(due)},
                        what,
                        reverse("contracts:opendata", args=[consultation.groupement_id]),
                    )
                )
    return actions
