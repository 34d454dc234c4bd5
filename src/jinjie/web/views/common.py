"""Helpers shared by the views: paging, htmx-aware redirects, refusals shown as messages."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def go(request, url: str):
    """Redirect; for an htmx request, tell htmx to load the page instead of swapping a fragment."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def refused(request, message: str, url: str):
    """A refused action: the service's Chinese message, nothing changed, back to the page."""
    messages.error(request, message)
    return go(request, url)


def safe_next(request, fallback: str) -> str:
    """The `next` a form posted (a page of this site), else `fallback`: never a redirect elsewhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback
