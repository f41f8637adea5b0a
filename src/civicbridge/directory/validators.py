"""Registry numbers: Polish KRS and REGON, the Turkish associations register (kütük no)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KRS = re.compile(r"[0-9]{10}")
# ASCII digits only: \d would accept other scripts' digits and duplicate a number.
# Shapes seen in practice (province plate code first, e.g. 16- for Bursa); not an
# official specification, so validation stays loose (see docs/domain notes).
TR_ASSOCIATION = re.compile(r"[0-9]{2}[-/][0-9]{3}[-/][0-9]{3}|[0-9]{8,10}")
REGON_WEIGHTS = {9: (8, 9, 2, 3, 4, 5, 6, 7), 14: (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)}


def regon_is_valid(number: str) -> bool:
    if not (number.isascii() and number.isdigit()) or len(number) not in REGON_WEIGHTS:
        return False
    if len(number) == 14 and not regon_is_valid(number[:9]):
        return False
    weights = REGON_WEIGHTS[len(number)]
    checksum = sum(int(d) * w for d, w in zip(number, weights, strict=False)) % 11 % 10
    return checksum == int(number[-1])


def normalize_registry_number(registry_type: str, number: str) -> str:
    number = (number or "").strip()
    if registry_type in ("krs", "regon"):
        return re.sub(r"[\s-]", "", number)
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
