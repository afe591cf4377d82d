"""The award's steps, each refusal in the words users read: the proposal lot by lot, the
decision of the round, the members' approvals, the letters, completion and sans suite. Plain
functions over in-memory rows, the day pinned."""

from types import SimpleNamespace

import pytest

from contracts import award_rules
from contracts.choices import ContractState, DecidingBody
from core import clock
from groupement.choices import MembershipState
from procurement.choices import ConsultationState as State
from procurement.choices import LotOutcome, ReviewDecision
from tests.contracts.fakes import DAY, TODAY, Org, Rows, pinned_day  # noqa: F401 (pinned_day: autouse)

ROUND = 2


@pytest.fixture(autouse=True)
def pending(monkeypatch):
    """The consultation's bids whose abnormally low price is still to be judged, which the
    database answers."""
    monkeypatch.setattr(
        award_rules, "pending_price_justifications", lambda consultation: consultation.pending_bids
    )


COORD, M1, M2, GONE = Org(1, "COORD"), Org(2, "M1"), Org(3, "M2"), Org(4, "Partie")
ALPHA, BETA = Org(10, "Alpha", "alpha@example.org"), Org(11, "Beta")
VALID = [("tax", TODAY), ("social", TODAY), ("urssaf", TODAY)]


class Bid:
    def __init__(self, lot_id, name):
        self.lot_id, self.name = lot_id, name

    def __str__(self):
        return self.name


def award(lot_id, bidder=ALPHA, *, certificates=VALID, letters_sent_at=None):
    return SimpleNamespace(
        lot_id=lot_id,
        bid=SimpleNamespace(bidder=bidder),
        letters_sent_at=letters_sent_at,
        certificates=Rows(SimpleNamespace(kind=k, issued_on=d) for k, d in certificates),
    )


def lot(pk, *, outcome=LotOutcome.OPEN, award=None, contract=None, bids=()):
    a_lot = SimpleNamespace(
        pk=pk,
        number=pk,
        outcome=outcome,
        bids=Rows(SimpleNamespace(bidder=b, late=late) for b, late in bids),
        get_outcome_display=lambda: LotOutcome(outcome).label,
    )
    # A lot without award or contract has no such attribute, as with Django's reverse
    # one-to-one relations.
    if award:
        a_lot.award, award.lot = award, a_lot
    if contract:
        a_lot.contract = contract
    return a_lot


def membership(org, state=MembershipState.SIGNED):
    return SimpleNamespace(organisation=org, state=state)


def consultation(
    state=State.AWARD_PROPOSED, *, lots=(), decisions=(), approvals=(), pending_bids=()
):
    groupement = SimpleNamespace(
        memberships=Rows(
            [membership(COORD), membership(M1), membership(M2)]
            + [membership(GONE, MembershipState.WITHDRAWN)]
        ),
        committee_members=Rows([M1, M2]),
        quorum=2,
        committee_chair=M1,
    )
    return SimpleNamespace(
        state=state,
        groupement=groupement,
        pending_bids=list(pending_bids),
        award_round=ROUND,
        lots=Rows(lots),
        award_decisions=Rows(decisions),
        award_approvals=Rows(approvals),
    )


def decision(award_round=ROUND):
    return SimpleNamespace(award_round=award_round, present=Rows())


def approval(org, *, award_round=ROUND, decision=ReviewDecision.APPROVED):
    return SimpleNamespace(
        organisation=org, organisation_id=org.pk, award_round=award_round, decision=decision
    )


# --- The windows of the award ------------------------------------------------------------


def test_each_window_of_the_award_says_when_it_opens():
    assert award_rules.proposal_state_errors(SimpleNamespace(state=State.OPENED)) == [
        "L’attribution se propose pendant l’analyse ou la négociation."
    ]
    assert award_rules.certificate_window_errors(SimpleNamespace(state=State.AWARDED)) == [
        "Les attestations s’enregistrent entre la proposition et l’approbation des membres."
    ]


# --- A lot's proposed winner ---------------------------------------------------------------


def ranked(name, rank):
    return SimpleNamespace(bid=SimpleNamespace(pk=name, bidder=name), rank=rank)


RANKING = [ranked("Alpha", 1), ranked("Beta", 2)]


def proposed(name, reason="", *, outcome=LotOutcome.OPEN, complete=True):
    return award_rules.award_proposal_errors(
        lot(3, outcome=outcome),
        SimpleNamespace(pk=name),
        reason,
        complete=complete,
        ranking=RANKING,
    )


def test_a_lot_declared_unsuccessful_gets_no_winner():
    assert proposed("Alpha", outcome=LotOutcome.UNSUCCESSFUL) == [
        "Le lot 3 a été déclaré « Infructueux ».",
    ]


def test_the_winner_is_proposed_once_every_score_is_consolidated():
    assert proposed("Alpha", complete=False) == [
        "L’évaluation du lot 3 n’est pas terminée : toutes les fiches sont remises et toutes "
        "les notes consolidées avant l’attribution."
    ]


