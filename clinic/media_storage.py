"""Uploaded media in an S3-compatible object store, served at the site's own /media/ URLs.

With more than one app server, files on one server's disk are missing on the others, so
`MEDIA_STORAGE_URL` puts every upload (exercise pictures, videos, posters, captions,
clinician photos) in one bucket that all of them share: SeaweedFS for a self-hosted clinic
and the tests, or any S3-compatible store. Without it uploads stay in MEDIA_ROOT.

The bucket stays private: nothing is public in it, and no browser talks to it. Every file
keeps its same-origin address under /media/ (`url()`), which the app answers from the store
(clinic/uploaded_files.py): the strict CSP (`img-src 'self'`, `media-src 'self'`) needs no
other origin, and a video's byte ranges become ranged GETs to the store (`open()`), so a
player seeking in a 40 MB video fetches only what it plays, not the whole object.
"""

import io
import os
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.base import File
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class MediaStorage(S3Storage):
    """S3Storage for a private bucket on any S3-compatible store, at /media/ addresses."""

    def get_default_settings(self) -> dict:
        return {
            **super().get_default_settings(),
            "file_overwrite": False,  # a second "knee.jpg" must not replace a shown one
            "default_acl": None,  # private: the bucket's own policy, which grants nobody
            "client_config": Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                # Stores other than AWS's reject the checksums boto3 adds by default
                # (django-storages #1482): send and check them only where required.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                connect_timeout=3,
                read_timeout=10,
                retries={"max_attempts": 2},
            ),
        }

    def url(self, name: str, *args, **kwargs) -> str:
        """The site's own address for the file: the app answers it from the store."""
        return settings.MEDIA_URL + filepath_to_uri(clean_name(name))

    def _open(self, name: str, mode: str = "rb") -> File:
        if mode != "rb":
            return super()._open(name, mode)
        key = self._normalize_name(clean_name(name))
        stored = self.bucket.Object(key)
        try:
            size = stored.content_length  # a HEAD request
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"No such file: {name}") from None
            raise
        return File(StoredObject(stored, size), name=name)  # type: ignore[arg-type]

    def get_modified_time(self, name: str):
        try:
            return super().get_modified_time(name)
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"No such file: {name}") from None
            raise


class StoredObject(io.RawIOBase):
    """An object in the store, read from wherever it was last sought to.

    Reading starts one GET with `Range: bytes=<position>-` and streams it; a seek elsewhere
    drops that stream, so the next read asks from the new position.
    """

    def __init__(self, stored, size: int) -> None:
        self._stored = stored
        self.size = size
        self._position = 0
        self._body: Any = None  # botocore's StreamingBody while reading

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self.size}[whence]
        position = max(0, base + offset)
        if position != self._position:
            self._drop_stream()
            self._position = position
        return position

    def read(self, size: int = -1) -> bytes:
        if self._position >= self.size:
            return b""
        body = self._body
        if body is None:
            body = self._body = self._stored.get(Range=f"bytes={self._position}-")["Body"]
        data = body.read(None if size is None or size < 0 else size)
        self._position += len(data)
        return data

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._drop_stream()
        super().close()

    def _drop_stream(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None
