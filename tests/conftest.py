"""Shared fixtures: a small world of organisations and people, and groupements in each state.

`world` has a groupement ("ours") coordinated by COORD with members COORD, M1 and M2, and a
groupement ("theirs") between two other organisations, OUT1 (coordinator) and OUT2: every
person of ours is an outsider to theirs and the other way round.
"""

import contextlib
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client

from core import clock as server_clock
from groupement import services
from groupement.models import Groupement, GroupementState, Membership, Organisation, Role
from journal import memo
from tests.factories import SHARES, OrganisationFactory, deliberate, person, sign, terms
from tests.fixtures_procurement import (  # noqa: F401
    clock,
    consultation_in,
    published,
    register_bid,
)
from tests.helpers import give_second_factor
from tests.task_queue import database_queue, mail_server_down  # noqa: F401

ORGS = ["COORD", "M1", "M2", "OUT1", "OUT2"]
# Text that only the other groupement's pages may show.
THEIR_NAME = "Leur groupement confidentiel"
THEIR_PURPOSE = "Objet secret de leur convention"
User = get_user_model()


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

    def fresh(self) -> "World":
        """A copy read again from the database (the same rows, new objects)."""
        users = User.objects.in_bulk([u.pk for u in self.people.values()])
        orgs = Organisation.objects.in_bulk([o.pk for o in self.orgs.values()])
        return World(
            orgs={key: orgs[o.pk] for key, o in self.orgs.items()},
            people={key: users[u.pk] for key, u in self.people.items()},
            ours=Groupement.objects.get(pk=self.ours.pk),
            theirs=Groupement.objects.get(pk=self.theirs.pk),
        )

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


def build_world() -> World:
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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases. Before they are dropped, the PostgreSQL sessions that
    threads of the tests may still hold (the live server's, the races') are ended: PostgreSQL
    refuses to drop a database someone is connected to, and the database would stay behind."""
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def forgotten_results():
    """No result kept by journal.memo outlives its test: a database emptied between tests
    numbers its journal and its rows from the start again, and could match a kept key."""
    yield
    memo.forget()


@pytest.fixture
def world(db):
    return build_world()


# --- Built once per module -------------------------------------------------------------------
# A matrix runs hundreds of cases on a few states. The module's data is built once inside a
# transaction, each state inside a savepoint, and each test inside pytest-django's own
# savepoint: what a test does is undone before the next one, what the module built is undone
# at its end. A module opts in by overriding `world` with `shared_world` (see below).


@contextlib.contextmanager
def rolled_back():
    """What the block writes to the database, and its moves of the clock, are undone at its
    end."""
    with server_clock.restored(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        yield build_world()


@pytest.fixture
def shared_world(module_world, db):
    """The module's world, read again from the database: no object of a previous test, no
    permission it cached."""
    return module_world.fresh()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin client, past the second factor every superuser gives."""
    client = Client()
    client.force_login(admin_user)
    give_second_factor(client, admin_user)
    return client


# The longest tests run first: with `--dist worksteal` (see the Makefile) one worker starts
# them while the other takes the rest, and whichever finishes first takes work from the other.
# Started last, the browser journeys alone would keep one worker busy while the other waits.
LONGEST_FIRST = ("tests/browser/test_whole_journey.py", "tests/browser/", "tests/test_crawl.py")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    def rank(item):
        path = item.nodeid.split("::")[0]
        return next(
            (i for i, prefix in enumerate(LONGEST_FIRST) if path.startswith(prefix)),
            len(LONGEST_FIRST),
        )

    items.sort(key=rank)  # stable: the order inside each group is kept
