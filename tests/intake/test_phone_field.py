import pytest
from django.core.exceptions import ValidationError

from intake.forms.fields import PhoneNumberField


@pytest.mark.parametrize(
    "typed", ["(608) 218-4215", "608-218-4215", "608.218.4215", "+1 608 218 4215"]
)
def test_us_phone_numbers_are_stored_in_e164(typed):
    assert PhoneNumberField(required=False).clean(typed) == "+16082184215"


@pytest.mark.parametrize("typed", ["12345", "call me", "608-218-421"])
def test_unusable_phone_number_gets_a_clear_message(typed):
    with pytest.raises(ValidationError) as error:
        PhoneNumberField(required=False).clean(typed)
    assert error.value.code == "invalid_phone"
    assert "phone number we can call" in error.value.messages[0]
