"""Permission-filtered reads of the award and the contracts, without N+1, and the steps each
person may take on them: one function per object type, for its page and for « Mes actions »."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from contracts import award_rules, contract_rules
from contracts.access import may_record_decision, signing_organisation
from contracts.choices import AMENDABLE, CERTIFICATE_STATES, PROPOSAL_STATES
from contracts.models import (
    Amendment,
    AmendmentApproval,
    AmendmentState,
    AwardApproval,
    AwardDecision,
    Contract,
    ContractState,
    Signature,
)
from contracts.pages import award_url, contract_url
from core.actions import Action, listed
from core.formats import format_day
from core.permissions import objects_for_user
from groupement.models import VIEW_GROUPEMENT, Groupement
from procurement.access import can_manage, member_membership
from procurement.models import Consultation, ConsultationState
from scoring.ranking import final_lots


def award_actions(
    user,
    consultation,
    *,
    awards,
    decided: bool,
    answered: set,
    letters_sent: bool,
    ranked: frozenset = frozenset(),
    pending_only: bool = False,
):
    """The award steps this user may take now. `answered`: the organisations that gave their
    answer in this round; `ranked`: the lots whose scores are all consolidated, whose winner
    the coordinator is waited on to propose. `pending_only`: the steps that wait for the user,
    what « Mes actions » lists (the proposal's blockers cost queries of their own)."""
    manager = can_manage(user, consultation)
    state = consultation.state
    subject = str(consultation)
    actions = []

    def add(name, label, route, pk, *, pending=False, post=False, target=None, blockers=()):
        url = reverse(route, args=[pk])
        actions.append(Action(name, label, url, subject, pending, post, target, list(blockers)))

    if manager and state in PROPOSAL_STATES:
        lots = list(consultation.lots.all())
        # Waited on once every lot has its winner or its outcome, and one lot at least is
        # awarded: with none, the step is to declare the consultation unsuccessful instead.
        settled = any(hasattr(lot, "award") for lot in lots) and all(
            lot.outcome or hasattr(lot, "award") for lot in lots
        )
        if settled or not pending_only:
            add(
                "submit",
                _("Submit the award proposal"),
                "contracts:award_submit",
                consultation.pk,
                pending=settled,
                post=True,
                blockers=award_rules.proposal_blockers(consultation),
            )
        for lot in lots:
            if not lot.outcome:
                add(
                    "propose",
                    _("Propose the winner"),
                    "contracts:award_propose",
                    lot.pk,
                    pending=lot.pk in ranked and not hasattr(lot, "award"),
                    target=lot.pk,
                )
                add(
                    "close_lot",
                    _("Lot without award"),
                    "contracts:lot_outcome",
                    lot.pk,
                    target=lot.pk,
                )
    if manager and state in CERTIFICATE_STATES:
        for award in awards:
            add(
                "certificate",
                _("Record a certificate"),
                "contracts:certificate",
                award.pk,
                target=award.lot_id,
            )
    if state == ConsultationState.AWARD_PROPOSED:
        if not decided and may_record_decision(user, consultation):
            add(
                "decide",
                _("Record the award decision"),
                "contracts:award_decide",
                consultation.pk,
                pending=True,
            )
        membership = member_membership(user, consultation)
        if decided and membership is not None and membership.organisation_id not in answered:
            add(
                "approve",
                _("Approve the award"),
                "contracts:award_approve",
                consultation.pk,
                pending=True,
            )
        if manager:
            add(
                "reconsider",
                _("Reconsider the award"),
                "contracts:award_reconsider",
                consultation.pk,
            )
    if manager and state == ConsultationState.AWARDED and not letters_sent:
        add(
            "send_letters",
            _("Send the award and rejection letters"),
            "contracts:letters_send",
            consultation.pk,
            pending=True,
        )
    return actions


def contract_actions(user, contract, amendments) -> list[Action]:
    """The steps this user may take now on a contract and its amendments; signing is pending
    only once the standstill is over."""
    consultation = contract.lot.consultation
    manager = can_manage(user, consultation)
    signer = signing_organisation(user, contract)
    signed = {s.organisation_id for s in contract.signatures.all() if s.amendment_id is None}
    actions = []

    def add(name, label, route, obj, *, pending=False, subject=None, target=None):
        url = reverse(route, args=[obj.pk])
        actions.append(Action(name, label, url, subject or str(obj), pending, target=target))

    if contract.state == ContractState.TO_SIGN:
        if signer is not None and signer.pk not in signed:
            ready = not contract_rules.standstill_errors(contract)
            add("sign", _("Sign the contract"), "contracts:contract_sign", contract, pending=ready)
        if manager and not signed:
            add("terms", _("Terms of the contract"), "contracts:contract_terms", contract)
            add("shares", _("Members' shares"), "contracts:contract_shares", contract)
    if manager and contract.state == ContractState.SIGNED:
        add("notify", _("Notify the contract"), "contracts:contract_notify", contract, pending=True)
    if manager and contract.state == ContractState.NOTIFIED:
        add("start", _("Start of the execution"), "contracts:contract_start", contract)
    if manager and contract.state == ContractState.IN_EXECUTION:
        add("finish", _("End of the execution"), "contracts:contract_finish", contract)
    if manager and contract.state in AMENDABLE:
        add("propose_amendment", _("New amendment"), "contracts:amendment_propose", contract)
        add("terminate", _("Terminate"), "contracts:contract_terminate", contract)
    membership = member_membership(user, consultation)
    for amendment in amendments:
        # The answers and signatures of an amendment are read only in the state that waits for
        # them: a contract's settled amendments need no prefetch.
        if (
            amendment.state == AmendmentState.PROPOSED
            and membership is not None
            and membership.organisation_id
            not in {a.organisation_id for a in amendment.approvals.all()}
        ):
            add(
                "review",
                _("Approve the amendment"),
                "contracts:amendment_review",
                amendment,
                pending=True,
                target=amendment,
            )
        if (
            amendment.state == AmendmentState.APPROVED
            and signer is not None
            and signer.pk not in {s.organisation_id for s in amendment.signatures.all()}
        ):
            add(
                "sign",
                _("Sign the amendment"),
                "contracts:amendment_sign",
                amendment,
                pending=True,
                target=amendment,
            )
        if manager and amendment.state == AmendmentState.SIGNED and not amendment.notified_on:
            add(
                "notify",
                _("Notify the amendment"),
                "contracts:amendment_notify",
                amendment,
                pending=True,
                target=amendment,
            )
    if manager:
        opendata = consultation.groupement
        for what, due in contract_rules.essential_data_due(contract, amendments):
            add(
                "publish",
                _("Publish before %(day)s") % {"day": format_day(due)},
                "contracts:opendata",
                opendata,
                pending=True,
                subject=what,
            )
    return actions


def pending_actions(user) -> list[Action]:
    """What waits for this user in the award, the contracts and their open data."""
    visible = objects_for_user(user, VIEW_GROUPEMENT, Groupement)
    actions = []
    waiting = list(
        Consultation.objects.filter(
            groupement__in=visible,
            state__in=[
                *PROPOSAL_STATES,
                ConsultationState.AWARD_PROPOSED,
                ConsultationState.AWARDED,
            ],
        )
        .select_related("groupement__coordinator")
        .prefetch_related("groupement__memberships", "lots__award__letters")
    )
    # The lots still open in an analysis: the same set as the evaluation's own dashboard lines
    # (scoring.dashboard), so that both read one kept evaluation (journal.memo).
    ranked = final_lots(
        [
            lot
            for c in waiting
            if c.state in PROPOSAL_STATES
            for lot in c.lots.all()
            if not lot.outcome
        ]
    )
    # Decisions and approvals of every consultation, each read once.
    decided = set(
        AwardDecision.objects.filter(consultation__in=waiting).values_list(
            "consultation_id", "award_round"
        )
    )
    answers = set(
        AwardApproval.objects.filter(consultation__in=waiting).values_list(
            "consultation_id", "award_round", "organisation_id"
        )
    )
    for consultation in waiting:
        key = (consultation.pk, consultation.award_round)
        awards = [lot.award for lot in consultation.lots.all() if hasattr(lot, "award")]
        actions += listed(
            award_actions(
                user,
                consultation,
                awards=awards,
                decided=key in decided,
                answered={org for (pk, rnd, org) in answers if (pk, rnd) == key},
                letters_sent=any(award.letters.all() for award in awards),
                ranked=ranked,
                pending_only=True,
            ),
            award_url(consultation),
        )
    contracts = (
        Contract.objects.filter(lot__consultation__groupement__in=visible)
        .exclude(state__in=[ContractState.COMPLETED, ContractState.TERMINATED])
        .select_related("lot__consultation__groupement__coordinator", "award", "holder")
        .prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.filter(amendment__isnull=True)),
            # Only the amendments that may still wait for someone: a contract of 50 amendments
            # keeps its settled ones (refused, or notified and published) off the dashboard.
            Prefetch(
                "amendments",
                queryset=Amendment.objects.exclude(state=AmendmentState.REFUSED).exclude(
                    notified_on__isnull=False, data_published_on__isnull=False
                ),
            ),
            # Answers are read only while an amendment waits for them, signatures only while
            # it is approved: the settled amendments' rows stay in the database.
            Prefetch(
                "amendments__approvals",
                queryset=AmendmentApproval.objects.filter(amendment__state=AmendmentState.PROPOSED),
            ),
            Prefetch(
                "amendments__signatures",
                queryset=Signature.objects.filter(amendment__state=AmendmentState.APPROVED),
            ),
            "lot__consultation__groupement__memberships__organisation",
        )
    )
    for contract in contracts:
        steps = contract_actions(user, contract, list(contract.amendments.all()))
        actions += listed(steps, contract_url(contract))
    return actions


def contracts_for_user(user):
    """The contracts of the groupements this person sees, the latest first."""
    visible = objects_for_user(user, VIEW_GROUPEMENT, Groupement)
    return (
        Contract.objects.filter(lot__consultation__groupement__in=visible)
        .select_related("holder", "lot__consultation__groupement")
        .order_by("-pk")
    )
