from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionsConfig(AppConfig):
    name = "serment.admissions"
    label = "admissions"
    verbose_name = _("Member development")

    def ready(self):
        from serment.core.imports import register

        from .importers import KINDS

        register(*KINDS)
