"""Shared fixtures: a small world of organisations and people, and groupements in each state.

`world` has a groupement ("ours") coordinated by COORD with members COORD, M1 and M2, and a
groupement ("theirs") between two other organisations, OUT1 (coordinator) and OUT2: every
person of ours is an outsider to theirs and the other way round.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.test import Client

from groupement import services
from groupement.models import Groupement, GroupementState, Membership, Role
from tests.factories import SHARES, OrganisationFactory, deliberate, person, sign, terms
from tests.fixtures_procurement import clock, consultation_in, register_bid  # noqa: F401
from tests.helpers import give_second_factor

ORGS = ["COORD", "M1", "M2", "OUT1", "OUT2"]
# Text that only the other groupement's pages may show.
THEIR_NAME = "Leur groupement confidentiel"
THEIR_PURPOSE = "Objet secret de leur convention"


@dataclass
class World:
    orgs: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)  # (org key, role) -> user
    ours: Groupement | None = None
    theirs: Groupement | None = None

    def user(self, org, role):
        return self.people[(org, role)]

    def coordinator(self):
        return self.user("COORD", Role.GESTIONNAIRE)

    def membership(self, org, groupement=None):
        groupement = groupement or self.ours
        return Membership.objects.get(groupement=groupement, organisation=self.orgs[org])

    def refresh(self):
        self.ours.refresh_from_db()
        self.theirs.refresh_from_db()
        return self

    # Groupements are brought to each state through the services, as users would.
    def submit(self, groupement=None):
        groupement = groupement or self.ours
        return services.groupement_submit(
            groupement=groupement, user=self.coordinator_of(groupement)
        )

    def sign_all(self, groupement=None):
        groupement = groupement or self.ours
        for membership in groupement.memberships.select_related("organisation"):
            key = next(k for k, org in self.orgs.items() if org == membership.organisation)
            referent = self.user(key, Role.REFERENT)
            membership = deliberate(membership, referent)
            sign(membership, referent)

    def put_in_force(self, groupement=None):
        groupement = groupement or self.ours
        return services.groupement_put_in_force(
            groupement=groupement, user=self.coordinator_of(groupement)
        )

    def coordinator_of(self, groupement):
        return (
            self.coordinator() if groupement == self.ours else self.user("OUT1", Role.GESTIONNAIRE)
        )

    def theirs_in_force(self):
        self.submit(self.theirs)
        self.sign_all(self.theirs)
        self.put_in_force(self.theirs)
        self.theirs.refresh_from_db()
        return self.theirs

    def ours_in(self, state):
        self.ours.refresh_from_db()
        if self.ours.state == state:
            return self.ours
        if state != GroupementState.DRAFT:
            self.submit()
        if state in (GroupementState.IN_FORCE, GroupementState.DISSOLVED):
            self.sign_all()
            self.put_in_force()
        if state == GroupementState.DISSOLVED:
            services.groupement_dissolve(
                groupement=self.ours, user=self.coordinator(), reason="Objet atteint."
            )
        self.ours.refresh_from_db()
        assert self.ours.state == state
        return self.ours


@pytest.fixture
def world(db):
    w = World()
    for key in ORGS:
        w.orgs[key] = OrganisationFactory(short_name=key, name=f"Organisation {key}")
    for key in ORGS:
        for role in Role:
            w.people[(key, role)] = person(w.orgs[key], role)
    w.ours = services.groupement_create(
        user=w.coordinator(),
        terms=terms(
            coordinator_people={r: w.user("COORD", r) for r in Role},
            members=list(zip([w.orgs["COORD"], w.orgs["M1"], w.orgs["M2"]], SHARES, strict=True)),
            name="Notre groupement",
        ),
    )
    w.theirs = services.groupement_create(
        user=w.user("OUT1", Role.GESTIONNAIRE),
        terms=terms(
            coordinator_people={r: w.user("OUT1", r) for r in Role},
            members=[(w.orgs["OUT1"], Decimal("65.00")), (w.orgs["OUT2"], Decimal("35.00"))],
            name=THEIR_NAME,
            purpose=THEIR_PURPOSE,
        ),
    )
    return w


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin client, past the second factor every superuser gives."""
    client = Client()
    client.force_login(admin_user)
    give_second_factor(client, admin_user)
    return client
