"""Staff enter the clinic's address in the admin; patients see it on the next page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_staff_enter_the_address_and_the_home_page_and_footer_show_it(live_server, page, superuser):
    sign_in_at(
        page,
        f"{live_server.url}/admin/intake/clinicdetails/",
        superuser.username,
        password="pw-boss-123",
    )
    expect(page.get_by_text("The street address is missing.")).to_be_visible()
    page.get_by_label("Street address").fill("1234 Example St, Suite 5")
    page.get_by_label("Postal code").fill("53703")
    page.get_by_label("Parking notes").fill("Free parking behind the building.")
    page.get_by_label("Map url").fill("https://www.openstreetmap.org/#map=18/43.07/-89.40")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    visit = page.get_by_role("region", name="Visit us")
    expect(visit).to_contain_text("1234 Example St, Suite 5, Madison, WI 53703")
    expect(visit).to_contain_text("Free parking behind the building.")
    expect(visit.get_by_role("link", name="Open the map")).to_have_attribute(
        "href", "https://www.openstreetmap.org/#map=18/43.07/-89.40"
    )
    expect(page.locator("footer")).to_contain_text("1234 Example St, Suite 5")
    assert_accessible(page)
    page.screenshot(path="/tmp/shots-journeys/home-clinic-details.png", full_page=True)
