from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# New user names only (existing ones stay as they are): no dots or @, so that a name
# cannot pass for a web or e-mail address, and ASCII only, so that it cannot imitate
# another with look-alike letters from another alphabet.
validate_new_username = RegexValidator(
    r"\A[A-Za-z0-9_-]{3,30}\Z",
    _("Use 3 to 30 characters: letters a–z, digits, “_” and “-”, without spaces, dots or @."),
    code="invalid_username",
)
