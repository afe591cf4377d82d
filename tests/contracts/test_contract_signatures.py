"""The contract from its terms to its essential data, each refusal in the words users read: the
shares, who signs and when (the standstill of art. R2182-1 CCP), the notification, the
amendments' answers and signatures, and what the open data still wait for (art. R2196-1 CCP).
Plain functions over in-memory rows, the day pinned."""

import datetime
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from contracts import contract_rules
from contracts.choices import AmendmentGround, AmendmentState, ContractState
from core import clock
from groupement.choices import MembershipState, Mission
from tests.contracts.fakes import DAY, TODAY, Org, Rows, pinned_day  # noqa: F401 (pinned_day: autouse)

COORD, M1, M2, GONE = Org(1, "COORD"), Org(2, "M1"), Org(3, "M2"), Org(4, "Partie")


def contract(
    state=ContractState.TO_SIGN,
    *,
    mission=Mission.A,
    signatures=(),
    award=None,
    amendments=(),
    **fields,
):
    memberships = [
        SimpleNamespace(organisation=org, state=MembershipState.SIGNED) for org in (COORD, M1, M2)
    ] + [SimpleNamespace(organisation=GONE, state=MembershipState.WITHDRAWN)]
    groupement = SimpleNamespace(mission=mission, coordinator=COORD, memberships=Rows(memberships))
    return SimpleNamespace(
        state=state,
        lot=SimpleNamespace(consultation=SimpleNamespace(groupement=groupement)),
        signatures=Rows(signatures),
        award=award,
        amendments=Rows(amendments),
        **fields,
    )


def signature(org, amendment=None):
    return SimpleNamespace(organisation_id=org.pk, amendment_id=amendment.pk if amendment else None)


# --- Terms and shares, before any signature (art. L2113-7 CCP) --------------------------------


def test_terms_change_only_before_any_signature():
    terms = SimpleNamespace(amount=D(0), duration_months=0)
    assert contract_rules.contract_terms_errors(contract(), terms) == [
        "Le montant du marché est d’au moins 1 € HT.",
        "La durée du marché est d’au moins un mois.",
    ]
    signed = contract(signatures=[signature(M1)])
    assert contract_rules.contract_terms_errors(signed, terms) == [
        "Les conditions d’un marché ne changent qu’avant toute signature."
    ]
    assert contract_rules.contract_shares_errors(signed, None) == [
        "La répartition entre les membres ne change qu’avant toute signature."
    ]


def test_only_the_members_that_signed_the_convention_share_the_contract():
    assert contract_rules.contract_members(contract()) == [COORD, M1, M2]


def test_shares_are_given_for_every_member_and_no_one_else():
    shares = {COORD: D(90), GONE: D(5), Org(9, "Autre"): D(5)}
    assert contract_rules.contract_shares_errors(contract(), shares) == [
        "Partie, Autre ne sont pas membres du groupement.",
        "Indiquez une part pour chaque membre : M1, M2.",
    ]
    shares = {COORD: D(50), M1: D(30), M2: D(20)}
    assert contract_rules.contract_shares_errors(contract(), shares) == []


# --- Who signs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mission", "signatories"),
    [(Mission.A, [COORD, M1, M2]), (Mission.B, [COORD]), (Mission.C, [COORD])],
)
def test_in_mission_a_each_member_signs_otherwise_the_coordinator(mission, signatories):
    assert contract_rules.signatories(contract(mission=mission)) == signatories


def test_each_signatory_signs_the_contract_and_each_amendment_once():
    amendment = SimpleNamespace(pk=7)
    other = SimpleNamespace(pk=8)
    signed = contract(signatures=[signature(M1), signature(COORD, amendment), signature(M2, other)])
    assert contract_rules.missing_signatories(signed) == [COORD, M2]
    assert contract_rules.missing_signatories(signed, amendment) == [M1, M2]
    assert contract_rules.signatory_errors(signed, M1) == ["M1 a déjà signé."]
    assert contract_rules.signatory_errors(signed, COORD) == []
    assert contract_rules.signatory_errors(signed, COORD, amendment) == ["COORD a déjà signé."]
    assert contract_rules.signatory_errors(signed, M1, amendment) == []
    assert contract_rules.missing_signature_errors(signed) == [
        "Chaque signataire signe ; en attente de : COORD, M2."
    ]
    assert contract_rules.missing_signature_errors(signed, amendment) == [
        "Chaque signataire signe ; en attente de : M1, M2."
    ]
    everyone = contract(signatures=[signature(o) for o in (COORD, M1, M2)])
    assert contract_rules.missing_signature_errors(everyone) == []


# --- When: after the letters and the standstill (art. R2182-1 CCP) -----------------------------

SENT = clock.paris_moment(2027, 6, 10, 9)


def award(*, sent=SENT, standstill_ends=None):
    return SimpleNamespace(letters_sent_at=sent, standstill_ends_at=standstill_ends)


