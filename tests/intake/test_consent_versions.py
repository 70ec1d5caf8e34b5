"""Consent texts in the admin: an edit never changes what an earlier patient signed."""

import pytest
from django.utils import timezone

from intake.models import ConsentKind, ConsentSignature, ConsentText
from tests.intake.previsit_factories import make_previsit

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician_user(client, group_member):
    user = group_member("Clinician")
    client.force_login(user)
    return user


def treatment_v1() -> ConsentText:
    return ConsentText.objects.get(kind=ConsentKind.TREATMENT, version=1)


def sign(text: ConsentText) -> ConsentSignature:
    return ConsentSignature.objects.create(
        previsit=make_previsit(),
        consent_text=text,
        typed_name="Maria Gonzalez",
        signed_at=timezone.now(),
        client_address_hash="0" * 64,
    )


def edit(client, text: ConsentText, body: str):
    return client.post(
        f"/admin/intake/consenttext/{text.pk}/change/", {"title": text.title, "body": body}
    )


def test_an_edit_after_a_signature_makes_version_2_and_leaves_the_signed_text(
    client, clinician_user
):
    signed = treatment_v1()
    original_body = signed.body
    signature = sign(signed)

    response = edit(client, signed, "New wording of the consent.")

    new = ConsentText.objects.get(kind=ConsentKind.TREATMENT, version=2)
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.body == original_body
    signature.refresh_from_db()
    assert signature.consent_text == signed
    assert new.body == "New wording of the consent."
    assert new.created_by == clinician_user
    assert ConsentText.objects.current()[0] == new
    listing = client.get(response["Location"]).content.decode()
    assert "Version 1 has been signed, so it is kept as it was" in listing
    assert "Consent to treat, version 2" in listing


def test_an_unsigned_version_is_corrected_in_place(client, clinician_user):
    text = treatment_v1()

    response = edit(client, text, "Corrected typo.")

    assert response.status_code == 302
    text.refresh_from_db()
    assert text.body == "Corrected typo."
    assert ConsentText.objects.filter(kind=ConsentKind.TREATMENT).count() == 1


def test_saving_a_signed_version_unchanged_makes_no_new_version(client, clinician_user):
    text = treatment_v1()
    sign(text)

    edit(client, text, text.body)

    assert ConsentText.objects.filter(kind=ConsentKind.TREATMENT).count() == 1


def test_a_new_text_gets_the_next_version_of_its_kind_and_its_author(client, clinician_user):
    response = client.post(
        "/admin/intake/consenttext/add/",
        {"kind": ConsentKind.PRIVACY, "title": "Privacy notice", "body": "Shorter notice."},
    )

    assert response.status_code == 302
    new = ConsentText.objects.get(kind=ConsentKind.PRIVACY, version=2)
    assert new.created_by == clinician_user


def test_the_list_shows_kind_version_and_how_many_signed(
    client, clinician_user, django_assert_max_num_queries
):
    text = treatment_v1()
    sign(text)
    sign(text)
    client.get("/admin/intake/consenttext/")  # the session and permissions, once

    with django_assert_max_num_queries(12):
        page = client.get("/admin/intake/consenttext/").content.decode()

    assert "Consent to treat" in page
    assert "2 patients" in page
    assert "0 patients" in page


def test_the_front_desk_cannot_edit_consent_texts(client, group_member):
    client.force_login(group_member("Front desk"))

    assert edit(client, treatment_v1(), "Changed").status_code == 403
    assert treatment_v1().body != "Changed"


@pytest.mark.django_db(transaction=True)
def test_editors_saving_signed_versions_at_once_each_get_their_own_version(
    requires_postgres, django_user_model
):
    """Ten staff save edits of signed versions 1 and 2 at the same moment, each on its own
    connection: ten new versions, numbered 3 to 12, and nobody gets an error."""
    import threading

    from django.db import connection

    from intake.consent import save_consent_text

    editor = django_user_model.objects.create_user("editor", is_staff=True)
    first = treatment_v1()
    second = ConsentText.objects.create(
        kind=ConsentKind.TREATMENT, version=2, title="Consent to treat", body="Second."
    )
    sign(first)
    sign(second)
    start_line = threading.Barrier(10, timeout=30)
    errors: list[Exception] = []

    def edit_at_once(n: int) -> None:
        try:
            text = ConsentText.objects.get(pk=(first if n % 2 else second).pk)
            text.body = f"Edit {n}"
            start_line.wait()
            save_consent_text(text=text, edited_by=editor)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit_at_once, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    versions = ConsentText.objects.filter(kind=ConsentKind.TREATMENT)
    assert sorted(versions.values_list("version", flat=True)) == list(range(1, 13))
    assert ConsentText.objects.get(pk=first.pk).body == first.body
    assert ConsentText.objects.get(pk=second.pk).body == "Second."


def test_save_and_continue_after_a_signature_opens_the_new_version(client, clinician_user):
    signed = treatment_v1()
    sign(signed)

    response = client.post(
        f"/admin/intake/consenttext/{signed.pk}/change/",
        {"title": signed.title, "body": "Reworded.", "_continue": "1"},
    )

    new = ConsentText.objects.get(kind=ConsentKind.TREATMENT, version=2)
    assert response["Location"] == f"/admin/intake/consenttext/{new.pk}/change/"
    page = client.get(response["Location"]).content.decode()
    assert "Reworded." in page
    assert "Nobody has signed this version yet" in page


def test_saving_a_signed_version_from_a_browser_unchanged_makes_no_new_version(
    client, clinician_user
):
    """Browsers send a text box's lines ended by CR LF, whatever the stored text has."""
    text = treatment_v1()
    sign(text)

    edit(client, text, text.body.replace("\n", "\r\n"))

    assert ConsentText.objects.filter(kind=ConsentKind.TREATMENT).count() == 1
    text.refresh_from_db()
    assert "\r" not in text.body
