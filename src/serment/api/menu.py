from django.utils.translation import gettext_lazy as _

from serment.core.menu import MenuEntry

ENTRIES = [
    MenuEntry(
        key="tokens", label=_("API tokens"), url_name="tokens:list", order=95, prefixes=("/account/tokens/",)
    ),
]
