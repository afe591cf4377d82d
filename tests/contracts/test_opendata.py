"""The open data: DECP 2.0 essential data of notified contracts, and OCDS 1.1 release packages,
each validated against the publishers' own schemas."""

import datetime
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from contracts import services
from contracts.models import (
    AmendmentGround,
    Ccag,
    Contract,
    EnvironmentalConsideration,
    ExecutionMode,
    PriceForm,
    PriceType,
    SocialConsideration,
)
from contracts.opendata import (
    CONTRACT_STATUS,
    DECP_GROUPING,
    DECP_PROCEDURE,
    OCID_PREFIX,
    PROCUREMENT_METHOD,
    SIRET_SCHEME,
    TENDER_STATUS,
    decp_document,
    ocds_release_package,
)
from groupement.identifiers import with_luhn_key
from procurement.models import (
    Bid,
    Bidder,
    BidMember,
    ConsultationState,
    GroupingKind,
    Subcontractor,
)

# The official schemas, unchanged from their publishers (see contracts/schemas/README.md).
from tests.contracts.opendata_checks import (
    DECP_QUERIES,
    DECP_SCHEMA,
    OCDS_QUERIES,
    add_awarded_lot,
    codes,
    decp_errors,
    load,
    marche_enum,
    ocds_errors,
    propose_and_sign,
    the_marche,
    today,
)

# --- DECP 2.0 --------------------------------------------------------------------------------


def test_our_vocabularies_are_the_schema_enums():
    assert set(DECP_PROCEDURE.values()) <= marche_enum("procedure")
    assert set(DECP_GROUPING.values()) == marche_enum("typeGroupementOperateurs")
    assert set(Ccag.values) == marche_enum("ccag")
    assert set(PriceForm.values) == marche_enum("formePrix")
    assert set(PriceType.values) == marche_enum("typesPrix")
    assert set(ExecutionMode.values) == marche_enum("modalitesExecution")
    assert set(SocialConsideration.values) == marche_enum("considerationsSociales")
    assert set(EnvironmentalConsideration.values) == marche_enum("considerationsEnvironnementales")
    assert {"Accord-cadre", "Sans objet"} <= marche_enum("techniques")
    assert set(DECP_GROUPING) == set(GroupingKind.values)


def test_the_decp_of_a_notified_contract_validates(notified, world):
    contract = notified.contract()
    document = decp_document(Contract.objects.all())
    assert decp_errors(document) == []
    marche = the_marche(document)
    required = load(DECP_SCHEMA)["definitions"]["marche"]["required"]
    assert set(required) <= set(marche)
    assert marche["id"] == contract.number
    assert marche["acheteur"] == {"id": world.orgs["COORD"].siret}
    assert marche["montant"] == 500000.0
    assert marche["dureeMois"] == contract.duration_months
    assert marche["offresRecues"] == 3
    assert marche["procedure"] == "Appel d'offres ouvert"
    assert marche["codeCPV"] == "79411100"
    assert marche["techniques"] == {"technique": ["Sans objet"]}
    assert marche["typeGroupementOperateurs"] == "Pas de groupement"
    assert marche["sousTraitanceDeclaree"] is False
    assert marche["attributionAvance"] is False and "tauxAvance" not in marche
    assert marche["titulaires"] == [
        {"titulaire": {"typeIdentifiant": "SIRET", "id": notified.bid("Alpha").bidder.siret}}
    ]
    assert marche["dateNotification"] == contract.notified_on.isoformat()
    # Never published before: the export is the publication.
    assert marche["datePublicationDonnees"] == today().isoformat()
    assert "modifications" not in marche


def test_the_decp_keeps_the_recorded_terms(notified):
    contract = notified.contract()
    Contract.objects.filter(pk=contract.pk).update(
        advance_rate=D("0.050"),
        framework_agreement=True,
        execution_mode=ExecutionMode.ORDERS,
        data_published_on=contract.notified_on,
    )
    bid = contract.award.bid
    Subcontractor.objects.create(bid=bid, name="Sous-traitant", services="Entretien")
    # A joint and several group: each of its members holds the contract.
    Bid.objects.filter(pk=bid.pk).update(grouping=GroupingKind.JOINT_SEVERAL)
    partner = Bidder.objects.create(name="Delta", siret=with_luhn_key("8000000990001"))
    BidMember.objects.create(bid=bid, bidder=partner)
    marche = the_marche(decp_document([contract]))
    assert marche["typeGroupementOperateurs"] == "Solidaire"
    assert [t["titulaire"]["id"] for t in marche["titulaires"]] == [
        contract.holder.siret,
        partner.siret,
    ]
    assert (marche["attributionAvance"], marche["tauxAvance"]) == (True, 0.05)
    assert marche["techniques"] == {"technique": ["Accord-cadre"]}
    assert marche["modalitesExecution"] == {"modaliteExecution": ["Bons de commande"]}
    assert marche["sousTraitanceDeclaree"] is True
    assert marche["datePublicationDonnees"] == contract.notified_on.isoformat()
    assert decp_errors(decp_document([contract])) == []


