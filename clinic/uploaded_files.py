"""Answering a request for a file staff uploaded, from its Storage, whole or one byte range.

Safari and iOS play a video only from a server that answers `Range: bytes=...` with 206
Partial Content, and every browser seeks in a video that way. Django's static `serve` and
FileResponse always send the whole file, so this module reads the Range header itself: one
range is served (all that players ask for); an unsatisfiable one gets 416; a malformed one,
several ranges, or an If-Range that no longer matches are ignored and the whole file is sent,
as HTTP allows. The file is opened through the Storage API and read from a seek, so uploads
may live on disk or in an object store.
"""

import mimetypes
import posixpath
import re
from collections.abc import Iterator

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.utils.http import http_date
from django.views.static import was_modified_since

CHUNK_BYTES = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$", re.IGNORECASE)


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte a Range header asks for, or None to send the whole file.

    Raises ValueError for a range that starts beyond the end (answered with 416).
    """
    match = RANGE.match(header.strip().replace(" ", ""))
    if not match or match.groups() == ("", "") or size == 0:
        return None
    first, last = match.groups()
    if not first:  # "-500": the last 500 bytes
        if int(last) == 0:
            raise ValueError("empty suffix")
        return max(size - int(last), 0), size - 1
    if last and int(last) < int(first):
        return None  # invalid: ignored
    if int(first) >= size:
        raise ValueError("starts beyond the end")
    return int(first), min(int(last), size - 1) if last else size - 1


def _chunks(file, length: int) -> Iterator[bytes]:
    try:
        while length > 0:
            chunk = file.read(min(CHUNK_BYTES, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
    finally:
        file.close()


def uploaded_file_response(
    request: HttpRequest, *, storage: Storage, name: str
) -> HttpResponseBase:
    """The stored file `name` (a path from a URL), as a 200, 206, 304 or 416 response."""
    name = posixpath.normpath(name).lstrip("/")
    if name in ("", ".") or name.startswith(".."):
        raise Http404("No such file.")
    try:
        size = storage.size(name)
        modified = storage.get_modified_time(name).timestamp()
        file = storage.open(name, "rb")
    except (OSError, ValueError, SuspiciousFileOperation):  # missing, a folder, outside it
        raise Http404("No such file.") from None
    if not was_modified_since(request.headers.get("If-Modified-Since"), modified):
        file.close()
        return HttpResponseNotModified()
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    last_modified = http_date(modified)

    requested = request.headers.get("Range")
    # A Range for a version of the file the browser no longer has: send all of this one.
    if request.headers.get("If-Range") not in (None, last_modified):
        requested = None
    try:
        span = byte_range(requested, size) if requested else None
    except ValueError:
        file.close()
        response: HttpResponseBase = HttpResponse(status=416, content_type=content_type)
        response["Content-Range"] = f"bytes */{size}"
    else:
        if span is None:
            response = FileResponse(file, content_type=content_type)
        else:
            first, last = span
            file.seek(first)
            response = StreamingHttpResponse(
                _chunks(file, last - first + 1), status=206, content_type=content_type
            )
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
            response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = last_modified
    return response
