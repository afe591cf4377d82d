"""Stored documents are served only as they were stored: the procès-verbal is the one drawn at
the decision, and a file changed in the storage behind the application's back is refused."""

import io
import logging
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from contracts.models import AwardDecision, Letter
from groupement.models import Role
from journal.models import Entry
from procurement.models import TenderDocument
from tests.helpers import body_of


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def tamper(field_file):
    with open(field_file.path, "r+b") as handle:
        handle.seek(-8, io.SEEK_END)
        handle.write(b"XXXXXXXX")


@pytest.fixture
def decided(award_flow):
    flow = award_flow()
    award = flow.propose()
    flow.certificates(award)
    flow.submit_proposal()
    flow.decide()
    return flow


def test_the_minutes_are_those_drawn_at_the_decision(client, decided, world):
    decision = AwardDecision.objects.get()
    assert decision.record and len(decision.record_sha256) == 64
    url = reverse("contracts:award_minutes", args=[decided.consultation.pk])
    client.force_login(world.user("M1", Role.REFERENT))
    first = body_of(client.get(url))
    # Edited behind the application's back, the decision's text does not change the record.
    AwardDecision.objects.update(minutes="Texte falsifié après la séance.")
    again = client.get(url)
    assert again.status_code == 200 and body_of(again) == first
    text = pdf_text(first)
    assert "Séance de la CAO." in text and "falsifié" not in text
    entry = Entry.objects.get(action__startswith="décision d'attribution")
    assert entry.reason.endswith(f"procès-verbal SHA-256 {decision.record_sha256}")


def test_a_minutes_file_changed_in_the_storage_is_refused(client, decided, world, caplog):
    decision = AwardDecision.objects.get()
    tamper(decision.record)
    client.force_login(decided.coordinator)
    with caplog.at_level(logging.ERROR):
        response = client.get(reverse("contracts:award_minutes", args=[decided.consultation.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "empreinte SHA-256" in page and "n’est pas servi" in page
    assert reverse("contracts:award", args=[decided.consultation.pk]) in page
    assert "changed in the storage" in caplog.text


def test_a_tender_document_or_a_letter_changed_in_the_storage_is_refused(client, decided, world):
    document = TenderDocument.objects.filter(consultation=decided.consultation).first()
    url = reverse("procurement:document", args=[document.pk])
    client.force_login(decided.coordinator)
    assert client.get(url).status_code == 200
    tamper(document.file)
    assert client.get(url).status_code == 409
    decided.approve_all()
    decided.send_letters()
    letter = Letter.objects.first()
    letter_url = reverse("contracts:letter", args=[letter.pk])
    assert client.get(letter_url).status_code == 200
    tamper(letter.file)
    assert client.get(letter_url).status_code == 409
