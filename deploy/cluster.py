"""`make cluster`: the two-server site on this machine, from the files in deploy/.

HAProxy (deploy/haproxy.cfg) in front of two gunicorn servers and a task worker beside
each, started with the ExecStart lines of deploy/systemd/'s units, all with the
environment of deploy/cluster.env; shared PostgreSQL (DATABASE_URL), Redis (REDIS_URL)
and SeaweedFS (started here, deploy/object_store.py). Only the addresses differ from
production: local ports, a throwaway database and bucket. The cluster test
(tests/deploy/test_cluster.py) runs the same `Cluster`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic \
      REDIS_URL=redis://127.0.0.1:6379/0 make cluster
"""

import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
sys.path.insert(0, str(ROOT))

from deploy.object_store import ObjectStore, free_ports, start_object_store  # noqa: E402


def haproxy_binary() -> str | None:
    return shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if Path(p).exists()), None
    )


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def exec_start(unit: str, instance: str) -> list[str]:
    """The unit's ExecStart, for this instance, with this checkout's virtualenv."""
    text = (DEPLOY / "systemd" / unit).read_text()
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    line = line.removeprefix("ExecStart=").replace("%i", instance)
    line = line.replace("%H", socket.gethostname())
    args = shlex.split(line)
    args[0] = str(Path(sys.executable).with_name(Path(args[0]).name))
    return args


def create_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", connect_timeout=3, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", connect_timeout=3, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def get(url: str, timeout: float = 2) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Cluster:
    """Start with `start()`, stop with `stop()`; `servers` and `workers` by name, a and b."""

    def __init__(self, *, database_url: str, redis_url: str, work_dir: Path,
                 static_root: str | None = None, **env: str) -> None:  # fmt: skip
        self.database_url = database_url
        self.work_dir = work_dir
        self.lb_port, self.stats_port, port_a, port_b = free_ports(4)
        self.server_ports = {"a": port_a, "b": port_b}
        self.base_url = f"http://127.0.0.1:{self.lb_port}"
        self.env = {
            **os.environ,
            **read_env_file(DEPLOY / "cluster.env"),
            # Local stand-ins for the production addresses and secrets.
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.base_url,
            "DATABASE_URL": database_url,
            "CACHE_URL": redis_url,
            "CACHE_KEY_PREFIX": f"cluster-{secrets.token_hex(4)}-",
            "EMAIL_URL": "dummy://",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # no TLS on this machine's balancer
            "DJANGO_STATIC_ROOT": static_root or str(work_dir / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "WEB_CONCURRENCY": "2",
            **env,
        }
        self.store: ObjectStore | None = None
        self.servers: dict[str, subprocess.Popen] = {}
        self.workers: dict[str, subprocess.Popen] = {}
        self.balancer: subprocess.Popen | None = None

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                       check=True, capture_output=True, timeout=300)  # fmt: skip

    def start(self, timeout: float = 60) -> "Cluster":
        try:
            self.store = start_object_store(self.work_dir / "seaweedfs")
            self.env["MEDIA_STORAGE_URL"] = self.store.url
            create_database(self.database_url)
            self.manage("migrate", "--noinput", "-v0")
            if not Path(self.env["DJANGO_STATIC_ROOT"], "staticfiles.json").exists():
                self.manage("collectstatic", "--noinput", "-v0")
            for name in ("a", "b"):
                self.start_server(name)
                self.workers[name] = self._spawn(
                    exec_start("clinic-worker@.service", name), f"worker-{name}"
                )
            self.balancer = self._spawn(
                [haproxy_binary(), "-db", "-f", str(DEPLOY / "haproxy.cfg")], "haproxy",
                LB_BIND=f"127.0.0.1:{self.lb_port}", STATS_BIND=f"127.0.0.1:{self.stats_port}",
                WEB_A=f"127.0.0.1:{self.server_ports['a']}",
                WEB_B=f"127.0.0.1:{self.server_ports['b']}", HEALTH_HOST="127.0.0.1",
            )  # fmt: skip
            self.wait_until(lambda: self.server_states() == {"a": "UP", "b": "UP"}, timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def start_server(self, name: str) -> None:
        port = str(self.server_ports[name])
        self.servers[name] = self._spawn(exec_start("clinic-web@.service", port), f"web-{name}")

    def server_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_ports[name]}"

    def kill_server(self, name: str) -> None:
        """As a crashed host: the gunicorn master and its workers, at once, no goodbye."""
        os.killpg(self.servers[name].pid, signal.SIGKILL)
        self.servers[name].wait(10)

    def server_states(self) -> dict[str, str]:
        """What the balancer thinks of each server: UP, DOWN, or a transition."""
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.stats_port}/stats;csv", timeout=2
            ) as response:
                rows = response.read().decode().splitlines()
        except OSError:
            return {}
        states = {}
        for row in rows[1:]:
            fields = row.split(",")
            if fields[0] == "app" and fields[1] in ("a", "b"):
                states[fields[1]] = fields[17].split(" ")[0]
        return states

    def wait_until(self, condition, timeout: float) -> float:
        started = time.monotonic()
        while not condition():
            for process in (*self.servers.values(), *self.workers.values(), self.balancer):
                if (
                    process is not None
                    and process.poll() is not None
                    and process in (self.balancer, *self._expected_alive())
                ):
                    raise RuntimeError(f"{process.args[0]} exited: see {self.work_dir}/*.log")
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"cluster not ready in {timeout}s: {self.server_states()}")
            time.sleep(0.1)
        return time.monotonic() - started

    def _expected_alive(self) -> list[subprocess.Popen]:
        return [p for p in (*self.servers.values(), *self.workers.values()) if not p.returncode]

    def _spawn(self, args: list[str], log_name: str, **env: str) -> subprocess.Popen:
        log = open(self.work_dir / f"{log_name}.log", "ab")  # noqa: SIM115 - the child keeps it
        return subprocess.Popen(args, cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=log,
                                start_new_session=True)  # fmt: skip

    def stop(self) -> None:
        processes = [self.balancer, *self.servers.values(), *self.workers.values()]
        for process in processes:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            if process is not None:
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        if self.store is not None:
            self.store.stop()
        drop_database(self.database_url)


def main() -> None:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("make cluster needs PostgreSQL: set DATABASE_URL=postgres://...")
    if haproxy_binary() is None:
        sys.exit("make cluster needs HAProxy: apt-get install haproxy")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    work_dir = Path(tempfile.mkdtemp(prefix="peak-cluster-"))
    cluster = Cluster(database_url=f"{database_url}_cluster", redis_url=redis_url,
                      work_dir=work_dir)  # fmt: skip
    cluster.start()
    print(f"Site: {cluster.base_url}/  (servers {cluster.server_url('a')} and "
          f"{cluster.server_url('b')}; balancer stats http://127.0.0.1:{cluster.stats_port}/stats;"
          f" logs in {work_dir})\nCtrl-C stops everything.")  # fmt: skip
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
