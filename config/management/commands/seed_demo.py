from django.core.management.base import BaseCommand

from config.demo import seed_demo
from config.demo.organisations import DEMO_PASSWORD, ROLE_NAMES


class Command(BaseCommand):
    help = "Charge les données de démonstration (sans effet si elles sont déjà là)."

    def handle(self, *args, **options):
        people = seed_demo()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(
            f"Identifiants de démonstration (mot de passe commun : {DEMO_PASSWORD}) :"
        )
        for (short, role), user in people.items():
            self.stdout.write(
                f"  {user.username:<24} {short:<8} {ROLE_NAMES[role]:<18} {user.get_full_name()}"
            )
        self.stdout.write(f"  {'admin':<24} {'—':<8} administration Django (/admin/)")
