"""Registry numbers: Polish KRS and REGON, the Turkish associations register (kütük no)."""

import pytest
from django.core.exceptions import ValidationError

from civicbridge.directory.validators import (
    normalize_registry_number,
    regon_is_valid,
    validate_registry_number,
)

REGON_9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
REGON_14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)


def _check_digit(digits: str, weights) -> str:
    # Computed here, independently of the code under test, so no number is made up.
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)


def regon9(first_eight: str) -> str:
    return first_eight + _check_digit(first_eight, REGON_9_WEIGHTS)


def regon14(first_eight: str, local_four: str) -> str:
    thirteen = regon9(first_eight) + local_four
    return thirteen + _check_digit(thirteen, REGON_14_WEIGHTS)


def _wrong_last_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def _krs(number):
    validate_registry_number("krs", number)


# --- KRS -----------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["0000123456", "0000000001", "9999999999"])
def test_a_ten_digit_krs_number_is_accepted(number):
    _krs(number)


@pytest.mark.parametrize("number", ["123456789", "00001234567", "1", "000012345a", "0000 12345", "KRS0000123"])
def test_a_krs_number_that_is_not_ten_digits_is_refused(number):
    with pytest.raises(ValidationError) as caught:
        _krs(number)

    assert caught.value.code == "krs"
    assert "10 digits" in caught.value.messages[0]


def test_krs_numbers_written_with_spaces_or_dashes_are_normalized_to_ten_digits():
    assert normalize_registry_number("krs", " 0000 123-456 ") == "0000123456"


def test_a_krs_number_in_non_latin_digits_is_refused():
    with pytest.raises(ValidationError):
        _krs("٠٠٠٠١٢٣٤٥٦")


def test_a_krs_number_followed_by_a_newline_is_refused():
    with pytest.raises(ValidationError):
        _krs("0000123456\n")


# --- REGON ---------------------------------------------------------------------------


@pytest.mark.parametrize("first_eight", ["12345678", "00000000", "53121345", "99999999", "16070530"])
def test_a_nine_digit_regon_with_its_check_digit_is_accepted(first_eight):
    number = regon9(first_eight)

    assert regon_is_valid(number)
    validate_registry_number("regon", number)


def test_a_nine_digit_regon_whose_checksum_is_ten_takes_zero_as_check_digit():
    # Find a prefix whose weighted sum mod 11 is 10: the check digit is then 0.
    prefix = next(
        f"{n:08d}" for n in range(10**6) if sum(int(d) * w for d, w in zip(f"{n:08d}", REGON_9_WEIGHTS, strict=True)) % 11 == 10
    )

    assert regon9(prefix).endswith("0")
    assert regon_is_valid(regon9(prefix))


@pytest.mark.parametrize(("first_eight", "local_four"), [("12345678", "0001"), ("53121345", "4567"), ("00000000", "9999")])
def test_a_fourteen_digit_regon_with_both_check_digits_is_accepted(first_eight, local_four):
    number = regon14(first_eight, local_four)

    assert len(number) == 14
    assert regon_is_valid(number)
    validate_registry_number("regon", number)


@pytest.mark.parametrize("number", [regon9("12345678"), regon9("53121345"), regon14("12345678", "0001")])
def test_a_regon_with_a_wrong_check_digit_is_refused(number):
    wrong = _wrong_last_digit(number)

    assert not regon_is_valid(wrong)
    with pytest.raises(ValidationError) as caught:
        validate_registry_number("regon", wrong)
    assert caught.value.code == "regon"


def test_a_fourteen_digit_regon_built_on_an_invalid_nine_digit_regon_is_refused():
    base = _wrong_last_digit(regon9("12345678"))
    thirteen = base + "0001"
    number = thirteen + _check_digit(thirteen, REGON_14_WEIGHTS)  # its own check digit is right

    assert not regon_is_valid(number)


@pytest.mark.parametrize("number", ["", "1234567", "1234567890", "123456789012", "12345678901234567", "12345678a"])
def test_a_regon_of_another_length_or_with_letters_is_refused(number):
    assert not regon_is_valid(number)


def test_regon_numbers_written_with_spaces_or_dashes_are_normalized():
    number = regon9("12345678")
    spaced = f"{number[:3]} {number[3:6]}-{number[6:]}"

    assert normalize_registry_number("regon", spaced) == number


def test_a_regon_with_a_superscript_digit_is_refused_not_crashing():
    assert not regon_is_valid("12345678²")


# --- Turkish associations register (kütük no) ----------------------------------------------


@pytest.mark.parametrize("number", ["16-123-456", "06/161/039", "12345678", "123456789", "1234567890"])
def test_a_turkish_association_number_in_a_known_shape_is_accepted(number):
    validate_registry_number("tr_association", number)


@pytest.mark.parametrize(
    "number",
    ["1234567", "12345678901", "16-12-456", "161-123-456", "16 123 456", "AB-123-456", "16-123-45a", "16_123_456"],
)
def test_a_turkish_association_number_in_another_shape_is_refused(number):
    with pytest.raises(ValidationError) as caught:
        validate_registry_number("tr_association", number)

    assert caught.value.code == "tr_association"


def test_turkish_association_numbers_keep_their_separators():
    assert normalize_registry_number("tr_association", " 16-123-456 ") == "16-123-456"


# --- in general ------------------------------------------------------------------------


@pytest.mark.parametrize("registry_type", ["krs", "regon", "tr_association", "other", ""])
def test_an_empty_number_is_accepted_for_any_register(registry_type):
    validate_registry_number(registry_type, "")


def test_a_number_in_the_other_register_is_not_checked():
    validate_registry_number("other", "any shape at all / 42")
