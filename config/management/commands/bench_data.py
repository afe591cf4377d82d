import time

from django.core.management.base import BaseCommand
from django.db import connection

from config.benchdata import LARGE, REFERENCE, Size, build


class Command(BaseCommand):
    help = (
        "Charge la démonstration et le jeu de données du banc d'essai : une consultation de "
        "200 offres, 30 critères et 15 évaluateurs (90 000 notes), 17 autres consultations, "
        "un contrat de 50 avenants (sans effet s'il est déjà là)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bids", type=int, default=LARGE.bids, help="offres de la grande consultation"
        )
        parser.add_argument("--criteria", type=int, default=LARGE.criteria)
        parser.add_argument("--evaluators", type=int, default=LARGE.evaluators)
        parser.add_argument("--others", type=int, default=LARGE.others)
        parser.add_argument("--amendments", type=int, default=LARGE.amendments)

    def handle(self, *args, **options):
        size = Size(
            bids=options["bids"],
            criteria=options["criteria"],
            evaluators=options["evaluators"],
            others=options["others"],
            amendments=options["amendments"],
        )
        started = time.perf_counter()
        bench = build(size)
        if connection.vendor == "postgresql":
            # What autovacuum would do after such a load, before the first page is planned.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Banc d'essai prêt en {time.perf_counter() - started:.0f} s : consultation "
                f"{REFERENCE}, {bench.lot.bids.count()} offres, "
                f"{len(bench.evaluators)} évaluateurs."
            )
        )
