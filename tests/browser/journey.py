"""The data of the whole journey (tests/browser/test_whole_journey.py), the browser helpers it
uses, and the checks of what it leaves behind."""

import json
import re
from decimal import Decimal

from contracts.models import AmendmentState, ContractState
from core import clock as server_clock
from groupement.models import Role
from journal.models import Entry
from journal.selectors import history_for
from journal.services import journal_verify
from procurement.models import ConsultationState
from tests.browser.helpers import expect_no_error

PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory
SUBMIT = "main form button[type=submit]"
NAME = "Groupement pour l'animation économique de l'Artois"
REFERENCE = "GAE-2027-01"
MEMBERS = ["COORD", "M1", "M2"]
SHARES = {"COORD": "40", "M1": "35", "M2": "25"}
TENDER_DOCUMENTS = [
    ("rc", "Règlement de la consultation"),
    ("ccap", "Cahier des clauses administratives particulières"),
    ("cctp", "Cahier des clauses techniques particulières"),
    ("ae", "Acte d'engagement"),
]
LEVELS = "0: absent | 5: correct | 10: excellent"
GRID = "\n".join(
    [
        "Prix; 40; prix",
        "Valeur technique; 60",
        f"  Méthodologie d'animation; 25; {LEVELS}",
        f"  Moyens humains; 20; {LEVELS}",
        f"  Réseau et partenariats; 15; {LEVELS}",
    ]
)
CRITERIA = ["Méthodologie d'animation", "Moyens humains", "Réseau et partenariats"]
# (bidder, number for its SIRET, price typed the French way)
BIDDERS = [
    ("Alpha Conseil", 1, "500 000,00"),
    ("Bravo Territoires", 2, "550 000,00"),
    ("Charlie Développement", 3, "600 000,00"),
]
# Both evaluators give the same marks out of 10, criterion by criterion.
MARKS = {
    "Alpha Conseil": (8, 8, 8),
    "Bravo Territoires": (7, 7, 7),
    "Charlie Développement": (8, 8, 8),
}
# Expected ranking, proportional price formula, price on 40 points, technique on 60:
#   Alpha   40 × 500/500 = 40.00 + (8×25 + 8×20 + 8×15)/10 = 48 → 88.00
#   Charlie 10 × 500/600 = 8.333… → 33.33 + 48 → 81.33
#   Bravo   10 × 500/550 = 9.09 → 36.36 + (7×60)/10 = 42 → 78.36
RANKING = [("Alpha Conseil", 88.00), ("Charlie Développement", 81.33), ("Bravo Territoires", 78.36)]
WINNER_PRICE = Decimal("500000")
AMENDMENT = Decimal("10000")


class Journey:
    """One browser per person, logged in once and reused; each step screenshotted on request."""

    def __init__(self, world, page_for, screenshot, tmp_path):
        self.world, self.page_for, self.shot, self.tmp_path = world, page_for, screenshot, tmp_path
        self.pages = {}

    def login(self, key, role):
        if (key, role) not in self.pages:
            self.pages[(key, role)] = self.page_for(self.world.user(key, role), PASSWORD)
        return self.pages[(key, role)]

    def submit(self, page, name, url, button=SUBMIT):
        """Screenshots the filled form, submits it, and checks where it lands, unrefused."""
        self.shot(page, name)
        with page.expect_navigation():
            page.click(button)
        expect_no_error(page)
        assert re.search(url, page.url), f"expected {url}, landed on {page.url}"

    def follow(self, page, href_end):
        """Clicks the link of the page whose address ends so, and waits for its page."""
        with page.expect_navigation():
            page.click(f"main a[href$='{href_end}']")
        assert page.url.endswith(href_end), page.url

    def download(self, page, selector, name):
        with page.expect_download() as info:
            page.click(selector)
        path = self.tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert info.value.suggested_filename == name
        return path


def check_what_is_left(journey, groupement, consultation, contract, amendment):
    """An outsider sees nothing; the database and the journal agree with what the pages said."""
    world, login, shot = journey.world, journey.login, journey.shot
    coord_user, cao = world.coordinator(), world.user("COORD", Role.MEMBRE_CAO)
    # --- 11. An outsider knows nothing of the groupement --------------------------------------
    outsider = login("OUT1", Role.GESTIONNAIRE)
    response = outsider.goto(f"/groupements/{groupement.pk}/decp.json")
    assert response.status == 404
    shot(outsider, "outsider-decp-404")
    assert outsider.request.get(f"/groupements/{groupement.pk}/decp.json").status == 404
    assert outsider.request.get(f"/groupements/{groupement.pk}/donnees-ouvertes/").status == 404
    assert outsider.request.get(f"/groupements/{world.theirs.pk}/decp.json").status == 200

    # --- The database agrees with what the pages said ---------------------------------------
    consultation.refresh_from_db()
    contract.refresh_from_db()
    amendment.refresh_from_db()
    assert consultation.state == ConsultationState.COMPLETED
    assert contract.state == ContractState.NOTIFIED
    assert contract.data_published_on == server_clock.today()
    assert amendment.state == AmendmentState.SIGNED
    assert amendment.notified_on == server_clock.today()
    assert amendment.data_published_on == server_clock.today()
    assert contract.signatures.filter(amendment=None).count() == 3
    assert contract.signatures.filter(amendment=amendment).count() == 3

    # The journal names who did each step, and its chain of hashes is intact.
    def actors(obj, action):
        return {e.actor for e in history_for(obj) if e.action.startswith(action)}

    referents = {world.user(key, Role.REFERENT) for key in MEMBERS}
    assert actors(groupement, "création") == {coord_user}
    assert actors(consultation, "ouverture des plis") == {coord_user}
    assert actors(consultation, "décision d'attribution") == {cao}
    assert len(actors(consultation, "attribution approuvée par tous") & referents) == 1
    assert actors(contract, "signature ") == referents
    assert actors(contract, "notification au titulaire") == {coord_user}
    assert len(actors(amendment, "avenant signé") & referents) == 1
    assert actors(amendment, "avenant notifié") == {coord_user}
    assert Entry.objects.filter(action="export de la grille (xlsx)", actor=coord_user).exists()
    assert journal_verify() is None


def check_the_decp(path, world, contract, holder):
    """The DECP file downloaded: one contract, its terms, its holder and its amended amount."""
    decp = json.loads(path.read_text(encoding="utf-8"))
    marches = decp["marches"]["marche"]
    assert len(marches) == 1
    marche = marches[0]
    assert marche["id"] == contract.number
    assert marche["acheteur"]["id"] == world.orgs["COORD"].siret
    assert marche["montant"] == float(WINNER_PRICE)
    assert marche["dureeMois"] == 36
    assert marche["ccag"] == "Prestations intellectuelles"
    assert marche["offresRecues"] == 3
    assert marche["titulaires"] == [{"titulaire": {"typeIdentifiant": "SIRET", "id": holder.siret}}]
    assert marche["modifications"][0]["modification"]["montant"] == float(WINNER_PRICE + AMENDMENT)
