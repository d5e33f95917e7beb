import time

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from .errors import DomainError


class DomainErrorMiddleware:
    """Last line of defence: a DomainError that a view did not turn into a form
    error becomes a readable 4xx page instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return render(
                request,
                "core/error.html",
                {"message": exception.message},
                status=exception.status_code,
            )
        return None


class RefuseNulMiddleware:
    """A NUL character in a parameter is never real input, and PostgreSQL refuses it
    in a query (a 500): answer 400 before any view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest(_("A parameter holds a character that is not allowed."))
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            if any("\x00" in value for values in request.POST.lists() for value in values[1]):
                return HttpResponseBadRequest(_("A field holds a character that is not allowed."))
        return self.get_response(request)


class IdleSessionMiddleware:
    """An idle session ends SESSION_COOKIE_AGE after the last request: the session's
    expiry moves forward on activity, written at most once a minute (rather than on
    every request, which would cost a write per page)."""

    RENEW_EVERY = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - int(session.get("_seen", 0)) >= self.RENEW_EVERY:
                session["_seen"] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)
