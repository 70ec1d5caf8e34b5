"""Exercise pictures load lazily into space reserved for them: the page never shifts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from PIL import Image
from playwright.sync_api import Page, expect

from education.models import Exercise, attach_picture
from tests.browser.conftest import assert_accessible
from tests.browser.layout_shifts import RECORD_LAYOUT_SHIFTS

# The pages the test scrolls through: one exercise, a guide, and a protocol's handout.
PAGES = [
    "/exercises/step-down/",
    "/guides/knee-pain-with-running/",
    "/protocols/runners-patellofemoral-pain/print/",
]


def give_pictures_to_the_exercises_on_the_pages() -> None:
    """Every exercise those pages show gets a picture; the starter library's others, which
    no page here shows, are left without (each picture is six encodings, half a CPU-second)."""
    shown = Exercise.objects.filter(
        Q(slug="step-down")
        | Q(protocol_steps__protocol__slug="runners-patellofemoral-pain")
        | Q(protocol_steps__protocol__guides__slug="knee-pain-with-running")
    ).distinct()
    for n, exercise in enumerate(shown.order_by("pk")):
        image = Image.new("RGB", (1600, 1000 + 100 * n), (30 + 60 * n, 110, 180))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG")
        upload = SimpleUploadedFile(f"{exercise.slug}.jpg", buffer.getvalue())
        attach_picture(exercise=exercise, upload=upload)
        exercise.image_alt = f"A patient doing the {exercise.name.lower()}"
        exercise.save()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_pictures_never_shift_the_page(live_server, page: Page, settings, tmp_path, viewport):
    settings.MEDIA_ROOT = tmp_path
    give_pictures_to_the_exercises_on_the_pages()
    page.add_init_script(RECORD_LAYOUT_SHIFTS)
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    # Pictures arrive late, as on a slow phone connection, after the text has been laid out.
    page.route("**/media/**", lambda route: (page.wait_for_timeout(300), route.continue_()))

    for path in PAGES:
        page.goto(live_server.url + path)
        pictures = page.locator("main img")
        expect(pictures.first).to_be_visible()
        for index in range(pictures.count()):  # scrolling in loads each lazy picture
            pictures.nth(index).scroll_into_view_if_needed()
            page.wait_for_function(
                "img => img.complete && img.naturalWidth > 0",
                arg=pictures.nth(index).element_handle(),
            )
        page.screenshot(
            path=f"/tmp/shots-edu/pictures-{width}{path.replace('/', '-')}.png", full_page=True
        )
        assert page.evaluate("window.layoutShift") == 0, path
        assert_accessible(page)
