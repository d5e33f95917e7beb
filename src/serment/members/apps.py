from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "serment.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from serment.core.imports import register

        from .importers import KINDS

        register(*KINDS)
