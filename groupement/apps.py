from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupementConfig(AppConfig):
    name = "groupement"
    verbose_name = _("Groupements de commandes")

    def ready(self):
        from groupement import hooks, selectors

        hooks.dashboard_sources.register(selectors.pending_actions)
