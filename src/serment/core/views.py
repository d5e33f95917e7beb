from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from serment.core.roles import Role
from serment.core.scoping import scope_for
from serment.organisations.queries import roots_for


@login_required
def home(request):
    """Staff land on their organisations; a plain member on their own record."""
    scope = scope_for(request.user)
    roots = roots_for(request.user)
    if not roots and scope.member_id:
        return redirect("members:detail", pk=scope.member_id)
    roles = [(g.organisation_id, g.organisation_name, Role(g.role).label) for g in scope.grants]
    return render(request, "core/home.html", {"roots": roots, "roles": roles})
