from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = _("Audit journal")

    def ready(self):
        from core.workflow import transition_recorders
        from journal.services import journal_record

        # Every state-machine transition run by a service is journaled here.
        transition_recorders.register(journal_record)
