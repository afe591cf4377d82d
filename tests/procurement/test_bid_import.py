import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from core.workflow import BusinessRuleError
from procurement import services
from procurement.models import Bid, Bidder, ConsultationState
from tests.helpers import messages_of

HEADER = "lot;raison_sociale;siret;identifiant_etranger;pays;courriel;date_depot;numero_accuse"


def _when(consultation, days_before=3):
    moment = timezone.localtime(consultation.offers_deadline) - datetime.timedelta(days=days_before)
    return moment.strftime("%d/%m/%Y %H:%M")


def _register(consultation, lines, encoding="utf-8-sig"):
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    return SimpleUploadedFile("registre.csv", text.encode(encoding), content_type="text/csv")


@pytest.fixture
def published(consultation_in, clock):
    consultation = consultation_in(ConsultationState.PUBLISHED)
    clock.move(days=39)  # the platform's register is exported near the deadline
    return consultation


def _good_lines(consultation):
    when = _when(consultation)
    return [
        f"1;Innov'Artois;73282932000074;;FR;contact@innov.invalid;{when};R-001",
        f"1;Société Générale d’Études Hénin;35600000000048;;FR;;{when};R-002",
        f"1;Animación Ibérica;;ESB12345678;ES;hola@iberica.invalid;{when};R-003",
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_a_register_is_imported_in_utf8_or_windows_1252(world, published, encoding):
    report = services.bids_import_register(
        consultation=published,
        user=world.coordinator(),
        upload=_register(published, _good_lines(published), encoding),
    )
    assert report.created == 3 and report.late == []
    names = set(Bid.objects.values_list("bidder__name", flat=True))
    assert "Société Générale d’Études Hénin" in names and "Animación Ibérica" in names
    assert Bid.objects.get(receipt_number="R-003").bidder.identifier == "ES ESB12345678"


def test_a_deposit_dated_after_the_server_time_is_refused(world, published):
    late = timezone.localtime(published.offers_deadline) + datetime.timedelta(minutes=5)
    lines = _good_lines(published)[:1] + [
        f"1;Retard SARL;35600000012341;;FR;;{late:%d/%m/%Y %H:%M};R-009"
    ]
    with pytest.raises(BusinessRuleError) as refusal:
        services.bids_import_register(
            consultation=published, user=world.coordinator(), upload=_register(published, lines)
        )
    assert "futur" in refusal.value.messages[0]  # not deposited yet at this server time


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1;Mauvais SIRET;73282932000075;;FR;;{when};R-010", "ligne 3 : SIRET 73282932000075"),
        ("7;Lot inconnu;35600000012341;;FR;;{when};R-011", "ligne 3 : lot « 7 » inconnu"),
        ("1;Innov'Artois bis;73282932000074;;FR;;{when};R-012", "ligne 3 : même soumissionnaire"),
        ("1;Date illisible;35600000012341;;FR;;demain;R-013", "ligne 3 : date de dépôt"),
    ],
    ids=["bad-siret", "unknown-lot", "duplicate", "bad-date"],
)
def test_a_bad_line_is_named_and_nothing_is_saved(world, published, line, expected):
    when = _when(published)
    lines = [_good_lines(published)[0], line.format(when=when)]
    with pytest.raises(BusinessRuleError) as refusal:
        services.bids_import_register(
            consultation=published, user=world.coordinator(), upload=_register(published, lines)
        )
    assert expected in " ".join(refusal.value.messages)
    assert not Bid.objects.exists()


def test_every_bad_line_is_reported_at_once(world, published):
    when = _when(published)
    lines = [
        f"1;A;73282932000075;;FR;;{when};R-1",
        f"9;B;35600000012341;;FR;;{when};R-2",
        f"1;C;;;FR;;{when};R-3",
    ]
    with pytest.raises(BusinessRuleError) as refusal:
        services.bids_import_register(
            consultation=published, user=world.coordinator(), upload=_register(published, lines)
        )
    assert [m.split(" :")[0] for m in refusal.value.messages] == ["ligne 2", "ligne 3", "ligne 4"]


