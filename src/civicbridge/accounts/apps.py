from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civicbridge.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib import admin

        from civicbridge.core.registry import periodic_job_sources

        from . import tasks
        from .forms import AdminLoginForm

        periodic_job_sources.register("accounts", tasks.periodic_jobs)
        self.forget_rights_on_writes()

        admin.site.login_form = AdminLoginForm  # says how long the log-in guard asks to wait
        self.register_api()

    def register_api(self):
        from civicbridge.core.registry import ApiPath, api_paths

        from .api import MeView, TokenView

        api_paths.register("auth/token/", ApiPath("auth/token/", TokenView.as_view(), "api-token"))
        api_paths.register("me/", ApiPath("me/", MeView.as_view(), "api-me"))

    def forget_rights_on_writes(self):
        """A right asked once per request (``core.rules.answered_once_per_request``) is asked
        again after a membership or an organization is written in that request."""
        from django.db.models.signals import post_delete, post_save

        from civicbridge.core.rules import forget_answers

        for model in ("accounts.Membership", "directory.Organization"):
            post_save.connect(forget_answers, sender=model, dispatch_uid=f"forget-answers-save-{model}")
            post_delete.connect(forget_answers, sender=model, dispatch_uid=f"forget-answers-delete-{model}")
