from django.shortcuts import render

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