def test_no_signature_before_the_letters():
    unsent = contract(award=award(sent=None))
    assert contract_rules.standstill_errors(unsent) == [
        "Le marché est signé après l’envoi des courriers aux soumissionnaires."
    ]


@pytest.mark.parametrize(("on", "refused"), [(SENT.date() - DAY, True), (SENT.date(), False)])
def test_without_standstill_the_contract_is_signed_from_the_sending(on, refused):
    errors = contract_rules.standstill_errors(contract(award=award()), on)
    assert errors == (["Le marché ne peut pas être signé avant l’envoi des courriers."] * refused)


@pytest.mark.parametrize(
    ("on", "refused"),
    [(datetime.date(2027, 6, 21), True), (datetime.date(2027, 6, 22), False), (TODAY, True)],
)
def test_the_contract_is_signed_from_the_day_after_the_standstill(on, refused):
    ended = contract(award=award(standstill_ends=clock.paris_moment(2027, 6, 22)))
    refusal = (
        "Le délai de suspension court jusqu’au 21 juin 2027 : le marché ne peut pas être signé "
        "avant le 22 juin 2027 (art. R2182-1 CCP)."
    )
    assert contract_rules.standstill_errors(ended, on) == ([refusal] if refused else [])
    if on == TODAY:
        # Without a date, the signature is today's.
        assert contract_rules.standstill_errors(ended) == [refusal]


def test_a_contract_is_signed_while_waiting_dated_until_today_after_the_standstill():
    waiting = contract(award=award())
    assert contract_rules.contract_signature_errors(waiting, TODAY) == []
    assert contract_rules.contract_signature_errors(waiting, TODAY + DAY) == [
        "Une signature ne peut pas être datée dans le futur."
    ]
    assert contract_rules.signature_errors(waiting, SENT.date() - DAY) == [
        "Le marché ne peut pas être signé avant l’envoi des courriers."
    ]


# --- Notification and execution ------------------------------------------------------------


def test_the_notification_follows_the_signature_and_is_not_in_the_future():
    signed = contract(ContractState.SIGNED, signed_on=TODAY - DAY)
    assert contract_rules.contract_notification_errors(signed, TODAY - 2 * DAY) == [
        "La notification (13 juin 2027) ne peut pas précéder la signature (14 juin 2027)."
    ]
    assert contract_rules.contract_notification_errors(signed, TODAY + DAY) == [
        "Une notification ne peut pas être datée dans le futur."
    ]
    assert contract_rules.notification_errors(None, TODAY) == [
        "La notification (15 juin 2027) ne peut pas précéder la signature (non signé)."
    ]


def test_a_step_of_the_execution_and_a_termination_say_what_is_wrong():
    assert contract_rules.step_date_errors(TODAY + DAY, not_before=None) == [
        "Cette date ne peut pas être dans le futur."
    ]
    assert contract_rules.step_date_errors(TODAY - 2 * DAY, not_before=TODAY - DAY) == [
        "Cette date ne peut pas précéder le 14 juin 2027."
    ]
    assert contract_rules.termination_errors("whim", "Motif") == [
        "Choisissez le motif de la résiliation."
    ]
    assert contract_rules.termination_errors("court", " ") == ["Expliquez la résiliation."]


# --- Amendments: proposal, answers, signature and notification -------------------------------


def proposal(state=ContractState.IN_EXECUTION, *, description="Heures en plus", opinion=None):
    in_force = contract(state, amount=D(100000), duration_months=24)
    in_force.lot.consultation.nature = "services"
    return contract_rules.amendment_proposal_errors(
        in_force,
        ground=AmendmentGround.NON_SUBSTANTIAL,
        description=description,
        amount_change=D(0),
        duration_change=0,
        committee_opinion_on=opinion,
    )


def test_an_amendment_is_proposed_for_a_contract_in_force_described():
    assert proposal(ContractState.SIGNED) == [
        "Seul un marché notifié et en cours peut faire l’objet d’un avenant."
    ]
    assert proposal(description=" ", opinion=TODAY + DAY) == [
        "Décrivez la modification.",
        "L’avis de la commission ne peut pas être daté dans le futur.",
    ]
    assert proposal(opinion=TODAY) == []


def amendment(state=AmendmentState.PROPOSED, *, approvals=(), **fields):
    return SimpleNamespace(
        pk=7,
        state=state,
        contract=contract(ContractState.IN_EXECUTION),
        approvals=Rows(
            SimpleNamespace(organisation=org, organisation_id=org.pk, approved=approved)
            for org, approved in approvals
        ),
        proposed_at=clock.paris_moment(2027, 6, 10, 9),
        **fields,
    )


def test_every_member_approves_the_amendment():
    proposed = amendment(approvals=[(COORD, True), (M1, False)])
    assert contract_rules.missing_amendment_approvals(proposed) == [M1, M2]
    assert contract_rules.amendment_approval_errors(proposed) == [
        "Chaque membre approuve l’avenant ; en attente de : M1, M2."
    ]
    approved = amendment(approvals=[(COORD, True), (M1, True), (M2, True)])
    assert contract_rules.amendment_approval_errors(approved) == []


