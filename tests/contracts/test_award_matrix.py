"""The permission matrix of the award, the contract and its amendments.

Each state is built once through the services; every (action, role) case then runs inside a
savepoint that is rolled back, so that the next case starts from the same state.
"""

from decimal import Decimal as D

import pytest
from django.db import transaction

from contracts import services
from contracts.models import (
    Amendment,
    AmendmentApproval,
    Award,
    AwardApproval,
    AwardDecision,
    Certificate,
    Contract,
    Letter,
    Signature,
)
from core import clock as server_clock
from groupement.models import Role
from journal.models import Entry
from procurement.models import Consultation, Lot
from tests.conftest import rolled_back
from tests.contracts.conftest import MEMBERS, AwardFlow, build_award_flow
from tests.groupement.test_permission_matrix import MANAGER, ROLES
from tests.matrix import Case, Chain, check_case, each_state

CAO = ("COORD", Role.MEMBRE_CAO)
REFERENTS = {("COORD", Role.REFERENT), ("M1", Role.REFERENT)}

# Each state adds one step to the previous one.
STATES = [
    "analysis",
    "proposed",
    "award_proposed",
    "decided",
    "awarded",
    "to_sign",
    "signed",
    "notified",
    "in_execution",
    "amendment_proposed",
    "amendment_approved",
    "amendment_signed",
]
AMENDED = {"amendment_proposed", "amendment_approved", "amendment_signed"}
ALLOWED = {
    "propose": {("analysis", MANAGER), ("proposed", MANAGER)},
    "close_lot": {("analysis", MANAGER), ("proposed", MANAGER)},
    "certificate": {(s, MANAGER) for s in ("proposed", "award_proposed", "decided")},
    "submit_proposal": {("proposed", MANAGER)},
    "decide": {("award_proposed", CAO)},
    "approve": {("decided", r) for r in REFERENTS},
    "refuse": {("decided", r) for r in REFERENTS},
    "reconsider": {("award_proposed", MANAGER), ("decided", MANAGER)},
    "send_letters": {("awarded", MANAGER)},
    "update_terms": {("to_sign", MANAGER)},
    "set_shares": {("to_sign", MANAGER)},
    "sign": {("to_sign", r) for r in REFERENTS},
    "notify": {("signed", MANAGER)},
    "start": {("notified", MANAGER)},
    "finish": {("in_execution", MANAGER)} | {(s, MANAGER) for s in AMENDED},
    "terminate": {(s, MANAGER) for s in ("notified", "in_execution", *AMENDED)},
    "propose_amendment": {(s, MANAGER) for s in ("notified", "in_execution", *AMENDED)},
    "review_amendment": {("amendment_proposed", r) for r in REFERENTS},
    "sign_amendment": {("amendment_approved", r) for r in REFERENTS},
    "notify_amendment": {("amendment_signed", MANAGER)},
}


def advance(flow, step):
    """Adds `step` to the flow, through the services."""
    today = server_clock.today
    if step == "proposed":
        flow.certificates(flow.propose())
    elif step == "award_proposed":
        flow.submit_proposal()
    elif step == "decided":
        flow.decide()
    elif step == "awarded":
        flow.approve_all()
    elif step == "to_sign":
        flow.send_letters()
        flow.clock.move(days=12)
    elif step == "signed":
        flow.sign_all()
    elif step == "notified":
        services.contract_notify(contract=flow.contract(), user=flow.coordinator, on=today())
    elif step == "in_execution":
        services.contract_start(contract=flow.contract(), user=flow.coordinator, on=today())
    elif step == "amendment_proposed":
        services.amendment_propose(
            contract=flow.contract(),
            user=flow.coordinator,
            ground="small",
            description="Ateliers supplémentaires.",
            amount_change=D("10000"),
        )
    elif step == "amendment_approved":
        for key in MEMBERS:
            services.amendment_review(
                amendment=Amendment.objects.get(),
                user=flow.world.user(key, Role.REFERENT),
                approve=True,
            )
    elif step == "amendment_signed":
        for key in MEMBERS:
            services.amendment_sign(
                amendment=Amendment.objects.get(),
                user=flow.world.user(key, Role.REFERENT),
                on=today(),
            )


