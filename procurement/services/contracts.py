"""The contract of each lot, from the letters to its end, and its amendments."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groupement.models import Mission
from journal.services import in_french, journal_record
from journal.workflow import BusinessRuleError, run_transition
from procurement import award_rules, contract_rules
from procurement.access import can_manage, reviewing_membership
from procurement.models import (
    Amendment,
    AmendmentApproval,
    AmendmentState,
    Consultation,
    ConsultationState,
    Contract,
    ContractShare,
    ContractState,
    Signature,
    TerminationGround,
)


@dataclass
class ContractTerms:
    """What the coordinator sets before the signature; the rest comes from the award."""

    amount: Decimal
    amount_kind: str
    duration_months: int
    price_form: str
    price_type: str
    ccag: str
    execution_mode: str = "Sans objet"
    framework_agreement: bool = False
    place_code: str = "62"
    social: str = "Pas de considération sociale"
    environmental: str = "Pas de considération environnementale"
    innovative: bool = False
    advance_rate: Decimal | None = None


TERM_FIELDS = list(ContractTerms.__dataclass_fields__)


def _locked(contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("lot__consultation__groupement__coordinator", "award", "holder")
        .get(pk=contract.pk)
    )


def _journal(user, contract, action, *, from_state, reason=""):
    journal_record(
        actor=user,
        obj=contract,
        action=action,
        from_state=from_state,
        to_state=contract.state,
        reason=reason,
    )


def _contract_number(lot) -> str:
    """The DECP identifier: the consultation's reference and the lot, in 16 characters."""
    suffix = f"-L{lot.number}"
    base = "".join(ch for ch in lot.consultation.reference if ch.isalnum() or ch in "-_")
    number = base[: 16 - len(suffix)] + suffix
    if Contract.objects.filter(number=number).exists():
        # Two references sharing their first characters: the lot's own key tells them apart.
        return f"C{lot.pk}{suffix}"
    return number


def _contract_title(lot) -> str:
    consultation = lot.consultation
    if lot.title == consultation.title or consultation.lots.count() == 1:
        return lot.title[:300]
    return f"{consultation.title} — {lot.title}"[:300]


def _write_shares(contract, shares: dict) -> None:
    contract.shares.all().delete()
    amounts = contract_rules.split_amount(contract.amount, shares)
    ContractShare.objects.bulk_create(
        ContractShare(contract=contract, organisation=org, share=share, amount=amounts[org])
        for org, share in shares.items()
    )


def _key_shares(contract) -> dict:
    """The groupement's cost-sharing key, for the members that signed the convention."""
    memberships = contract.lot.consultation.groupement.memberships.select_related("organisation")
    members = {org.pk for org in contract_rules.contract_members(contract)}
    return {m.organisation: m.share for m in memberships if m.organisation_id in members}


def contract_open(*, award, user) -> Contract:
    """Called when the letters go out: the contract is ready to sign, with the winner's price
    and the groupement's key (the caller holds the transaction)."""
    lot = award.lot
    contract = Contract.objects.create(
        lot=lot,
        award=award,
        holder=award.bid.bidder,
        number=_contract_number(lot),
        title=_contract_title(lot),
        amount=award.bid.price or lot.estimated_value,
        duration_months=lot.consultation.groupement.duration_months,
    )
    _write_shares(contract, _key_shares(contract))
    _journal(user, contract, "contrat à signer", from_state="", reason=str(contract.holder))
    return contract


def contract_update(*, contract, user, terms: ContractTerms) -> Contract:
    if not can_manage(user, contract.lot.consultation):
        raise PermissionDenied
    with transaction.atomic():
        contract = _locked(contract)
        if contract.state != ContractState.TO_SIGN or contract.signatures.exists():
            raise BusinessRuleError(_("The terms of a contract change only before any signature."))
        errors = []
        if terms.amount is None or terms.amount < 1:
            errors.append(_("The amount of the contract is at least 1 € HT."))
        if terms.duration_months is None or terms.duration_months < 1:
            errors.append(_("The duration of the contract is at least one month."))
        if errors:
            raise BusinessRuleError(errors)
        for field in TERM_FIELDS:
            setattr(contract, field, getattr(terms, field))
        try:
            contract.full_clean(exclude=["lot", "award", "holder", "number", "state"])
        except ValidationError as invalid:
            raise BusinessRuleError(invalid.messages) from None
        contract.save()
        shares = {s.organisation: s.share for s in contract.shares.select_related("organisation")}
        _write_shares(contract, shares)
        _journal(
            user,
            contract,
            "conditions du contrat",
            from_state=contract.state,
            reason=f"{contract_rules.format_money(contract.amount)}, "
            f"{contract.duration_months} mois",
        )
    return contract


