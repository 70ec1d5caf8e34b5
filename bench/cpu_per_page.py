"""CPU per kept guide page and per bare view, in-process, on PostgreSQL: the worker's and
the database backend's, with the content version listened for and without.

Requests/s from `make bench` swing by 2-3x when other work shares the machine; CPU spent
per request does not, so this is the figure to compare on a busy machine. Each line runs in
a fresh process (the listener is per process) against a throwaway `<name>_cpu` database
next to DATABASE_URL's (default the local server):

    .venv/bin/python bench/cpu_per_page.py
"""

import io
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import PYTHON, ROOT, manage

GUIDE = "/guides/knee-pain-with-running/"
CALLS = int(os.environ.get("BENCH_CALLS", "3000"))


def call(application, path: str) -> None:
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
        "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
    }  # fmt: skip
    status: list[str] = []
    b"".join(application(environ, lambda line, headers, exc_info=None: status.append(line)))
    if not status[0].startswith("200"):
        sys.exit(f"{path} answered {status[0]}")


def backend_seconds() -> float:
    """CPU time so far of the PostgreSQL backend serving this process's requests."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_here() -> None:
    """In the child: CALLS requests of each path through the production WSGI app."""
    sys.path.insert(0, str(ROOT))
    from bench.wsgi import application

    for path in (GUIDE, "/bench/bare/"):
        for _ in range(50):  # the copy kept, the connection and the listener made
            call(application, path)
        backend, worker = backend_seconds(), time.process_time()
        for _ in range(CALLS):
            call(application, path)
        worker, backend = time.process_time() - worker, backend_seconds() - backend
        print(
            f"listen={os.environ['CONTENT_VERSION_LISTEN']} {path:<34} "
            f"worker {worker / CALLS * 1e6:>5.0f} us  PostgreSQL {backend / CALLS * 1e6:>4.0f} us"
        )


def main() -> None:
    import psycopg

    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/clinic"
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/cpu_per_page.py measures PostgreSQL: set DATABASE_URL to one")
    base, _, name = url.rpartition("/")
    database = f"{base}/{name}_cpu"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}_cpu"')
        conn.execute(f'CREATE DATABASE "{name}_cpu"')
    try:
        with tempfile.TemporaryDirectory(prefix="peak-cpu-") as tmp:
            env = {
                **os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0",
                "DJANGO_STATIC_ROOT": f"{tmp}/static", "DATABASE_URL": database,
                "CACHE_URL": "", "EMAIL_URL": "dummy://", "DJANGO_LOG_LEVEL": "WARNING",
            }  # fmt: skip
            manage(env, "collectstatic", "--noinput", "--verbosity", "0")
            manage(env, "migrate", "--noinput", "--verbosity", "0")
            for listen in ("0", "1", "0", "1"):  # interleaved: load elsewhere hits both
                subprocess.run(
                    [PYTHON, __file__, "--here"], cwd=ROOT, check=True,
                    env={**env, "CONTENT_VERSION_LISTEN": listen,
                         "DJANGO_SETTINGS_MODULE": "clinic.settings"},
                )  # fmt: skip
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_cpu" WITH (FORCE)')


if __name__ == "__main__":
    if sys.argv[1:] == ["--here"]:
        measure_here()
    else:
        main()
