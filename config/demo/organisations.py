"""The demo world: the Pôle Métropolitain de l'Artois and its three agglomerations.

Identifiers are fictitious but carry valid Luhn keys. Everything goes through the services,
so the demo has a real journal.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from config.demo.replay import at
from groupement import services
from groupement.access import grant_role
from groupement.identifiers import with_luhn_key
from groupement.models import (
    CommitteeKind,
    Groupement,
    Mission,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

DEMO_PASSWORD = "artois-demo-2026"

ORGANISATIONS = [
    # short name, name, kind, first 13 digits of a fictitious SIRET
    ("PMA", "Pôle Métropolitain de l'Artois", OrganisationKind.POLE_METROPOLITAIN, "2000412300001"),
    (
        "CABBALR",
        "CA Béthune-Bruay Artois-Lys Romane",
        OrganisationKind.AGGLOMERATION,
        "2000724500001",
    ),
    ("CALL", "CA de Lens-Liévin", OrganisationKind.AGGLOMERATION, "2462003600001"),
    ("CAHC", "CA d'Hénin-Carvin", OrganisationKind.AGGLOMERATION, "2462007200001"),
]

# How each role is introduced in the list of logins, in French.
ROLE_NAMES = {
    Role.GESTIONNAIRE: "gestionnaire",
    Role.REFERENT: "référent",
    Role.EVALUATEUR: "évaluateur",
    Role.MEMBRE_CAO: "membre de la CAO",
    Role.LECTEUR: "lecteur",
}
# The demo's people, one per organisation and role, each with a name of their own: the pages
# show « Prénom Nom (Organisation) », and a history signed by four namesakes tells nothing.
# The administrative court of the Pas-de-Calais, named in the letters' means of redress.
TRIBUNAL = (
    "Tribunal administratif de Lille, 5 rue Geoffroy Saint-Hilaire, CS 62039, 59014 Lille Cedex"
)
PEOPLE = {
    "PMA": {
        Role.GESTIONNAIRE: ("Claire", "Vasseur"),
        Role.REFERENT: ("Julien", "Delattre"),
        Role.EVALUATEUR: ("Sophie", "Lemaire"),
        Role.MEMBRE_CAO: ("Marc", "Dufour"),
        Role.LECTEUR: ("Nadia", "Belkacem"),
    },
    "CABBALR": {
        Role.GESTIONNAIRE: ("Thomas", "Caron"),
        Role.REFERENT: ("Isabelle", "Lefebvre"),
        Role.EVALUATEUR: ("Karim", "Boudjema"),
        Role.MEMBRE_CAO: ("Hélène", "Dubois"),
        Role.LECTEUR: ("Pierre", "Wattez"),
    },
    "CALL": {
        Role.GESTIONNAIRE: ("Émilie", "Fontaine"),
        Role.REFERENT: ("Olivier", "Merlin"),
        Role.EVALUATEUR: ("Camille", "Lenoir"),
        Role.MEMBRE_CAO: ("Bernard", "Leroy"),
        Role.LECTEUR: ("Aurélie", "Dhainaut"),
    },
    "CAHC": {
        Role.GESTIONNAIRE: ("Vincent", "Hennebelle"),
        Role.REFERENT: ("Nathalie", "Gosselin"),
        Role.EVALUATEUR: ("Mathieu", "Dewailly"),
        Role.MEMBRE_CAO: ("Sylvie", "Carlier"),
        Role.LECTEUR: ("Laurent", "Descamps"),
    },
}

PARC = "Animation du Parc d'innovation de l'Artois"
MOBILITE = "Études de mobilité du bassin minier"


def minimal_pdf(title: str) -> SimpleUploadedFile:
    body = f"%PDF-1.4\n% {title}\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(f"{title}.pdf", body.encode(), content_type="application/pdf")


def username(short_name: str, role: str) -> str:
    return f"{short_name.lower()}.{role}"


def _people(organisations):
    people = {}
    for org in organisations:
        for role in Role:
            user, created = User.objects.get_or_create(
                username=username(org.short_name, role),
                defaults={
                    "organisation": org,
                    "first_name": PEOPLE[org.short_name][role][0],
                    "last_name": PEOPLE[org.short_name][role][1],
                    "email": f"{username(org.short_name, role)}@demo.invalid",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            grant_role(user, role)
            people[(org.short_name, role)] = user
    return people


def _deliberate_and_sign(groupement, people, *, sign=True, only=None):
    for membership in groupement.memberships.select_related("organisation"):
        short = membership.organisation.short_name
        if only is not None and short not in only:
            continue
        referent = people[(short, Role.REFERENT)]
        membership = services.membership_record_deliberation(
            membership=membership,
            user=referent,
            number=f"{short}-2021-{membership.pk:03d}",
            date=datetime.date(2021, 9, 20),
            document=minimal_pdf(f"deliberation-{short}"),
        )
        if sign:
            services.membership_sign(
                membership=membership, user=referent, signed_on=datetime.date(2021, 9, 28)
            )


def _parc_story(orgs, people, coordinator):
    """The PMA's groupement as it happened: convention drafted and signed in September 2021."""
    with at(2021, 9, 6):
        groupement = services.groupement_create(
            user=coordinator,
            terms=services.ConventionTerms(
                name=PARC,
                purpose=(
                    "Confier l'animation du Parc d'innovation de l'Artois à un opérateur commun "
                    "aux trois agglomérations membres du Pôle Métropolitain de l'Artois."
                ),
                duration_months=48,
                mission=Mission.B,
                committee_kind=CommitteeKind.AD_HOC,
                withdrawal_allowed=False,
                members=[
                    (orgs["PMA"], Decimal("10.00")),
                    (orgs["CABBALR"], Decimal("35.00")),
                    (orgs["CALL"], Decimal("35.00")),
                    (orgs["CAHC"], Decimal("20.00")),
                ],
                committee_members=[people[(s, Role.MEMBRE_CAO)] for s in orgs],
                committee_chair=people[("PMA", Role.MEMBRE_CAO)],
                signatory_name="Marc Dufour",
                signatory_title=(
                    "Vice-président du Pôle Métropolitain de l'Artois, "
                    "délégué à la commande publique"
                ),
                tribunal=TRIBUNAL,
            ),
        )
    with at(2021, 9, 8):
        services.groupement_submit(groupement=groupement, user=coordinator)
    with at(2021, 9, 29, 17):
        _deliberate_and_sign(groupement, people)
    with at(2021, 9, 30):
        services.groupement_put_in_force(groupement=groupement, user=coordinator)


