"""How long a visitor waits when the database hangs: the health check, a guide and a contact
request, each against a server that accepts connections and never answers.

    .venv/bin/python bench/outage.py          # DATABASE_CONNECT_TIMEOUT=2, as the test uses

tests/test_outage.py proves each request ends in the 503 page with the phone number, cut
off by the right timeout; the seconds it takes depend on the machine, so they are printed
here rather than asserted there.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONNECT_TIMEOUT = os.environ.get("DATABASE_CONNECT_TIMEOUT", "2")

TIMED_REQUESTS = """
import json, time
import clinic.wsgi
from django.test import Client
client = Client(raise_request_exception=False)
out = {}
for name, call in [
    ("healthz", lambda: client.get("/healthz")),
    ("guides", lambda: client.get("/guides/")),
    ("contact", lambda: client.post("/contact/", {"name": "Pat", "message": "Sore knee"})),
]:
    start = time.monotonic()
    status = call().status_code
    out[name] = {"status": status, "seconds": round(time.monotonic() - start, 2)}
print(json.dumps(out))
"""


def hung_database() -> tuple[str, threading.Event]:
    """A PostgreSQL address that accepts connections and then says nothing."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    stop = threading.Event()
    held = []

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    return f"postgres://clinic@127.0.0.1:{server.getsockname()[1]}/clinic", stop


def main() -> None:
    url, stop = hung_database()
    static_root = tempfile.mkdtemp(prefix="peak-outage-static-")
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": static_root,
        "DATABASE_URL": url,
        "DATABASE_CONNECT_TIMEOUT": CONNECT_TIMEOUT,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": "sqlite:///:memory:"},
        check=True,
    )
    result = subprocess.run(
        [sys.executable, "-c", TIMED_REQUESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    stop.set()
    timings = json.loads(result.stdout.splitlines()[-1])
    print(f"hung database, DATABASE_CONNECT_TIMEOUT={CONNECT_TIMEOUT}")
    for name, figures in timings.items():
        print(f"  {name:8} {figures['status']}  {figures['seconds']:.2f} s")


if __name__ == "__main__":
    main()
