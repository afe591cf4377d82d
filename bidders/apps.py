from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BiddersConfig(AppConfig):
    name = "bidders"
    verbose_name = _("Candidates' side")

    def ready(self):
        from bidders import pages
        from procurement import hooks as procurement_hooks

        procurement_hooks.consultation_links.register(pages.notice_links)
