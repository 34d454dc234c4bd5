"""How the web shows a refused action: once, here, instead of an `except …Error` in every view.

A service refuses with a DomainError whose message is the Chinese sentence to show. A view that
acts wears `@shows_refusals(back)`: the message becomes a flash message and the user goes back to
the page they came from, nothing changed; a refusal for who the user is (NotPermitted) is a 403.
Anything a view does not catch is caught by RefusalMiddleware the same way, so a refusal never
becomes a 500.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.defaults import permission_denied

from jinjie.core.errors import DomainError, NotPermitted

from .views.common import go

Back = str | Callable[..., str]


def _url(back: Back, request, args, kwargs) -> str:
    if callable(back):
        return back(request, *args, **kwargs)
    return reverse(back)


def shows_refusals(back: Back):
    """`back`: a URL name, or a function (request, *args, **kwargs) → URL of the page to return to."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except NotPermitted as e:
                raise PermissionDenied(str(e)) from None
            except DomainError as e:
                messages.error(request, str(e))
                return go(request, _url(back, request, args, kwargs))

        return wrapped

    return decorator


class RefusalMiddleware:
    """The last line: a DomainError that escaped a view is a 403 or a 400 page, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotPermitted):
            return permission_denied(request, PermissionDenied(str(exception)))
        if isinstance(exception, DomainError):
            return render(request, "400.html", {"message": str(exception)}, status=400)
        return None