def runners(flow):
    """{action: call(user)}, for the actions whose object exists in this state."""
    today = server_clock.today()
    consultation = flow.consultation
    award = Award.objects.filter(lot=flow.lot).first()
    contract = Contract.objects.filter(lot=flow.lot).first()
    amendment = Amendment.objects.first()
    calls = {
        "propose": lambda user: services.award_propose(
            lot=flow.lot, user=user, bid=flow.bid("Alpha")
        ),
        "close_lot": lambda user: services.lot_close_without_award(
            lot=flow.lot, user=user, outcome="unsuccessful", reason="Aucune offre acceptable."
        ),
        "submit_proposal": lambda user: services.consultation_propose_award(
            consultation=consultation, user=user
        ),
        "decide": lambda user: services.award_decide(
            consultation=consultation,
            user=user,
            decided_on=today,
            present=[flow.world.user(*CAO)],
            votes=services.Votes(cast_for=1, against=0, abstentions=0),
        ),
        "approve": lambda user: services.award_approve(
            consultation=consultation, user=user, approve=True
        ),
        "refuse": lambda user: services.award_approve(
            consultation=consultation, user=user, approve=False, comment="À revoir."
        ),
        "reconsider": lambda user: services.award_reconsider(
            consultation=consultation, user=user, reason="Erreur de calcul."
        ),
        "send_letters": lambda user: services.letters_send(consultation=consultation, user=user),
    }
    if award is not None:
        calls["certificate"] = lambda user: services.certificate_record(
            award=award, user=user, kind="tax", issued_on=today
        )
    if contract is not None:
        calls |= {
            "update_terms": lambda user: services.contract_update(
                contract=contract,
                user=user,
                terms=services.ContractTerms(
                    amount=D("500000"),
                    amount_kind="maximum",
                    duration_months=36,
                    price_form="Mixte",
                    price_type="Définitif révisable",
                    ccag="Prestations intellectuelles",
                ),
            ),
            "set_shares": lambda user: services.contract_set_shares(
                contract=contract,
                user=user,
                shares={
                    flow.world.orgs["COORD"]: D("40"),
                    flow.world.orgs["M1"]: D("30"),
                    flow.world.orgs["M2"]: D("30"),
                },
            ),
            "sign": lambda user: services.contract_sign(contract=contract, user=user, on=today),
            "notify": lambda user: services.contract_notify(contract=contract, user=user, on=today),
            "start": lambda user: services.contract_start(contract=contract, user=user, on=today),
            "finish": lambda user: services.contract_finish(contract=contract, user=user, on=today),
            "terminate": lambda user: services.contract_terminate(
                contract=contract, user=user, on=today, ground="general_interest", reason="Fin."
            ),
            "propose_amendment": lambda user: services.amendment_propose(
                contract=contract,
                user=user,
                ground="small",
                description="Une journée de plus.",
                amount_change=D("1000"),
            ),
        }
    if amendment is not None:
        calls |= {
            "review_amendment": lambda user: services.amendment_review(
                amendment=amendment, user=user, approve=True
            ),
            "sign_amendment": lambda user: services.amendment_sign(
                amendment=amendment, user=user, on=today
            ),
            "notify_amendment": lambda user: services.amendment_notify(
                amendment=amendment, user=user, on=today
            ),
        }
    return calls


def snapshot():
    return (
        list(Consultation.objects.values_list("state", "award_round")),
        list(Lot.objects.values_list("outcome")),
        list(Award.objects.values_list("bid", "proposed_at")),
        Certificate.objects.count(),
        AwardDecision.objects.count(),
        AwardApproval.objects.count(),
        Letter.objects.count(),
        list(Contract.objects.values_list("state", "amount", "shares_overridden")),
        Signature.objects.count(),
        list(Amendment.objects.values_list("state", "notified_on")),
        AmendmentApproval.objects.count(),
        Entry.objects.count(),
    )


class Undo(Exception):
    """Raised at the end of each case so that its savepoint is rolled back."""


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture(scope="module")
def chain(module_world):
    with rolled_back():
        flow = build_award_flow(module_world.fresh())
        chain = Chain(STATES, lambda step: advance(flow, step))
        yield flow, chain
        chain.close()


@pytest.fixture(scope="module")
def built(request, chain):
    flow, chain = chain
    chain.reach(request.param)
    return request.param, flow


@each_state(STATES)
def test_award_and_contract_actions_follow_the_matrix(world, built):
    state, chained = built
    flow = AwardFlow(world, chained.clock, Lot.objects.get(pk=chained.lot.pk), chained.bids)
    failures, checked = [], 0
    calls, before = runners(flow), snapshot()
    for action, allowed in ALLOWED.items():
        if action not in calls:
            continue
        for role in ROLES:
            user = world.user(*role)
            case = Case(state, action, role, (state, role) in allowed)
            try:
                with transaction.atomic():
                    check_case(
                        case,
                        run=lambda: calls[action](user),  # noqa: B023 (called at once)
                        snapshot=snapshot,
                        before=before,
                    )
                    raise Undo
            except Undo:
                checked += 1
            except AssertionError as failure:
                failures.append(f"{action} by {role[0]}.{role[1]}: {failure}")
    assert checked >= len(ROLES) * 8
    assert not failures, "\n".join(failures)


def test_matrix_covers_every_contract_and_amendment_transition():
    from contracts.models import Amendment as A
    from contracts.models import Contract as C

    # mark_signed follows the last signature; refuse is the review's other answer.
    assert {t.name for t in C().get_all_state_transitions()} == {
        "mark_signed",
        "notify",
        "start_execution",
        "finish",
        "terminate",
    }
    assert {t.name for t in A().get_all_state_transitions()} == {
        "approve",
        "refuse",
        "mark_signed",
    }