def contract_set_shares(*, contract, user, shares: dict | None) -> Contract:
    """Each member's share of this contract: the groupement's key (None), or shares set for
    this contract that still add up to 100 %."""
    if not can_manage(user, contract.lot.consultation):
        raise PermissionDenied
    with transaction.atomic():
        contract = _locked(contract)
        if contract.state != ContractState.TO_SIGN or contract.signatures.exists():
            raise BusinessRuleError(_("The members' shares change only before any signature."))
        if shares is None:
            shares = _key_shares(contract)
            contract.shares_overridden = False
        else:
            errors = contract_rules.share_errors(shares, contract_rules.contract_members(contract))
            missing = [
                org for org in contract_rules.contract_members(contract) if org not in shares
            ]
            if missing:
                errors.append(
                    _("Give a share for every member: %(names)s.")
                    % {"names": ", ".join(o.short_name for o in missing)}
                )
            if errors:
                raise BusinessRuleError(errors)
            contract.shares_overridden = True
        contract.save(update_fields=["shares_overridden"])
        _write_shares(contract, shares)
        _journal(
            user,
            contract,
            "répartition entre les membres",
            from_state=contract.state,
            reason=", ".join(f"{org.short_name} {share} %" for org, share in shares.items()),
        )
    return contract


def signing_organisation(user, contract):
    """The organisation this user signs for, or None (mission A: each member's référent;
    B and C: the coordinator's gestionnaire for all)."""
    consultation = contract.lot.consultation
    if consultation.groupement.mission == Mission.A:
        membership = reviewing_membership(consultation, user)
        return membership.organisation if membership else None
    return consultation.groupement.coordinator if can_manage(user, consultation) else None


def _sign(contract, user, on, amendment=None):
    organisation = signing_organisation(user, contract)
    if organisation is None:
        raise PermissionDenied
    if organisation not in contract_rules.missing_signatories(contract, amendment):
        raise BusinessRuleError(_("%(org)s has already signed.") % {"org": organisation.short_name})
    Signature.objects.create(
        contract=contract,
        amendment=amendment,
        organisation=organisation,
        signed_on=on,
        signed_by=user,
        recorded_at=timezone.now(),
    )
    return organisation


def contract_sign(*, contract, user, on) -> Contract:
    """A signatory signs; the last signature concludes the contract, never during the
    standstill (art. R2182-1 CCP)."""
    with transaction.atomic():
        contract = _locked(contract)
        if signing_organisation(user, contract) is None:
            raise PermissionDenied
        if contract.state != ContractState.TO_SIGN:
            raise BusinessRuleError(_("This contract is not waiting for a signature."))
        errors = contract_rules.signature_errors(contract, on)
        if errors:
            raise BusinessRuleError(errors)
        organisation = _sign(contract, user, on)
        _journal(
            user,
            contract,
            f"signature {organisation.short_name}",
            from_state=contract.state,
            reason=f"{on:%d/%m/%Y}",
        )
        if not contract_rules.missing_signatories(contract):
            last = max(s.signed_on for s in contract.signatures.filter(amendment=None))
            run_transition(
                contract,
                "mark_signed",
                user,
                action="contrat signé",
                on=last,
                blockers=lambda: contract_rules.standstill_errors(contract, last),
            )
    return contract


def _complete_consultation_if_due(consultation_pk, user):
    consultation = Consultation.objects.select_for_update(of=("self",)).get(pk=consultation_pk)
    if consultation.state == ConsultationState.AWARDED and not award_rules.completion_blockers(
        consultation
    ):
        run_transition(consultation, "complete", user, action="consultation terminée")


def contract_notify(*, contract, user, on) -> Contract:
    with transaction.atomic():
        contract = _locked(contract)
        if not can_manage(user, contract.lot.consultation):
            raise PermissionDenied
        if contract.state == ContractState.SIGNED:
            errors = contract_rules.notification_errors(contract.signed_on, on)
            if errors:
                raise BusinessRuleError(errors)
        run_transition(contract, "notify", user, action="notification au titulaire", on=on)
        _complete_consultation_if_due(contract.lot.consultation_id, user)
    return contract


def _dated_transition(contract, user, method, action, on, *, not_before, reason="", **kw):
    with transaction.atomic():
        contract = _locked(contract)
        if not can_manage(user, contract.lot.consultation):
            raise PermissionDenied
        earlier = getattr(contract, not_before)
        if on > timezone.localdate():
            raise BusinessRuleError(_("This date cannot be in the future."))
        if earlier and on < earlier:
            raise BusinessRuleError(
                _("This date cannot come before %(day)s.")
                % {"day": award_rules.format_day(earlier)}
            )
        return run_transition(contract, method, user, action=action, reason=reason, on=on, **kw)


