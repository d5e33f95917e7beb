from django.utils.translation import gettext_lazy as _

from serment.core.menu import MenuEntry

ENTRIES = [
    MenuEntry(
        key="ratings",
        label=_("Quality rating"),
        url_name="ratings:index",
        order=40,
        shown=lambda scope: scope.is_staff_anywhere,
        prefixes=("/ratings/",),
    ),
]
