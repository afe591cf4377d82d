"""The demo: the PMA's groupement replayed from its real calendar, through the services.

`seed_demo` is idempotent: run again, it only adds what a newer version of the story has.
"""

from django.db import transaction
from django.test import override_settings

from config.demo.award import seed_award
from config.demo.consultations import seed_consultations
from config.demo.organisations import PARC, seed_organisations
from config.demo.signage import seed_signage
from groupement.models import Groupement, GroupementState

# The demo's people and bidders are fictitious: what its story enqueues (the letters' and the
# answers' e-mails) goes to a queue that only keeps it, chosen with each decision
# (core.tasks.enqueue_on_commit), so nothing is ever mailed, even after the commit.
DEMO_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@transaction.atomic
def seed_demo() -> dict:
    """Returns the demo's people, by (organisation short name, role)."""
    with override_settings(TASKS=DEMO_QUEUE):
        people = seed_organisations()
        parc = Groupement.objects.get(name=PARC)
        assert parc.state == GroupementState.IN_FORCE
        seed_consultations(parc, people)
        seed_signage(parc, people)
        seed_award(people)
    return people
