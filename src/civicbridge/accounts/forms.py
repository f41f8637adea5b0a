from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail address"), help_text=_("We send a link to confirm it."))
    preferred_language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["username", "email", "preferred_language"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail already exists."))
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]





class LoginForm(AuthenticationForm):
    """The log-in form; when the log-in guard refuses, it says how long to wait."""

    def get_invalid_login_error(self):
        from .guard import wait_message

        seconds = getattr(self.request, "login_refused_for", None)
        if seconds:
            return forms.ValidationError(wait_message(seconds), code="login_delayed")
        return super().get_invalid_login_error()
