"""A consultation taken from its ranking to a notified contract, one step at a time."""

import datetime

import pytest
from django.utils import timezone

from contracts import services
from contracts.models import CertificateKind
from groupement.models import Role
from procurement.models import Consultation
from scoring import services as scoring
from scoring.ranking import evaluate
from scoring.rules import scored_criteria
from tests.scoring.conftest import lot_in_analysis, score_all  # noqa: F401

PRICES = [("Alpha", "500000"), ("Bravo", "550000"), ("Charlie", "600000")]
# Totals /100: Alpha 40 + 48 = 88.00; Charlie 33.32 + 48 = 81.32 (its price score is rounded
# to 8.33 first); Bravo 36.36 + 42 = 78.36.
MARKS = {"Alpha": (8, 8, 8), "Bravo": (7, 7, 7), "Charlie": (8, 8, 8)}
MEMBERS = ["COORD", "M1", "M2"]


class AwardFlow:
    """Each method runs one step through the services, as the people concerned would."""

    def __init__(self, world, clock, lot, bids):
        self.world, self.clock, self.lot, self.bids = world, clock, lot, bids
        self.coordinator = world.coordinator()

    @property
    def consultation(self):
        return Consultation.objects.get(pk=self.lot.consultation_id)

    def bid(self, name):
        return next(b for b in self.bids if b.bidder.name == name)

    def propose(self, name="Alpha", reason=""):
        return services.award_propose(
            lot=self.lot, user=self.coordinator, bid=self.bid(name), reason=reason
        )

    def certificates(self, award, issued_on=None):
        issued_on = issued_on or timezone.localdate() - datetime.timedelta(days=20)
        for kind in CertificateKind:
            services.certificate_record(
                award=award, user=self.coordinator, kind=kind, issued_on=issued_on
            )

    def submit_proposal(self):
        return services.consultation_propose_award(
            consultation=self.consultation, user=self.coordinator
        )

    def decide(self):
        """The committee at or above the European threshold, the coordinator below it."""
        from contracts.award_rules import deciding_body

        if deciding_body(self.consultation) == "coordinator":
            return services.award_decide(
                consultation=self.consultation,
                user=self.coordinator,
                decided_on=timezone.localdate(),
            )
        cao = self.world.user("COORD", Role.MEMBRE_CAO)
        return services.award_decide(
            consultation=self.consultation,
            user=cao,
            decided_on=timezone.localdate(),
            present=[cao],
            minutes="Séance de la CAO.",
        )

    def approve_all(self):
        for key in MEMBERS:
            services.award_approve(
                consultation=self.consultation,
                user=self.world.user(key, Role.REFERENT),
                approve=True,
            )

    def send_letters(self, electronic=True):
        return services.letters_send(
            consultation=self.consultation, user=self.coordinator, electronic=electronic
        )

    def until_letters(self, electronic=True):
        award = self.propose()
        self.certificates(award)
        self.submit_proposal()
        self.decide()
        self.approve_all()
        self.send_letters(electronic=electronic)
        return self.contract()

    def contract(self):
        from contracts.models import Contract

        return Contract.objects.get(lot=self.lot)

    def sign_all(self, on=None):
        on = on or timezone.localdate()
        for key in MEMBERS:
            services.contract_sign(
                contract=self.contract(), user=self.world.user(key, Role.REFERENT), on=on
            )
        return self.contract()

    def until_notified(self):
        self.until_letters()
        self.clock.move(days=12)
        self.sign_all()
        services.contract_notify(
            contract=self.contract(), user=self.coordinator, on=timezone.localdate()
        )
        return self.contract()


def consolidate_means(world, lot):
    evaluation = evaluate(lot)
    for row in evaluation.rows:
        for criterion in scored_criteria(lot.grid):
            mean = evaluation.means[(row.bid.pk, criterion.pk)][0]
            scoring.consolidate(
                bid=row.bid, criterion=criterion, user=world.coordinator(), value=mean
            )


@pytest.fixture
def award_flow(world, clock, lot_in_analysis):  # noqa: F811
    """award_flow(prices=PRICES, marks=MARKS) -> AwardFlow on a fully evaluated lot."""

    def build(prices=PRICES, marks=MARKS):
        lot, bids, _seats = lot_in_analysis(prices)
        for bid in bids:
            for key in ("M1", "M2"):
                score_all(world, lot, bid, key, marks[bid.bidder.name])
        consolidate_means(world, lot)
        # lot_in_analysis opened the bids 41 days from now, then set the clock back.
        clock.move(days=42)
        return AwardFlow(world, clock, lot, bids)

    return build


@pytest.fixture
def notified(award_flow):
    flow = award_flow()
    flow.until_notified()
    return flow
