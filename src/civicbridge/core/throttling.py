"""API request limits counted in ``core.counters``: one count for all processes and servers.

DRF's own throttles keep their history in the cache, which is per process by default,
and find the client through ``NUM_PROXIES``; these count per ``core.client`` address and
increment atomically, so parallel requests cannot slip past the limit together.
"""

from rest_framework.throttling import SimpleRateThrottle

from civicbridge.core import counters
from civicbridge.core.client import client_scope


class SharedCounterThrottle(SimpleRateThrottle):
    """A fixed-window limit: at most ``num_requests`` per ``duration`` seconds per key."""

    def get_ident(self, request):
        return client_scope(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count = counters.increment(self.key, ttl=self.duration)[self.key]
        self.wait_seconds = max(1, round(count.seconds_left()))
        return count.value <= self.num_requests

    def wait(self):
        return getattr(self, "wait_seconds", None)


class RequestRateThrottle(SharedCounterThrottle):
    """Every API request: ``anon`` rate per client address, ``user`` rate per account."""

    def get_rate(self):
        return None  # chosen per request in allow_request

    def allow_request(self, request, view):
        if request.user and request.user.is_authenticated:
            self.scope, ident = "user", request.user.pk
        else:
            self.scope, ident = "anon", self.get_ident(request)
        self.rate = self.THROTTLE_RATES.get(self.scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self._ident = ident
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self._ident}


class ScopedRateThrottle(SharedCounterThrottle):
    """A view's ``throttle_scope`` rate per client address (e.g. ``token``: log-ins by API)."""

    scope_attr = "throttle_scope"

    def __init__(self):
        pass  # the rate depends on the view

    def allow_request(self, request, view):
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
