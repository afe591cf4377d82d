"""A consultation taken from its ranking to a notified contract, one step at a time."""

import datetime

import pytest

from contracts import services
from contracts.models import CertificateKind
from core import clock as server_clock
from groupement.models import Role
from procurement.models import Bid, Consultation, Lot
from scoring import services as scoring
from scoring.ranking import evaluate
from scoring.rules import scored_criteria
from tests.conftest import rolled_back
from tests.fixtures_procurement import Clock
from tests.matrix import Chain
from tests.scoring.conftest import build_lot_in_analysis, lot_in_analysis, score_all  # noqa: F401

PRICES = [("Alpha", "500000"), ("Bravo", "550000"), ("Charlie", "600000")]
# Totals /100: Alpha 40 + 48 = 88.00; Charlie 33.33 + 48 = 81.33 (each part rounded once from
# its exact points); Bravo 36.36 + 42 = 78.36.
MARKS = {"Alpha": (8, 8, 8), "Bravo": (7, 7, 7), "Charlie": (8, 8, 8)}
MEMBERS = ["COORD", "M1", "M2"]


class AwardFlow:
    """Each method runs one step through the services, as the people concerned would."""

    def __init__(self, world, clock, lot, bids):
        self.world, self.clock, self.lot, self.bids = world, clock, lot, bids
        self.coordinator = world.coordinator()

    def fresh(self, world):
        """The same lot and bids, read again, for `world`'s people."""
        bids = Bid.objects.select_related("bidder").in_bulk([b.pk for b in self.bids])
        lot = Lot.objects.get(pk=self.lot.pk)
        return AwardFlow(world, self.clock, lot, [bids[b.pk] for b in self.bids])

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
        issued_on = issued_on or server_clock.today() - datetime.timedelta(days=20)
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
                decided_on=server_clock.today(),
            )
        cao = self.world.user("COORD", Role.MEMBRE_CAO)
        return services.award_decide(
            consultation=self.consultation,
            user=cao,
            decided_on=server_clock.today(),
            present=[cao],
            votes=services.Votes(cast_for=1, against=0, abstentions=0),
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
        on = on or server_clock.today()
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
            contract=self.contract(), user=self.coordinator, on=server_clock.today()
        )
        return self.contract()


def consolidate_means(world, lot):
    evaluation = evaluate(lot)
    for row in evaluation.rows:
        for criterion in scored_criteria(lot.grid):
            mean = evaluation.means[(row.bid.pk, criterion.pk)][0]
            scoring.consolidate(
                bid=row.bid,
                criterion=criterion,
                user=world.coordinator(),
                value=mean,
                justification=f"{row.bid.bidder.name} : « {criterion.name} » détaillé et chiffré.",
            )


# The lot evaluated with PRICES and MARKS is built once per module, and its notified contract
# once more on top of it (see tests/conftest.py): each test starts from one of them in its own
# savepoint.


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture(scope="module")
def evaluated(module_world):
    with rolled_back():
        flow = build_award_flow(module_world.fresh())
        chain = Chain(
            ["evaluated", "notified"],
            lambda _step: flow.fresh(module_world.fresh()).until_notified(),
        )
        yield flow, chain
        chain.close()


@pytest.fixture(autouse=True)
def _chain_at_the_state_asked(request):
    """Brings the module's chain to the state the test starts from. An autouse fixture runs
    before the test's own savepoint is opened: the chain's steps must stay outside it."""
    if "evaluated" not in request.fixturenames:
        return
    for fixture, state in (("notified", "notified"), ("award_flow", "evaluated")):
        if fixture in request.fixturenames:
            _flow, chain = request.getfixturevalue("evaluated")
            chain.reach(state)
            return


@pytest.fixture
def award_flow(world, clock, evaluated):
    """award_flow(prices=PRICES, marks=MARKS) -> AwardFlow on a fully evaluated lot: the
    module's, the first time it is asked with the default prices and marks."""
    flow, chain = evaluated
    assert chain.reached == 0
    shared = [flow.fresh(world)]

    def build(prices=PRICES, marks=MARKS):
        if shared and (prices, marks) == (PRICES, MARKS):
            return shared.pop()
        return build_award_flow(world, prices, marks)

    return build


@pytest.fixture
def notified(world, clock, evaluated):
    flow, chain = evaluated
    assert chain.reached == 1
    return flow.fresh(world)


def build_award_flow(world, prices=PRICES, marks=MARKS):
    lot, bids, _seats = build_lot_in_analysis(world, prices)
    for bid in bids:
        for key in ("M1", "M2"):
            score_all(world, lot, bid, key, marks[bid.bidder.name])
    consolidate_means(world, lot)
    # The lot was opened 41 days from now, then the clock set back.
    server_clock.move(days=42)
    return AwardFlow(world, Clock(), lot, bids)
