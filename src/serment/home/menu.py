from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.menu import MenuEntry

ENTRIES = [
    MenuEntry(key="home", label=pgettext_lazy("menu", "Home"), url_name="home", order=0, prefixes=("/",)),
    MenuEntry(
        key="dashboard",
        label=_("Dashboard"),
        url_name="home:dashboard",
        order=5,
        shown=lambda scope: scope.is_staff_anywhere,
    ),
    MenuEntry(
        key="me",
        label=_("My space"),
        url_name="home:me",
        order=90,
        shown=lambda scope: scope.member_id is not None,
    ),
]
