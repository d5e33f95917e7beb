"""Two-factor sign-in: a user who must use a second factor reaches nothing but the
second-factor page (and sign-out) until their code is checked in this session."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import requires_two_factor

OPEN_URL_NAMES = ("accounts:two_factor", "logout", "set_language")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and requires_two_factor(user)
            and request.path not in {reverse(name) for name in OPEN_URL_NAMES}
            and not request.path.startswith("/static/")
        ):
            return redirect(
                f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)
