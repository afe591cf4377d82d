from django.core.management.base import BaseCommand
from django.utils import timezone

from procurement.models import Consultation, ConsultationState
from procurement.services import consultation_close_if_due


class Command(BaseCommand):
    help = (
        "Clôt les consultations publiées dont la date limite de remise des offres est passée "
        "(sans effet sur les autres ; peut tourner chaque minute)."
    )

    def handle(self, *args, **options):
        due = Consultation.objects.filter(
            state=ConsultationState.PUBLISHED, offers_deadline__lte=timezone.now()
        )
        closed = 0
        for consultation in due:
            if consultation_close_if_due(consultation=consultation).state == "closed":
                closed += 1
        self.stdout.write(f"{closed} consultation(s) close(s).")
