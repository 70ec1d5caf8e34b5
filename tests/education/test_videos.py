"""Exercise videos: only real MP4 (H.264) or WebM files, always with a poster, captions and
text; played by the browser's own player in space reserved for it; never on the handout."""

import contextlib
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from education.models import Exercise
from education.videos import check_video, clean_captions
from tests.education.admin_forms import change_form_data
from tests.education.test_pages import EXPECTED_QUERIES, content_queries

SAMPLES = Path(__file__).parent / "samples"
# Two seconds of a test pattern with a tone, 320x180 (about 25 KB each), made with
#   ffmpeg -f lavfi -i testsrc2=size=320x180:rate=15 -f lavfi -i sine=frequency=440 -t 2
#     -c:v libvpx-vp9 -b:v 60k -c:a libopus -b:a 24k band-walk.webm
#     (or -c:v libx264 -profile:v baseline -pix_fmt yuv420p -b:v 60k -c:a aac -b:a 32k
#      -movflags +faststart band-walk.mp4)
WEBM = (SAMPLES / "band-walk.webm").read_bytes()
MP4 = (SAMPLES / "band-walk.mp4").read_bytes()
CAPTIONS = (
    b"WEBVTT\n\n"
    b"00:00:00.000 --> 00:00:01.000\nLie on your side with the band around your knees.\n\n"
    b"00:00:01.000 --> 00:00:02.000\nLift the top knee, then lower it slowly.\n"
)
TRANSCRIPT = "1. Lie on your side, knees bent, band above the knees.\n2. Lift the top knee."


def poster_bytes(width: int = 1280, height: int = 720) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 140)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def clinician_client(client, group_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(group_member("Clinician"))
    return client


@pytest.fixture
def band_walk(db) -> Exercise:
    return Exercise.objects.get(slug="single-leg-banded-hip-abduction")


def post_video(
    client,
    exercise: Exercise,
    video: tuple[str, bytes] | None = ("band-walk.webm", WEBM),
    poster: tuple[str, bytes] | None = ("poster.jpg", None),
    captions: tuple[str, bytes] | None = ("band-walk.vtt", CAPTIONS),
    transcript: str = TRANSCRIPT,
):
    """Post the exercise's change form with these files, as staff choosing them would."""
    url = f"/admin/education/exercise/{exercise.pk}/change/"
    data = change_form_data(client.get(url))
    for field, chosen in [("video", video), ("video_poster", poster), ("video_captions", captions)]:
        if chosen is not None:
            name, content = chosen
            data[field] = SimpleUploadedFile(name, poster_bytes() if content is None else content)
    data["video_transcript"] = transcript
    return client.post(url, data)


def field_errors(response, field: str) -> list[str]:
    assert response.status_code == 200
    return response.context["adminform"].form.errors.get(field, [])


def nothing_stored() -> bool:
    return not default_storage.exists("exercises") or not any(
        default_storage.listdir(f"exercises/{folder}")[1]
        for folder in default_storage.listdir("exercises")[0]
    )


# Uploading -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("band-walk.webm", WEBM, "video/webm"), ("IMG_2041.mp4", MP4, "video/mp4")],
    ids=["webm", "mp4"],
)
def test_a_video_is_stored_as_uploaded_and_served_as_what_its_bytes_are(
    clinician_client, band_walk, name, content, content_type
):
    assert post_video(clinician_client, band_walk, video=(name, content)).status_code == 302

    band_walk.refresh_from_db()
    assert band_walk.video.name.startswith("exercises/videos/")
    assert "IMG_2041" not in band_walk.video.name  # named by the site, not the phone
    assert band_walk.video_type() == content_type
    response = Client().get(band_walk.video.url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert b"".join(response.streaming_content) == content
    assert band_walk.poster().width == 1280
    assert band_walk.video_transcript_html.startswith("<ol>")


def test_a_renamed_file_is_recognised_by_its_bytes_not_its_name(clinician_client, band_walk):
    """A WebM called .mp4 is still a WebM, and is served as one."""
    assert post_video(clinician_client, band_walk, video=("walk.mp4", WEBM)).status_code == 302
    band_walk.refresh_from_db()
    assert band_walk.video.name.endswith(".webm")
    assert Client().get(band_walk.video.url)["Content-Type"] == "video/webm"


def png(width: int = 400, height: int = 400) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("exercise.mp4", b"Dear clinic, this is a letter.\n" * 40, "not a video we can play"),
        ("photo.webm", png(), "not a video we can play"),
        ("cut-short.mp4", MP4[:600], "not a video we can play"),
        ("cut-short.webm", WEBM[:60], "not a video we can play"),
        ("iphone.mp4", MP4.replace(b"avc1", b"hvc1"), "coded as “hvc1”"),
        ("camera.mov", MP4[:8] + b"qt  " + MP4[12:], "QuickTime (.mov)"),
        ("matroska.webm", WEBM.replace(b"webm", b"mkvx", 1), "not a video we can play"),
    ],
    ids=["letter", "picture", "cut-mp4", "cut-webm", "hevc", "quicktime", "not-webm-doctype"],
)
def test_a_file_that_is_not_a_playable_video_is_refused_with_a_clear_message(
    clinician_client, band_walk, name, content, message
):
    response = post_video(clinician_client, band_walk, video=(name, content))
    errors = field_errors(response, "video")
    assert any(message in error for error in errors), errors
    assert "MP4 (H.264)" in errors[0]  # and what to do about it
    # What staff typed is still there; the files must be chosen again (browsers never refill).
    assert "Lie on your side, knees bent" in response.content.decode()
    band_walk.refresh_from_db()
    assert not band_walk.video
    assert nothing_stored()


