"""Every bad input gets a clear message or a 403/404, and the database is unchanged."""

import datetime
import html

import pytest
from django.test import override_settings
from django.urls import reverse

from groupement.models import Role
from tests.helpers import db_fingerprint, messages_of


def _convention_post(world, members, **overrides):
    data = {
        "name": "Nouveau groupement",
        "purpose": "Achat groupé de fournitures.",
        "duration_months": "24",
        "mission": "A",
        "committee_kind": "coordinator",
        "committee_members": [world.user("COORD", Role.MEMBRE_CAO).pk],
        "committee_chair": world.user("COORD", Role.MEMBRE_CAO).pk,
        "withdrawal_allowed": "on",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for i, (org_key, share) in enumerate(members):
        data[f"members-{i}-organisation"] = world.orgs[org_key].pk
        data[f"members-{i}-share"] = share
    data.update(overrides)
    return data


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.coordinator())
    return client


def test_a_valid_convention_is_created(coordinator_client, world):
    response = coordinator_client.post(
        reverse("groupement:create"),
        _convention_post(world, [("COORD", "60,50"), ("M1", "39,50")]),
    )
    assert response.status_code == 302
    created = world.ours.__class__.objects.get(name="Nouveau groupement")
    assert created.coordinator == world.orgs["COORD"]
    assert sorted(str(m.share) for m in created.memberships.all()) == ["39.50", "60.50"]


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ([("COORD", "60"), ("M1", "39,99")], "totaliser exactement 100\u00a0%"),
        ([("M1", "50"), ("M2", "50")], "L2113-7"),
        ([("COORD", "50"), ("M1", "25"), ("M1", "25")], "plus d’une fois"),
        ([("COORD", "100")], "L2113-6"),
        ([("COORD", "100"), ("M1", "0")], "au moins 0,01\u00a0%"),
    ],
    ids=[
        "shares-not-100",
        "coordinator-not-member",
        "same-org-twice",
        "single-member",
        "zero-share",
    ],
)
def test_a_bad_convention_is_refused_with_the_rule(coordinator_client, world, members, expected):
    before = db_fingerprint()
    response = coordinator_client.post(
        reverse("groupement:create"), _convention_post(world, members)
    )
    assert response.status_code == 200
    assert expected in html.unescape(response.content.decode())
    assert db_fingerprint() == before


def test_a_second_groupement_with_the_same_name_is_refused(coordinator_client, world):
    before = db_fingerprint()
    response = coordinator_client.post(
        reverse("groupement:create"),
        _convention_post(world, [("COORD", "50"), ("M1", "50")], name="Notre groupement"),
    )
    assert response.status_code == 200
    assert "« Notre groupement » existe déjà" in html.unescape(response.content.decode())
    assert db_fingerprint() == before


def test_an_invalid_siret_is_refused_in_the_admin(admin_client, world):
    before = db_fingerprint()
    response = admin_client.post(
        reverse("admin:groupement_organisation_add"),
        {
            "name": "Commune fictive",
            "short_name": "CF",
            "kind": "commune",
            "siret": "21620041400019",
        },
    )
    assert response.status_code == 200
    assert "Luhn" in response.content.decode()
    assert db_fingerprint() == before


def test_a_transition_from_the_wrong_state_is_refused_with_a_message(coordinator_client, world):
    world.ours_in("in_force")
    before = db_fingerprint()
    response = coordinator_client.post(
        reverse("groupement:submit", args=[world.ours.pk]), follow=True
    )
    assert any("pas possible" in m for m in messages_of(response))
    assert db_fingerprint() == before


def test_putting_in_force_before_every_signature_names_who_is_missing(coordinator_client, world):
    world.ours_in("deliberating")
    before = db_fingerprint()
    response = coordinator_client.post(
        reverse("groupement:put_in_force", args=[world.ours.pk]), follow=True
    )
    text = " ".join(messages_of(response))
    assert "Organisation M1" in text and "signé" in text
    assert db_fingerprint() == before


def test_another_members_referent_cannot_record_a_deliberation(client, world):
    world.ours_in("deliberating")
    client.force_login(world.user("M2", Role.REFERENT))
    before = db_fingerprint()
    response = client.post(
        reverse("groupement:membership_deliberation", args=[world.membership("M1").pk]),
        {"number": "X", "date": "2024-01-05", "document": _pdf_upload()},
    )
    assert response.status_code == 403
    assert db_fingerprint() == before


