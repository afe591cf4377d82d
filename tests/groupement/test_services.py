import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import ConcurrentTransition

from core.workflow import BusinessRuleError
from groupement import services
from groupement.models import Groupement, GroupementState, Role
from journal.models import Entry
from tests.factories import SHARES, terms


def test_only_a_gestionnaire_creates_a_groupement(world):
    referent = world.user("COORD", Role.REFERENT)
    count = Groupement.objects.count()
    with pytest.raises(PermissionDenied):
        services.groupement_create(
            user=referent,
            terms=terms(
                coordinator_people={r: world.user("COORD", r) for r in Role},
                members=list(zip([world.orgs["COORD"], world.orgs["M1"]], [60, 40], strict=True)),
                name="Refusé",
            ),
        )
    assert Groupement.objects.count() == count


def test_a_stale_copy_cannot_run_a_transition_twice(world):
    stale = Groupement.objects.get(pk=world.ours.pk)
    services.groupement_submit(groupement=world.ours, user=world.coordinator())
    entries = Entry.objects.count()
    with pytest.raises(BusinessRuleError):
        services.groupement_submit(groupement=stale, user=world.coordinator())
    assert Entry.objects.count() == entries


def test_the_state_field_refuses_a_concurrent_save(world):
    first = Groupement.objects.get(pk=world.ours.pk)
    second = Groupement.objects.get(pk=world.ours.pk)
    with transaction.atomic():
        first.submit_to_members()
        first.save()
    second.submit_to_members()
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second.save()


def test_the_state_cannot_be_set_by_hand(world):
    with pytest.raises(AttributeError):
        world.ours.state = GroupementState.IN_FORCE


def test_an_ad_hoc_committee_needs_one_representative_per_member(world):
    groupement = services.groupement_create(
        user=world.coordinator(),
        terms=terms(
            coordinator_people={r: world.user("COORD", r) for r in Role},
            members=list(
                zip([world.orgs["COORD"], world.orgs["M1"], world.orgs["M2"]], SHARES, strict=True)
            ),
            name="Avec CAO ad hoc",
            kind="ad_hoc",
            committee=[world.user("COORD", Role.MEMBRE_CAO), world.user("M1", Role.MEMBRE_CAO)],
        ),
    )
    with pytest.raises(BusinessRuleError) as refusal:
        services.groupement_submit(groupement=groupement, user=world.coordinator())
    assert any("L1414-3" in m and "Organisation M2" in m for m in refusal.value.messages)
    groupement.refresh_from_db()
    assert groupement.state == GroupementState.DRAFT


def test_a_committee_member_must_hold_the_role(world):
    groupement = world.ours
    groupement.committee_members.add(world.user("COORD", Role.LECTEUR))
    messages = groupement.submit_blockers()
    assert any(str(world.user("COORD", Role.LECTEUR)) in m for m in messages)


def test_the_coordinator_cannot_withdraw(world):
    world.ours_in(GroupementState.DELIBERATING)
    membership = world.membership("COORD")
    with pytest.raises(BusinessRuleError):
        services.membership_withdraw(
            membership=membership, user=world.user("COORD", Role.REFERENT), reason="Départ."
        )
    membership.refresh_from_db()
    assert membership.state == "invited"


def test_a_person_without_the_right_is_refused_whatever_the_state(world):
    world.ours_in(GroupementState.IN_FORCE)
    with pytest.raises(PermissionDenied):
        services.groupement_submit(groupement=world.ours, user=world.user("M1", Role.REFERENT))
    with pytest.raises(BusinessRuleError):
        services.groupement_submit(groupement=world.ours, user=world.coordinator())
