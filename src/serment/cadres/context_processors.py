from .queries import may_read


def cadres_menu(request):
    """Whether the menu offers the cadre pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"can_read_cadres": may_read(user)}
