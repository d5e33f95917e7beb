from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from serment.core.scoping import get_visible_or_404, scope_for

from . import queries
from .models import Organisation


@login_required
def detail(request, pk: int):
    """One organisation: where it sits, its children with their counts."""
    org = get_visible_or_404(Organisation.objects.select_related("parent"), request.user, pk=pk)
    scope = scope_for(request.user)
    ancestors = [a for a in org.ancestors() if scope.has("view", a.path)]
    return render(
        request,
        "organisations/detail.html",
        {
            "org": org,
            "ancestors": ancestors,
            "children": queries.children_with_counts(request.user, org),
            "counts": queries.subtree_counts(org),
        },
    )
