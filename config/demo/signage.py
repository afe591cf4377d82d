"""A demo consultation in the middle of its evaluation, so that each role finds something in
« Mes actions » at first login: the Parc's signage, a MAPA whose deadline passed five days ago,
its three bids opened and admitted, and a panel of three evaluators, one of whom has already
scored (the others are to sign their declaration and score)."""

import datetime
from decimal import Decimal

from config.demo.consultations import prepare_and_publish
from config.demo.evaluation import EVALUATORS, LEVELS
from config.demo.organisations import minimal_pdf
from core import clock
from groupement.identifiers import with_luhn_key
from groupement.models import Role
from procurement import services
from procurement.models import Consultation
from scoring import services as scoring
from scoring.rules import CriterionSpec, scored_criteria

PARC_SIGNAGE = "PMA-2026-04"
# Fictitious firms: (name, a SIRET whose first 13 digits are kept and keyed, e-mail, price
# € HT).
SIGN_MAKERS = [
    ("Signa'Nord", "85678901200015", "devis@signanord.invalid", "61800.00"),
    (
        "Atelier Enseignes d'Artois",
        "86789012300016",
        "contact@enseignes-artois.invalid",
        "57400.00",
    ),
    ("Panneaux & Territoires", "87890123400017", "ao@panneaux-territoires.invalid", "66250.00"),
]
# The first evaluator's marks, per bid (in the order above) and scored criterion.
FIRST_MARKS = [(7, 8), (8, 6), (6, 7)]


def _days_ago(today, days, hour=12):
    """`hour`, Paris time, `days` days before `today`."""
    day = today - datetime.timedelta(days=days)
    return clock.paris_moment(day.year, day.month, day.day, hour)


def seed_signage(groupement, people) -> None:
    if Consultation.objects.filter(reference=PARC_SIGNAGE).exists():
        return
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    today = clock.today()  # the story's days are counted back from it

    def back(days, hour):
        return clock.frozen_at(_days_ago(today, days, hour))

    with back(50, 10):
        consultation = services.consultation_create(
            groupement=groupement,
            user=coordinator,
            terms=services.ConsultationTerms(
                reference=PARC_SIGNAGE,
                title="Signalétique des trois sites du Parc d'innovation",
                procedure="adapted",
                nature="supplies",
                cpv_code="34928470-3",
                electronic_submission=True,
                urgency=False,
                offer_validity_days=90,
                questions_deadline=_days_ago(today, 12),
                offers_deadline=_days_ago(today, 5),
                lots=[
                    services.LotTerms(
                        title="Conception, fabrication et pose de la signalétique",
                        estimated_value=Decimal("65000.00"),
                    )
                ],
            ),
        )
        lot = consultation.lots.get()
        scoring.grid_define(
            lot=lot,
            user=coordinator,
            price_formula="proportional",
            criteria=[
                CriterionSpec("Prix", Decimal(50), is_price=True),
                CriterionSpec(
                    "Valeur technique",
                    Decimal(50),
                    children=[
                        CriterionSpec("Qualité des matériaux", Decimal(30), levels=LEVELS),
                        CriterionSpec("Délais de pose", Decimal(20), levels=LEVELS),
                    ],
                ),
            ],
        )
    with back(48, 10):
        prepare_and_publish(consultation, people)
    bids = []
    for number, (name, siret, email, price) in enumerate(SIGN_MAKERS, start=1):
        with back(6, 9 + number):
            bidder = services.bidder_for(name=name, siret=with_luhn_key(siret[:13]), email=email)
            bids.append(
                services.bid_register(
                    lot=lot,
                    user=coordinator,
                    terms=services.BidTerms(
                        bidder=bidder, price=Decimal(price), receipt_number=f"MAPA-04-{number:02d}"
                    ),
                    documents=[minimal_pdf(f"offre-signaletique-{number}")],
                )
            )
    with back(3, 10):
        services.consultation_open_bids(consultation=consultation, user=coordinator)
        services.consultation_start_analysis(consultation=consultation, user=coordinator)
        for bid in bids:
            services.bid_decide(bid=bid, user=coordinator, decision="admit")
            services.bid_decide(
                bid=bid, user=coordinator, decision="mark_regular", reason="Offre complète."
            )
        seats = [
            scoring.panel_name(
                lot=lot, user=coordinator, evaluator=people[(short, Role.EVALUATEUR)]
            )
            for short in EVALUATORS
        ]
    # The first evaluator has declared and scored; the two others have not started yet.
    first, evaluator = seats[0], people[(EVALUATORS[0], Role.EVALUATEUR)]
    with back(2, 15):
        scoring.declaration_sign(panel_member=first, user=evaluator)
        criteria = scored_criteria(lot.grid)
        for bid, marks in zip(bids, FIRST_MARKS, strict=True):
            sheet = scoring.sheet_save(
                bid=bid,
                user=evaluator,
                scores={
                    c: (Decimal(v), f"Appréciation sur « {c.name} ».")
                    for c, v in zip(criteria, marks, strict=True)
                },
            )
            scoring.sheet_submit(sheet=sheet, user=evaluator)
