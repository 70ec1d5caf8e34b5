"""Uploaded files are served from storage, whole or by byte range, as video players need."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

# Any bytes will do: what is checked is which of them come back.
WEBM = bytes(range(256)) * 100
SIZE = len(WEBM)


@pytest.fixture
def video_url(settings, tmp_path) -> str:
    settings.MEDIA_ROOT = tmp_path
    return default_storage.url(
        default_storage.save("exercises/videos/walk.webm", ContentFile(WEBM))
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_whole_file_says_ranges_are_accepted_and_keeps_the_security_headers(client, video_url):
    response = client.get(video_url)
    assert response.status_code == 200
    assert body(response) == WEBM
    assert response["Content-Type"] == "video/webm"
    assert response["Content-Length"] == str(SIZE)
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "media-src 'self'" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-1", 0, 1),  # Safari's first probe
        ("bytes=0-", 0, SIZE - 1),  # Chrome's first request
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=20000-", 20000, SIZE - 1),
        ("bytes=-500", SIZE - 500, SIZE - 1),  # the last 500 bytes
        (f"bytes=100-{SIZE + 5000}", 100, SIZE - 1),  # past the end: up to the end
        ("Bytes = 5-9", 5, 9),
    ],
)
def test_a_byte_range_is_answered_with_just_those_bytes(client, video_url, header, first, last):
    response = client.get(video_url, headers={"Range": header})
    assert response.status_code == 206
    assert body(response) == WEBM[first : last + 1]
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Content-Type"] == "video/webm"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "media-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"])
def test_a_range_beyond_the_end_is_unsatisfiable(client, video_url, header):
    response = client.get(video_url, headers={"Range": header})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert response.content == b""


@pytest.mark.parametrize(
    "header",
    ["bytes=abc", "bytes=-", "items=0-10", "bytes=10-5", "bytes=0-10,20-30", "0-10", "bytes=\x00"],
)
def test_a_malformed_or_multiple_range_gets_the_whole_file(client, video_url, header):
    response = client.get(video_url, headers={"Range": header})
    assert response.status_code == 200
    assert body(response) == WEBM


def test_a_range_for_an_older_copy_gets_the_whole_file(client, video_url):
    old = "Wed, 21 Oct 2015 07:28:00 GMT"
    response = client.get(video_url, headers={"Range": "bytes=0-9", "If-Range": old})
    assert response.status_code == 200
    current = client.get(video_url)["Last-Modified"]
    response = client.get(video_url, headers={"Range": "bytes=0-9", "If-Range": current})
    assert response.status_code == 206


def test_an_unchanged_file_is_not_sent_again(client, video_url):
    modified = client.get(video_url)["Last-Modified"]
    assert client.get(video_url, headers={"If-Modified-Since": modified}).status_code == 304


def test_head_answers_a_range_without_a_body(client, video_url):
    response = client.head(video_url, headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert response["Content-Length"] == "100"


@pytest.mark.parametrize(
    "path",
    [
        "/media/exercises/videos/missing.webm",
        "/media/exercises/videos/",
        "/media/",
        "/media/../clinic/settings.py",
        "/media/exercises/..%2f..%2fclinic/settings.py",
        "/media/%2e%2e/pyproject.toml",
        "/media/exercises/videos/walk.webm%00.txt",
    ],
)
def test_only_stored_files_are_served(client, video_url, path):
    assert client.get(path).status_code == 404


def test_uploads_are_only_read(client, video_url):
    assert client.post(video_url).status_code == 405
