"""The user's own page of personal access tokens: make (shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serment.core.forms import submit

from . import actions
from .forms import TokenForm
from .models import PersonalToken


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    made = {}
    if request.method == "POST" and submit(
        form, lambda d: made.update(pair=actions.create_token(by=request.user, **d))
    ):
        token, raw = made["pair"]
        form = TokenForm()
        # Rendered, not redirected: the secret is shown this once and never stored.
        return render(
            request,
            "api/tokens.html",
            {
                "form": form,
                "tokens": PersonalToken.objects.filter(user=request.user),
                "new": token,
                "raw": raw,
            },
        )
    return render(
        request, "api/tokens.html", {"form": form, "tokens": PersonalToken.objects.filter(user=request.user)}
    )


@login_required
@require_POST
def revoke(request, pk: int):
    token = get_object_or_404(PersonalToken.objects.filter(user=request.user), pk=pk)
    actions.revoke_token(by=request.user, token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("tokens:list")
