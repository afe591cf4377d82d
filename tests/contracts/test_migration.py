"""The award and the contracts moved from the procurement app to the contracts app: a database
seeded before the move keeps every row, and its journal still verifies after it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contracts.models import Amendment, Award, Contract, Letter
from journal.models import Entry
from journal.selectors import history_for
from tests.conftest import build_world
from tests.contracts.conftest import build_award_flow

BEFORE_THE_MOVE = [("procurement", "0004_award_and_contract"), ("contracts", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _tables():
    return set(connection.introspection.table_names())


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.fixture
def notified(world, clock):
    """Built in this test's own database, which migrates back and forth: no shared state."""
    flow = build_award_flow(world)
    flow.until_notified()
    return flow


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_rows_and_its_journal(notified):
    contract = notified.contract()
    counts = (Award.objects.count(), Letter.objects.count(), Contract.objects.count())
    entries = [e.pk for e in history_for(contract)]
    assert entries and Entry.objects.count() > len(entries)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    _migrate(BEFORE_THE_MOVE)
    assert {"procurement_award", "procurement_contract"} <= _tables()
    assert "contracts_contract" not in _tables()
    assert ContentType.objects.filter(app_label="procurement", model="contract").exists()

    _migrate(leaves)
    assert {"contracts_award", "contracts_contract", "contracts_awarddecision_present"} <= _tables()
    assert not {"procurement_award", "procurement_contract"} & _tables()
    assert (Award.objects.count(), Letter.objects.count(), Contract.objects.count()) == counts
    assert not ContentType.objects.filter(app_label="procurement", model="contract").exists()
    # Same content type ids: the history still finds the contract's entries, and every MAC,
    # which covers the content type id, still verifies.
    assert [e.pk for e in history_for(Contract.objects.get(pk=contract.pk))] == entries
    call_command("verify_journal")
    assert Amendment.objects.count() == 0