def seed_organisations() -> dict:
    """The four organisations, one person per role in each, the admin and two groupements."""
    orgs = {}
    for short, name, kind, prefix in ORGANISATIONS:
        orgs[short], _ = Organisation.objects.get_or_create(
            short_name=short, defaults={"name": name, "kind": kind, "siret": with_luhn_key(prefix)}
        )
    people = _people(orgs.values())
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "is_staff": True,
            "is_superuser": True,
            "first_name": "Administrateur",
            "email": "admin@demo.invalid",
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    coordinator = people[("PMA", Role.GESTIONNAIRE)]

    if not Groupement.objects.filter(name=PARC).exists():
        _parc_story(orgs, people, coordinator)

    if not Groupement.objects.filter(name=MOBILITE).exists():
        lens = people[("CALL", Role.GESTIONNAIRE)]
        groupement = services.groupement_create(
            user=lens,
            terms=services.ConventionTerms(
                name=MOBILITE,
                purpose="Commande groupée d'études de mobilité à l'échelle du bassin minier.",
                duration_months=24,
                mission=Mission.A,
                committee_kind=CommitteeKind.COORDINATOR,
                withdrawal_allowed=True,
                members=[
                    (orgs["CALL"], Decimal("50.00")),
                    (orgs["CAHC"], Decimal("30.00")),
                    (orgs["PMA"], Decimal("20.00")),
                ],
                committee_members=[people[("CALL", Role.MEMBRE_CAO)]],
                committee_chair=people[("CALL", Role.MEMBRE_CAO)],
            ),
        )
        services.groupement_submit(groupement=groupement, user=lens)
        _deliberate_and_sign(groupement, people, only={"CALL"})
        _deliberate_and_sign(groupement, people, sign=False, only={"CAHC"})

    return people
