from django.utils.translation import gettext_lazy as _

from serment.core.menu import MenuEntry

ENTRIES = [
    MenuEntry(
        key="admissions",
        label=_("Member development"),
        url_name="admissions:index",
        order=50,
        shown=lambda scope: scope.is_staff_anywhere,
        prefixes=("/admissions/",),
    ),
]
