from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Award and contracts")

    def ready(self):
        from contracts import award_rules, pages, selectors
        from contracts.services import award as award_services
        from groupement import hooks as groupement_hooks
        from procurement import hooks as procurement_hooks

        # The consultation's award steps run only when the award allows them.
        blockers = procurement_hooks.transition_blockers
        blockers["propose_award"].register(award_rules.proposal_blockers)
        blockers["award"].register(award_rules.award_blockers)
        blockers["complete"].register(award_rules.completion_blockers)
        blockers["cancel"].register(award_rules.cancellation_blockers)
        # A corrected price, score or decision sends the lot's award proposal back.
        procurement_hooks.evaluation_changed.register(award_services.award_proposal_redo)
        procurement_hooks.consultation_links.register(pages.award_links)
        procurement_hooks.consultation_panels.register(pages.contracts_panel)
        groupement_hooks.groupement_panels.register(pages.opendata_panel)
        groupement_hooks.dashboard_sources.register(selectors.pending_actions)
