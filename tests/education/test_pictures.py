"""Exercise pictures: only real, sensibly sized photos; resized copies without EXIF; no shift."""

import io
import re
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from education.models import Exercise
from tests.education.admin_forms import change_form_data

ALT = "A runner lifting one leg sideways against a band"


@pytest.fixture
def clinician_client(client, group_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(group_member("Clinician"))
    return client


def photo(width: int = 1600, height: int = 1200, kind: str = "JPEG") -> bytes:
    """A camera photo with a GPS position in its EXIF, as phones write them."""
    image = Image.new("RGB", (width, height), (40, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (43.0, 4.0, 22.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, kind, exif=exif)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size but holds almost no pixels: a cheap 'huge' picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def upload(client, exercise: Exercise, name: str, content: bytes, alt: str = ALT):
    url = f"/admin/education/exercise/{exercise.pk}/change/"
    data = change_form_data(client.get(url))
    data["image"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    data["image_alt"] = alt
    return client.post(url, data)


@pytest.fixture
def band_walk(db) -> Exercise:
    return Exercise.objects.get(slug="single-leg-banded-hip-abduction")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.jpg", b"Dear clinic, this is a letter, not a photo.\n" * 20, "not a picture"),
        ("huge.png", png_header(8660, 5774), "50 megapixels; up to 40 are accepted"),
        ("huge.jpg", b"\xff\xd8\xff" + b"\x00" * (16 * 1024 * 1024), "pictures can be up to 15 MB"),
        ("icon.png", photo(100, 100, "PNG"), "at least 320 on each side"),
    ],
    ids=["renamed-non-image", "50-megapixels", "16-MB-file", "tiny"],
)
def test_an_upload_that_is_not_a_usable_photo_is_refused_with_a_clear_message(
    clinician_client, band_walk, name, content, message
):
    response = upload(clinician_client, band_walk, name, content)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["image"]
    assert any(message in error for error in errors), errors
    band_walk.refresh_from_db()
    assert not band_walk.image
    nothing_stored = not default_storage.exists("exercises")
    assert nothing_stored or not default_storage.listdir("exercises")[1]


def test_a_picture_needs_alt_text(clinician_client, band_walk):
    response = upload(clinician_client, band_walk, "band.jpg", photo(), alt="")
    assert response.status_code == 200
    assert "Describe the image." in response.content.decode()


def test_an_upload_is_stored_as_phone_and_desktop_copies_without_exif(clinician_client, band_walk):
    assert upload(clinician_client, band_walk, "IMG_2041.jpg", photo()).status_code == 302

    band_walk.refresh_from_db()
    picture = band_walk.picture()
    assert [w for w, _ in picture.webp] == [480, 960, 1440]
    assert [w for w, _ in picture.jpeg] == [480, 960, 1440]
    assert (picture.width, picture.height) == (1440, 1080)
    stored = default_storage.listdir("exercises")[1]
    assert len(stored) == 6  # three widths, two formats; the original upload is not kept
    assert not any("IMG_2041" in name for name in stored)
    for _, name in picture.webp + picture.jpeg:
        with default_storage.open(name) as file, Image.open(file) as image:
            assert image.format in {"WEBP", "JPEG"}
            assert not image.getexif()  # no camera, no GPS


def test_patients_see_a_responsive_picture_that_reserves_its_space(clinician_client, band_walk):
    assert upload(clinician_client, band_walk, "band.jpg", photo(1200, 800)).status_code == 302
    anonymous = Client()
    for url in [band_walk.get_absolute_url(), "/guides/knee-pain-with-running/"]:
        page = anonymous.get(url).content.decode()
        img = re.search(rf'<img[^>]+alt="{ALT}"[^>]*>', page).group(0)
        assert 'width="1200" height="800"' in img
        assert 'loading="lazy"' in img and "srcset=" in img and "sizes=" in img
        assert '<source type="image/webp" srcset="' in page
        src = re.search(r'src="([^"]+)"', img).group(1)
        response = anonymous.get(src)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"

    handout = anonymous.get("/protocols/runners-patellofemoral-pain/print/").content.decode()
    assert re.search(r'<img class="handout-picture"[^>]+width="160" height="107"', handout)


def test_exercises_without_a_picture_show_none(client, band_walk):
    page = client.get(band_walk.get_absolute_url()).content.decode()
    assert "<picture>" not in page and "<img" not in page.split("<main")[1]