def test_a_video_over_the_size_limit_is_refused(clinician_client, band_walk, settings):
    settings.EXERCISE_VIDEO_MAX_MB = 1
    padded = WEBM + b"\x00" * (1024 * 1024)
    response = post_video(clinician_client, band_walk, video=("long.webm", padded))
    errors = field_errors(response, "video")
    assert errors == [
        "This video is 2 MB; videos can be up to 1 MB. Keep it short (under a minute), "
        "export it at 720p and try again."
    ]
    assert "Up to 1 MB." in response.content.decode()  # the limit is in the help text
    assert nothing_stored()


def test_a_video_needs_a_poster_captions_and_what_it_shows(clinician_client, band_walk):
    response = post_video(clinician_client, band_walk, poster=None, captions=None, transcript=" ")
    assert field_errors(response, "video_poster") == [
        "Add a poster picture: the still patients see before the video plays."
    ]
    assert field_errors(response, "video_captions") == [
        "Add a captions file (.vtt), for patients who cannot hear the video."
    ]
    assert field_errors(response, "video_transcript") == [
        "Describe what the video shows, step by step, for patients who cannot watch it."
    ]
    assert nothing_stored()


def test_a_refused_video_still_says_what_else_it_needs(clinician_client, band_walk):
    response = post_video(clinician_client, band_walk, video=("a.mp4", b"no"), captions=None)
    assert field_errors(response, "video")
    assert field_errors(response, "video_captions")


def test_a_poster_that_is_not_a_picture_says_so_once(clinician_client, band_walk):
    response = post_video(clinician_client, band_walk, poster=("poster.jpg", b"not a picture"))
    assert field_errors(response, "video_poster") == [
        "This file is not a picture we can read. Upload a JPEG, PNG or WebP photo."
    ]


def test_the_poster_cannot_be_cleared_while_the_video_stays(clinician_client, band_walk):
    assert post_video(clinician_client, band_walk).status_code == 302
    url = f"/admin/education/exercise/{band_walk.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    data["video_poster-clear"] = "on"
    response = clinician_client.post(url, data)
    assert field_errors(response, "video_poster") == [
        "Add a poster picture: the still patients see before the video plays."
    ]


def test_clearing_the_video_takes_it_off_the_page(clinician_client, band_walk):
    assert post_video(clinician_client, band_walk).status_code == 302
    url = f"/admin/education/exercise/{band_walk.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    data["video-clear"] = "on"
    assert clinician_client.post(url, data).status_code == 302
    assert "<video" not in Client().get(band_walk.get_absolute_url()).content.decode()


def test_the_database_never_holds_a_video_without_its_poster_captions_and_text(band_walk):
    with pytest.raises(IntegrityError):
        Exercise.objects.filter(pk=band_walk.pk).update(video="exercises/videos/a.webm")


# Captions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"1\n00:00:01,000 --> 00:00:02,000\nHello\n", 'starts with the line "WEBVTT"'),
        ("WEBVTT\n\n00:00.000 --> 00:01.000\nCaf\u00e9\n".encode("latin-1"), "not saved as UTF-8"),
        (b"WEBVTT\n\nNOTE only a note\n", "has no captions in it"),
        (b"WEBVTT\n\n00:00:01 --> 00:00:02\nHello\n", "not in the WebVTT form"),
        (b"WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nHello\n", "ends before it starts"),
        (b"WEBVTT\n\n00:00.000 --> 00:01.000\n\x00\x01\x02", "binary data"),
        (b"WEBVTT\n\n" + b"00:00.000 --> 00:01.000\nHello\n\n" * 10_000, "up to 256 KB"),
        (b"%PDF-1.7\n", 'starts with the line "WEBVTT"'),
    ],
    ids=["srt", "latin-1", "no-cues", "short-times", "backwards", "binary", "too-big", "pdf"],
)
def test_a_broken_captions_file_is_refused_with_what_to_fix(
    clinician_client, band_walk, content, message
):
    response = post_video(clinician_client, band_walk, captions=("captions.vtt", content))
    errors = field_errors(response, "video_captions")
    assert any(message in error for error in errors), errors
    assert nothing_stored()


