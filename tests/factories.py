import datetime
from decimal import Decimal

import factory

from config.demo.organisations import minimal_pdf
from groupement import services
from groupement.access import grant_role
from groupement.identifiers import with_luhn_key
from groupement.models import CommitteeKind, Mission, Organisation, OrganisationKind, Role, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Communauté d'agglomération n° {n}")
    short_name = factory.Sequence(lambda n: f"CA{n}")
    kind = OrganisationKind.AGGLOMERATION
    siret = factory.Sequence(lambda n: with_luhn_key(f"{200000000 + n:09d}0001"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"personne{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Dupont {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("motdepasse-de-test")


def person(organisation, role) -> User:
    user = UserFactory(
        organisation=organisation, username=f"{organisation.short_name.lower()}.{role}"
    )
    grant_role(user, role)
    return user


def pdf(name="deliberation"):
    return minimal_pdf(name)


def terms(
    *,
    coordinator_people,
    members,
    name="Groupement d'essai",
    kind=CommitteeKind.COORDINATOR,
    withdrawal_allowed=True,
    committee=None,
    chair=None,
    purpose="Achat groupé d'essai.",
):
    """Convention terms whose committee is the coordinator's CAO member unless told otherwise."""
    cao = coordinator_people[Role.MEMBRE_CAO]
    return services.ConventionTerms(
        name=name,
        purpose=purpose,
        duration_months=36,
        mission=Mission.A,
        committee_kind=kind,
        withdrawal_allowed=withdrawal_allowed,
        members=members,
        committee_members=committee if committee is not None else [cao],
        committee_chair=chair if chair is not None else cao,
    )


def deliberate(membership, user, *, on=datetime.date(2024, 3, 1)):
    return services.membership_record_deliberation(
        membership=membership, user=user, number="2024-17", date=on, document=pdf()
    )


def sign(membership, user, *, on=datetime.date(2024, 3, 8)):
    return services.membership_sign(membership=membership, user=user, signed_on=on)


SHARES = [Decimal("40.00"), Decimal("35.00"), Decimal("25.00")]