def test_a_missing_column_is_refused(world, published):
    text = "lot;raison_sociale;date_depot\n1;A;01/01/2027 10:00\n"
    with pytest.raises(BusinessRuleError) as refusal:
        services.bids_import_register(
            consultation=published,
            user=world.coordinator(),
            upload=SimpleUploadedFile("r.csv", text.encode()),
        )
    assert "siret" in refusal.value.messages[0] and "numero_accuse" in refusal.value.messages[0]


def test_a_wrong_encoding_is_refused(world, published):
    with pytest.raises(BusinessRuleError) as refusal:
        services.bids_import_register(
            consultation=published,
            user=world.coordinator(),
            upload=_register(published, _good_lines(published), "utf-16"),
        )
    assert "UTF-16" in refusal.value.messages[0]
    assert not Bid.objects.exists()


def test_a_deposit_already_registered_is_refused(world, published):
    services.bids_import_register(
        consultation=published,
        user=world.coordinator(),
        upload=_register(published, _good_lines(published)[:1]),
    )
    with pytest.raises(BusinessRuleError) as refusal:
        services.bids_import_register(
            consultation=published,
            user=world.coordinator(),
            upload=_register(published, _good_lines(published)[:2]),
        )
    assert "déjà enregistré" in refusal.value.messages[0]
    assert Bid.objects.count() == 1


def test_a_late_line_in_the_register_is_kept_late(world, consultation_in, clock):
    consultation = consultation_in(ConsultationState.PUBLISHED)
    deadline = timezone.localtime(consultation.offers_deadline)
    clock.move(days=41)
    before = deadline - datetime.timedelta(hours=1)
    after = deadline + datetime.timedelta(minutes=2)
    lines = [
        f"1;À l’heure;73282932000074;;FR;;{before:%d/%m/%Y %H:%M};R-1",
        f"1;En retard;35600000012341;;FR;;{after:%d/%m/%Y %H:%M};R-2",
    ]
    report = services.bids_import_register(
        consultation=consultation, user=world.coordinator(), upload=_register(consultation, lines)
    )
    assert report.late == [3]
    assert Bid.objects.get(receipt_number="R-2").late is True
    assert Bid.objects.get(receipt_number="R-1").late is False


def test_the_import_page_reports_lines(client, world, published):
    client.force_login(world.coordinator())
    bad = [f"1;A;73282932000075;;FR;;{_when(published)};R-1"]
    response = client.post(
        reverse("procurement:bids_import", args=[published.pk]),
        {"register": _register(published, bad)},
    )
    assert response.status_code == 200
    assert "ligne 2" in html.unescape(response.content.decode())
    response = client.post(
        reverse("procurement:bids_import", args=[published.pk]),
        {"register": _register(published, _good_lines(published))},
        follow=True,
    )
    assert any("3 dépôt" in m for m in messages_of(response))


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("1;{long};73282932000074;;FR;;{when};R-9", "raison_sociale longer than"),
        ("1;Opérateur;73282932000074;;FR;;{when};{receipt}", "numero_accuse"),
        ("1;Opérateur;;{foreign};ES;;{when};R-9", "identifiant_etranger"),
        ("1;Opérateur;73282932000074;;FR;pas-une-adresse;{when};R-9", "not valid"),
        ("1;Opérateur;73282932000074;;FRA;;{when};R-9", "two-letter code"),
    ],
)
def test_a_field_the_database_cannot_keep_is_named_on_its_line(world, published, line, said):
    text = line.format(
        long="x" * 201,
        receipt="9" * 61,
        foreign="B" * 41,
        when=_when(published),
    )
    with translation.override("en"), pytest.raises(BusinessRuleError) as refusal:
        services.bids_import_register(
            consultation=published, user=world.coordinator(), upload=_register(published, [text])
        )
    assert refusal.value.messages[0].startswith("line 2:") and said in refusal.value.messages[0]
    assert Bid.objects.count() == 0 and Bidder.objects.count() == 0


def test_a_field_beyond_what_a_csv_reader_takes_is_a_clear_refusal(world, published):
    line = f"1;{'x' * 200_000};73282932000074;;FR;;{_when(published)};R-1"
    with pytest.raises(BusinessRuleError, match="registre des dépôts"):
        services.bids_import_register(
            consultation=published, user=world.coordinator(), upload=_register(published, [line])
        )
    assert Bidder.objects.count() == 0
