from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import User
from .validators import validate_new_username


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail address"), help_text=_("We send a link to confirm it."))
    preferred_language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and accept it"),
        error_messages={"required": _("Read the privacy notice and accept it to sign up.")},
    )

    class Meta:
        model = User
        fields = ["username", "email", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_privacy"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("core:privacy"), _("Read the privacy notice")
        )
        self.fields["username"].validators.append(validate_new_username)
        self.fields["username"].help_text = _(
            "For logging in; others see your name, not this. 3 to 30 characters: letters a–z, digits, “_” and “-”."
        )

    def clean_email(self):
        from .services import unconfirmed_sign_ups

        email = self.cleaned_data["email"].strip().lower()
        # An unconfirmed sign-up with this address is renewed by signing up again.
        taken = User.objects.filter(email__iexact=email).exclude(pk__in=unconfirmed_sign_ups().values("pk"))
        if taken.exists():
            raise forms.ValidationError(_("An account with this e-mail already exists."))
        return email

    def clean_username(self):
        return self.cleaned_data.get("username")  # checked in clean(), once the e-mail is known

    def clean(self):
        from .services import unconfirmed_sign_ups

        cleaned = super().clean()
        username, email = cleaned.get("username"), cleaned.get("email")
        if username:
            taken = User.objects.filter(username__iexact=username)
            if email:
                taken = taken.exclude(pk__in=unconfirmed_sign_ups().filter(email__iexact=email).values("pk"))
            if taken.exists():
                self.add_error("username", self.instance.unique_error_message(User, ["username"]))
        return cleaned

    def validate_unique(self):
        pass  # clean() and the service check, knowing that an unconfirmed sign-up may be renewed


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The address you signed up with."))


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]





class LoginForm(AuthenticationForm):
    """The log-in form; when the log-in guard refuses, it says how long to wait."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name or e-mail address")

    def get_invalid_login_error(self):
        from .guard import wait_message

        seconds = getattr(self.request, "login_refused_for", None)
        if seconds:
            return forms.ValidationError(wait_message(seconds), code="login_delayed")
        return AuthenticationForm.get_invalid_login_error(self)


class AdminLoginForm(AdminAuthenticationForm):
    """The administration's log-in form, saying how long to wait when the log-in guard refuses."""

    def get_invalid_login_error(self):
        return LoginForm.get_invalid_login_error(self)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, with its e-mail queued in the outbox instead of sent in the request.

    A mail server that is down never fails the page, and one mailbox gets a limited number
    of reset links per hour however many people ask for them.
    """

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        import uuid

        from django.template.loader import render_to_string
        from django.utils.translation import get_language

        from civicbridge.core import counters
        from civicbridge.core.notifications import queue_mail

        if counters.over_rate(scope="password-reset-mail", ident=to_email.lower(),
                              rate=settings.CIVICBRIDGE_CONFIRMATION_MAILS_RATE):
            return
        subject = " ".join(render_to_string(subject_template_name, context).split())
        body = render_to_string(email_template_name, context)
        queue_mail(key=f"accounts:password-reset:{context['user'].pk}:{uuid.uuid4().hex}", to=to_email,
                   subject=subject, body=body, language=get_language() or settings.LANGUAGE_CODE)
