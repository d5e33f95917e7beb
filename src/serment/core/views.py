from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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


@never_cache
@require_GET
def healthz(request):
    """For load balancers and the bench's baseline: answers 200 "ok" after one
    round trip to the database, 503 when the database does not answer. No sign-in,
    no session, nothing about the data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
