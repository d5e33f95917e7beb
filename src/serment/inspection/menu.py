from django.utils.translation import gettext_lazy as _

from serment.core.menu import MenuEntry
from serment.core.roles import Perm

ENTRIES = [
    # Only inspection staff are offered the link: the pages answer 404 to anyone else.
    MenuEntry(
        key="inspection",
        label=_("Inspection and discipline"),
        url_name="inspection:index",
        order=65,
        shown=lambda scope: scope.has(Perm.INSPECTION),
        prefixes=("/inspection/",),
    ),
]
