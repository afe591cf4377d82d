from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigConfig(AppConfig):
    """The project itself, on top of every app: its demo and the command that loads it."""

    name = "config"
    verbose_name = _("Project")
