"""What the apps built on groupements add to its pages (registered in their AppConfig.ready())."""

from core.hooks import Hook

dashboard_sources = Hook(
    "source(user) -> [Action]: the steps that wait for this user in one app, on « Mes actions »."
)
groupement_panels = Hook(
    "panel(request, groupement) -> Panel | None: a section of the groupement's page."
)
