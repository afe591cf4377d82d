"""The public notices, without an account: only consultations open to candidates, their
current DCE free to download and intact, their answers without who asked, and a register of
identified candidates that only the coordinator reads and that is told of every change."""

import datetime
import io
import re
import zipfile

import pytest
from django.urls import reverse

from config.demo.organisations import minimal_pdf
from core import clock as server_clock
from groupement.identifiers import with_luhn_key
from groupement.models import Role
from journal.models import Entry
from procurement import services
from procurement.models import ConsultationState, DocumentKind, RegisteredCandidate
from tests.helpers import body_of, db_fingerprint, messages_of, query_counts

SIRET = with_luhn_key("8123456780001")
CLOSED_STATES = [
    ConsultationState.DRAFT,
    "draft_with_documents",
    ConsultationState.MEMBER_REVIEW,
    ConsultationState.READY,
    ConsultationState.CANCELLED,
]


def notice(consultation):
    return reverse("bidders:notice", args=[consultation.pk])


def register(client, consultation, **data):
    values = {"company": "Pépinières du Nord", "siret": SIRET, "email": "lea@pepinieres.invalid"}
    return client.post(
        reverse("bidders:register", args=[consultation.pk]), {**values, **data}, follow=True
    )


def test_the_list_shows_the_open_consultations_of_every_groupement_and_nothing_else(
    client, world, consultation_in
):
    open_ours = consultation_in(ConsultationState.PUBLISHED, title="Animation du parc")
    hidden = [
        consultation_in(state, reference=f"2027-1{i:02d}", title=f"Caché {i}")
        for i, state in enumerate(CLOSED_STATES)
    ]
    page = client.get(reverse("bidders:notices")).content.decode()
    assert open_ours.reference in page and "Animation du parc" in page
    for consultation in hidden:
        assert consultation.title not in page
    for consultation in hidden:
        assert client.get(notice(consultation)).status_code == 404


def test_a_notice_closes_at_its_deadline_to_the_second(client, world, published, clock):
    assert client.get(notice(published)).status_code == 200
    clock.move(seconds=(published.offers_deadline - server_clock.now()).total_seconds() - 1)
    assert client.get(notice(published)).status_code == 200
    clock.move(seconds=1)
    assert client.get(notice(published)).status_code == 404
    assert published.reference not in client.get(reverse("bidders:notices")).content.decode()
    document = published.documents.first()
    assert client.get(reverse("bidders:document", args=[document.pk])).status_code == 404


def test_the_list_reads_as_many_queries_for_one_notice_as_for_five(client, consultation_in):
    consultation_in(ConsultationState.PUBLISHED)
    counts = []

    def get():
        assert client.get(reverse("bidders:notices")).status_code == 200

    counts.append(query_counts(get)[0])
    for i in range(4):
        consultation_in(ConsultationState.PUBLISHED, reference=f"2027-2{i:02d}")
    counts.append(query_counts(get)[0])
    assert counts[0] == counts[1], counts


def test_the_dce_downloads_anonymously_current_versions_only_and_intact(client, world, published):
    old = published.documents.get(kind=DocumentKind.CCTP)
    services.document_add(
        consultation=published,
        user=world.coordinator(),
        kind=DocumentKind.CCTP,
        title=old.title,
        upload=minimal_pdf("cctp v2"),
        reason="Surface corrigée.",
    )
    new = published.documents.get(kind=DocumentKind.CCTP, current=True)
    page = client.get(notice(published)).content.decode()
    assert reverse("bidders:document", args=[new.pk]) in page
    assert reverse("bidders:document", args=[old.pk]) not in page
    assert "Surface corrigée." in page
    response = client.get(reverse("bidders:document", args=[new.pk]))
    assert response.status_code == 200
    assert body_of(response) == new.file.open("rb").read()
    assert client.get(reverse("bidders:document", args=[old.pk])).status_code == 404
    archive = zipfile.ZipFile(
        io.BytesIO(body_of(client.get(reverse("bidders:archive", args=[published.pk]))))
    )
    current = list(published.documents.filter(current=True))
    assert len(archive.namelist()) == len(current)
    assert sorted(archive.read(n) for n in archive.namelist()) == sorted(
        d.file.open("rb").read() for d in current
    )


def test_the_archive_names_no_path_and_refuses_a_changed_file(client, published):
    document = published.documents.first()
    type(document).objects.filter(pk=document.pk).update(original_name="../../etc/passwd")
    other = published.documents.exclude(pk=document.pk).first()
    type(other).objects.filter(pk=other.pk).update(original_name="..")
    archive = zipfile.ZipFile(
        io.BytesIO(body_of(client.get(reverse("bidders:archive", args=[published.pk]))))
    )
    names = archive.namelist()
    assert all(re.fullmatch(r"\d\d-[^/\\]+", n) for n in names), names
    assert "document.pdf" in " ".join(names)  # « .. » leaves nothing usable of its own
    with open(document.file.path, "ab") as handle:
        handle.write(b"altered")
    assert client.get(reverse("bidders:archive", args=[published.pk])).status_code == 409
    assert client.get(reverse("bidders:document", args=[document.pk])).status_code == 409


