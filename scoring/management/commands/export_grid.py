from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from procurement.models import Consultation
from scoring import exports


class Command(BaseCommand):
    help = "Exporte la grille d'évaluation d'un lot (xlsx, csv ou rapport pdf), complète."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="référence de la consultation")
        parser.add_argument("--lot", type=int, default=1, help="numéro du lot (1 par défaut)")
        parser.add_argument("--format", choices=["xlsx", "csv", "pdf"], required=True)
        parser.add_argument("--output", required=True, help="fichier à écrire")

    def handle(self, *args, reference, lot, format, output, **options):
        consultation = Consultation.objects.filter(reference=reference).first()
        if consultation is None:
            raise CommandError(f"Aucune consultation de référence {reference}.")
        chosen = consultation.lots.filter(number=lot).first()
        if chosen is None or not hasattr(chosen, "grid"):
            raise CommandError(f"Le lot {lot} de {reference} n'a pas de grille d'évaluation.")
        writer = {
            "xlsx": exports.export_xlsx,
            "csv": exports.export_csv,
            "pdf": exports.export_pdf,
        }[format]
        Path(output).write_bytes(writer(chosen))
        self.stdout.write(f"Grille exportée : {output}")
