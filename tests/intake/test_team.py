"""/team/: who patients may see, with photos from the admin, also beside a booked time."""

import io
import json
import re
from datetime import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from intake.models import AppointmentMode, Clinician, Specialty
from tests.education.admin_forms import change_form_data
from tests.intake.booking_factories import make_clinician, make_type

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def photo_bytes(width: int = 1200, height: int = 1500) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def team(db):
    """Two clinicians on the page, one left off it."""
    Clinician.objects.all().delete()
    maya = make_clinician("Maya Okafor")
    maya.credentials = "PT, DPT, OCS"
    maya.bio = "Maya ran cross-country at UW and treats runners of every pace."
    maya.save()
    maya.specialties.set(Specialty.objects.filter(name__in=["Running", "Postpartum"]))
    sam = make_clinician("Sam de la Cruz", position=1)
    sam.specialties.set(Specialty.objects.filter(name="Climbing"))
    former = make_clinician("Former Colleague", position=2)
    former.on_team_page = False
    former.save()
    return maya, sam


@pytest.fixture
def front_desk(client, group_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(group_member("Front desk"))
    return client


def upload_photo(client, clinician: Clinician, name: str, content: bytes):
    url = f"/admin/intake/clinician/{clinician.pk}/change/"
    data = change_form_data(client.get(url))
    data["photo"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(url, data)


def test_team_page_shows_each_listed_clinician_with_credentials_specialties_and_bio(client, team):
    page = client.get("/team/").content.decode()
    assert "Maya Okafor" in page and "PT, DPT, OCS" in page
    assert "treats runners of every pace" in page
    assert "Running" in page and "Postpartum" in page and "Climbing" in page
    assert page.index("Maya Okafor") < page.index("Sam de la Cruz")
    assert "Former Colleague" not in page


def test_a_clinician_without_a_photo_gets_their_initials_instead(client, team):
    page = client.get("/team/").content.decode()
    assert '<span class="clinician-initials clinician-initials-160" aria-hidden="true">MO<' in page
    assert ">SC<" in page  # first and last name, not "de"
    assert "<picture>" not in page


def count_team_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/team/").status_code == 200
    return len(queries)


def test_team_page_queries_do_not_grow_with_the_number_of_clinicians(client, db):
    Clinician.objects.all().delete()
    running = Specialty.objects.get(name="Running")
    make_clinician("Only One").specialties.add(running)
    one = count_team_page_queries(client)
    for n in range(9):
        clinician = make_clinician(f"Clinician {n}", position=n + 1)
        clinician.specialties.add(running)
        clinician.photo_renditions = {
            "width": 480,
            "height": 600,
            "webp": [[480, f"clinicians/c{n}-480.webp"]],
            "jpeg": [[480, f"clinicians/c{n}-480.jpg"]],
        }
        clinician.save()
    page = client.get("/team/").content.decode()
    assert page.count('class="clinician-card"') == 10
    assert count_team_page_queries(client) == one


def test_team_page_describes_each_clinician_as_a_physician_in_json_ld(client, team):
    page = client.get("/team/").content.decode()
    data = json.loads(JSON_LD.search(page).group(1))
    people = [entry["item"] for entry in data["itemListElement"]]
    assert [person["name"] for person in people] == ["Maya Okafor", "Sam de la Cruz"]
    maya = people[0]
    assert maya["@type"] == ["Person", "Physician"]
    assert maya["honorificSuffix"] == "PT, DPT, OCS"
    assert maya["knowsAbout"] == ["Running", "Postpartum"]
    assert maya["worksFor"]["@id"].endswith("/#clinic")
    assert maya["url"].endswith(f"/team/#clinician-{team[0].pk}")


def test_clinician_text_cannot_close_the_json_ld_script(client, team):
    maya = team[0]
    maya.bio = "</script><script>alert(1)</script>"
    maya.save()
    page = client.get("/team/").content.decode()
    assert "<script>alert(1)" not in page
    data = json.loads(JSON_LD.search(page).group(1))
    assert data["itemListElement"][0]["item"]["description"] == maya.bio


def test_team_page_is_linked_from_every_page_and_the_sitemap(client, db):
    home = client.get("/").content.decode()
    assert home.count('href="/team/"') >= 2  # menu (phone and wide copies) and footer
    assert "/team/</loc>" in client.get("/sitemap.xml").content.decode()


def test_photo_uploaded_in_the_admin_is_resized_and_shown_on_the_team_page(front_desk, team):
    maya = team[0]
    response = upload_photo(front_desk, maya, "maya.jpg", photo_bytes())
    assert response.status_code == 302, response.context["adminform"].form.errors
    maya.refresh_from_db()
    picture = maya.picture()
    assert [width for width, _ in picture.webp] == [480, 960, 1200]
    for _, name in picture.webp + picture.jpeg:
        assert default_storage.exists(name)
    page = front_desk.get("/team/").content.decode()
    assert picture.webp_srcset() in page
    assert 'alt="Photo of Maya Okafor"' in page
    assert 'width="160" height="200"' in page  # the space is reserved: no layout shift
    assert ">MO<" not in page


def test_a_file_that_is_not_a_photo_is_refused_on_the_clinician_form(front_desk, team):
    maya = team[0]
    response = upload_photo(front_desk, maya, "cv.jpg", b"My CV, not a photo\n" * 50)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["photo"]
    assert any("not a picture" in error for error in errors)
    maya.refresh_from_db()
    assert not maya.photo and maya.picture() is None


def test_booking_steps_show_the_chosen_clinicians_photo_and_name(front_desk, team, client):
    maya = team[0]
    maya.availability.all().delete()
    for weekday in range(7):
        maya.availability.create(weekday=weekday, start=time(8), end=time(18))
    upload_photo(front_desk, maya, "maya.jpg", photo_bytes())
    maya.refresh_from_db()
    consult = make_type(slug="consult", mode=AppointmentMode.PHONE, booking_window_days=28)
    times = client.get(f"/book/consult/?clinician={maya.pk}").content.decode()
    slot = re.findall(r'name="slot" value="([^"]+)"', times)[0]
    assert maya.picture().webp_srcset() in times
    assert "Times with Maya Okafor, PT, DPT, OCS" in times

    details = client.get(f"/book/{consult.slug}/details/?slot={slot}").content.decode()
    assert maya.picture().webp_srcset() in details
    assert "with Maya Okafor, PT, DPT, OCS" in details

    patient = {"name": "Pat", "email": "pat@example.com", "phone": "(608) 555-0123"}
    sent = client.post(f"/book/{consult.slug}/details/", {**patient, "slot": slot})
    review = client.get(sent["Location"]).content.decode()
    assert maya.picture().webp_srcset() in review
    assert "Maya Okafor, PT, DPT, OCS" in review


@pytest.mark.django_db
def test_the_seeded_placeholder_clinician_is_not_shown_to_patients(client):
    """A fresh install's stand-in clinician can still take bookings, but /team/ only
    introduces real people."""
    assert Clinician.objects.filter(bio__startswith="Placeholder:").exists()
    assert "Placeholder" not in client.get("/team/").content.decode()