def test_a_notified_amendment_is_a_modification_with_the_new_amount(notified):
    first = propose_and_sign(notified, amount_change=D("10000"), duration_change_months=6)
    services.amendment_notify(amendment=first, user=notified.coordinator, on=today())
    # Signed but not notified yet: not in force, not published.
    propose_and_sign(notified, amount_change=D("5000"))
    document = decp_document(Contract.objects.all())
    assert decp_errors(document) == []
    marche = the_marche(document)
    assert marche["montant"] == 500000.0  # the initial amount never changes
    (modification,) = marche["modifications"]
    assert modification["modification"] == {
        "id": 1,
        "dateNotificationModification": today().isoformat(),
        "datePublicationDonneesModification": today().isoformat(),
        "montant": 510000.0,
        "dureeMois": notified.contract().duration_months + 6,
        "titulaires": marche["titulaires"],
    }

    # The same amendments in the OCDS export: every signed one counts there.
    package = ocds_release_package(notified.consultation)
    assert ocds_errors(package) == []
    (contract,) = package["releases"][0]["contracts"]
    assert contract["value"] == {"amount": 515000.0, "currency": "EUR"}
    assert [a["id"] for a in contract["amendments"]] == ["1", "2"]
    with translation.override("fr"):
        assert contract["amendments"][0]["rationale"] == str(AmendmentGround.SMALL.label)


def test_a_contract_not_yet_notified_is_not_exported(award_flow):
    flow = award_flow()
    flow.until_letters()
    assert decp_document(Contract.objects.all()) == {"marches": {"marche": []}}
    flow.clock.move(days=12)
    contract = flow.sign_all()
    assert contract.state == "signed"
    document = decp_document([contract])
    assert document == {"marches": {"marche": []}}
    assert decp_errors(document) == []


def test_a_foreign_holder_is_identified_by_vat_or_as_outside_the_eu(notified):
    contract = notified.contract()
    holders = {
        "TVA": Bidder.objects.create(name="Gmbh", foreign_id="de 123.456.789", country="DE"),
        "HORS-UE": Bidder.objects.create(name="AG", foreign_id="CHE-123.456.789", country="CH"),
    }
    assert set(holders) <= marche_enum("titulaires")
    expected = {"TVA": "DE123456789", "HORS-UE": "CHE-123.456.789"}
    for kind, holder in holders.items():
        Contract.objects.filter(pk=contract.pk).update(holder=holder)
        document = decp_document([contract])
        assert decp_errors(document) == []
        assert the_marche(document)["titulaires"] == [
            {"titulaire": {"typeIdentifiant": kind, "id": expected[kind]}}
        ]
    package = ocds_release_package(notified.consultation)
    assert ocds_errors(package) == []
    supplier = next(p for p in package["releases"][0]["parties"] if p["name"] == "AG")
    assert supplier["id"] == "CH-CHE-123.456.789"
    assert supplier["roles"] == ["supplier"]


# --- OCDS 1.1 --------------------------------------------------------------------------------


