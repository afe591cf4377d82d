from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
        parser.add_argument(
            "--uri",
            help="adresse publique du fichier (par défaut : l'adresse du fichier écrit)",
        )

    def handle(self, *args, reference, output, uri, **options):
        consultation = Consultation.objects.filter(reference=reference).first()
        if consultation is None:
            raise CommandError(f"Aucune consultation de référence {reference}.")
        package = ocds_release_package(consultation, uri=uri or Path(output).resolve().as_uri())
        Path(output).write_text(to_json(package), encoding="utf-8")
        self.stdout.write(f"Consultation {reference} exportée au format OCDS : {output}")
