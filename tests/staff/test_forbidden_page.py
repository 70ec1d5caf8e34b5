"""A page someone's group does not include: the admin's own look, and a way back."""


def test_a_page_outside_the_front_desks_group_says_so_in_the_admins_look(client, group_member):
    client.force_login(group_member("Front desk"))

    page = client.get(
        "/admin/intake/readlogentry/", HTTP_REFERER="http://testserver/admin/intake/lead/"
    )

    text = page.content.decode()
    assert page.status_code == 403
    assert "/static/admin/css/base." in text and 'id="header"' in text
    assert "You can&#x27;t open this page" in text
    assert "Your staff group does not include this page (Front desk)" in text
    assert (
        '<a href="http://testserver/admin/intake/lead/">Back to the page you came from</a>' in text
    )
    assert '<a href="/admin/">Go to Today</a>' in text


def test_the_way_back_never_leads_off_the_site(client, group_member):
    client.force_login(group_member("Front desk"))

    page = client.get("/admin/intake/readlogentry/", HTTP_REFERER="https://evil.example/")

    assert "evil.example" not in page.content.decode()
    assert '<a href="/admin/">Go to Today</a>' in page.content.decode()


def test_a_403_outside_the_admin_keeps_the_sites_look(rf, db):
    from django.core.exceptions import PermissionDenied

    from clinic.views import permission_denied

    page = permission_denied(rf.get("/book/"), PermissionDenied())

    assert page.status_code == 403
    assert "this page is not open to you" in page.content.decode()
    assert "(608) 218-4215" in page.content.decode()
