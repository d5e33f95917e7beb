from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OathConfig(AppConfig):
    name = "serment.oath"
    label = "oath"
    verbose_name = _("Keeping the oath")

    def ready(self):
        from serment.core.imports import register

        from .importers import KINDS

        register(*KINDS)
