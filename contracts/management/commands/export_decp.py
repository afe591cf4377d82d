from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contracts.models import Contract
from contracts.opendata import decp_document, to_json
from core.formats import counted
from groupement.models import Groupement


class Command(BaseCommand):
    help = (
        "Exporte les données essentielles (DECP 2.0, JSON) des marchés notifiés : tous, ou ceux "
        "d'un groupement."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="fichier JSON à écrire")
        parser.add_argument("--groupement", type=int, help="clé du groupement (tous par défaut)")

    def handle(self, *args, output, groupement, **options):
        contracts = Contract.objects.all()
        if groupement is not None:
            if not Groupement.objects.filter(pk=groupement).exists():
                raise CommandError(f"Aucun groupement de clé {groupement}.")
            contracts = contracts.filter(lot__consultation__groupement_id=groupement)
        document = decp_document(contracts)
        Path(output).write_text(to_json(document), encoding="utf-8")
        count = len(document["marches"]["marche"])
        self.stdout.write(f"{counted(count, 'marché exporté', 'marchés exportés')} : {output}")
