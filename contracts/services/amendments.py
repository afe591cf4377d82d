"""Amendments to a contract: proposed by the coordinator, approved by every member, signed by
the contract's signatories, then notified."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from contracts import contract_rules
from contracts.access import signing_organisation
from contracts.models import Amendment, AmendmentApproval
from contracts.services.contracts import locked_contract, signature_record
from core import clock
from core.formats import format_money
from core.workflow import locked, refuse_if, run_transition
from journal.services import in_french, journal_record
from procurement.access import can_manage, member_membership


def amendment_propose(
    *,
    contract,
    user,
    ground: str,
    description: str,
    amount_change: Decimal = Decimal(0),
    duration_change_months: int = 0,
    committee_opinion_on=None,
    committee_opinion: str = "",
) -> Amendment:
    if not can_manage(user, contract.lot.consultation):
        raise PermissionDenied
    with transaction.atomic():
        contract = locked_contract(contract.pk)
        refuse_if(
            contract_rules.amendment_proposal_errors(
                contract,
                ground=ground,
                description=description,
                amount_change=amount_change,
                duration_change=duration_change_months,
                committee_opinion_on=committee_opinion_on,
            )
        )
        number = 1 + max((a.number for a in contract.amendments.all()), default=0)
        amendment = Amendment.objects.create(
            contract=contract,
            number=number,
            ground=ground,
            description=description.strip(),
            amount_change=amount_change,
            duration_change_months=duration_change_months,
            committee_opinion_on=committee_opinion_on,
            committee_opinion=committee_opinion.strip(),
            proposed_by=user,
            proposed_at=clock.now(),
        )
        journal_record(
            actor=user,
            obj=contract,
            action=f"avenant n° {number} proposé",
            from_state=contract.state,
            to_state=contract.state,
            reason=f"{in_french(amendment.get_ground_display())} : "
            f"{format_money(amount_change)}, "
            f"{duration_change_months:+d} mois — {description.strip()}",
        )
    return amendment


def _locked_amendment(amendment) -> Amendment:
    return locked(
        Amendment.objects.select_related(
            "contract__lot__consultation__groupement__coordinator", "contract__award"
        ),
        amendment.pk,
    )


def amendment_review(*, amendment, user, approve: bool, comment: str = "") -> Amendment:
    """Every member's référent approves the amendment; one refusal ends it."""
    comment = comment.strip()
    with transaction.atomic():
        amendment = _locked_amendment(amendment)
        membership = member_membership(user, amendment.contract.lot.consultation)
        if membership is None:
            raise PermissionDenied
        refuse_if(
            contract_rules.amendment_answer_errors(
                amendment, membership.organisation, approve=approve, comment=comment
            )
        )
        AmendmentApproval.objects.create(
            amendment=amendment,
            organisation=membership.organisation,
            approved=approve,
            comment=comment,
            decided_by=user,
            decided_at=clock.now(),
        )
        journal_record(
            actor=user,
            obj=amendment,
            action=f"avenant {membership.organisation.short_name} : "
            + ("approuvé" if approve else "refusé"),
            from_state=amendment.state,
            to_state=amendment.state,
            reason=comment,
        )
        if not approve:
            run_transition(
                amendment,
                "refuse",
                user,
                action="avenant refusé",
                reason=comment,
                explanation=comment,
            )
        elif not contract_rules.missing_amendment_approvals(amendment):
            run_transition(
                amendment,
                "approve",
                user,
                action="avenant approuvé par tous",
                blockers=lambda: contract_rules.amendment_approval_errors(amendment),
            )
    return amendment


def amendment_sign(*, amendment, user, on) -> Amendment:
    with transaction.atomic():
        amendment = _locked_amendment(amendment)
        contract = amendment.contract
        if signing_organisation(user, contract) is None:
            raise PermissionDenied
        refuse_if(contract_rules.amendment_signature_errors(amendment, on))
        organisation = signature_record(contract, user, on, amendment)
        journal_record(
            actor=user,
            obj=amendment,
            action=f"signature {organisation.short_name}",
            from_state=amendment.state,
            to_state=amendment.state,
            reason=f"{on:%d/%m/%Y}",
        )
        if not contract_rules.missing_signatories(contract, amendment):
            last = max(s.signed_on for s in contract.signatures.filter(amendment=amendment))
            run_transition(
                amendment,
                "mark_signed",
                user,
                action="avenant signé",
                on=last,
                blockers=lambda: contract_rules.missing_signature_errors(contract, amendment),
            )
    return amendment


def amendment_notify(*, amendment, user, on) -> Amendment:
    with transaction.atomic():
        amendment = _locked_amendment(amendment)
        if not can_manage(user, amendment.contract.lot.consultation):
            raise PermissionDenied
        refuse_if(contract_rules.amendment_notification_errors(amendment, on))
        amendment.notified_on = on
        amendment.save(update_fields=["notified_on"])
        journal_record(
            actor=user,
            obj=amendment,
            action="avenant notifié",
            from_state=amendment.state,
            to_state=amendment.state,
            reason=f"{on:%d/%m/%Y}",
        )
    return amendment
