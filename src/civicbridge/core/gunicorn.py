"""gunicorn's settings and hooks for ``civicbridge serve`` (``-c python:civicbridge.core.gunicorn``).

A worker holds some 200,000 objects once Django, the apps and their URLs and catalogs are
loaded, and they live as long as the worker. Python's full collection walks all of them:
45 to 60 ms, every few dozen requests, inside whichever request happens to allocate at that
moment (at 25 requests/s, pages of 3 queries took 120 to 160 ms). Once the worker has loaded
the application, what it holds is moved out of the collector's sight (``gc.freeze``); a
full collection then walks only what requests made since.
"""

import gc

# gunicorn's control socket (for its ``gunicornc`` tool) sits at one path per user, whatever the
# port: two servers on one machine (two deployments, a bench beside a demo) took it from each
# other. civicbridge does not use it; a systemd unit or a signal stops and reloads the server.
control_socket_disable = True


def warm_and_freeze() -> None:
    """Load what every request would load on first use, then freeze it: the URL patterns and
    each language's reverse table and catalog."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # activating a language loads its catalogs
            resolver.reverse_dict  # noqa: B018 -- built per language on first use
    gc.collect()
    gc.freeze()


def post_worker_init(worker) -> None:
    warm_and_freeze()
