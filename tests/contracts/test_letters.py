"""The award and rejection letters, read back (pypdf): formal French letters, the scores of
every criterion and sub-criterion, the winner's advantages, every means of redress."""

import io
import re

from pypdf import PdfReader

from contracts.models import Letter
from groupement.models import Groupement
from scoring.rules import scored_criteria
from tests.helpers import body_of
from tests.scoring.test_report import fonts_of

COURT = "Tribunal administratif de Lille, 5 rue Geoffroy Saint-Hilaire, 59014 Lille Cedex"


def read(letter):
    reader = PdfReader(letter.file.open("rb"))
    pages = [page.extract_text() for page in reader.pages]
    return reader, pages, re.sub(r"\s+", " ", " ".join(pages))


def test_a_rejection_letter_is_formal_and_names_every_means_of_redress(award_flow):
    flow = award_flow()
    Groupement.objects.filter(pk=flow.consultation.groupement_id).update(
        tribunal=COURT,
        signatory_name="Marc Dufour",
        signatory_title="Vice-président délégué à la commande publique",
    )
    flow.until_letters()
    reader, pages, text = read(Letter.objects.get(bid__bidder__name="Bravo"))
    # A formal letter: sender, addressee, salutation, closing formula, signatory.
    coordinator = flow.consultation.groupement.coordinator
    assert coordinator.name in text and f"SIRET {coordinator.siret}" in text
    assert "Bravo" in text and "Madame, Monsieur," in text
    assert "l’expression de mes salutations distinguées" in text
    assert (
        "Pour le coordonnateur, Marc Dufour Vice-président délégué à la commande publique" in text
    )
    # The scores of every criterion and sub-criterion, the winner's and Bravo's (8 and 7).
    for criterion in scored_criteria(flow.lot.grid):
        assert criterion.name in text
    assert "8,00" in text and "7,00" in text and "88,00" in text and "78,36" in text
    # The characteristics and relative advantages of the winning offer (R2181-3).
    assert "Motifs du choix de l’offre retenue, ses caractéristiques et avantages relatifs" in text
    assert "Alpha : « " in text and "détaillé et chiffré." in text
    assert "Bravo : « " not in text  # the addressee's own appreciation is not the winner's
    # Every means of redress, before the court the groupement names.
    assert COURT in text
    for words in (
        "référé précontractuel",
        "L551-1",
        "référé contractuel",
        "L551-13",
        "trente et un jours",
        "contestation de la validité du contrat",
        "deux mois",
        "Tarn-et-Garonne",
        "R2181-4",
        "quinze jours",
        "R2182-1",
    ):
        assert words in text, words
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in page
    fonts = fonts_of(reader)
    assert fonts and all(fonts.values()), fonts
    assert reader.metadata.author == coordinator.name


def test_the_award_letter_is_signed_for_the_coordinator_and_names_no_recourse(award_flow):
    flow = award_flow()
    flow.until_letters()
    _reader, _pages, text = read(Letter.objects.get(bid__bidder__name="Alpha"))
    assert "votre offre est retenue" in text and "88,00" in text
    assert "référé" not in text and "Motifs du choix" not in text
    coordinator = flow.consultation.groupement.coordinator
    assert f"Le coordonnateur du groupement de commandes, {coordinator.name}" in text


def test_without_a_named_court_the_letter_says_the_competent_one(award_flow):
    flow = award_flow()
    flow.until_letters()
    _reader, _pages, text = read(Letter.objects.get(bid__bidder__name="Bravo"))
    assert "devant le tribunal administratif territorialement compétent" in text


def test_the_minutes_of_the_decision_name_the_members_the_quorum_and_each_lot(
    client, world, award_flow
):
    from django.urls import reverse

    from groupement.models import Role

    flow = award_flow()
    award = flow.propose()
    flow.certificates(award)
    flow.submit_proposal()
    url = reverse("contracts:award_minutes", args=[flow.consultation.pk])
    client.force_login(flow.coordinator)
    before = client.get(url)
    assert before.status_code == 404 and "Aucune décision" in before.content.decode()
    flow.decide()
    cao = world.user("COORD", Role.MEMBRE_CAO)
    for reader in (flow.coordinator, cao, world.user("M1", Role.REFERENT)):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200, reader
        assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(body_of(response)))
    pages = [page.extract_text() for page in pdf.pages]
    text = re.sub(r"\s+", " ", " ".join(pages))
    assert "Procès-verbal de la commission d’appel d’offres" in text
    assert f"– {cao}" in text and "Séance de la CAO." in text
    quorum = flow.consultation.groupement.quorum
    assert f"Quorum : {quorum} membre requis, 1 présent :" in text
    assert (
        "Vote : 1 voix pour, 0 voix contre, 0 abstention. La décision d’attribution est "
        "adoptée, à la majorité des voix des membres présents."
    ) in text
    assert "attribué à Alpha" in text and "88,00" in text
    assert all(f"page {n} / {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert all(fonts_of(pdf).values())
    client.force_login(world.user("M1", Role.EVALUATEUR))
    assert client.get(url).status_code == 403
    client.force_login(world.user("OUT1", Role.GESTIONNAIRE))
    assert client.get(url).status_code == 404


def test_an_offer_not_judged_on_the_criteria_is_told_why_not_what_the_winner_holds():
    """R2181-4 CCP: an offer rejected as irregular, unacceptable or inappropriate (or a
    candidature not admitted) gets neither the winner's advantages nor the information."""
    from types import SimpleNamespace

    from contracts.letters import CriterionLine, LetterContent, redress
    from procurement.models import Bid

    def letter(candidature, offer):
        return LetterContent(
            kind="rejection",
            consultation=None,
            lot=None,
            bid=Bid(candidature=candidature, offer=offer),
            winner=None,
            own=None,
            reasons=[],
            competitors=3,
            earliest_signature=None,
            sent_on=None,
            criteria=[CriterionLine("Méthode", True, 10, 8, None, "Planning précis.")],
        )

    assert letter("admitted", "regular").advantages == [("Méthode", "Planning précis.")]
    assert letter("admitted", "abnormally_low").informed
    for candidature, offer in [
        ("admitted", "irregular"),
        ("admitted", "unacceptable"),
        ("admitted", "inappropriate"),
        ("rejected", "pending"),
    ]:
        assert not letter(candidature, offer).informed and not letter(candidature, offer).advantages
    court = SimpleNamespace(tribunal="")
    assert any("R2181-4" in line for line in redress(court, informed=True))
    assert not any("R2181-4" in line for line in redress(court, informed=False))
    assert any("L551-13" in line for line in redress(court, informed=False))
