import pytest
from django.core.exceptions import ValidationError

from groupement.identifiers import luhn_valid, validate_siren, validate_siret
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
