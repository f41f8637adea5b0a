"""Where logging in or signing up leads back to: the page the person was on (``next``)."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, value: str | None) -> str:
    """``value`` when it is an address on this site, else "": a ``next`` never sends anyone to
    another host (an open redirect would lend the authority's name to any site)."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def next_here(request) -> str:
    """The ``next`` of the header's log-in and sign-up links on this page.

    On the account pages themselves it is the ``next`` they were given (a log-in page must not
    lead back to itself); elsewhere it is this page with its query, filters included. A page
    answered to a POST is no address to come back to.
    """
    match = getattr(request, "resolver_match", None)
    if match is not None and "accounts" in match.namespaces:
        return safe_next(request, request.GET.get("next"))
    if request.method not in ("GET", "HEAD"):
        return ""
    return request.get_full_path()
