from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "serment.inspection"
    label = "inspection"
    verbose_name = _("Inspection and discipline")

    def ready(self):
        from serment.core.imports import register

        from .importers import KINDS

        register(*KINDS)