def test_the_ocds_package_of_a_completed_consultation_validates(notified, world):
    consultation = notified.consultation
    package = ocds_release_package(consultation)
    assert ocds_errors(package) == []
    assert package["version"] == "1.1"
    assert package["publisher"]["name"] == world.orgs["COORD"].name
    (release,) = package["releases"]
    assert release["ocid"] == f"{OCID_PREFIX}-{consultation.reference}"
    assert release["tag"] == ["tender", "award", "contract"]
    assert set(release["tag"]) <= codes("releaseTag.csv")
    tender = release["tender"]
    assert tender["status"] == "complete"
    assert (tender["procurementMethod"], tender["mainProcurementCategory"]) == ("open", "services")
    assert tender["procurementMethodDetails"] == "Appel d'offres ouvert"
    assert tender["numberOfTenderers"] == 3
    assert tender["value"] == {"amount": 600000.0, "currency": "EUR"}
    assert tender["items"][0]["classification"] == {"scheme": "CPV", "id": "79411100"}
    assert tender["lots"] == [
        {
            "id": "1",
            "title": "Animation",
            "status": "complete",
            "value": {"amount": 600000.0, "currency": "EUR"},
        }
    ]
    (award,) = release["awards"]
    assert (award["status"], award["value"]["amount"]) == ("active", 500000.0)
    assert award["suppliers"][0]["name"] == "Alpha"
    (contract,) = release["contracts"]
    assert (contract["awardID"], contract["status"]) == (award["id"], "active")
    assert contract["value"] == {"amount": 500000.0, "currency": "EUR"}
    notified_on = notified.contract().notified_on
    start = datetime.datetime.fromisoformat(contract["period"]["startDate"])
    assert (start.date(), start.time(), start.tzinfo is not None) == (
        notified_on,
        datetime.time.min,
        True,
    )
    statistics = {s["measure"]: s["value"] for s in release["bids"]["statistics"]}
    assert statistics == {
        "bids": 3,
        "validBids": 3,
        "lowestValidBidValue": 500000.0,
        "highestValidBidValue": 600000.0,
    }


def test_our_ocds_codes_come_from_the_codelists():
    assert set(TENDER_STATUS.values()) <= codes("tenderStatus.csv")
    assert set(PROCUREMENT_METHOD.values()) <= codes("method.csv")
    assert set(CONTRACT_STATUS.values()) <= codes("contractStatus.csv")
    assert set(TENDER_STATUS) == set(ConsultationState.values)


def test_each_party_appears_once_with_its_roles(notified, world):
    package = ocds_release_package(notified.consultation)
    release = package["releases"][0]
    roles = {party["name"]: party["roles"] for party in release["parties"]}
    assert roles == {
        world.orgs["COORD"].name: ["buyer", "procuringEntity"],
        world.orgs["M1"].name: ["buyer"],
        world.orgs["M2"].name: ["buyer"],
        "Alpha": ["tenderer", "supplier"],
        "Bravo": ["tenderer"],
        "Charlie": ["tenderer"],
    }
    assert {role for party in release["parties"] for role in party["roles"]} <= codes(
        "partyRole.csv"
    )
    coordinator = world.orgs["COORD"]
    assert release["buyer"] == {
        "id": f"{SIRET_SCHEME}-{coordinator.siret}",
        "name": coordinator.name,
    }
    ids = {party["id"] for party in release["parties"]}
    references = release["tender"]["tenderers"] + [
        s for award in release["awards"] for s in award["suppliers"]
    ]
    assert {ref["id"] for ref in references} <= ids


def test_sealed_bids_stay_out_of_the_open_data(consultation_in, register_bid):
    consultation = consultation_in(ConsultationState.PUBLISHED)
    register_bid(consultation, "Alpha", 1)
    package = ocds_release_package(consultation)
    assert ocds_errors(package) == []
    release = package["releases"][0]
    assert release["tender"]["status"] == "active"
    assert "tenderers" not in release["tender"] and "numberOfTenderers" not in release["tender"]
    assert "bids" not in release and "awards" not in release
    # The members only: nobody has bid yet, as far as the public knows.
    roles = {tuple(party["roles"]) for party in release["parties"]}
    assert roles == {("buyer", "procuringEntity"), ("buyer",)}


def test_a_proposed_award_is_not_published_before_the_letters(award_flow):
    flow = award_flow()
    flow.propose()
    package = ocds_release_package(flow.consultation)
    assert ocds_errors(package) == []
    release = package["releases"][0]
    assert "awards" not in release and "contracts" not in release
    assert release["tender"]["numberOfTenderers"] == 3
    # The counts are known after the opening; the prices wait for the award letters.
    assert {s["measure"] for s in release["bids"]["statistics"]} == {"bids", "validBids"}
    flow.certificates(flow.lot.award)
    flow.submit_proposal()
    flow.decide()
    flow.approve_all()
    flow.send_letters()
    package = ocds_release_package(flow.consultation)
    assert ocds_errors(package) == []
    release = package["releases"][0]
    (award,) = release["awards"]
    # The standstill is OCDS's cooling off period: pending until the contract is signed.
    assert award["status"] == "pending"
    assert release["contracts"][0]["status"] == "pending"
    assert len(release["bids"]["statistics"]) == 4


# --- Commands --------------------------------------------------------------------------------


