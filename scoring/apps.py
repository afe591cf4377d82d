from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Bid evaluation")

    def ready(self):
        from groupement import hooks as groupement_hooks
        from procurement import hooks as procurement_hooks
        from scoring import access, dashboard, pages, services

        # The grids are frozen with the consultation's publication.
        procurement_hooks.publication.register(services.grids_freeze)
        # An evaluator named on a lot reads its bids once declared.
        procurement_hooks.bid_readers.register(access.evaluator_may_read)
        procurement_hooks.consultation_panels.register(pages.evaluation_panel)
        # « Mes actions »: the declaration and the sheets, the panel and the consolidation.
        groupement_hooks.dashboard_sources.register(dashboard.pending_actions)
