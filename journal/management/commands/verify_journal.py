from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from journal.models import Entry
from journal.services import CheckpointError, checkpoint_parse, checkpoint_verify, journal_verify


class Command(BaseCommand):
    help = (
        "Vérifie l'intégrité du journal d'audit (chaîne d'empreintes et tête du journal) et, "
        "avec --checkpoint, qu'il contient encore un point de contrôle émis auparavant."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            metavar="FICHIER",
            help="point de contrôle émis par journal_checkpoint, à retrouver dans le journal",
        )

    def handle(self, *args, checkpoint=None, **options):
        problem = journal_verify()
        if problem:
            raise CommandError(f"Journal altéré — première entrée en cause : {problem}")
        if checkpoint:
            try:
                text = Path(checkpoint).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Point de contrôle illisible : {error}") from None
            try:
                problem = checkpoint_verify(checkpoint_parse(text))
            except CheckpointError as error:
                raise CommandError(str(error)) from None
            if problem:
                raise CommandError(f"Journal altéré — {problem}")
        self.stdout.write(f"Journal intègre : {Entry.objects.count()} entrées vérifiées.")
        if checkpoint:
            self.stdout.write("Le point de contrôle est bien dans le journal.")
