"""``civicbridge serve``: gunicorn with the project's hooks (core/gunicorn.py)."""

import gc

from django.conf import settings
from django.urls import get_resolver
from gunicorn.app.base import Application

from civicbridge.core import gunicorn as hooks
from civicbridge.core.management.commands.serve import gunicorn_argv


def test_the_server_reads_the_projects_hooks():
    argv = gunicorn_argv(host="127.0.0.1", port=8123, workers=3)
    config = argv[argv.index("--config") + 1]

    class Probe(Application):  # reads the config file as gunicorn does, without the command line
        def load_config(self):
            self.load_config_from_module_name_or_filename(config)

        def load(self):
            raise AssertionError("not served")

    app = Probe()

    assert app.cfg.post_worker_init is hooks.post_worker_init
    assert app.cfg.control_socket_disable  # two servers on one machine would share its one path
    assert argv[argv.index("--workers") + 1] == "3"


def test_a_worker_freezes_what_the_application_loaded_once_it_is_loaded():
    gc.unfreeze()
    try:
        hooks.post_worker_init(worker=None)

        assert gc.get_freeze_count() > 10_000  # Django, the apps, the URL patterns
        resolver = get_resolver()
        assert {code for code, _ in settings.LANGUAGES} <= set(resolver._reverse_dict)
    finally:
        gc.unfreeze()
