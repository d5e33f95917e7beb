from .menu import menu_for
from .roles import Perm
from .scoping import scope_for


def navigation(request):
    """What the menu needs: the user's roles, whether they have a member record, and
    the menu links the apps contribute (``<app>/menu.py``), the current one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {
        "user_scope": scope,
        "can_import": scope.has(Perm.IMPORT),
        "menu": menu_for(scope, request.path),
    }
