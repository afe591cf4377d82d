"""Demo consultations in the PMA groupement, built through the services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from groupement.demo import minimal_pdf
from groupement.models import Groupement, Role
from procurement import services
from procurement.models import Consultation, DocumentKind

PARC_OPERATOR = "PMA-2026-01"
PARC_STUDY = "PMA-2026-02"

FORMAL_DOCUMENTS = [
    (DocumentKind.RC, "Règlement de la consultation"),
    (DocumentKind.CCAP, "Cahier des clauses administratives particulières"),
    (DocumentKind.CCTP, "Cahier des clauses techniques particulières"),
    (DocumentKind.AE, "Acte d'engagement"),
]


def _at(days, hour):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def seed_consultations(groupement: Groupement, people: dict) -> None:
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    if not Consultation.objects.filter(reference=PARC_OPERATOR).exists():
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
                questions_deadline=_at(33, 12),
                offers_deadline=_at(40, 12),
                lots=[
                    services.LotTerms(
                        title="Animation et gestion du Parc d'innovation de l'Artois",
                        estimated_value=Decimal("600000.00"),
                    )
                ],
            ),
        )
        for kind, title in FORMAL_DOCUMENTS:
            services.document_add(
                consultation=consultation,
                user=coordinator,
                kind=kind,
                title=title,
                upload=minimal_pdf(title),
            )
        services.consultation_submit_for_review(consultation=consultation, user=coordinator)
        for short in ("PMA", "CABBALR", "CALL", "CAHC"):
            services.consultation_review(
                consultation=consultation, user=people[(short, Role.REFERENT)], approve=True
            )
        services.consultation_publish(consultation=consultation, user=coordinator)

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