def test_only_a_ranked_offer_is_proposed():
    assert proposed("Gamma", "Motif") == [
        "Seul un candidat admis dont l’offre est régulière et classée peut être proposé."
    ]


def test_the_second_ranked_needs_a_written_reason():
    assert proposed("Beta", " ") == [
        "Beta est classé au rang 2 : proposer un autre que le premier classé exige un motif écrit."
    ]
    assert proposed("Beta", "Offre de rang 1 retirée") == []
    assert proposed("Alpha") == []


# --- Every lot proposed or closed (art. R2152-3 CCP for the low prices) ----------------------


def test_the_proposed_winners_are_read_lot_by_lot():
    first, third = award(1), award(3, BETA)
    lots = [lot(1, award=first), lot(2), lot(3, award=third)]
    assert award_rules.awards_of(consultation(lots=lots)) == [first, third]


def test_every_lot_has_a_winner_or_an_outcome():
    lots = [
        lot(1, award=award(1)),
        lot(2),
        lot(3, outcome=LotOutcome.CANCELLED),
        lot(4),
    ]
    assert award_rules.proposal_blockers(consultation(State.ANALYSIS, lots=lots)) == [
        "Le lot 2 n’a ni attributaire pressenti ni issue.",
        "Le lot 4 n’a ni attributaire pressenti ni issue.",
    ]
    lots = [lot(1, award=award(1)), lot(2, outcome=LotOutcome.UNSUCCESSFUL)]
    assert award_rules.proposal_blockers(consultation(State.ANALYSIS, lots=lots)) == []


def test_a_consultation_with_no_lot_awarded_ends_otherwise():
    lots = [lot(1, outcome=LotOutcome.UNSUCCESSFUL), lot(2, outcome=LotOutcome.CANCELLED)]
    assert award_rules.proposal_blockers(consultation(State.ANALYSIS, lots=lots)) == [
        "Aucun lot n’est attribué : déclarez plutôt la consultation infructueuse ou sans suite."
    ]
    # A lot still open is said first: the consultation may yet award it.
    lots = [lot(1, outcome=LotOutcome.UNSUCCESSFUL), lot(2)]
    assert award_rules.proposal_blockers(consultation(State.ANALYSIS, lots=lots)) == [
        "Le lot 2 n’a ni attributaire pressenti ni issue."
    ]


def test_an_abnormally_low_price_of_a_proposed_lot_is_judged_first():
    lots = [lot(1, award=award(1)), lot(2, outcome=LotOutcome.UNSUCCESSFUL)]
    # Lot 2 closed without award: its pending bid no longer matters.
    bids = [Bid(1, "Alpha (lot 1)"), Bid(1, "Beta (lot 1)"), Bid(2, "Gamma (lot 2)")]
    in_analysis = consultation(State.ANALYSIS, lots=lots, pending_bids=bids)
    assert award_rules.proposal_blockers(in_analysis) == [
        "La justification d’un prix anormalement bas est jugée avant toute attribution "
        "(art. R2152-3 CCP) : Alpha (lot 1), Beta (lot 1)."
    ]


# --- The decision of the round ----------------------------------------------------------------


def decide(a_consultation, *, on=TODAY):
    return award_rules.award_decision_errors(
        a_consultation, body=DecidingBody.COORDINATOR, decided_on=on, present=[]
    )


def test_the_award_is_decided_once_proposed_and_once_per_round():
    assert decide(consultation(State.ANALYSIS)) == [
        "L’attribution se décide une fois proposée pour chaque lot."
    ]
    assert decide(consultation(decisions=[decision()])) == [
        "La décision d’attribution de ce tour est déjà enregistrée."
    ]
    # The decision of an earlier round does not count.
    assert decide(consultation(decisions=[decision(ROUND - 1)])) == []


def test_the_decision_is_dated_and_the_winners_certificates_checked():
    lots = [lot(1, award=award(1, certificates=[("tax", TODAY)])), lot(2, award=award(2))]
    assert decide(consultation(lots=lots), on=TODAY + DAY) == [
        "La décision ne peut pas être datée dans le futur.",
        "Lot 1 : les attestations de Alpha sont vérifiées avant l’attribution (art. R2144-4 "
        "CCP) ; manquent : Attestation de régularité sociale, Attestation de vigilance URSSAF.",
    ]


def test_the_tender_committee_decides_with_its_quorum():
    a_consultation = consultation()
    errors = award_rules.award_decision_errors(
        a_consultation, body=DecidingBody.COMMITTEE, decided_on=TODAY, present=[M1, COORD]
    )
    assert errors == ["COORD ne siège pas à la commission d’appel d’offres du groupement."]
    errors = award_rules.award_decision_errors(
        a_consultation, body=DecidingBody.COMMITTEE, decided_on=TODAY, present=[M1]
    )
    assert errors == [
        "Le quorum n’est pas atteint : 1 membre présent, 2 requis par la convention (CGCT L1411-5)."
    ]


# --- The members' approvals -------------------------------------------------------------------


def answer(a_consultation, org=M1, *, approve=True, comment=""):
    return award_rules.award_answer_errors(a_consultation, org, approve=approve, comment=comment)


