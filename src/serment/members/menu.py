from django.utils.translation import gettext_lazy as _

from serment.core.menu import MenuEntry
from serment.core.roles import Perm

ENTRIES = [
    MenuEntry(
        key="members",
        label=_("Members"),
        url_name="members:list",
        order=20,
        shown=lambda scope: scope.is_staff_anywhere,
        prefixes=("/members/",),
    ),
    MenuEntry(
        key="import",
        label=_("Import"),
        url_name="imports:index",
        order=25,
        shown=lambda scope: scope.has(Perm.IMPORT),
    ),
]
