from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Consultations")

    def ready(self):
        from groupement import hooks as groupement_hooks
        from procurement import pages, selectors

        groupement_hooks.dashboard_sources.register(selectors.pending_actions)
        groupement_hooks.groupement_panels.register(pages.consultations_panel)
