from django.utils.translation import gettext_lazy as _

from serment.core.menu import MenuEntry


def _top_organisation(scope) -> tuple[int]:
    top = min(scope.grants, key=lambda g: (g.path.count("/"), g.path))
    return (top.organisation_id,)


ENTRIES = [
    MenuEntry(
        key="organisations",
        label=_("Organisations"),
        url_name="organisations:detail",
        order=10,
        shown=lambda scope: bool(scope.grants),
        url_args=_top_organisation,
        prefixes=("/org/",),
    ),
]