def test_the_members_answer_once_the_award_is_decided():
    assert answer(consultation(State.AWARDED, decisions=[decision()])) == [
        "Les membres approuvent l’attribution une fois qu’elle est proposée."
    ]
    assert answer(consultation(decisions=[decision(ROUND - 1)])) == [
        "Les membres approuvent l’attribution après l’enregistrement de la décision."
    ]
    assert answer(consultation(decisions=[decision()])) == []


def test_a_member_answers_once_per_round_and_says_why_it_refuses():
    earlier = approval(M1, award_round=ROUND - 1)
    decided = consultation(decisions=[decision()], approvals=[earlier, approval(M2)])
    assert answer(decided) == []
    assert answer(decided, M2) == ["Ce membre a déjà répondu pour ce tour d’attribution."]
    assert answer(decided, approve=False, comment=" ") == [
        "Indiquez pourquoi le membre n’approuve pas l’attribution."
    ]
    assert answer(decided, approve=False, comment="Prix trop élevé") == []


def test_the_award_waits_for_its_decision_and_every_members_approval():
    assert award_rules.award_blockers(consultation()) == [
        "La décision d’attribution est enregistrée avant que les membres ne l’approuvent.",
        "Chaque membre approuve l’attribution ; en attente de : COORD, M1, M2.",
    ]
    approvals = [
        approval(COORD),
        approval(M1, award_round=ROUND - 1),
        approval(M2, decision=ReviewDecision.CHANGES_REQUESTED),
    ]
    decided = consultation(decisions=[decision()], approvals=approvals)
    assert award_rules.missing_award_approvals(decided) == [M1, M2]
    assert award_rules.award_blockers(decided) == [
        "Chaque membre approuve l’attribution ; en attente de : M1, M2."
    ]
    approvals += [approval(M1), approval(M2)]
    decided = consultation(decisions=[decision()], approvals=approvals)
    assert award_rules.award_blockers(decided) == []


# --- Completion and sans suite ----------------------------------------------------------------


def contract(state):
    return SimpleNamespace(state=state)


def test_the_consultation_completes_once_each_awarded_lot_has_a_notified_contract():
    lots = [
        lot(1, outcome=LotOutcome.CANCELLED),
        lot(2, contract=contract(ContractState.SIGNED)),
        lot(3),
        lot(4, contract=contract(ContractState.NOTIFIED)),
        lot(5, contract=contract(ContractState.TERMINATED)),
    ]
    assert award_rules.completion_blockers(consultation(lots=lots)) == [
        "Le lot 2 n’a pas encore de marché notifié.",
        "Le lot 3 n’a pas encore de marché notifié.",
    ]


@pytest.mark.parametrize(
    ("states", "refused"),
    [
        ([], False),
        ([ContractState.TO_SIGN], False),
        ([ContractState.TO_SIGN, ContractState.SIGNED], True),
        ([ContractState.NOTIFIED], True),
    ],
)
def test_sans_suite_only_before_a_contract_is_signed(states, refused):
    lots = [lot(n, contract=contract(s)) for n, s in enumerate(states, 1)] + [lot(9)]
    errors = award_rules.cancellation_blockers(consultation(lots=lots))
    expected = "Une consultation n’est déclarée sans suite qu’avant la signature d’un marché."
    assert errors == ([expected] if refused else [])


# --- The letters (art. R2181-1 and R2182-1 CCP) -----------------------------------------------


def letters(*awards, state=State.AWARDED, electronic=True):
    return award_rules.letters_errors(SimpleNamespace(state=state), awards, electronic=electronic)


def test_the_letters_go_out_once_every_member_approved():
    assert letters(state=State.AWARD_PROPOSED) == [
        "Les courriers partent une fois l’attribution approuvée par chaque membre."
    ]
    sent = award(2, letters_sent_at=clock.paris_moment(2027, 6, 14, 9))
    lot(2, award=sent)
    assert letters(award(1), sent) == ["Les courriers de cette consultation ont déjà été envoyés."]


def test_electronic_letters_need_every_bidders_address():
    winner = award(1)
    lot(1, award=winner, bids=[(ALPHA, False), (BETA, False), (Org(12, "Tardif"), True)])
    other = award(2)
    lot(2, award=other, bids=[(ALPHA, False), (Org(13, "Delta"), False), (BETA, False)])
    assert letters(winner, other) == [
        "Aucune adresse électronique n’est connue pour Beta, Delta : ajoutez-la, ou envoyez les "
        "courriers par la poste (16 jours de délai de suspension)."
    ]
    # By post no address is needed; the winners' certificates are checked either way.
    assert letters(winner, other, electronic=False) == []
    # Each winner's missing certificates are said.
    for each in (winner, other):
        each.certificates = Rows([SimpleNamespace(kind="tax", issued_on=TODAY)])
    assert letters(winner, other, electronic=False) == [
        f"Lot {n} : les attestations de Alpha sont vérifiées avant l’attribution (art. R2144-4 "
        "CCP) ; manquent : Attestation de régularité sociale, Attestation de vigilance URSSAF."
        for n in (1, 2)
    ]
