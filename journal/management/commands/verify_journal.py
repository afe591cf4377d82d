from django.core.management.base import BaseCommand, CommandError

from journal.models import Entry
from journal.services import journal_verify


class Command(BaseCommand):
    help = "Vérifie l'intégrité du journal d'audit (chaîne d'empreintes)."

    def handle(self, *args, **options):
        problem = journal_verify()
        if problem:
            raise CommandError(f"Journal altéré — première entrée en cause : {problem}")
        self.stdout.write(f"Journal intègre : {Entry.objects.count()} entrées vérifiées.")
