"""Calls the type checker must refuse; `make lint` runs mypy over this module.

Each line below is wrong on purpose and carries a `type: ignore` naming the error mypy
reports. With `warn_unused_ignores` on, a line mypy stops refusing (a looser setting, a
signature turned into `**kwargs`) leaves its ignore unused, and that fails `make lint`.
Nothing here runs: pytest collects only `test_*.py`.
"""

import uuid

from intake.leads import LeadDetails, record_lead
from intake.models import LeadSource
from intake.series import book_series


def misspelt_keyword_to_record_lead() -> None:
    record_lead(nme="Pat", email="p@example.com", source=LeadSource.CONTACT_FORM)  # type: ignore[call-arg]


def wrong_type_to_record_lead() -> None:
    record_lead(name="Pat", email="pat@example.com", source="carrier pigeon")  # type: ignore[arg-type]


def details_with_a_misspelt_key() -> None:
    details = LeadDetails(  # type: ignore[typeddict-unknown-key, typeddict-item]
        name="Pat",
        email="pat@example.com",
        phone="",
        preferred_contact_method="email",
        preferred_time="any",
        activity="running",
        body_area="knee",
        mesage="",
        heard_about="",
        source=LeadSource.CONTACT_FORM,
        handoff=None,
        consented=True,
        submission_key=uuid.uuid4(),
    )
    record_lead(**details)


def details_unpacked_with_an_extra_keyword(details: LeadDetails) -> None:
    record_lead(**details, urgent=True)  # type: ignore[call-arg]


class DetailsWithAKeywordRecordLeadLacks(LeadDetails):
    urgent: bool


def details_carrying_a_keyword_record_lead_lacks(
    details: DetailsWithAKeywordRecordLeadLacks,
) -> None:
    record_lead(**details)  # type: ignore[misc]


def series_booked_without_saying_what() -> None:
    book_series(key=uuid.uuid4(), visits=[])  # type: ignore[call-arg]
