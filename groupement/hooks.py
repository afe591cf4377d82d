"""What the apps built on groupements add to its pages (registered in their AppConfig.ready())."""

from dataclasses import dataclass

from core.hooks import Hook


@dataclass
class PendingAction:
    """One line of « Mes actions »: what to do, about what, and where."""

    label: str
    subject: str
    url: str


dashboard_sources = Hook(
    "source(user) -> [PendingAction]: what waits for this user in one app, on « Mes actions »."
)
groupement_panels = Hook(
    "panel(request, groupement) -> Panel | None: a section of the groupement's page."
)
