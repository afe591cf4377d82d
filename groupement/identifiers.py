"""French company identifiers: SIREN (9 digits) and SIRET (14 digits), both with a Luhn key."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's establishments share one SIREN and use another key: the sum of the SIRET's digits
# is a multiple of 5 (its head office keeps an ordinary Luhn key).
LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def with_luhn_key(prefix: str) -> str:
    """The identifier made of `prefix` and the one last digit that makes its Luhn key valid."""
    return next(prefix + str(d) for d in range(10) if luhn_valid(prefix + str(d)))


def validate_siren(value: str) -> None:
    if len(value) != 9 or not value.isdigit():
        raise ValidationError(_("A SIREN has exactly 9 digits."), code="siren_format")
    if not luhn_valid(value):
        raise ValidationError(_("This SIREN's check key (Luhn) is wrong."), code="siren_key")


def validate_siret(value: str) -> None:
    if len(value) != 14 or not value.isdigit():
        raise ValidationError(_("A SIRET has exactly 14 digits."), code="siret_format")
    valid = luhn_valid(value)
    if not valid and value.startswith(LA_POSTE_SIREN):
        valid = sum(int(c) for c in value) % 5 == 0
    if not valid:
        raise ValidationError(_("This SIRET's check key (Luhn) is wrong."), code="siret_key")
