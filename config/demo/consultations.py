"""Demo consultations in the PMA groupement, built through the services.

The operator consultation replays the PMA's real calendar (launched in December 2021, bids
opened in January 2022) with four fictitious bids, up to their evaluation (config.demo.award
takes it on); a second one is published with its deadline ahead; a third is a draft.
"""

import datetime
from decimal import Decimal

from config.demo.evaluation import define_grid, evaluate_bids
from config.demo.organisations import minimal_pdf
from config.demo.replay import at
from core import clock
from groupement.identifiers import with_luhn_key
from groupement.models import Groupement, Role
from procurement import services
from procurement.models import Consultation, DocumentKind

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
    day = clock.today() + datetime.timedelta(days=days)
    return clock.paris_moment(day.year, day.month, day.day, hour)


def prepare_and_publish(consultation, people):
    """The formal documents added, every member's approval, and the publication."""
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
    with at(2021, 12, 6):
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
                questions_deadline=clock.paris_moment(2022, 1, 14, 12),
                offers_deadline=clock.paris_moment(2022, 1, 24, 12),
                lots=[
                    services.LotTerms(
                        title="Animation et gestion du Parc d'innovation de l'Artois (quatre ans)",
                        estimated_value=Decimal("600000.00"),
                    )
                ],
            ),
        )
    with at(2021, 12, 7):
        define_grid(consultation.lots.get(), coordinator)
    with at(2021, 12, 10):
        prepare_and_publish(consultation, people)
    with at(2021, 12, 20, 15):
        question = services.question_record(
            consultation=consultation,
            user=coordinator,
            text="Les locaux d'animation sont-ils mis à disposition par les agglomérations ?",
            sender="Territoires & Start-up (Paul Garnier)",
        )
    with at(2021, 12, 22, 11):
        services.question_answer(
            question=question,
            user=coordinator,
            answer="Oui : un bureau est mis à disposition sur chacun des trois sites "
            "(CCTP, article 5).",
        )
    bids = []
    for name, siret, email, price, day in OPERATORS:
        with at(2022, 1, day, 11):
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
    with at(2022, 1, 25, 9, 30):
        services.consultation_open_bids(consultation=consultation, user=coordinator)
        services.consultation_start_analysis(consultation=consultation, user=coordinator)
    with at(2022, 1, 27, 14):
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


def seed_consultations(groupement: Groupement, people: dict) -> None:
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    if not Consultation.objects.filter(reference=PARC_OPERATOR).exists():
        _operator_story(groupement, people)
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
        prepare_and_publish(consultation, people)
        # A candidate's question, received today, that the coordinator has still to answer.
        services.question_record(
            consultation=consultation,
            user=coordinator,
            text="Une visite des locaux d'incubation est-elle prévue avant la remise des offres ?",
            sender="Pépinières du Nord SAS (Léa Morel)",
            sender_email="lea.morel@pepinieres-nord.invalid",
            lot=consultation.lots.get(number=1),
        )
        # A company that downloaded the DCE from the public notice and left its address.
        services.candidate_register(
            consultation=consultation,
            company="Pépinières du Nord SAS",
            siret="85678901200015",
            email="lea.morel@pepinieres-nord.invalid",
        )
        # A question the candidate asked itself on the public notice, not yet answered either.
        services.candidate_question(
            consultation=consultation,
            company="Cap Amorçage SCOP",
            siret="91234567800003",
            email="contact@cap-amorcage.invalid",
            text="Le lot Accélération peut-il être attribué à un groupement d'opérateurs ?",
            lot=consultation.lots.get(number=2),
        )

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
