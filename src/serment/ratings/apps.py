from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "serment.ratings"
    label = "ratings"
    verbose_name = _("Quality rating")

    def ready(self):
        from serment.core.imports import register

        from .importers import KINDS

        register(*KINDS)
