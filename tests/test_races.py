"""Exactly once: fifty simultaneous requests on each irreversible step give one effect and one
journal entry, the other forty-nine a refusal naming the rule (never an error, never twice).

Each request runs in its own thread with its own database connection, as fifty server workers
would; the row locks that make this hold are PostgreSQL's (SQLite writes one at a time).
"""

import collections
import fcntl
import tempfile
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, connections

from contracts import services
from contracts.models import AmendmentApproval, AwardDecision, Letter, Signature
from core import clock as server_clock
from core.workflow import BusinessRuleError
from groupement.models import Role
from journal.models import Entry
from journal.services import journal_verify
from procurement import services as procurement
from procurement.models import ConsultationState, Opening
from tests.contracts.conftest import MEMBERS, build_award_flow

RACERS = 50

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture(autouse=True)
def one_race_at_a_time():
    """Fifty connections per race: the races of two test processes do not overlap."""
    with open(Path(tempfile.gettempdir()) / "groupement-races.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
        fcntl.flock(lock, fcntl.LOCK_UN)


def race(step) -> collections.Counter:
    """Runs step() in RACERS threads released together; counts what each got."""
    barrier = threading.Barrier(RACERS)
    outcomes: collections.Counter = collections.Counter()

    def run():
        try:
            barrier.wait()
            step()
            outcomes["done"] += 1
        except BusinessRuleError:
            outcomes["refused"] += 1
        except Exception as error:  # noqa: BLE001 (any other outcome fails the test, named)
            outcomes[repr(error)] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def new_entries(since: int) -> collections.Counter:
    return collections.Counter(
        Entry.objects.filter(seq__gt=since).values_list("action", "content_type", "object_id")
    )


def assert_exactly_once(outcomes, since):
    assert outcomes == {"done": 1, "refused": RACERS - 1}, outcomes
    entries = new_entries(since)
    assert entries, "the step wrote nothing to the journal"
    assert max(entries.values()) == 1, f"journaled twice: {entries}"
    assert journal_verify() is None


def last_seq() -> int:
    return Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_the_bids_are_opened_once(world, consultation_in, register_bid, clock):
    consultation = consultation_in(ConsultationState.PUBLISHED)
    register_bid(consultation, "Innov'Artois", 1)
    clock.move(days=41)
    since = last_seq()
    outcomes = race(
        lambda: procurement.consultation_open_bids(
            consultation=consultation, user=world.coordinator()
        )
    )
    assert_exactly_once(outcomes, since)
    assert Opening.objects.count() == 1


@pytest.fixture
def proposed(world, clock):
    """The award proposed to the deciding body, its certificates checked."""
    flow = build_award_flow(world)
    flow.certificates(flow.propose())
    flow.submit_proposal()
    return flow


def test_the_award_is_decided_once(proposed):
    since = last_seq()
    assert_exactly_once(race(proposed.decide), since)
    assert AwardDecision.objects.count() == 1


def test_the_letters_go_out_once(proposed):
    proposed.decide()
    proposed.approve_all()
    since = last_seq()
    assert_exactly_once(race(proposed.send_letters), since)
    assert Letter.objects.count() == len(proposed.bids)


def test_a_member_signs_the_contract_once(proposed, world):
    proposed.decide()
    proposed.approve_all()
    proposed.send_letters()
    proposed.clock.move(days=12)
    contract, referent = proposed.contract(), world.user("M1", Role.REFERENT)
    since = last_seq()
    outcomes = race(
        lambda: services.contract_sign(contract=contract, user=referent, on=server_clock.today())
    )
    assert_exactly_once(outcomes, since)
    assert Signature.objects.filter(contract=contract, amendment=None).count() == 1


def test_a_member_signs_an_amendment_once(proposed, world):
    proposed.decide()
    proposed.approve_all()
    proposed.send_letters()
    proposed.clock.move(days=12)
    contract = proposed.sign_all()
    services.contract_notify(contract=contract, user=proposed.coordinator, on=server_clock.today())
    amendment = services.amendment_propose(
        contract=contract,
        user=proposed.coordinator,
        ground="small",
        description="Ateliers supplémentaires.",
        amount_change=Decimal("10000"),
    )
    for key in MEMBERS:
        services.amendment_review(
            amendment=amendment, user=world.user(key, Role.REFERENT), approve=True
        )
    assert AmendmentApproval.objects.filter(amendment=amendment).count() == len(MEMBERS)
    referent = world.user("M1", Role.REFERENT)
    since = last_seq()
    outcomes = race(
        lambda: services.amendment_sign(amendment=amendment, user=referent, on=server_clock.today())
    )
    assert_exactly_once(outcomes, since)
    assert Signature.objects.filter(amendment=amendment).count() == 1


def test_a_candidate_registered_fifty_times_at_once_is_registered_once(world, consultation_in):
    from procurement.models import RegisteredCandidate

    consultation = consultation_in(ConsultationState.PUBLISHED)
    since = last_seq()
    outcomes = race(
        lambda: procurement.candidate_register(
            consultation=consultation,
            company="Pépinières du Nord",
            siret="81234567800005",
            email="lea@pepinieres.invalid",
        )
    )
    # Registering again is no refusal: every request gets the same answer, one row is written.
    assert outcomes == {"done": RACERS}, outcomes
    assert RegisteredCandidate.objects.count() == 1
    assert sum(new_entries(since).values()) == 1
    assert journal_verify() is None
