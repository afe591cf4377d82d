import pytest
from django.core.exceptions import ValidationError

from groupement.identifiers import luhn_valid, validate_siren, validate_siret, with_luhn_key
from groupement.models import Organisation


@pytest.mark.parametrize("siret", ["73282932000074", "35600000000048", "35600000012341"])
def test_valid_sirets_pass(siret):
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("73282932000075", "siret_key"),
        ("7328293200007", "siret_format"),
        ("7328293200007A", "siret_format"),
        ("35600000012342", "siret_key"),
    ],
)
def test_invalid_sirets_are_refused_with_the_reason(siret, code):
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert error.value.code == code


def test_siren_is_checked_and_derived_from_the_siret():
    validate_siren("732829320")
    with pytest.raises(ValidationError):
        validate_siren("732829321")
    org = Organisation(name="X", short_name="X", kind="commune", siret="73282932000074")
    assert org.siren == "732829320"
    assert luhn_valid(org.siren)


@pytest.mark.django_db
def test_model_validation_refuses_a_bad_siret():
    org = Organisation(name="Commune", short_name="C", kind="commune", siret="12345678901234")
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "siret" in error.value.message_dict


@pytest.mark.parametrize(
    ("siren", "code", "message"),
    [
        ("73282932", "siren_format", "Un SIREN comporte exactement 9 chiffres."),
        ("7328293201", "siren_format", "Un SIREN comporte exactement 9 chiffres."),
        ("73282932A", "siren_format", "Un SIREN comporte exactement 9 chiffres."),
        ("732829321", "siren_key", "La clé de contrôle (Luhn) de ce SIREN est fausse."),
    ],
)
def test_a_bad_siren_is_refused_with_its_french_reason(siren, code, message):
    with pytest.raises(ValidationError) as error:
        validate_siren(siren)
    assert (error.value.code, error.value.messages) == (code, [message])


@pytest.mark.parametrize(
    ("siret", "code", "message"),
    [
        ("7328293200007", "siret_format", "Un SIRET comporte exactement 14 chiffres."),
        ("7328293200007A", "siret_format", "Un SIRET comporte exactement 14 chiffres."),
        ("73282932000075", "siret_key", "La clé de contrôle (Luhn) de ce SIRET est fausse."),
        # La Poste's key: 3+5+6+1+2+3+4+2 = 26, not a multiple of 5.
        ("35600000012342", "siret_key", "La clé de contrôle (Luhn) de ce SIRET est fausse."),
    ],
)
def test_a_bad_siret_is_refused_with_its_french_reason(siret, code, message):
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert (error.value.code, error.value.messages) == (code, [message])


@pytest.mark.parametrize(
    ("digits", "valid"),
    # A doubled 5 gives 10, counted 1: 59 → 1 + 9 = 10, valid; counted 10 it would be 19.
    [("59", True), ("58", False), ("18", True), ("0", True), ("1", False), ("91", True)],
)
def test_the_luhn_key_subtracts_nine_from_a_doubled_digit_above_nine(digits, valid):
    assert luhn_valid(digits) is valid


def test_a_siret_outside_la_poste_does_not_get_its_key():
    # Its digits add up to 40, a multiple of 5, but its Luhn key is wrong: La Poste only.
    with pytest.raises(ValidationError):
        validate_siret("73282932000004")


@pytest.mark.parametrize("prefix", ["73282932", "35600000", "0000000", "9"])
def test_the_luhn_key_completes_a_prefix(prefix):
    identifier = with_luhn_key(prefix)
    assert identifier[:-1] == prefix and luhn_valid(identifier)
