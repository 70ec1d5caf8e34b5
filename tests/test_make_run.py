"""`make run PORT=...`: the links the app writes (emails, handouts) follow the port it serves on."""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_make(tmp_path: Path, *args: str, site_url: str | None = None) -> list[str]:
    """Run the real `make run` with manage.py swapped for a script that records its environment.

    `-o .venv/.installed` skips the install step, so no pip runs here.
    """
    if shutil.which("make") is None:
        pytest.skip("needs make")
    log = tmp_path / "calls.log"
    fake_manage = tmp_path / "manage"
    # The worker and the reminders start in the background and make kills them when
    # runserver exits, so the fake runserver waits (up to 10 s) until both are recorded.
    fake_manage.write_text(
        "#!/bin/sh\n"
        f'echo "$1 $SITE_URL" >> {log}\n'
        f'echo "$*" >> {log}.arguments\n'
        'if [ "$1" = runserver ]; then\n'
        "  for i in $(seq 100); do\n"
        f"    grep -q ^db_worker {log} && grep -q ^send_reminders {log} && break; sleep 0.1\n"
        "  done\n"
        "fi\n"
    )
    fake_manage.chmod(fake_manage.stat().st_mode | stat.S_IEXEC)
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    if site_url is not None:
        env["SITE_URL"] = site_url
    subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "run", f"MANAGE={fake_manage}",
         *args],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return sorted(log.read_text().splitlines())


def arguments(tmp_path: Path) -> list[str]:
    """Each manage.py command `make run` ran, with its arguments."""
    return (tmp_path / "calls.log.arguments").read_text().splitlines()


def test_make_run_on_another_port_points_links_at_that_port(tmp_path):
    calls = run_make(tmp_path, "PORT=8101")
    # The web server and the email worker both build links, so both must see it.
    assert "runserver http://127.0.0.1:8101" in calls
    assert "db_worker http://127.0.0.1:8101" in calls
    assert "send_reminders http://127.0.0.1:8101" in calls
    assert all(call.endswith("http://127.0.0.1:8101") for call in calls)


def test_make_run_keeps_site_url_when_it_is_set(tmp_path):
    calls = run_make(tmp_path, "PORT=8101", site_url="https://peakendurancept.example")
    assert "runserver https://peakendurancept.example" in calls
    assert "db_worker https://peakendurancept.example" in calls


def test_make_run_defaults_to_port_8000(tmp_path):
    assert "runserver http://127.0.0.1:8000" in run_make(tmp_path)


def test_make_run_sends_reminders_every_minute_beside_the_email_worker(tmp_path):
    """Production runs send_reminders from cron; on a laptop nothing did, so nobody
    running the demo ever saw a reminder go out."""
    run_make(tmp_path)
    assert "send_reminders --every 60" in arguments(tmp_path)
