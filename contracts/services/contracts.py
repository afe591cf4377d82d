"""The contract of each lot, from the letters to its end."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from contracts import contract_rules
from contracts.access import signing_organisation
from contracts.models import Contract, ContractShare, Signature, TerminationGround
from core import clock
from core.formats import format_money
from core.workflow import BusinessRuleError, locked, refuse_if, run_transition
from journal.services import in_french, journal_record
from procurement.access import can_manage
from procurement.hooks import blockers
from procurement.models import ConsultationState
from procurement.services.consultations import locked_consultation


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


def locked_contract(pk) -> Contract:
    return locked(
        Contract.objects.select_related(
            "lot__consultation__groupement__coordinator", "award", "holder"
        ),
        pk,
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
        contract = locked_contract(contract.pk)
        refuse_if(contract_rules.contract_terms_errors(contract, terms))
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
            reason=f"{format_money(contract.amount)}, {contract.duration_months} mois",
        )
    return contract


def contract_set_shares(*, contract, user, shares: dict | None) -> Contract:
    """Each member's share of this contract: the groupement's key (None), or shares set for
    this contract that still add up to 100 %."""
    if not can_manage(user, contract.lot.consultation):
        raise PermissionDenied
    with transaction.atomic():
        contract = locked_contract(contract.pk)
        refuse_if(contract_rules.contract_shares_errors(contract, shares))
        contract.shares_overridden = shares is not None
        if shares is None:
            shares = _key_shares(contract)
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


def signature_record(contract, user, on, amendment=None):
    """One signatory's signature of the contract or of an amendment (the caller holds the
    transaction and has checked the state)."""
    organisation = signing_organisation(user, contract)
    if organisation is None:
        raise PermissionDenied
    refuse_if(contract_rules.signatory_errors(contract, organisation, amendment))
    Signature.objects.create(
        contract=contract,
        amendment=amendment,
        organisation=organisation,
        signed_on=on,
        signed_by=user,
        recorded_at=clock.now(),
    )
    return organisation


def contract_sign(*, contract, user, on) -> Contract:
    """A signatory signs; the last signature concludes the contract, never during the
    standstill (art. R2182-1 CCP)."""
    with transaction.atomic():
        contract = locked_contract(contract.pk)
        if signing_organisation(user, contract) is None:
            raise PermissionDenied
        refuse_if(contract_rules.contract_signature_errors(contract, on))
        organisation = signature_record(contract, user, on)
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
                blockers=lambda: (
                    contract_rules.standstill_errors(contract, last)
                    + contract_rules.missing_signature_errors(contract)
                ),
            )
    return contract


def _complete_consultation_if_due(consultation_pk, user):
    """The last notified contract completes the consultation."""
    consultation = locked_consultation(consultation_pk)
    if consultation.state == ConsultationState.AWARDED and not blockers("complete", consultation):
        run_transition(
            consultation,
            "complete",
            user,
            action="consultation terminée",
            blockers=lambda: blockers("complete", consultation),
        )


def contract_notify(*, contract, user, on) -> Contract:
    with transaction.atomic():
        contract = locked_contract(contract.pk)
        if not can_manage(user, contract.lot.consultation):
            raise PermissionDenied
        refuse_if(contract_rules.contract_notification_errors(contract, on))
        run_transition(contract, "notify", user, action="notification au titulaire", on=on)
        _complete_consultation_if_due(contract.lot.consultation_id, user)
    return contract


def _dated_transition(contract, user, method, action, on, *, not_before, reason="", **kw):
    with transaction.atomic():
        contract = locked_contract(contract.pk)
        if not can_manage(user, contract.lot.consultation):
            raise PermissionDenied
        refuse_if(contract_rules.step_date_errors(on, not_before=getattr(contract, not_before)))
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
    refuse_if(contract_rules.termination_errors(ground, reason))
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
