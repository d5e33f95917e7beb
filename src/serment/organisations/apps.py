from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "serment.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from serment.core.imports import register

        from .importers import KINDS

        register(*KINDS)