def test_a_notice_shows_answers_but_never_who_asked_nor_anything_of_the_bids(
    client, world, published
):
    question = services.question_record(
        consultation=published,
        user=world.coordinator(),
        text="Une visite est-elle prévue ?",
        sender="Expéditeur Confidentiel SAS",
        sender_email="secret@confidentiel.invalid",
    )
    services.question_answer(question=question, user=world.coordinator(), answer="Oui, le 5.")
    services.question_record(
        consultation=published, user=world.coordinator(), text="Sans réponse ?", sender="X"
    )
    services.candidate_register(
        consultation=published, company="Autre Candidat", siret=SIRET, email="a@b.invalid"
    )
    page = client.get(notice(published)).content.decode()
    assert "Une visite est-elle prévue ?" in page and "Oui, le 5." in page
    for hidden in (
        "Confidentiel",
        "secret@",
        "Sans réponse",
        "Autre Candidat",
        "a@b.invalid",
        "Innov'Artois",
        "Innov&#x27;Artois",
        "Territoires Conseil",
    ):
        assert hidden not in page, hidden


def test_reading_the_notices_writes_nothing(client, published):
    before = db_fingerprint()
    for url in (
        reverse("bidders:notices"),
        notice(published),
        reverse("bidders:archive", args=[published.pk]),
        reverse("bidders:document", args=[published.documents.first().pk]),
    ):
        assert client.get(url).status_code == 200
    assert db_fingerprint() == before


def test_a_candidate_registers_once_and_is_told_of_every_change(
    client, world, published, mailoutbox, django_capture_on_commit_callbacks
):
    response = register(client, published)
    assert any("lea@pepinieres.invalid" in m for m in messages_of(response))
    again = register(client, published, email="LEA@Pepinieres.invalid", company="Autre nom")
    # The same words whether the address was new or known: nobody learns who registered.
    assert messages_of(again) == messages_of(response)
    candidate = RegisteredCandidate.objects.get()
    assert (candidate.company, candidate.siret, candidate.email) == (
        "Pépinières du Nord",
        SIRET,
        "lea@pepinieres.invalid",
    )
    entry = Entry.objects.get(action="retrait identifié du DCE")
    assert entry.actor is None and SIRET in entry.reason
    question = services.question_record(
        consultation=published, user=world.coordinator(), text="Visite ?", sender="Autre"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(question=question, user=world.coordinator(), answer="Non.")
        services.consultation_extend_deadline(
            consultation=published,
            user=world.coordinator(),
            offers_deadline=published.offers_deadline + datetime.timedelta(days=7),
            reason="Visite ajoutée.",
        )
        services.document_add(
            consultation=published,
            user=world.coordinator(),
            kind=DocumentKind.OTHER,
            title="Plan",
            upload=minimal_pdf("plan"),
            reason="Plan ajouté.",
        )
    told = [m.subject for m in mailoutbox if m.to == ["lea@pepinieres.invalid"]]
    assert len(told) == 3, told


@pytest.mark.parametrize(
    ("siret", "accepted"),
    [
        (SIRET, True),
        (f"{SIRET[:3]} {SIRET[3:6]} {SIRET[6:9]} {SIRET[9:]}", True),  # typed with spaces
        (SIRET[:-1] + str((int(SIRET[-1]) + 1) % 10), False),  # wrong Luhn key
        (SIRET[:13], False),
        (SIRET + "0", False),
        ("ABCDEFGHIJKLMN", False),
    ],
)
def test_the_siret_is_checked_with_its_key(client, published, siret, accepted):
    response = register(client, published, siret=siret)
    assert response.status_code == 200
    assert RegisteredCandidate.objects.exists() is accepted


@pytest.mark.parametrize(
    "data",
    [
        {"company": "<script>alert(1)</script>" * 20},
        {"company": " "},
        {"email": "pas-une-adresse"},
        {"email": "a@b.invalid\r\nBcc: victime@x.invalid"},
        {"company": "\x00"},
    ],
)
def test_hostile_registrations_get_a_form_error_and_store_nothing(client, published, data):
    response = register(client, published, **data)
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()
    assert not RegisteredCandidate.objects.exists()


def test_registration_after_the_deadline_is_refused(client, published, clock):
    clock.move(days=41)
    assert register(client, published).status_code == 404
    assert not RegisteredCandidate.objects.exists()


def test_only_the_coordinator_reads_the_register(client, world, published):
    services.candidate_register(
        consultation=published, company="Pépinières du Nord", siret=SIRET, email="l@p.invalid"
    )
    url = reverse("procurement:detail_documents", args=[published.pk])
    client.force_login(world.coordinator())
    page = client.get(url).content.decode()
    assert "Pépinières du Nord" in page and "l@p.invalid" in page
    for key, role in (("M1", Role.REFERENT), ("M2", Role.LECTEUR)):
        client.force_login(world.user(key, role))
        page = client.get(url).content.decode()
        assert "Pépinières du Nord" not in page and "l@p.invalid" not in page


def test_the_buyer_finds_the_public_notice_from_the_consultation(client, world, published):
    client.force_login(world.coordinator())
    page = client.get(reverse("procurement:detail", args=[published.pk])).content.decode()
    assert f'href="{notice(published)}"' in page


def test_a_file_lost_from_the_storage_is_said_not_served(client, published):
    import os

    document = published.documents.first()
    os.remove(document.file.path)
    assert client.get(reverse("bidders:archive", args=[published.pk])).status_code == 409
    assert client.get(reverse("bidders:document", args=[document.pk])).status_code == 404
