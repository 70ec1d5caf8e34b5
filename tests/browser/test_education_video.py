"""A clinician adds a short video to an exercise; a patient on a phone sees its poster, plays
it with captions on, and the page never shifts while the poster arrives."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from education.models import Exercise
from tests.browser.conftest import assert_accessible, sign_in_at
from tests.browser.layout_shifts import RECORD_LAYOUT_SHIFTS
from tests.education.test_videos import CAPTIONS, WEBM

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = "/tmp/shots-video"


def poster_file(tmp_path) -> str:
    path = tmp_path / "poster.jpg"
    image = Image.new("RGB", (1280, 720), (214, 232, 240))
    image.paste((26, 95, 122), (440, 160, 840, 560))  # something to see
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def file_field(page, legend: str):
    """Django's file inputs sit in a fieldset named by its legend (it also holds "Clear")."""
    return page.get_by_role("group", name=legend, exact=True).locator("input[type=file]")


def test_a_clinician_adds_a_video_and_a_patient_plays_it_with_captions(
    live_server, page, browser, group_member, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    exercise = Exercise.objects.get(slug="single-leg-banded-hip-abduction")
    clinician = group_member("Clinician")
    (tmp_path / "band-walk.webm").write_bytes(WEBM)
    (tmp_path / "band-walk.vtt").write_bytes(CAPTIONS)
    (tmp_path / "letter.mp4").write_bytes(b"Dear clinic, this is not a video.\n" * 20)

    sign_in_at(
        page,
        f"{live_server.url}/admin/education/exercise/{exercise.pk}/change/",
        clinician.username,
    )

    # A renamed non-video first: the form says so on the field and keeps the text typed.
    file_field(page, "Video:").set_input_files(str(tmp_path / "letter.mp4"))
    page.get_by_label("What the video shows, step by step:").fill(
        "1. Lie on your side with a band around your knees.\n2. Lift the top knee, then lower it."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".field-video .errorlist")).to_contain_text("not a video we can play")
    expect(page.locator(".field-video_captions .errorlist")).to_contain_text("Add a captions")
    expect(page.get_by_label("What the video shows, step by step:")).to_have_value(
        "1. Lie on your side with a band around your knees.\n2. Lift the top knee, then lower it."
    )
    page.locator(".field-video").screenshot(path=f"{SHOTS}/01-admin-refused.png")

    file_field(page, "Video:").set_input_files(str(tmp_path / "band-walk.webm"))
    file_field(page, "Poster picture:").set_input_files(poster_file(tmp_path))
    file_field(page, "Captions:").set_input_files(str(tmp_path / "band-walk.vtt"))
    page.locator("fieldset:has(.field-video)").screenshot(path=f"{SHOTS}/02-admin-video.png")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    patient = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    patient.add_init_script(RECORD_LAYOUT_SHIFTS)
    # The poster arrives late, as on a slow phone connection, after the text is laid out.
    patient.route(
        "**/media/**/posters/**", lambda route: (patient.wait_for_timeout(400), route.continue_())
    )
    ranges = []
    patient.on(
        "response",
        lambda r: "/videos/" in r.url and ranges.append((r.status, r.request.headers.get("range"))),
    )
    # From the guide, where the exercise is one of the tips, to its video.
    patient.goto(f"{live_server.url}/guides/knee-pain-with-running/")
    link = patient.get_by_role("link", name="Watch a short video of the single-leg banded")
    link.scroll_into_view_if_needed()
    patient.screenshot(path=f"{SHOTS}/03-phone-guide-link.png")
    with patient.expect_navigation():
        link.click()
    assert patient.url.endswith(f"{exercise.get_absolute_url()}#video")

    video = patient.locator("main video")
    expect(video).to_be_in_viewport()
    box = video.bounding_box()
    assert round(box["height"]) == round(box["width"] * 720 / 1280)  # the space is kept
    patient.wait_for_function(
        "() => { const img = new Image(); img.src = document.querySelector('video').poster;"
        " return img.complete && img.naturalWidth === 960; }"
    )
    expect(patient.get_by_role("heading", name="What does the video show?")).to_be_visible()
    assert ranges == []  # preload="none": nothing downloads until the patient presses play
    patient.screenshot(path=f"{SHOTS}/04-phone-exercise.png")
    assert patient.evaluate("window.layoutShift") == 0
    assert_accessible(patient)

    # Played muted (Chromium starts muted video without a tap), it shows the captions.
    patient.evaluate(
        "() => { const v = document.querySelector('video'); v.muted = true; v.play(); }"
    )
    patient.wait_for_function(
        "() => { const v = document.querySelector('video'); const t = v.textTracks[0];"
        " return v.currentTime > 0.3 && t.mode === 'showing' && t.activeCues.length > 0; }"
    )
    cue = patient.evaluate("() => document.querySelector('video').textTracks[0].activeCues[0].text")
    assert cue.startswith(("Lie on your side", "Lift the top knee"))
    assert any(status == 206 for status, _ in ranges), ranges
    patient.evaluate("() => document.querySelector('video').pause()")
    video.screenshot(path=f"{SHOTS}/05-phone-playing.png")
    patient.context.close()

    # On a desktop the video is as wide as the text column.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + exercise.get_absolute_url())
    expect(page.locator("main video")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/06-desktop-exercise.png")
    assert_accessible(page)
