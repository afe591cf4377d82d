"""Demo consultations in the PMA groupement, built through the services.

The operator consultation replays the PMA's real calendar (launched in December 2021, bids
opened in January 2022) with four fictitious bids, up to the award, the notified operator
contract and one signed amendment; a second one is published with its deadline ahead; a third
is a draft.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from groupement import replay
from groupement.demo import minimal_pdf, with_luhn_key
from groupement.models import Groupement, Role
from procurement import services
from procurement.models import Consultation, ConsultationState, DocumentKind

PARC_OPERATOR = "PMA-2021-01"
PARC_STARTUPS = "PMA-2026-02"
PARC_STUDY = "PMA-2026-03"
MEMBERS = ("PMA", "CABBALR", "CALL", "CAHC")

FORMAL_DOCUMENTS = [
    (DocumentKind.RC, "Règlement de la consultation"),
    (DocumentKind.CCAP, "Cahier des clauses administratives particulières"),
    (DocumentKind.CCTP, "Cahier des clauses techniques particulières"),
    (DocumentKind.AE, "Acte d'engagement"),
]

# Fictitious operators: (name, SIRET prefix, e-mail, price € HT, deposit day in January 2022).
OPERATORS = [
    ("Innov'Artois Conseil", "81234567800011", "contact@innov-artois.invalid", "588000.00", 20),
    ("Territoires & Start-up", "82345678900012", "offres@territoires.invalid", "547500.00", 21),
    ("Cap Industrie Animation", "83456789000013", "ao@cap-industrie.invalid", "612000.00", 24),
    ("Éco-Parcs Services", "84567890100014", "marches@eco-parcs.invalid", "389000.00", 24),
]


def _at(days, hour):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _paris(year, month, day, hour):
    return datetime.datetime(year, month, day, hour, tzinfo=replay.PARIS)


def _prepare_and_publish(consultation, people):
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    for kind, title in FORMAL_DOCUMENTS:
        services.document_add(
            consultation=consultation,
            user=coordinator,
            kind=kind,
            title=title,
            upload=minimal_pdf(title),
        )
    services.consultation_submit_for_review(consultation=consultation, user=coordinator)
    for short in MEMBERS:
        services.consultation_review(
            consultation=consultation, user=people[(short, Role.REFERENT)], approve=True
        )
    services.consultation_publish(consultation=consultation, user=coordinator)


def _operator_story(groupement, people):
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    with replay.at(2021, 12, 6):
        consultation = services.consultation_create(
            groupement=groupement,
            user=coordinator,
            terms=services.ConsultationTerms(
                reference=PARC_OPERATOR,
                title="Animation et gestion du Parc d'innovation de l'Artois",
                procedure="open",
                nature="services",
                cpv_code="79411100-9",
                electronic_submission=True,
                urgency=False,
                offer_validity_days=120,
                questions_deadline=_paris(2022, 1, 14, 12),
                offers_deadline=_paris(2022, 1, 24, 12),
                lots=[
                    services.LotTerms(
                        title="Animation et gestion du Parc d'innovation de l'Artois (quatre ans)",
                        estimated_value=Decimal("600000.00"),
                    )
                ],
            ),
        )
    from scoring.demo import define_grid, evaluate_bids

    with replay.at(2021, 12, 7):
        define_grid(consultation.lots.get(), coordinator)
    with replay.at(2021, 12, 10):
        _prepare_and_publish(consultation, people)
    with replay.at(2021, 12, 20, 15):
        question = services.question_record(
            consultation=consultation,
            user=coordinator,
            text="Les locaux d'animation sont-ils mis à disposition par les agglomérations ?",
        )
    with replay.at(2021, 12, 22, 11):
        services.question_answer(
            question=question,
            user=coordinator,
            answer="Oui : un bureau est mis à disposition sur chacun des trois sites "
            "(CCTP, article 5).",
        )
    bids = []
    for name, siret, email, price, day in OPERATORS:
        with replay.at(2022, 1, day, 11):
            bidder = services.bidder_for(name=name, siret=with_luhn_key(siret[:13]), email=email)
            bids.append(
                services.bid_register(
                    lot=consultation.lots.get(),
                    user=coordinator,
                    terms=services.BidTerms(
                        bidder=bidder,
                        price=Decimal(price),
                        receipt_number=f"PLACE-2022-{day:02d}{len(bids) + 1:02d}",
                    ),
                    documents=[minimal_pdf(f"offre-{len(bids) + 1}")],
                )
            )
    with replay.at(2022, 1, 25, 9, 30):
        services.consultation_open_bids(consultation=consultation, user=coordinator)
        services.consultation_start_analysis(consultation=consultation, user=coordinator)
    with replay.at(2022, 1, 27, 14):
        for bid in bids:
            services.bid_decide(bid=bid, user=coordinator, decision="admit")
        for bid in bids[:3]:
            services.bid_decide(
                bid=bid,
                user=coordinator,
                decision="mark_regular",
                reason="Offre complète et conforme au cahier des charges.",
            )
        services.bid_request_price_justification(bid=bids[3], user=coordinator)
    evaluate_bids(consultation.lots.get(), bids[:3], people)


def _award_story(consultation, people):
    """From the ranking to the notified contract (mission B: the PMA signs for all) and its
    first amendment."""
    from django.test import override_settings

    from procurement.award_rules import lot_ranking

    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    lot = consultation.lots.get()
    low = lot.bids.get(bidder__name=OPERATORS[3][0])
    with replay.at(2022, 2, 7, 10):
        services.bid_judge_price_justification(
            bid=low,
            user=coordinator,
            accepted=False,
            reason="Le prix ne couvre pas le temps d'animation exigé par le CCTP (1,5 ETP) ; "
            "la justification produite ne l'explique pas (art. R2152-3 CCP).",
        )
    with replay.at(2022, 2, 8, 10):
        _complete, ranking = lot_ranking(lot)
        award = services.award_propose(lot=lot, user=coordinator, bid=ranking[0].bid)
    with replay.at(2022, 2, 10, 10):
        for kind, issued in (("tax", 4), ("social", 5), ("urssaf", 5)):
            services.certificate_record(
                award=award,
                user=coordinator,
                kind=kind,
                issued_on=datetime.date(2022, 2, issued),
                reference="Transmise par l'attributaire via la plateforme",
            )
        services.consultation_propose_award(consultation=consultation, user=coordinator)
    with replay.at(2022, 2, 17, 14):
        committee = list(consultation.groupement.committee_members.all())
        services.award_decide(
            consultation=consultation,
            user=people[("PMA", Role.MEMBRE_CAO)],
            decided_on=datetime.date(2022, 2, 17),
            present=committee,
            minutes="La commission d'appel d'offres du groupement attribue le marché à "
            "l'offre classée première.",
        )
    for day, short in zip((21, 22, 23, 24), MEMBERS, strict=True):
        with replay.at(2022, 2, day, 11):
            services.award_approve(
                consultation=consultation, user=people[(short, Role.REFERENT)], approve=True
            )
    # The bidders' addresses are fictitious: the letters are kept, not mailed.
    with (
        replay.at(2022, 2, 25, 9),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
    ):
        services.letters_send(consultation=consultation, user=coordinator)
    contract = lot.contract
    with replay.at(2022, 3, 1, 10):
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
    with replay.at(2022, 3, 10, 15):
        services.contract_sign(contract=contract, user=coordinator, on=datetime.date(2022, 3, 10))
    with replay.at(2022, 3, 14, 10):
        services.contract_notify(contract=contract, user=coordinator, on=datetime.date(2022, 3, 14))
    with replay.at(2022, 4, 1, 9):
        services.contract_start(contract=contract, user=coordinator, on=datetime.date(2022, 4, 1))
    with replay.at(2022, 4, 8, 10):
        services.essential_data_record_publication(
            groupement=consultation.groupement, user=coordinator, on=datetime.date(2022, 4, 8)
        )
    with replay.at(2023, 5, 9, 10):
        amendment = services.amendment_propose(
            contract=contract,
            user=coordinator,
            ground="small",
            description="Cycle de six ateliers de prospection auprès d'entreprises extérieures "
            "au territoire, demandé par les trois agglomérations.",
            amount_change=Decimal("18000.00"),
        )
    for day, short in zip((11, 12, 15, 16), MEMBERS, strict=True):
        with replay.at(2023, 5, day, 11):
            services.amendment_review(
                amendment=amendment, user=people[(short, Role.REFERENT)], approve=True
            )
    with replay.at(2023, 5, 19, 15):
        services.amendment_sign(
            amendment=amendment, user=coordinator, on=datetime.date(2023, 5, 19)
        )
    with replay.at(2023, 5, 22, 10):
        services.amendment_notify(
            amendment=amendment, user=coordinator, on=datetime.date(2023, 5, 22)
        )
    with replay.at(2023, 6, 5, 10):
        services.essential_data_record_publication(
            groupement=consultation.groupement, user=coordinator, on=datetime.date(2023, 6, 5)
        )


def seed_consultations(groupement: Groupement, people: dict) -> None:
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    if not Consultation.objects.filter(reference=PARC_OPERATOR).exists():
        _operator_story(groupement, people)
    operator = Consultation.objects.get(reference=PARC_OPERATOR)
    # A database seeded before the award existed goes on with the story.
    if operator.state == ConsultationState.ANALYSIS:
        _award_story(operator, people)

    if not Consultation.objects.filter(reference=PARC_STARTUPS).exists():
        consultation = services.consultation_create(
            groupement=groupement,
            user=coordinator,
            terms=services.ConsultationTerms(
                reference=PARC_STARTUPS,
                title="Accompagnement des jeunes entreprises innovantes du Parc",
                procedure="open",
                nature="services",
                cpv_code="79410000-1",
                electronic_submission=True,
                urgency=False,
                offer_validity_days=120,
                questions_deadline=_at(33, 12),
                offers_deadline=_at(40, 12),
                lots=[
                    services.LotTerms(title="Incubation", estimated_value=Decimal("180000.00")),
                    services.LotTerms(title="Accélération", estimated_value=Decimal("140000.00")),
                ],
            ),
        )
        _prepare_and_publish(consultation, people)

    if not Consultation.objects.filter(reference=PARC_STUDY).exists():
        services.consultation_create(
            groupement=groupement,
            user=coordinator,
            terms=services.ConsultationTerms(
                reference=PARC_STUDY,
                title="Étude de positionnement des filières du Parc d'innovation",
                procedure="adapted",
                nature="services",
                cpv_code="79311000-7",
                electronic_submission=True,
                urgency=False,
                offer_validity_days=90,
                questions_deadline=_at(20, 12),
                offers_deadline=_at(28, 12),
                lots=[
                    services.LotTerms(
                        title="Étude de positionnement", estimated_value=Decimal("45000.00")
                    )
                ],
            ),
        )