def test_captions_are_stored_as_plain_timed_text(clinician_client, band_walk):
    """Cue text is shown as text by browsers anyway; nothing else is kept or served."""
    odd = (
        "\ufeffWEBVTT - made by a captioning tool\r\n\r\n"
        "STYLE\r\n::cue { background: url(https://example.com/track.png) }\r\n\r\n"
        "NOTE the first cue\r\n\r\n"
        "intro\r\n00:00.000 --> 00:01.500 align:start onload=x\r\n"
        "<v Coach><b>Lie</b> on your side</v> <script>alert(1)</script>\r\n\r\n"
        "00:00:01.500 --> 00:00:02.000\r\nLift --> lower &amp; repeat <img src=x\r\n"
    ).encode()
    response = post_video(clinician_client, band_walk, captions=("tool.vtt", odd))
    assert response.status_code == 302
    band_walk.refresh_from_db()
    served = Client().get(band_walk.video_captions.url)
    assert served["Content-Type"] == "text/vtt"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content).decode() == (
        "WEBVTT\n\n"
        "00:00.000 --> 00:01.500 align:start\n"
        "Lie on your side alert(1)\n\n"
        "00:00:01.500 --> 00:00:02.000\n"
        "Lift → lower &amp; repeat\n"
    )


@given(st.binary(max_size=600))
def test_any_bytes_as_captions_are_cleaned_or_refused_never_an_error(content):
    try:
        cleaned = clean_captions(SimpleUploadedFile("c.vtt", b"WEBVTT\n\n" + content))
    except ValidationError:
        return
    assert cleaned.startswith("WEBVTT\n\n") and "<" not in cleaned


@given(st.sampled_from([WEBM, MP4]), st.integers(0, 2000), st.binary(min_size=1, max_size=8))
def test_a_damaged_video_is_refused_or_accepted_never_an_error(video, at, junk):
    damaged = video[:at] + junk + video[at + len(junk) :]
    with contextlib.suppress(ValidationError):  # anything else fails the test
        check_video(SimpleUploadedFile("v.mp4", damaged))


# Pages -----------------------------------------------------------------------------------------


def test_patients_see_the_video_with_captions_a_poster_and_reserved_space(
    clinician_client, band_walk
):
    assert post_video(clinician_client, band_walk).status_code == 302
    band_walk.refresh_from_db()
    page = Client().get(band_walk.get_absolute_url()).content.decode()

    video = re.search(r"<video[^>]*>", page).group(0)
    assert 'controls preload="none" playsinline' in video
    assert 'width="1280" height="720"' in video  # the poster's shape, so nothing shifts
    assert "autoplay" not in page
    poster = re.search(r'poster="([^"]+)"', video).group(1)
    assert Client().get(poster)["Content-Type"] == "image/jpeg"
    assert f'<source src="{band_walk.video.url}" type="video/webm">' in page
    assert (
        f'<track kind="captions" srclang="en" label="English" '
        f'src="{band_walk.video_captions.url}" default>'
    ) in page
    # The text alternative comes right after the video.
    after = page.split("</video>")[1]
    assert after.index("What does the video show?") < after.index("Why does this help?")
    assert "<li>Lie on your side, knees bent, band above the knees.</li>" in after
    assert "<script" not in page.split("<main")[1]  # no player script


def test_pages_without_a_video_show_none(client, band_walk):
    for url in [
        band_walk.get_absolute_url(),
        "/guides/knee-pain-with-running/",
        "/protocols/runners-patellofemoral-pain/",
    ]:
        page = client.get(url).content.decode()
        assert "<video" not in page and "What does the video show?" not in page
        assert "Watch a short video" not in page


@pytest.mark.parametrize(
    "url", ["/guides/knee-pain-with-running/", "/protocols/runners-patellofemoral-pain/"]
)
def test_the_guide_and_protocol_link_to_the_video_at_no_extra_query(
    clinician_client, band_walk, url
):
    assert post_video(clinician_client, band_walk).status_code == 302
    visitor = Client()
    visitor.cookies["messages"] = "rendered afresh"  # a visitor the shared copy never serves
    with CaptureQueriesContext(connection) as captured:
        page = visitor.get(url).content.decode()
    assert len(content_queries(captured)) == EXPECTED_QUERIES[url]  # as without a video
    link = f'<a href="{band_walk.get_absolute_url()}#video">Watch a short video of the '
    assert link in page
    assert "<video" not in page


def test_the_handout_shows_no_video(clinician_client, band_walk):
    assert post_video(clinician_client, band_walk).status_code == 302
    visitor = Client()
    handout = visitor.get("/protocols/runners-patellofemoral-pain/print/").content.decode()
    assert "<video" not in handout and "Watch a short video" not in handout


def test_a_saved_video_reaches_visitors_at_once_and_the_page_costs_no_more_queries(
    clinician_client, band_walk, django_assert_num_queries
):
    visitor = Client()
    url = band_walk.get_absolute_url()
    assert "<video" not in visitor.get(url).content.decode()  # now kept for visitors
    assert post_video(clinician_client, band_walk).status_code == 302
    assert "<video" in visitor.get(url).content.decode()

    fresh = Client()
    fresh.cookies["messages"] = "rendered afresh"  # a visitor the shared copy never serves
    with django_assert_num_queries(2):  # the exercise, the protocols that prescribe it
        assert "<video" in fresh.get(url).content.decode()
