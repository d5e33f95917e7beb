from .roles import Perm
from .scoping import scope_for


def navigation(request):
    """What the menu needs: the user's roles and whether they have a member record."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {"user_scope": scope, "can_import": scope.has(Perm.IMPORT)}
