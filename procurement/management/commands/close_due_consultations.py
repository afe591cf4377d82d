from django.core.management.base import BaseCommand

from core.formats import counted
from procurement.services import consultations_close_due


class Command(BaseCommand):
    help = (
        "Clôt les consultations publiées dont la date limite de remise des offres est passée "
        "(sans effet sur les autres ; peut tourner chaque minute)."
    )

    def handle(self, *args, **options):
        closed = consultations_close_due()
        self.stdout.write(f"{counted(len(closed), 'consultation close', 'consultations closes')}.")
