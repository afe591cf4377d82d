"""The groupement's rules as plain functions: no database, the objects they read stand in."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from groupement import rules
from groupement.choices import CommitteeKind, GroupementState

MEMBERS = [("COORD", Decimal(60)), ("M1", Decimal(40))]


def convention(*, quorum, committee_size, name="Parc d’innovation"):
    return SimpleNamespace(
        name=name,
        members=MEMBERS,
        committee_members=[f"person {i}" for i in range(committee_size)],
        committee_quorum=quorum,
    )


@pytest.mark.parametrize(("quorum", "refused"), [(2, False), (3, False), (4, True), (None, False)])
def test_the_quorum_may_reach_the_committee_size_but_not_exceed_it(quorum, refused):
    errors = rules.convention_terms_errors(
        convention(quorum=quorum, committee_size=3), coordinator="COORD", name_taken=False
    )
    assert bool(errors) is refused
    if refused:
        assert errors == ["Le quorum de la commission (4) ne peut dépasser ses 3 membres."]


def test_a_taken_name_is_said_first_then_the_convention_rules():
    errors = rules.convention_terms_errors(
        convention(quorum=5, committee_size=3), coordinator="OUT", name_taken=True
    )
    assert len(errors) == 3
    assert "existe déjà" in errors[0]
    assert "L2113-7" in errors[1]
    assert "quorum" in errors[2]


@pytest.mark.parametrize(
    ("state", "refused"),
    [
        (GroupementState.DRAFT, False),
        (GroupementState.DELIBERATING, True),
        (GroupementState.IN_FORCE, True),
    ],
)
def test_the_convention_is_edited_only_as_a_draft(state, refused):
    errors = rules.convention_edit_errors(SimpleNamespace(state=state))
    assert errors == (
        [
            "La convention n’est modifiable qu’à l’état de brouillon : une fois transmise aux "
            "assemblées des membres, ses termes sont ceux sur lesquels elles délibèrent."
        ]
        if refused
        else []
    )


@pytest.mark.parametrize(
    ("state", "refused"),
    [
        (GroupementState.DRAFT, True),
        (GroupementState.DELIBERATING, False),
        (GroupementState.IN_FORCE, True),
    ],
)
def test_members_deliberate_only_while_the_convention_is_before_their_assemblies(state, refused):
    membership = SimpleNamespace(groupement=SimpleNamespace(state=state))
    errors = rules.deliberation_errors(membership)
    assert bool(errors) is refused
    if refused:
        assert "« Délibérations en cours »" in errors[0]


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_dissolving_or_withdrawing_states_a_reason(reason):
    assert rules.dissolution_errors(reason) == ["Indiquez pourquoi le groupement est dissous."]
    assert rules.withdrawal_reason_errors(reason) == ["Indiquez pourquoi le membre se retire."]
    assert rules.dissolution_errors("Fin de la mission") == []
    assert rules.withdrawal_reason_errors("Délibération contraire") == []


def member_answer(*, approve, comment="", already_answered=False):
    return rules.member_answer_errors(
        approve=approve,
        comment=comment,
        already_answered=already_answered,
        reason_missing="reason missing",
        answered="already answered",
    )


def test_an_approval_needs_no_comment():
    assert member_answer(approve=True) == []


@pytest.mark.parametrize("comment", ["", "  "])
def test_a_refusal_states_its_reason(comment):
    assert member_answer(approve=False, comment=comment) == ["reason missing"]


def test_a_refusal_with_its_reason_passes():
    assert member_answer(approve=False, comment="Le CCTP omet le lot 2") == []


@pytest.mark.parametrize("approve", [True, False])
def test_a_member_answers_once_per_round(approve):
    assert member_answer(approve=approve, comment="Vu", already_answered=True) == [
        "already answered"
    ]


def test_a_refusal_without_reason_is_told_about_the_reason_first():
    assert member_answer(approve=False, already_answered=True) == ["reason missing"]


# --- The convention's members and cost shares (art. L2113-6 and L2113-7 CCP) -----------------

SHARE_ERROR = "La quote-part de chaque membre doit être supérieure à 0\xa0%."


def key_error(total):
    return (
        "La clé de répartition des coûts doit totaliser exactement 100\xa0% entre les membres "
        f"(convention constitutive) ; elle totalise {total}\xa0%."
    )


def test_a_groupement_brings_together_at_least_two_buyers():
    assert rules.convention_errors(coordinator="COORD", members=[("COORD", Decimal(100))]) == [
        "Un groupement de commandes réunit au moins deux acheteurs (art. L2113-6 CCP)."
    ]
    assert rules.convention_errors(coordinator="COORD", members=MEMBERS) == []


def test_an_organisation_is_a_member_once_and_the_coordinator_is_one_of_them():
    members = [("M1", Decimal(50)), ("M1", Decimal(25)), ("M2", Decimal(25))]
    assert rules.convention_errors(coordinator="COORD", members=members) == [
        "M1 figure plus d’une fois : une organisation n’est membre qu’une fois.",
        "Le coordonnateur COORD doit lui-même être membre du groupement (art. L2113-7 CCP).",
    ]
    # No coordinator chosen yet: nothing to say about it.
    assert rules.convention_errors(coordinator=None, members=MEMBERS) == []


@pytest.mark.parametrize(
    ("shares", "errors"),
    [
        ((Decimal(100), Decimal(0)), [SHARE_ERROR]),
        ((Decimal(100), None), [SHARE_ERROR]),
        ((Decimal(101), Decimal(-1)), [SHARE_ERROR]),
        # Just above 0 %: a share may be small, even below 1 %.
        ((Decimal("99.99"), Decimal("0.01")), []),
        ((Decimal("99.5"), Decimal("0.5")), []),
        ((Decimal(99), Decimal(1)), []),
    ],
)
def test_every_cost_share_is_greater_than_zero(shares, errors):
    members = list(zip(["COORD", "M1"], shares, strict=True))
    assert rules.convention_errors(coordinator="COORD", members=members) == errors


@pytest.mark.parametrize(
    ("shares", "total"),
    [
        ((Decimal("60"), Decimal("39.99")), "99,99"),
        ((Decimal("60"), Decimal("40.01")), "100,01"),
        ((Decimal("60"), Decimal("50")), "110"),
    ],
)
def test_the_cost_sharing_key_adds_up_to_exactly_100_percent(shares, total):
    members = list(zip(["COORD", "M1"], shares, strict=True))
    assert rules.convention_errors(coordinator="COORD", members=members) == [key_error(total)]


def test_the_shares_total_adds_the_memberships_shares():
    memberships = [SimpleNamespace(share=Decimal("60.5")), SimpleNamespace(share=Decimal("39.5"))]
    assert rules.shares_total(memberships) == Decimal(100)
    assert rules.shares_total([]) == Decimal(0)


# --- The deciding tender committee (CGCT L1414-3) --------------------------------------------


class Named(SimpleNamespace):
    def __str__(self):
        return self.name


COORD, M1, M2 = Named(pk=1, name="COORD"), Named(pk=2, name="M1"), Named(pk=3, name="M2")
ANNE = Named(name="Anne", organisation_id=COORD.pk)
BRUNO = Named(name="Bruno", organisation_id=COORD.pk)
MARC = Named(name="Marc", organisation_id=M1.pk)
MARIE = Named(name="Marie", organisation_id=M1.pk)
XAVIER = Named(name="Xavier", organisation_id=99)
CHAIR_ERROR = "Le président de la commission doit être l’un de ses membres."
CHAIR_FROM_COORDINATOR = (
    "La commission est présidée par le représentant du coordonnateur (CGCT L1414-3)."
)
COORDINATOR_ONLY = (
    "La commission d’appel d’offres du coordonnateur n’est composée que de membres issus du "
    "coordonnateur."
)
STRANGER = "Chaque membre de la commission doit appartenir à un membre du groupement."


def ad_hoc_count(org, count):
    return (
        "Une commission ad hoc compte exactement un représentant de chaque membre "
        f"(CGCT L1414-3) ; {org} en a {count}."
    )


def committee(committee, *, chair, kind=CommitteeKind.COORDINATOR, qualified=None):
    return rules.committee_errors(
        kind=kind,
        coordinator=COORD,
        member_organisations=[COORD, M1],
        committee=committee,
        chair=chair,
        qualified=committee if qualified is None else qualified,
    )


def test_the_convention_names_the_committee():
    assert committee([], chair=ANNE) == [
        "La convention doit désigner les membres de la commission d’appel d’offres compétente."
    ]


def test_every_committee_member_holds_the_role():
    assert committee([ANNE, BRUNO], chair=ANNE, qualified=[ANNE]) == [
        "Bruno n’a pas le rôle de membre de la CAO."
    ]


@pytest.mark.parametrize("chair", [None, XAVIER, Named(name="Claire", organisation_id=COORD.pk)])
def test_a_chair_who_is_not_on_the_committee_is_refused(chair):
    # Even from the coordinator: the chair sits on the committee (CGCT L1414-3).
    assert committee([ANNE, BRUNO], chair=chair) == [CHAIR_ERROR]


def test_the_chair_is_the_coordinators_representative():
    errors = committee([ANNE, MARC], chair=MARC, kind=CommitteeKind.AD_HOC)
    assert errors == [CHAIR_FROM_COORDINATOR]
    assert committee([ANNE, MARC], chair=ANNE, kind=CommitteeKind.AD_HOC) == []


def test_the_coordinators_committee_is_made_of_its_own_members():
    assert committee([ANNE, BRUNO], chair=BRUNO) == []
    assert committee([ANNE, MARC], chair=ANNE) == [COORDINATOR_ONLY]


@pytest.mark.parametrize(
    ("people", "errors"),
    [
        ([ANNE, MARC], []),
        ([ANNE], [ad_hoc_count("M1", 0)]),
        ([ANNE, MARC, MARIE], [ad_hoc_count("M1", 2)]),
        ([ANNE, BRUNO, MARC], [ad_hoc_count("COORD", 2)]),
        ([ANNE, MARC, XAVIER], [STRANGER]),
    ],
)
def test_an_ad_hoc_committee_has_one_representative_of_each_member(people, errors):
    assert committee(people, chair=ANNE, kind=CommitteeKind.AD_HOC) == errors


def test_every_committee_refusal_is_said_together():
    errors = committee([ANNE, MARC, XAVIER], chair=MARC, qualified=[ANNE])
    assert errors == [
        "Marc n’a pas le rôle de membre de la CAO.",
        "Xavier n’a pas le rôle de membre de la CAO.",
        CHAIR_FROM_COORDINATOR,
        COORDINATOR_ONLY,
    ]


# --- Signatures and withdrawals --------------------------------------------------------------


def test_the_convention_waits_for_every_member_named():
    assert rules.unsigned_members_error([COORD, M2]) == (
        "La convention n’entre en vigueur qu’une fois que chaque membre a délibéré et signé ; "
        "en attente de : COORD, M2."
    )


@pytest.mark.parametrize(
    ("allowed", "organisation", "errors"),
    [
        (True, M1, []),
        (False, M1, ["La convention ne permet pas à un membre de se retirer."]),
        (
            True,
            COORD,
            [
                "Le coordonnateur ne peut pas se retirer : la convention n’aurait plus de "
                "coordonnateur."
            ],
        ),
    ],
)
def test_a_member_withdraws_where_the_convention_allows_it_the_coordinator_never(
    allowed, organisation, errors
):
    membership = SimpleNamespace(
        organisation_id=organisation.pk,
        groupement=SimpleNamespace(withdrawal_allowed=allowed, coordinator_id=COORD.pk),
    )
    assert rules.withdrawal_errors(membership) == errors
