"""The demo's award of the PMA operator consultation, as it happened: the abnormally low offer
rejected, the committee's decision, the members' approvals, the letters, the operator contract
signed by the PMA for all (mission B) and notified, and its first amendment."""

import datetime
from decimal import Decimal

from config.demo.consultations import MEMBERS, OPERATORS, PARC_OPERATOR
from config.demo.replay import at
from contracts import services
from groupement.models import Role
from procurement import services as procurement
from procurement.models import Consultation, ConsultationState
from scoring.ranking import lot_ranking


def _award_story(consultation, people):
    """From the ranking to the notified contract (mission B: the PMA signs for all) and its
    first amendment."""
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    lot = consultation.lots.get()
    low = lot.bids.get(bidder__name=OPERATORS[3][0])
    with at(2022, 2, 7, 10):
        procurement.bid_judge_price_justification(
            bid=low,
            user=coordinator,
            accepted=False,
            reason="Le prix ne couvre pas le temps d'animation exigé par le CCTP (1,5 ETP) ; "
            "la justification produite ne l'explique pas (art. R2152-3 CCP).",
        )
    with at(2022, 2, 8, 10):
        _complete, ranking = lot_ranking(lot)
        award = services.award_propose(lot=lot, user=coordinator, bid=ranking[0].bid)
    with at(2022, 2, 10, 10):
        for kind, issued in (("tax", 4), ("social", 5), ("urssaf", 5)):
            services.certificate_record(
                award=award,
                user=coordinator,
                kind=kind,
                issued_on=datetime.date(2022, 2, issued),
                reference="Transmise par l'attributaire via la plateforme",
            )
        services.consultation_propose_award(consultation=consultation, user=coordinator)
    with at(2022, 2, 17, 14):
        committee = list(consultation.groupement.committee_members.all())
        services.award_decide(
            consultation=consultation,
            user=people[("PMA", Role.MEMBRE_CAO)],
            decided_on=datetime.date(2022, 2, 17),
            present=committee,
            votes=services.Votes(cast_for=len(committee) - 1, against=0, abstentions=1),
            minutes="La commission d'appel d'offres du groupement attribue le marché à "
            "l'offre classée première.",
        )
    for day, short in zip((21, 22, 23, 24), MEMBERS, strict=True):
        with at(2022, 2, day, 11):
            services.award_approve(
                consultation=consultation, user=people[(short, Role.REFERENT)], approve=True
            )
    # The bidders' addresses are fictitious: the letters are kept, not mailed (seed_demo).
    with at(2022, 2, 25, 9):
        services.letters_send(consultation=consultation, user=coordinator)
    contract = lot.contract
    with at(2022, 3, 1, 10):
        services.contract_update(
            contract=contract,
            user=coordinator,
            terms=services.ContractTerms(
                amount=contract.amount,
                amount_kind="fixed",
                duration_months=48,
                price_form="Forfaitaire",
                price_type="Définitif révisable",
                ccag="Prestations intellectuelles",
                place_code="62",
                social="Clause sociale",
            ),
        )
    with at(2022, 3, 10, 15):
        services.contract_sign(contract=contract, user=coordinator, on=datetime.date(2022, 3, 10))
    with at(2022, 3, 14, 10):
        services.contract_notify(contract=contract, user=coordinator, on=datetime.date(2022, 3, 14))
    with at(2022, 4, 1, 9):
        services.contract_start(contract=contract, user=coordinator, on=datetime.date(2022, 4, 1))
    with at(2022, 4, 8, 10):
        services.essential_data_record_publication(
            groupement=consultation.groupement, user=coordinator, on=datetime.date(2022, 4, 8)
        )
    with at(2023, 5, 9, 10):
        amendment = services.amendment_propose(
            contract=contract,
            user=coordinator,
            ground="small",
            description="Cycle de six ateliers de prospection auprès d'entreprises extérieures "
            "au territoire, demandé par les trois agglomérations.",
            amount_change=Decimal("18000.00"),
        )
    for day, short in zip((11, 12, 15, 16), MEMBERS, strict=True):
        with at(2023, 5, day, 11):
            services.amendment_review(
                amendment=amendment, user=people[(short, Role.REFERENT)], approve=True
            )
    with at(2023, 5, 19, 15):
        services.amendment_sign(
            amendment=amendment, user=coordinator, on=datetime.date(2023, 5, 19)
        )
    with at(2023, 5, 22, 10):
        services.amendment_notify(
            amendment=amendment, user=coordinator, on=datetime.date(2023, 5, 22)
        )
    with at(2023, 6, 5, 10):
        services.essential_data_record_publication(
            groupement=consultation.groupement, user=coordinator, on=datetime.date(2023, 6, 5)
        )


def seed_award(people: dict) -> None:
    operator = Consultation.objects.get(reference=PARC_OPERATOR)
    # A database seeded before the award existed goes on with the story.
    if operator.state == ConsultationState.ANALYSIS:
        _award_story(operator, people)
