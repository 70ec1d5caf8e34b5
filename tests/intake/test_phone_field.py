import pytest
from django.core.exceptions import ValidationError

from intake.forms.fields import PhoneNumberField
from intake.models import Lead, LeadSource


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


def test_a_lead_saved_with_a_us_number_typed_any_way_keeps_e164_and_shows_it_nationally(db):
    """The model field parses too, so a lead added from the shell or a migration is stored
    like one from the forms."""
    lead = Lead.objects.create(
        name="Pat", email="pat@example.com", phone="608.218.4215", source=LeadSource.CONTACT_FORM
    )

    assert Lead.objects.values_list("phone", flat=True).get(pk=lead.pk) == "+16082184215"
    assert Lead.objects.get(pk=lead.pk).contact_details()["phone"] == "(608) 218-4215"


def test_a_number_no_one_can_call_is_refused_by_the_model(db):
    lead = Lead(
        name="Pat", email="pat@example.com", phone="call me", source=LeadSource.CONTACT_FORM
    )

    with pytest.raises(ValidationError) as error:
        lead.full_clean()
    assert set(error.value.message_dict) == {"phone"}