def contract_start(*, contract, user, on) -> Contract:
    return _dated_transition(
        contract, user, "start_execution", "début d'exécution", on, not_before="notified_on"
    )


def contract_finish(*, contract, user, on) -> Contract:
    return _dated_transition(
        contract, user, "finish", "exécution achevée", on, not_before="started_on"
    )


def contract_terminate(*, contract, user, on, ground: str, reason: str) -> Contract:
    if ground not in TerminationGround.values:
        raise BusinessRuleError(_("Choose the ground for the termination."))
    if not reason.strip():
        raise BusinessRuleError(_("Explain the termination."))
    return _dated_transition(
        contract,
        user,
        "terminate",
        "résiliation",
        on,
        not_before="notified_on",
        reason=f"{in_french(TerminationGround(ground).label)} : {reason.strip()}",
        ground=ground,
        explanation=reason.strip(),
    )


# --- Amendments ----------------------------------------------------------------------------

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
        contract = _locked(contract)
        if contract.state not in AMENDABLE:
            raise BusinessRuleError(_("A notified contract in force is amended, no other."))
        errors = [] if description.strip() else [_("Describe the modification.")]
        if committee_opinion_on and committee_opinion_on > timezone.localdate():
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
            proposed_at=timezone.now(),
        )
        _journal(
            user,
            contract,
            f"avenant n° {number} proposé",
            from_state=contract.state,
            reason=f"{in_french(amendment.get_ground_display())} : "
            f"{contract_rules.format_money(amount_change)}, "
            f"{duration_change_months:+d} mois — {description.strip()}",
        )
    return amendment


def _locked_amendment(amendment) -> Amendment:
    return (
        Amendment.objects.select_for_update(of=("self",))
        .select_related("contract__lot__consultation__groupement__coordinator", "contract__award")
        .get(pk=amendment.pk)
    )


def amendment_review(*, amendment, user, approve: bool, comment: str = "") -> Amendment:
    """Every member's référent approves the amendment; one refusal ends it."""
    comment = comment.strip()
    with transaction.atomic():
        amendment = _locked_amendment(amendment)
        membership = reviewing_membership(amendment.contract.lot.consultation, user)
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
            decided_at=timezone.now(),
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
        if on > timezone.localdate():
            raise BusinessRuleError(_("A signature cannot be dated in the future."))
        if on < timezone.localdate(amendment.proposed_at):
            raise BusinessRuleError(_("An amendment cannot be signed before it was proposed."))
        organisation = _sign(contract, user, on, amendment)
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
        errors = contract_rules.notification_errors(amendment.signed_on, on)
        if errors:
            raise BusinessRuleError(errors)
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


# --- Open data -----------------------------------------------------------------------------


def essential_data_record_publication(*, groupement, user, on) -> int:
    """The coordinator records the day it published the essential data (art. R2196-1 CCP):
    every notified contract and amendment not yet published. Returns how many."""
    from groupement.access import MANAGE_GROUPEMENT, has_object_perm

    if not has_object_perm(user, MANAGE_GROUPEMENT, groupement):
        raise PermissionDenied
    if on > timezone.localdate():
        raise BusinessRuleError(_("A publication cannot be dated in the future."))
    with transaction.atomic():
        contracts = list(
            Contract.objects.select_for_update(of=("self",))
            .filter(
                lot__consultation__groupement=groupement,
                notified_on__isnull=False,
                data_published_on__isnull=True,
            )
            .select_related("lot__consultation")
        )
        amendments = list(
            Amendment.objects.select_for_update(of=("self",))
            .filter(
                contract__lot__consultation__groupement=groupement,
                notified_on__isnull=False,
                data_published_on__isnull=True,
            )
            .select_related("contract")
        )
        if not contracts and not amendments:
            raise BusinessRuleError(_("No essential data is waiting for publication."))
        early = [c.number for c in contracts if on < c.notified_on] + [
            str(a) for a in amendments if on < a.notified_on
        ]
        if early:
            raise BusinessRuleError(
                _("The data are published after the notification: %(items)s.")
                % {"items": ", ".join(early)}
            )
        for contract in contracts:
            contract.data_published_on = on
            contract.save(update_fields=["data_published_on"])
            _journal(
                user,
                contract,
                "données essentielles publiées",
                from_state=contract.state,
                reason=f"{on:%d/%m/%Y}",
            )
        for amendment in amendments:
            amendment.data_published_on = on
            amendment.save(update_fields=["data_published_on"])
            journal_record(
                actor=user,
                obj=amendment,
                action="données essentielles publiées",
                from_state=amendment.state,
                to_state=amendment.state,
                reason=f"{on:%d/%m/%Y}",
            )
    return len(contracts) + len(amendments)
