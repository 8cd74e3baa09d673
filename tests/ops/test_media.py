"""Uploaded photos are served without DEBUG, and nothing uploaded runs as a page."""

import io

import pytest
from PIL import Image


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "people").mkdir()
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(photo, "JPEG")
    (tmp_path / "people" / "a1b2c3.jpg").write_bytes(photo.getvalue())
    (tmp_path / "people" / "trap.html").write_text("<script>alert(1)</script>")
    (tmp_path.parent / "secret.txt").write_text("outside MEDIA_ROOT")
    return tmp_path


def test_a_photo_is_served_without_debug(client, media_root, settings):
    assert settings.DEBUG is False
    response = client.get("/media/people/a1b2c3.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    served = b"".join(response.streaming_content)
    assert served == (media_root / "people/a1b2c3.jpg").read_bytes()
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline")


def test_an_uploaded_page_is_a_download_that_cannot_run(client, media_root):
    response = client.get("/media/people/trap.html")
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.parametrize("path", ["/media/../secret.txt", "/media/people/%2e%2e/../secret.txt",
                                  "/media/people/", "/media/people/nope.jpg"])
def test_nothing_outside_or_missing_is_served(client, media_root, path):
    assert client.get(path).status_code == 404


def test_only_reading(client, media_root):
    assert client.post("/media/people/a1b2c3.jpg").status_code == 405
