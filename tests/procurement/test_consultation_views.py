import datetime
import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core import clock as server_clock
from groupement.models import Role
from procurement import services
from procurement.models import Consultation, ConsultationState, TenderDocument
from tests.fixtures_procurement import terms
from tests.helpers import db_fingerprint, messages_of, query_counts


def procurement_fingerprint():
    return (
        db_fingerprint(),
        list(Consultation.objects.order_by("pk").values_list()),
        list(TenderDocument.objects.order_by("pk").values_list("pk", "version", "current")),
    )


def _form(**overrides):
    later = timezone.localtime(server_clock.now()) + datetime.timedelta(days=45)
    data = {
        "reference": "2027-010",
        "title": "Animation du parc d'innovation",
        "procedure": "open",
        "nature": "services",
        "cpv_code": "79411100-9",
        "electronic_submission": "on",
        "offer_validity_days": "120",
        "questions_deadline": (later - datetime.timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),
        "offers_deadline": later.strftime("%Y-%m-%dT%H:%M"),
        "lots-TOTAL_FORMS": "2",
        "lots-INITIAL_FORMS": "0",
        "lots-MIN_NUM_FORMS": "0",
        "lots-MAX_NUM_FORMS": "1000",
        "lots-0-title": "",
        "lots-0-estimated_value": "600 000,00",
        "lots-1-title": "",
        "lots-1-estimated_value": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def coordinator(client, world):
    world.ours_in("in_force")
    client.force_login(world.coordinator())
    return client


def test_a_one_lot_consultation_is_created_from_the_form_without_lot_clutter(coordinator, world):
    response = coordinator.post(reverse("procurement:create", args=[world.ours.pk]), _form())
    assert response.status_code == 302, response.content.decode()
    consultation = Consultation.objects.get(reference="2027-010")
    lot = consultation.lots.get()
    assert (lot.number, lot.title, lot.estimated_value) == (
        1,
        "Animation du parc d'innovation",
        Decimal("600000.00"),
    )
    page = coordinator.get(reverse("procurement:detail", args=[consultation.pk])).content.decode()
    assert "600\u00a0000,00" in page or "600 000,00" in page
    assert "<h2>Lots</h2>" not in page


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"cpv_code": "7941110-9"}, "NNNNNNNN-N"),
        ({"procedure": "adapted"}, "seuil européen"),
        ({"lots-0-estimated_value": "0"}, "supérieure à 0"),
        ({"lots-0-estimated_value": "-5"}, "supérieure à 0"),
        ({"offers_deadline": "2020-01-01T12:00"}, "précéder la date limite de remise des offres"),
    ],
    ids=["bad-cpv", "mapa-above-threshold", "zero-value", "negative-value", "questions-after"],
)
def test_a_bad_consultation_is_refused_with_a_clear_message(
    coordinator, world, overrides, expected
):
    before = procurement_fingerprint()
    response = coordinator.post(
        reverse("procurement:create", args=[world.ours.pk]), _form(**overrides)
    )
    assert response.status_code == 200
    assert expected in html.unescape(response.content.decode())
    assert procurement_fingerprint() == before


