"""Superusers administer reference data and accounts: on business objects they hold only the
roles given to them, like anybody else (no guardian superuser bypass)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from groupement import services
from groupement.access import grant_role, is_coordinator_manager
from groupement.models import Role, User
from procurement import services as procurement
from procurement.models import ConsultationState
from tests.helpers import give_second_factor


@pytest.fixture
def admin(db):
    return User.objects.create_superuser("chef", "chef@demo.invalid", "motdepasse-admin-42")


def test_a_superuser_without_a_role_sees_no_groupement(client, world, admin, consultation_in):
    consultation = consultation_in(ConsultationState.PUBLISHED)
    client.force_login(admin)
    # The superuser's second factor is given (tests/test_security.py shows how).
    give_second_factor(client, admin)
    assert client.get(reverse("groupement:detail", args=[world.ours.pk])).status_code == 404
    assert client.get(reverse("procurement:detail", args=[consultation.pk])).status_code == 404
    listing = client.get(reverse("groupement:list")).content.decode()
    assert world.ours.name not in listing
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_superuser_cannot_act_as_the_coordinator(world, admin, consultation_in, clock):
    consultation = consultation_in(ConsultationState.PUBLISHED)
    clock.move(days=41)
    assert not is_coordinator_manager(admin, world.ours)
    with pytest.raises(PermissionDenied):
        procurement.consultation_open_bids(consultation=consultation, user=admin)
    with pytest.raises(PermissionDenied):
        services.groupement_dissolve(groupement=world.ours, user=admin, reason="Essai.")


def test_a_superuser_given_a_role_acts_in_that_role(world, admin):
    admin.organisation = world.orgs["COORD"]
    admin.save()
    grant_role(admin, Role.GESTIONNAIRE)
    assert is_coordinator_manager(admin, world.ours)
    assert not is_coordinator_manager(admin, world.theirs)
