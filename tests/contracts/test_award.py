"""From the ranking to the letters: proposal, certificates, decision, approval, standstill."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from contracts import services
from contracts.models import (
    Award,
    AwardDecision,
    Certificate,
    CertificateKind,
    Contract,
    Letter,
    LetterKind,
)
from core import clock as server_clock
from core.workflow import BusinessRuleError
from groupement.models import Role
from procurement.models import ConsultationState
from tests.contracts.conftest import MEMBERS


def test_the_whole_award_reaches_a_contract_to_sign(award_flow, django_capture_on_commit_callbacks):
    flow = award_flow()
    award = flow.propose()
    assert (award.rank, award.bid.bidder.name) == (1, "Alpha")
    flow.certificates(award)
    flow.submit_proposal()
    assert flow.consultation.state == ConsultationState.AWARD_PROPOSED
    decision = flow.decide()
    assert decision.body == "committee"
    flow.approve_all()
    assert flow.consultation.state == ConsultationState.AWARDED
    with django_capture_on_commit_callbacks(execute=True):
        letters = flow.send_letters()
    assert sorted((letter.kind, letter.bid.bidder.name) for letter in letters) == [
        (LetterKind.AWARD, "Alpha"),
        (LetterKind.REJECTION, "Bravo"),
        (LetterKind.REJECTION, "Charlie"),
    ]
    assert len(mail.outbox) == 3
    rejection = next(m for m in mail.outbox if "Bravo" not in m.body and "rejet" in m.subject)
    assert rejection.attachments[0][2] == "application/pdf"
    contract = flow.contract()
    assert contract.state == "to_sign"
    assert contract.amount == 500000
    assert sum(s.amount for s in contract.shares.all()) == contract.amount


def test_choosing_anyone_but_the_first_needs_a_reason(award_flow):
    flow = award_flow()
    with pytest.raises(BusinessRuleError) as refusal:
        flow.propose("Charlie")
    assert "rang 2" in refusal.value.messages[0] and "motif écrit" in refusal.value.messages[0]
    assert not Award.objects.exists()
    award = flow.propose("Charlie", reason="Alpha a retiré son offre par écrit.")
    assert (award.rank, award.reason) == (2, "Alpha a retiré son offre par écrit.")


def test_an_unranked_bid_cannot_be_proposed(award_flow, world, register_bid):
    flow = award_flow()
    outsider = next(b for b in flow.bids if b.bidder.name == "Bravo")
    Award.objects.all().delete()
    from procurement.models import Bid

    Bid.objects.filter(pk=outsider.pk).update(offer="irregular")
    with pytest.raises(BusinessRuleError):
        flow.propose("Bravo", reason="Parce que.")


def test_an_award_before_the_certificates_is_refused(award_flow):
    flow = award_flow()
    award = flow.propose()
    services.certificate_record(
        award=award,
        user=flow.coordinator,
        kind=CertificateKind.TAX,
        issued_on=server_clock.today(),
    )
    flow.submit_proposal()
    with pytest.raises(BusinessRuleError) as refusal:
        flow.decide()
    assert "R2144-4" in refusal.value.messages[0]
    assert "URSSAF" in refusal.value.messages[0]
    assert not AwardDecision.objects.exists()


def test_an_old_urssaf_certificate_is_refused(award_flow):
    flow = award_flow()
    award = flow.propose()
    with pytest.raises(BusinessRuleError) as refusal:
        services.certificate_record(
            award=award,
            user=flow.coordinator,
            kind=CertificateKind.URSSAF,
            issued_on=server_clock.today() - datetime.timedelta(days=200),
        )
    assert "D8222-5" in refusal.value.messages[0]
    with pytest.raises(BusinessRuleError):
        services.certificate_record(
            award=award,
            user=flow.coordinator,
            kind=CertificateKind.TAX,
            issued_on=server_clock.today() + datetime.timedelta(days=1),
        )
    assert not Certificate.objects.exists()


def test_a_certificate_that_expired_meanwhile_stops_the_letters(award_flow):
    flow = award_flow()
    award = flow.propose()
    flow.certificates(award, issued_on=server_clock.today() - datetime.timedelta(days=170))
    flow.submit_proposal()
    flow.decide()
    flow.approve_all()
    flow.clock.move(days=15)
    with pytest.raises(BusinessRuleError) as refusal:
        flow.send_letters()
    assert "D8222-5" in " ".join(refusal.value.messages)
    assert not Letter.objects.exists() and not Contract.objects.exists()


def test_the_committee_decides_at_or_above_the_threshold(award_flow, world):
    flow = award_flow()
    award = flow.propose()
    flow.certificates(award)
    flow.submit_proposal()
    with pytest.raises(PermissionDenied):
        services.award_decide(
            consultation=flow.consultation, user=flow.coordinator, decided_on=server_clock.today()
        )
    cao = world.user("COORD", Role.MEMBRE_CAO)
    with pytest.raises(BusinessRuleError) as refusal:
        services.award_decide(
            consultation=flow.consultation, user=cao, decided_on=server_clock.today(), present=[]
        )
    assert "L1411-5" in refusal.value.messages[0]
    with pytest.raises(BusinessRuleError) as refusal:
        services.award_decide(
            consultation=flow.consultation,
            user=cao,
            decided_on=server_clock.today(),
            present=[cao, world.user("M1", Role.MEMBRE_CAO)],
        )
    stranger = str(world.user("M1", Role.MEMBRE_CAO))
    assert f"{stranger} ne siège pas" in " ".join(refusal.value.messages)
    assert not AwardDecision.objects.exists()
    decision = flow.decide()
    assert decision.quorum == 1 and list(decision.present.all()) == [cao]


def test_below_the_threshold_the_coordinator_decides(award_flow, world):
    from procurement.models import Lot

    flow = award_flow()
    Lot.objects.filter(pk=flow.lot.pk).update(estimated_value=100000)
    award = flow.propose()
    flow.certificates(award)
    flow.submit_proposal()
    cao = world.user("COORD", Role.MEMBRE_CAO)
    with pytest.raises(PermissionDenied):
        services.award_decide(
            consultation=flow.consultation, user=cao, decided_on=server_clock.today()
        )
    decision = services.award_decide(
        consultation=flow.consultation, user=flow.coordinator, decided_on=server_clock.today()
    )
    assert decision.body == "coordinator"


def test_every_member_approves_before_the_letters(award_flow, world):
    flow = award_flow()
    award = flow.propose()
    flow.certificates(award)
    flow.submit_proposal()
    with pytest.raises(BusinessRuleError):
        services.award_approve(
            consultation=flow.consultation, user=world.user("M1", Role.REFERENT), approve=True
        )
    flow.decide()
    for key in MEMBERS[:-1]:
        services.award_approve(
            consultation=flow.consultation, user=world.user(key, Role.REFERENT), approve=True
        )
    with pytest.raises(BusinessRuleError):
        flow.send_letters()
    with pytest.raises(PermissionDenied):
        services.award_approve(
            consultation=flow.consultation, user=world.user("OUT1", Role.REFERENT), approve=True
        )
    assert flow.consultation.state == ConsultationState.AWARD_PROPOSED


def test_a_member_sends_the_award_back_for_a_new_round(award_flow, world):
    flow = award_flow()
    award = flow.propose()
    flow.certificates(award)
    flow.submit_proposal()
    flow.decide()
    services.award_approve(
        consultation=flow.consultation,
        user=world.user("M1", Role.REFERENT),
        approve=False,
        comment="Revoir la note de Charlie.",
    )
    consultation = flow.consultation
    assert (consultation.state, consultation.award_round) == (ConsultationState.ANALYSIS, 2)
    # The new round needs a new decision and every approval again.
    flow.submit_proposal()
    flow.decide()
    flow.approve_all()
    assert flow.consultation.state == ConsultationState.AWARDED


def test_letters_need_every_email_when_sent_electronically(award_flow):
    from procurement.models import Bidder

    flow = award_flow()
    Bidder.objects.filter(name="Bravo").update(email="")
    award = flow.propose()
    flow.certificates(award)
    flow.submit_proposal()
    flow.decide()
    flow.approve_all()
    with pytest.raises(BusinessRuleError) as refusal:
        flow.send_letters()
    assert "Bravo" in refusal.value.messages[0]
    assert not Letter.objects.exists()
    letters = flow.send_letters(electronic=False)
    assert {letter.email for letter in letters} == {""}
    assert flow.contract().award.standstill_ends_at is not None


def test_letters_go_out_once(award_flow):
    flow = award_flow()
    flow.until_letters()
    with pytest.raises(BusinessRuleError):
        flow.send_letters()
    assert Letter.objects.count() == 3


def test_a_rejection_letter_names_the_winner_and_the_scores(award_flow):
    from pypdf import PdfReader

    flow = award_flow()
    flow.until_letters()
    letter = Letter.objects.get(bid__bidder__name="Bravo")
    text = " ".join(page.extract_text() for page in PdfReader(letter.file.open("rb")).pages)
    assert "Alpha" in text  # the winner
    assert "88,00" in text  # the winner's total
    assert "78,36" in text  # Bravo's own total
    assert "rang 3" in text
    assert "R2182-1" in text
    sent = timezone.localdate(letter.sent_at)
    earliest = sent + datetime.timedelta(days=12)
    assert str(earliest.year) in text


def test_a_mapa_has_no_standstill(award_flow):
    from procurement.models import Consultation

    flow = award_flow()
    Consultation.objects.filter(pk=flow.lot.consultation_id).update(procedure="adapted")
    contract = flow.until_letters()
    assert contract.award.standstill_ends_at is None
    flow.sign_all()
    assert flow.contract().state == "signed"


def test_a_lot_outcome_is_set_only_during_the_analysis(world, consultation_in):
    from procurement.models import LotOutcome

    consultation = consultation_in("draft")
    lot = consultation.lots.get()
    Award.objects.all().delete()
    with pytest.raises(BusinessRuleError):
        services.lot_close_without_award(
            lot=lot, user=world.coordinator(), outcome=LotOutcome.UNSUCCESSFUL, reason="Rien."
        )


def test_the_proposal_needs_an_outcome_for_every_lot(award_flow):
    flow = award_flow()
    with pytest.raises(BusinessRuleError) as refusal:
        flow.submit_proposal()
    assert "lot 1" in refusal.value.messages[0].lower()
    services.lot_close_without_award(
        lot=flow.lot, user=flow.coordinator, outcome="unsuccessful", reason="Offres trop chères."
    )
    with pytest.raises(BusinessRuleError) as refusal:
        flow.submit_proposal()
    assert "Aucun lot n’est attribué" in refusal.value.messages[0]


def test_outsiders_and_other_roles_cannot_propose(award_flow, world):
    flow = award_flow()
    for user in (world.user("M1", Role.REFERENT), world.user("OUT1", Role.GESTIONNAIRE)):
        with pytest.raises(PermissionDenied):
            services.award_propose(lot=flow.lot, user=user, bid=flow.bid("Alpha"))
    assert not Award.objects.exists()