def test_publishing_too_early_names_the_legal_minimum_date(coordinator, world, consultation_in):
    deadline = server_clock.now() + datetime.timedelta(days=20)
    consultation = consultation_in(
        ConsultationState.READY,
        offers_deadline=deadline,
        questions_deadline=deadline - datetime.timedelta(days=7),
    )
    before = procurement_fingerprint()
    response = coordinator.post(reverse("procurement:publish", args=[consultation.pk]), follow=True)
    text = " ".join(messages_of(response))
    assert "délai minimal légal est de 30 jours" in text and "pas avant le" in text
    assert procurement_fingerprint() == before


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("programme.exe", b"MZ...", "Types de fichiers acceptés"),
        ("vide.pdf", b"", "vide"),
        ("gros.pdf", b"%PDF-1.4\n" + b"0" * 5000, "limite"),
    ],
    ids=["forbidden-type", "empty", "oversized"],
)
@override_settings(TENDER_DOCUMENT_MAX_BYTES=4096)
def test_a_bad_tender_document_is_refused(
    coordinator, world, consultation_in, name, content, expected
):
    consultation = consultation_in(ConsultationState.DRAFT)
    before = procurement_fingerprint()
    response = coordinator.post(
        reverse("procurement:document_add", args=[consultation.pk]),
        {"kind": "rc", "title": "RC", "upload": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert expected in html.unescape(response.content.decode())
    assert procurement_fingerprint() == before


def test_a_forged_post_to_another_groupements_consultation_gets_404(client, world, consultation_in):
    world.theirs_in_force()
    theirs = consultation_in(
        ConsultationState.MEMBER_REVIEW, groupement=world.theirs, reference="LEUR-1"
    )
    ours = consultation_in(ConsultationState.DRAFT)
    client.force_login(world.coordinator())
    before = procurement_fingerprint()
    for name, data in [
        ("procurement:publish", {}),
        ("procurement:submit", {}),
        ("procurement:cancel", {"reason": "forgé"}),
        ("procurement:review", {"decision": "approve"}),
        ("procurement:edit", _form()),
    ]:
        assert client.post(reverse(name, args=[theirs.pk]), data).status_code == 404, name
    response = client.post(reverse("procurement:create", args=[world.theirs.pk]), _form())
    assert response.status_code == 404
    assert procurement_fingerprint() == before
    assert ours.state == ConsultationState.DRAFT


def test_members_without_the_right_get_403(client, world, consultation_in):
    consultation = consultation_in(ConsultationState.MEMBER_REVIEW)
    client.force_login(world.user("M1", Role.GESTIONNAIRE))
    assert client.get(reverse("procurement:edit", args=[consultation.pk])).status_code == 403
    assert client.get(reverse("procurement:review", args=[consultation.pk])).status_code == 403
    client.force_login(world.user("M1", Role.LECTEUR))
    before = procurement_fingerprint()
    response = client.post(
        reverse("procurement:review", args=[consultation.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert procurement_fingerprint() == before


def test_a_referent_approves_through_the_review_page(client, world, consultation_in):
    consultation = consultation_in(ConsultationState.MEMBER_REVIEW)
    client.force_login(world.user("M1", Role.REFERENT))
    detail = client.get(reverse("procurement:detail", args=[consultation.pk])).content.decode()
    assert reverse("procurement:review", args=[consultation.pk]) in detail
    response = client.post(
        reverse("procurement:review", args=[consultation.pk]),
        {"decision": "approve", "comment": "RAS"},
    )
    assert response.status_code == 302
    review = consultation.reviews.get()
    assert (review.organisation, review.decision) == (world.orgs["M1"], "approved")


def test_tender_documents_are_served_to_the_groupement_only(client, world, consultation_in):
    consultation = consultation_in("draft_with_documents")
    document = consultation.documents.first()
    url = reverse("procurement:document", args=[document.pk])
    client.force_login(world.user("M2", Role.LECTEUR))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(world.user("OUT1", Role.GESTIONNAIRE))
    assert client.get(url).status_code == 404


def test_the_detail_page_reads_as_many_queries_for_1_lot_as_for_6(client, world, consultation_in):
    small, large = (
        consultation_in(
            "draft_with_documents",
            lots=[
                services.LotTerms(title=f"Lot {i}", estimated_value=Decimal("10000"))
                for i in range(n_lots)
            ],
        )
        for n_lots in (1, 6)
    )
    client.force_login(world.coordinator())

    def page(consultation):
        response = client.get(reverse("procurement:detail", args=[consultation.pk]))
        assert response.status_code == 200

    counts = query_counts(lambda: page(small), lambda: page(large))
    assert counts[0] == counts[1] <= 40, counts


def test_the_list_shows_only_consultations_of_ones_groupements(client, world, consultation_in):
    world.theirs_in_force()
    consultation_in(ConsultationState.DRAFT)
    consultation_in(
        ConsultationState.DRAFT,
        groupement=world.theirs,
        reference="LEUR-2",
        title="Consultation confidentielle",
    )
    client.force_login(world.user("M1", Role.LECTEUR))
    page = client.get(reverse("procurement:list")).content.decode()
    assert "2027-001" in page
    assert "Consultation confidentielle" not in page


def test_terms_helper_is_valid(world):
    assert terms().lots


def test_the_dashboard_lists_what_waits_on_consultations(client, world, consultation_in, clock):
    reviewing = consultation_in(ConsultationState.MEMBER_REVIEW, reference="REL-1")
    ready = consultation_in(ConsultationState.READY, reference="PRETE-1")
    client.force_login(world.user("M1", Role.REFERENT))
    page = client.get(reverse("groupement:dashboard")).content.decode()
    assert reverse("procurement:review", args=[reviewing.pk]) in page
    services.consultation_review(
        consultation=reviewing, user=world.user("M1", Role.REFERENT), approve=True
    )
    page = client.get(reverse("groupement:dashboard")).content.decode()
    assert reverse("procurement:review", args=[reviewing.pk]) not in page
    client.force_login(world.coordinator())
    page = client.get(reverse("groupement:dashboard")).content.decode()
    assert "PRETE-1" in page and "Publier la consultation" in page
    assert ready.state == ConsultationState.READY


def test_the_history_is_paginated_the_latest_entries_first(client, world, consultation_in):
    """A consultation of hundreds of deposits has hundreds of entries: 25 per page."""
    from journal.services import journal_record
    from procurement import selectors

    consultation = consultation_in("draft")
    for number in range(1, 31):
        journal_record(
            actor=world.coordinator(), obj=consultation, action=f"note de suivi n° {number}"
        )
    total = selectors.consultation_history(consultation).count()
    assert total > 30
    client.force_login(world.coordinator())
    url = reverse("procurement:detail_history", args=[consultation.pk])
    first = html.unescape(client.get(url).content.decode())
    assert "note de suivi n° 30" in first and "note de suivi n° 6<" in first
    assert "note de suivi n° 5<" not in first
    assert f"{total} entrées, les plus récentes d’abord" in first
    assert "?historique=2" in first
    second = html.unescape(client.get(url, {"historique": "2"}).content.decode())
    assert "note de suivi n° 5<" in second and "note de suivi n° 30" not in second
    # A page number out of range or not a number shows a page, never an error.
    for page in ("999", "abc", "-1"):
        assert client.get(url, {"historique": page}).status_code == 200
    # As many queries for two pages of history as for one.
    one, two = query_counts(lambda: client.get(url), lambda: client.get(url, {"historique": 2}))
    assert one == two


def test_a_file_missing_from_the_storage_is_said_not_a_server_error(client, world, consultation_in):
    """A disk lost, a database restored without its files: a French page (404), no 500."""
    consultation = consultation_in("draft_with_documents")
    document = consultation.documents.order_by("pk").first()
    document.file.storage.delete(document.file.name)
    client.force_login(world.coordinator())
    response = client.get(reverse("procurement:document", args=[document.pk]))
    assert response.status_code == 404
    text = html.unescape(response.content.decode())
    assert "n'est plus dans le stockage" in text or "n’est plus dans le stockage" in text
    assert reverse("procurement:detail", args=[consultation.pk]) in text


def test_the_consultation_page_is_a_summary_and_sections_each_at_its_address(
    client, world, published
):
    """The summary says where the consultation stands; the lists that grow (documents,
    questions, deposits, history) each have their section, named with their count."""
    client.force_login(world.user("M1", Role.REFERENT))
    urls = {
        section: reverse(name, args=[published.pk])
        for section, name in [
            ("summary", "procurement:detail"),
            ("documents", "procurement:detail_documents"),
            ("questions", "procurement:detail_questions"),
            ("bids", "procurement:detail_bids"),
            ("history", "procurement:detail_history"),
        ]
    }
    pages = {s: html.unescape(client.get(url).content.decode()) for s, url in urls.items()}
    documents = published.documents.filter(current=True).count()
    summary = pages["summary"]
    assert f"Pièces du DCE ({documents})" in summary and "Plis (2)" in summary
    assert "Questions (0)" in summary and "Vue d’ensemble" in summary
    assert "Territoires Conseil" not in summary and 'id="historique"' not in summary
    assert "Territoires Conseil" in pages["bids"] and "Innov'Artois" in pages["bids"]
    assert 'id="historique"' in pages["history"]
    assert published.documents.first().title in pages["documents"]
    for section, page in pages.items():
        current = f'href="{urls[section]}" aria-current="page"'
        assert page.count('aria-current="page"') == 1 and current in page, section


def test_my_actions_leads_a_blocked_draft_to_its_page_and_says_what_blocks_it(
    coordinator, consultation_in
):
    consultation = consultation_in(ConsultationState.DRAFT)  # no tender documents yet
    body = html.unescape(coordinator.get(reverse("groupement:dashboard")).content.decode())
    page = reverse("procurement:detail", args=[consultation.pk])
    assert f'href="{page}"' in body  # the page that holds the button, not its POST address
    assert reverse("procurement:submit", args=[consultation.pk]) not in body
    assert "Règlement de la consultation (RC)" in body  # the missing document, named
    assert coordinator.get(page).status_code == 200


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ({"lots-0-title": "Incubation"}, ["Incubation"]),
        (
            {
                "lots-0-title": "Incubation",
                "lots-1-title": "Accélération",
                "lots-1-estimated_value": "140 000",
            },
            ["Incubation", "Accélération"],
        ),
    ],
)
def test_the_lot_titles_are_saved_as_typed(coordinator, world, typed, saved):
    response = coordinator.post(reverse("procurement:create", args=[world.ours.pk]), _form(**typed))
    assert response.status_code == 302, response.content.decode()
    consultation = Consultation.objects.get(reference="2027-010")
    assert [lot.title for lot in consultation.lots.order_by("number")] == saved
    assert consultation.title == "Animation du parc d'innovation"
    edit = coordinator.get(reverse("procurement:edit", args=[consultation.pk])).content.decode()
    for title in saved:
        assert f'value="{title}"' in edit
