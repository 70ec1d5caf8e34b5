"""Uploads in the object store: same-origin /media/ addresses, byte ranges, a private bucket."""

import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

VIDEO = bytes(range(256)) * 400  # any bytes: what matters is which come back


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_an_upload_in_the_store_is_served_at_its_media_address_whole_and_by_range(
    media_in_store, client
):
    name = default_storage.save("exercises/videos/walk.webm", ContentFile(VIDEO))
    url = default_storage.url(name)
    assert url == f"/media/{name}"  # same origin: the CSP allows it as it is

    whole = client.get(url)
    assert whole.status_code == 200
    assert body(whole) == VIDEO
    assert whole["Content-Length"] == str(len(VIDEO))

    part = client.get(url, headers={"Range": "bytes=50000-50099"})
    assert part.status_code == 206
    assert body(part) == VIDEO[50000:50100]
    assert part["Content-Range"] == f"bytes 50000-50099/{len(VIDEO)}"
    assert "media-src 'self'" in part["Content-Security-Policy"]


def test_a_missing_file_in_the_store_is_a_404(media_in_store, client):
    assert client.get("/media/exercises/videos/none.webm").status_code == 404


def test_a_second_upload_of_the_same_name_never_replaces_the_first(media_in_store):
    first = default_storage.save("team/photo.jpg", ContentFile(b"first"))
    second = default_storage.save("team/photo.jpg", ContentFile(b"second"))
    assert first != second
    assert default_storage.open(first).read() == b"first"


def test_the_bucket_answers_nobody_without_its_keys(media_in_store):
    name = default_storage.save("team/private.jpg", ContentFile(b"x"))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{media_in_store.endpoint}/media/{name}", timeout=5)
    assert refused.value.code == 403


def test_copy_media_to_store_copies_local_uploads_once(media_in_store, tmp_path, capsys):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "step-down.webp").write_bytes(b"picture")
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "alex.jpg").write_bytes(b"photo")

    call_command("copy_media_to_store", source=tmp_path)
    call_command("copy_media_to_store", source=tmp_path)

    out = capsys.readouterr().out.splitlines()
    assert out == ["Copied 2 files; 0 were already there.", "Copied 0 files; 2 were already there."]
    assert default_storage.open("exercises/step-down.webp").read() == b"picture"
