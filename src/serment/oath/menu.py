from django.utils.translation import gettext_lazy as _

from serment.core.menu import MenuEntry

ENTRIES = [
    MenuEntry(
        key="oath",
        label=_("Keeping the oath"),
        url_name="oath:index",
        order=30,
        shown=lambda scope: scope.is_staff_anywhere,
        prefixes=("/oath/",),
    ),
]
