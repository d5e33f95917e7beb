from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "serment.cadres"
    label = "cadres"
    verbose_name = _("Cadre work")

    def ready(self):
        from serment.core.imports import register

        from .importers import KINDS

        register(*KINDS)
