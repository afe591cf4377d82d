"""Amendments to a contract: proposed by the coordinator, approved by every member, signed by
the contract's signatories, then notified."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from contracts import contract_rules
from contracts.access import signing_organisation
from contracts.models import Amendment, AmendmentApproval, AmendmentState, ContractState
from contracts.services.contracts import locked_contract, signature_record
from core import clock
from core.formats import format_money
from core.workflow import BusinessRuleError, locked, refuse_if, run_transition
from journal.services import in_french, journal_record
from procurement.access import can_manage, member_membership

AMENDABLE = (ContractState.NOTIFIED, ContractState.IN_EXECUTION)


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
        if contract.state not in AMENDABLE:
            raise BusinessRuleError(_("A notified contract in force is amended, no other."))
        errors = [] if description.strip() else [_("Describe the modification.")]
        if committee_opinion_on and committee_opinion_on > clock.today():
            errors.append(_("The committee's opinion cannot be dated in the future."))
        errors += contract_rules.amendment_errors(
            contract,
            ground=ground,
            amount_change=amount_change,
            duration_change=duration_change_months,
            committee_opinion_on=committee_opinion_on,
        )
        if errors:
            raise BusinessRuleError(errors)
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
        if amendment.state != AmendmentState.PROPOSED:
            raise BusinessRuleError(_("This amendment is no longer waiting for the members."))
        if not approve and not comment:
            raise BusinessRuleError(_("Say why the member refuses the amendment."))
        if amendment.approvals.filter(organisation=membership.organisation).exists():
            raise BusinessRuleError(_("This member has already answered."))
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
            run_transition(amendment, "approve", user, action="avenant approuvé par tous")
    return amendment


def amendment_sign(*, amendment, user, on) -> Amendment:
    with transaction.atomic():
        amendment = _locked_amendment(amendment)
        contract = amendment.contract
        if signing_organisation(user, contract) is None:
            raise PermissionDenied
        if amendment.state != AmendmentState.APPROVED:
            raise BusinessRuleError(_("An amendment is signed once every member approved it."))
        if on > clock.today():
            raise BusinessRuleError(_("A signature cannot be dated in the future."))
        if on < clock.day_of(amendment.proposed_at):
            raise BusinessRuleError(_("An amendment cannot be signed before it was proposed."))
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
            run_transition(amendment, "mark_signed", user, action="avenant signé", on=last)
    return amendment


def amendment_notify(*, amendment, user, on) -> Amendment:
    with transaction.atomic():
        amendment = _locked_amendment(amendment)
        if not can_manage(user, amendment.contract.lot.consultation):
            raise PermissionDenied
        if amendment.state != AmendmentState.SIGNED or amendment.notified_on:
            raise BusinessRuleError(_("A signed amendment is notified once."))
        refuse_if(contract_rules.notification_errors(amendment.signed_on, on))
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