def test_a_member_answers_a_proposed_amendment_once_and_says_why_it_refuses():
    def answer(a, org=M1, *, approve=True, comment=""):
        return contract_rules.amendment_answer_errors(a, org, approve=approve, comment=comment)

    proposed = amendment(approvals=[(COORD, True)])
    assert answer(amendment(AmendmentState.APPROVED)) == [
        "Cet avenant n’attend plus l’avis des membres."
    ]
    assert answer(proposed) == []
    assert answer(proposed, COORD) == ["Ce membre a déjà répondu."]
    assert answer(proposed, approve=False, comment=" ") == [
        "Indiquez pourquoi le membre refuse l’avenant."
    ]
    assert answer(proposed, approve=False, comment="Trop cher") == []


def test_an_amendment_is_signed_once_approved_between_its_proposal_and_today():
    approved = amendment(AmendmentState.APPROVED)
    assert contract_rules.amendment_signature_errors(amendment(), TODAY) == [
        "Un avenant se signe une fois approuvé par chaque membre."
    ]
    assert contract_rules.amendment_signature_errors(approved, TODAY + DAY) == [
        "Une signature ne peut pas être datée dans le futur."
    ]
    assert contract_rules.amendment_signature_errors(approved, datetime.date(2027, 6, 9)) == [
        "Un avenant ne peut pas être signé avant d’avoir été proposé."
    ]


def test_a_signed_amendment_is_notified_once_after_its_signature():
    signed = amendment(AmendmentState.SIGNED, signed_on=TODAY - DAY, notified_on=None)
    assert contract_rules.amendment_notification_errors(signed, TODAY) == []
    assert contract_rules.amendment_notification_errors(signed, TODAY - 2 * DAY) == [
        "La notification (13 juin 2027) ne peut pas précéder la signature (14 juin 2027)."
    ]
    signed.notified_on = TODAY
    assert contract_rules.amendment_notification_errors(signed, TODAY) == [
        "Un avenant signé est notifié une seule fois."
    ]


# --- Open data: essential data within two months of the notification (art. R2196-1 CCP) -------


class Amendment(SimpleNamespace):
    def __str__(self):
        return f"Avenant n° {self.number}"


def test_a_consultation_has_open_data_once_published():
    assert contract_rules.open_data_errors(SimpleNamespace(published_at=None)) == [
        "Cette consultation n’a pas été publiée : elle n’a pas de données ouvertes."
    ]
    assert contract_rules.open_data_errors(SimpleNamespace(published_at=SENT)) == []
    assert contract_rules.publication_date_errors(TODAY + DAY) == [
        "Une publication ne peut pas être datée dans le futur."
    ]


def test_essential_data_are_published_after_each_notification():
    contracts = [
        SimpleNamespace(number="2027-001-L1", notified_on=TODAY),
        SimpleNamespace(number="2027-001-L2", notified_on=TODAY - DAY),
    ]
    on = TODAY - DAY
    amendments = [Amendment(number=1, notified_on=TODAY), Amendment(number=2, notified_on=on)]
    assert contract_rules.essential_data_publication_errors(contracts, amendments, on) == [
        "Les données sont publiées après la notification : 2027-001-L1, Avenant n° 1."
    ]
    assert contract_rules.essential_data_publication_errors([], amendments[1:], on) == []
    assert contract_rules.essential_data_publication_errors([], [], TODAY) == [
        "Aucune donnée essentielle n’attend de publication."
    ]


def notified(notified_on, published_on=None, *, number=1):
    return Amendment(number=number, notified_on=notified_on, data_published_on=published_on)


def test_essential_data_are_due_two_months_after_the_notification():
    published = contract(
        number="2027-001-L1",
        notified_on=datetime.date(2026, 12, 31),
        data_published_on=datetime.date(2027, 1, 5),
        amendments=[
            notified(datetime.date(2027, 4, 30), number=1),
            notified(datetime.date(2027, 5, 2), TODAY, number=2),
            notified(None, number=3),
            notified(datetime.date(2026, 12, 31), number=4),
        ],
    )
    assert contract_rules.essential_data_due(published) == [
        (
            "Données essentielles de l’avenant n° 1 au marché 2027-001-L1",
            datetime.date(2027, 6, 30),
        ),
        (
            "Données essentielles de l’avenant n° 4 au marché 2027-001-L1",
            datetime.date(2027, 2, 28),
        ),
    ]
    # The amendments given are the ones read.
    assert contract_rules.essential_data_due(published, []) == []


def test_a_notified_contract_s_own_data_are_due_first():
    waiting = contract(
        number="2027-002-L1", notified_on=datetime.date(2027, 4, 30), data_published_on=None
    )
    assert contract_rules.essential_data_due(waiting) == [
        ("Données essentielles du marché 2027-002-L1", datetime.date(2027, 6, 30))
    ]
    waiting.notified_on = None
    assert contract_rules.essential_data_due(waiting) == []
