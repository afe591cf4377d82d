from django.core.management.base import BaseCommand, CommandError

from journal.services import CheckpointError, journal_checkpoint, journal_verify


class Command(BaseCommand):
    help = (
        "Affiche un point de contrôle signé du journal (numéro, empreinte chaînée, date), que "
        "le coordonnateur transmet au référent de chaque membre ; verify_journal --checkpoint "
        "prouve ensuite que le journal le contient encore."
    )

    def handle(self, *args, **options):
        problem = journal_verify()
        if problem:
            raise CommandError(f"Journal altéré — première entrée en cause : {problem}")
        try:
            self.stdout.write(str(journal_checkpoint()))
        except CheckpointError as error:
            raise CommandError(str(error)) from None
