"""The groupement's rules as plain functions: no database, the objects they read stand in."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from groupement import rules
from groupement.choices import GroupementState

MEMBERS = [("COORD", Decimal(60)), ("M1", Decimal(40))]


def convention(*, quorum, committee_size, name="Parc d'innovation"):
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
    assert bool(rules.convention_edit_errors(SimpleNamespace(state=state))) is refused


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
    assert rules.dissolution_errors(reason)
    assert rules.withdrawal_reason_errors(reason)
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
