from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contracts.contract_rules import open_data_errors
from contracts.opendata import ocds_release_package, to_json
from procurement.models import Consultation


class Command(BaseCommand):
    help = (
        "Exporte une consultation au format OCDS 1.1 (paquet d'une publication JSON décrivant "
        "toute la procédure, de l'avis aux avenants)."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference", help="référence de la consultation")
        parser.add_argument("--output", required=True, help="fichier JSON à écrire")

    def handle(self, *args, reference, output, **options):
        consultation = Consultation.objects.filter(reference=reference).first()
        if consultation is None:
            raise CommandError(f"Aucune consultation de référence {reference}.")
        refused = open_data_errors(consultation)
        if refused:
            raise CommandError(refused[0])
        # The package's "uri" is its public address (OPEN_DATA_BASE_URL), never this file's.
        package = ocds_release_package(consultation)
        Path(output).write_text(to_json(package), encoding="utf-8")
        self.stdout.write(f"Consultation {reference} exportée au format OCDS : {output}")
