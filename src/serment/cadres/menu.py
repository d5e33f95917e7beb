from django.utils.translation import gettext_lazy as _

from serment.core.menu import MenuEntry

from .queries import scope_may_read

ENTRIES = [
    MenuEntry(
        key="cadres",
        label=_("Cadre work"),
        url_name="cadres:index",
        order=60,
        shown=lambda scope: scope_may_read(scope) or scope.member_id is not None,
        prefixes=("/cadres/",),
    ),
]
