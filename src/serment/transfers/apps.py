from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "serment.transfers"
    label = "transfers"
    verbose_name = _("Transfer letters")

    def ready(self):
        from serment.core.imports import register

        from .importers import KINDS

        register(*KINDS)