def test_a_forged_post_to_another_groupement_gets_404(coordinator_client, world):
    world.submit(world.theirs)
    before = db_fingerprint()
    for name, pk in [
        ("groupement:put_in_force", world.theirs.pk),
        ("groupement:submit", world.theirs.pk),
        ("groupement:dissolve", world.theirs.pk),
        ("groupement:edit", world.theirs.pk),
        ("groupement:membership_sign", world.membership("OUT2", world.theirs).pk),
        ("groupement:membership_withdraw", world.membership("OUT2", world.theirs).pk),
    ]:
        response = coordinator_client.post(reverse(name, args=[pk]), {"reason": "forgé"})
        assert response.status_code == 404, name
    assert db_fingerprint() == before


def _pdf_upload(content=b"%PDF-1.4\n%%EOF\n", name="deliberation.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (lambda: _pdf_upload(b"MZ\x90\x00 not a pdf", "deliberation.pdf"), "PDF"),
        (lambda: _pdf_upload(name="deliberation.docx"), "PDF"),
        (lambda: _pdf_upload(b"%PDF-1.4\n" + b"0" * 3000), "limite"),
    ],
    ids=["not-a-pdf", "wrong-extension", "oversized"],
)
@override_settings(UPLOAD_MAX_BYTES=2048)
def test_a_bad_deliberation_document_is_refused(client, world, upload, expected):
    world.ours_in("deliberating")
    client.force_login(world.user("M1", Role.REFERENT))
    before = db_fingerprint()
    response = client.post(
        reverse("groupement:membership_deliberation", args=[world.membership("M1").pk]),
        {"number": "2024-3", "date": "2024-01-05", "document": upload()},
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert db_fingerprint() == before


def test_a_deliberation_dated_in_the_future_is_refused(client, world):
    world.ours_in("deliberating")
    client.force_login(world.user("M1", Role.REFERENT))
    before = db_fingerprint()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client.post(
        reverse("groupement:membership_deliberation", args=[world.membership("M1").pk]),
        {"number": "2024-3", "date": tomorrow.isoformat(), "document": _pdf_upload()},
    )
    assert response.status_code == 200
    assert "futur" in response.content.decode()
    assert db_fingerprint() == before


def test_a_signature_before_the_deliberation_is_refused(client, world):
    from tests.factories import deliberate

    world.ours_in("deliberating")
    deliberate(
        world.membership("M1"), world.user("M1", Role.REFERENT), on=datetime.date(2024, 3, 1)
    )
    client.force_login(world.user("M1", Role.REFERENT))
    before = db_fingerprint()
    response = client.post(
        reverse("groupement:membership_sign", args=[world.membership("M1").pk]),
        {"signed_on": "2024-02-01"},
    )
    assert response.status_code == 200
    assert "01/03/2024" in response.content.decode()
    assert db_fingerprint() == before


def test_withdrawal_is_refused_when_the_convention_forbids_it(client, world):
    world.ours.withdrawal_allowed = False
    world.ours.save(update_fields=["withdrawal_allowed"])
    world.ours_in("deliberating")
    client.force_login(world.user("M1", Role.REFERENT))
    before = db_fingerprint()
    response = client.post(
        reverse("groupement:membership_withdraw", args=[world.membership("M1").pk]),
        {"reason": "Nous partons."},
    )
    assert response.status_code == 200
    assert "ne permet pas" in response.content.decode()
    assert db_fingerprint() == before


def test_the_admin_refuses_a_role_group_of_another_organisation(admin_client, world):
    person = world.user("M1", Role.LECTEUR)
    foreign_group = world.user("OUT1", Role.GESTIONNAIRE).groups.get()
    response = admin_client.post(
        reverse("admin:groupement_user_change", args=[person.pk]),
        {
            "username": person.username,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": "",
            "is_active": "on",
            "organisation": world.orgs["M1"].pk,
            "groups": [foreign_group.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "propre organisation" in html.unescape(response.content.decode())
    assert list(person.groups.all()) != [foreign_group]
