from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "serment.inspection"
    label = "inspection"
    verbose_name = _("Inspection and discipline")

    def ready(self):
        from serment.core.audit import register_target_alias
        from serment.core.imports import register

        # The discipline table moved here from the rating app with its ids (migration
        # 0002): its older audit entries name ``ratings.discipline`` and are never rewritten.
        register_target_alias("ratings.discipline", "inspection.disciplinedecision")

        from .importers import KINDS

        register(*KINDS)
