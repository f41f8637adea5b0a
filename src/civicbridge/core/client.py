"""The address of the person behind a request: one answer for log-in, throttles and limits.

Without a proxy it is the address of the connection (REMOTE_ADDR). With
``BEHIND_PROXY``, the connection comes from the proxy, and the client's address is
the one the trusted proxies wrote into ``X-Forwarded-For``. Only the last
``CIVICBRIDGE_PROXY_COUNT`` entries were written by proxies we trust; anything left
of them came from the client and may be forged. The documented nginx
(``proxy_set_header X-Forwarded-For $remote_addr;``) overwrites the header with one
value: with one proxy that value is the client. Two proxies that each append give
``<forged…>, <client>, <first proxy>``: the client is the second from the right.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's IP address as the trusted proxies saw it, else the connection's.

    None when the request carries no address at all (a request built in code).
    """
    meta = request.META
    remote = meta.get("REMOTE_ADDR") or ""
    if getattr(settings, "BEHIND_PROXY", False):
        count = max(1, settings.CIVICBRIDGE_PROXY_COUNT)
        forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            address = _valid(forwarded[-count])
            if address:
                return address
        # A request that did not pass through every proxy (or a broken header): the
        # connection is all we know for sure.
    return _valid(remote)


def client_scope(request) -> str:
    """What rate limits and log-in counters count by: the address, an IPv6 client's /64.

    One IPv6 host usually holds a whole /64 and could otherwise start a fresh counter
    with every request.
    """
    address = client_address(request)
    if address is None:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
