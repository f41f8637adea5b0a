"""Registry numbers (Polish KRS and REGON, the Turkish associations register's kütük no) and
tax numbers (the Polish NIP, the Turkish VKN).

Check digits are python-stdnum's: REGON, NIP and VKN each have one, published with the number's
definition; stdnum implements them (and is tested against them) so that this project does not
keep its own copies.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip, regon
from stdnum.tr import vkn

KRS = re.compile(r"[0-9]{10}")
# ASCII digits only: \d would accept other scripts' digits and duplicate a number.
# Shapes seen in practice (province plate code first, e.g. 16- for Bursa); not an
# official specification, so validation stays loose (see docs/domain notes).
TR_ASSOCIATION = re.compile(r"[0-9]{2}[-/][0-9]{3}[-/][0-9]{3}|[0-9]{8,10}")
SEPARATORS = re.compile(r"[\s-]")


def regon_is_valid(number: str) -> bool:
    # ASCII digits only, as typed: stdnum would read other forms of digits ("１", "²") as
    # these and store the number twice under two spellings.
    return number.isascii() and number.isdigit() and regon.is_valid(number)


def normalize_registry_number(registry_type: str, number: str) -> str:
    number = (number or "").strip()
    if registry_type in ("krs", "regon"):
        return SEPARATORS.sub("", number)
    return number


def validate_registry_number(registry_type: str, number: str) -> None:
    """Raise ValidationError with a message for the number field when it does not fit its type."""
    if not number:
        return
    if registry_type == "krs" and not KRS.fullmatch(number):
        raise ValidationError(_("A KRS number has exactly 10 digits, e.g. 0000123456."), code="krs")
    if registry_type == "regon" and not regon_is_valid(number):
        raise ValidationError(
            _("This is not a valid REGON: it needs 9 or 14 digits with a correct check digit."), code="regon"
        )
    if registry_type == "tr_association" and not TR_ASSOCIATION.fullmatch(number):
        raise ValidationError(
            _("An association register number looks like 16-123-456 (or 8 to 10 digits)."), code="tr_association"
        )


# The tax number each country's organizations have, by the organization's country; another
# country's is kept as it is written (nobody here can check it).
TAX_NUMBERS = {"PL": nip, "TR": vkn}


def normalize_tax_number(country: str, number: str) -> str:
    """The number as stored: digits only for a NIP ("PL 123-456-32-18") or a VKN, else stripped."""
    number = (number or "").strip()
    module = TAX_NUMBERS.get(country)
    if module is None or not number:
        return number
    return module.compact(SEPARATORS.sub("", number))


def validate_tax_number(country: str, number: str) -> None:
    """Raise ValidationError with a message for the tax number field when it is not its country's.

    ``number`` is normalized (``normalize_tax_number``).
    """
    module = TAX_NUMBERS.get(country)
    if not number or module is None:
        return
    try:
        valid = number.isascii() and module.validate(number) == number
    except StdnumError:
        valid = False
    if valid:
        return
    if module is nip:
        raise ValidationError(_("This is not a valid NIP: it needs 10 digits with a correct check digit."), code="nip")
    raise ValidationError(
        _("This is not a valid tax number (VKN): it needs 10 digits with a correct check digit."), code="vkn"
    )