def test_export_decp_writes_a_valid_file(notified, world, tmp_path):
    output = tmp_path / "decp.json"
    out = io.StringIO()
    call_command("export_decp", output=str(output), stdout=out)
    document = json.loads(output.read_text(encoding="utf-8"))
    assert decp_errors(document) == []
    assert len(document["marches"]["marche"]) == 1
    assert "1 marché exporté" in out.getvalue()
    # Accents stay readable in the file.
    assert "Marché" in output.read_text(encoding="utf-8")

    out = io.StringIO()
    call_command("export_decp", output=str(output), groupement=world.theirs.pk, stdout=out)
    assert json.loads(output.read_text(encoding="utf-8")) == {"marches": {"marche": []}}
    assert "0 marché exporté" in out.getvalue()
    with pytest.raises(CommandError, match="Aucun groupement"):
        call_command("export_decp", output=str(output), groupement=999999)


def test_export_ocds_writes_a_valid_file(notified, tmp_path):
    reference = notified.consultation.reference
    output = tmp_path / "ocds.json"
    out = io.StringIO()
    call_command("export_ocds", reference, output=str(output), stdout=out)
    package = json.loads(output.read_text(encoding="utf-8"))
    assert ocds_errors(package) == []
    # No public address set: the package names itself by its ocid, never by this file.
    assert package["uri"] == f"urn:ocid:{package['releases'][0]['ocid']}"
    assert str(tmp_path) not in output.read_text(encoding="utf-8")
    assert reference in out.getvalue()


def test_the_ocds_uri_is_the_public_address_set(notified, client, settings):
    settings.OPEN_DATA_BASE_URL = "https://donnees.example.fr/pma"
    consultation = notified.consultation
    expected = f"https://donnees.example.fr/pma/ocds-{consultation.reference}.json"
    assert ocds_release_package(consultation)["uri"] == expected
    client.force_login(notified.coordinator)
    response = client.get(reverse("contracts:ocds", args=[consultation.pk]))
    assert json.loads(response.content)["uri"] == expected


@pytest.mark.parametrize("state", ["draft", "member_review", "ready", "cancelled"])
def test_a_consultation_never_published_has_no_open_data(
    world, consultation_in, client, tmp_path, state
):
    consultation = consultation_in(state)
    client.force_login(world.coordinator())
    response = client.get(reverse("contracts:ocds", args=[consultation.pk]))
    assert response.status_code == 409
    assert "pas été publiée" in response.content.decode()
    page = client.get(reverse("contracts:opendata", args=[world.ours.pk])).content.decode()
    assert reverse("contracts:ocds", args=[consultation.pk]) not in page
    output = tmp_path / "ocds.json"
    with pytest.raises(CommandError, match="pas été publiée"):
        call_command("export_ocds", consultation.reference, output=str(output))
    assert not output.exists()


def test_a_published_consultation_has_its_open_data(world, consultation_in, client):
    consultation = consultation_in("published")
    client.force_login(world.coordinator())
    response = client.get(reverse("contracts:ocds", args=[consultation.pk]))
    assert response.status_code == 200
    assert json.loads(response.content)["releases"][0]["tender"]["status"] == "active"


def test_export_ocds_of_an_unknown_reference_fails(db, tmp_path):
    output = tmp_path / "ocds.json"
    with pytest.raises(CommandError, match="Aucune consultation de référence 1999-404"):
        call_command("export_ocds", "1999-404", output=str(output))
    assert not output.exists()


# --- Queries ---------------------------------------------------------------------------------


def test_the_builders_read_a_bounded_number_of_queries(notified, django_assert_max_num_queries):
    contract = notified.contract()
    consultation = notified.consultation
    with CaptureQueriesContext(connection) as decp_one:
        decp_document(Contract.objects.all())
    with CaptureQueriesContext(connection) as ocds_one:
        ocds_release_package(consultation)
    for number in range(2, 7):
        add_awarded_lot(contract, number)
    with django_assert_max_num_queries(DECP_QUERIES):
        document = decp_document(Contract.objects.all())
    with django_assert_max_num_queries(OCDS_QUERIES):
        package = ocds_release_package(consultation)
    assert len(document["marches"]["marche"]) == 6
    assert len(package["releases"][0]["contracts"]) == 6
    with CaptureQueriesContext(connection) as decp_six:
        decp_document(Contract.objects.all())
    with CaptureQueriesContext(connection) as ocds_six:
        ocds_release_package(consultation)
    assert len(decp_six) == len(decp_one)
    assert len(ocds_six) == len(ocds_one)
    assert decp_errors(document) == [] and ocds_errors(package) == []
