from django.utils.translation import gettext_lazy as _

from serment.core.menu import MenuEntry

ENTRIES = [
    MenuEntry(
        key="jobs",
        label=_("My jobs"),
        url_name="jobs:list",
        order=95,
        shown=lambda scope: scope.is_staff_anywhere,
        prefixes=("/jobs/",),
    ),
]
