"""A person's photo: uploaded on the profile, re-encoded without metadata, public on consent."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from PIL import Image

from interra.accounts import photos, services
from interra.accounts.models import User
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _image_bytes(fmt="JPEG", size=(1200, 800), color=(200, 30, 30), mode="RGB", exif=True):
    image = Image.new(mode, size, color)
    out = io.BytesIO()
    kwargs = {}
    if exif and fmt in ("JPEG", "WEBP", "PNG"):
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0110] = "Model X"  # Model
        data.get_ifd(GPS_IFD).update({1: "N", 2: (50.0, 38.0, 0.0), 3: "E", 4: (5.0, 34.0, 0.0)})
        kwargs["exif"] = data
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def _upload(data, name="me.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _profile_post(person, **extra):
    return {"display_name": person.display_name, "preferred_language": "fr",
            "spoken_languages": ["fr"], "group": "", "preferred_channel": "email", **extra}


def _stored_files(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()]


@pytest.fixture
def person_client(client):
    person = UserFactory(email="leader@example.org", display_name="Amina Diallo")
    client.force_login(person, backend="sesame.backends.ModelBackend")
    client.person = person
    return client


def test_the_source_image_really_carries_gps():
    image = Image.open(io.BytesIO(_image_bytes()))
    assert image.getexif().get_ifd(GPS_IFD)


@pytest.mark.parametrize("fmt,mode", [("JPEG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB"),
                                      ("PNG", "P")])
def test_valid_upload_is_stored_shrunk_and_re_encoded_without_exif(
        person_client, _media_root, fmt, mode):
    color = {"RGB": (200, 30, 30), "RGBA": (200, 30, 30, 128), "P": 1}[mode]
    data = _image_bytes(fmt, mode=mode, color=color)
    response = person_client.post("/accounts/me/", _profile_post(
        person_client.person, photo=_upload(data, name=f"me.{fmt.lower()}"),
        photo_public="on"))
    assert response.status_code == 302, response.content.decode()
    person = User.objects.get(pk=person_client.person.pk)
    assert person.photo.name.startswith("people/") and person.photo.name.endswith(".jpg")
    assert "me." not in person.photo.name, "a random name, not the uploaded one"
    assert person.photo_public
    stored = Path(person.photo.path)
    assert stored.is_file() and stored.is_relative_to(_media_root)
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert max(image.size) == photos.MAX_SIDE and image.size == (600, 400)
        assert not image.getexif(), "no EXIF (camera, GPS) survives"
        assert "exif" not in image.info and "xmp" not in image.info
    assert b"SecretCam" not in stored.read_bytes()


@pytest.mark.parametrize("data,name,content_type", [
    (b"%PDF-1.4 not an image at all", "me.jpg", "image/jpeg"),
    (b"", "me.jpg", "image/jpeg"),
    (None, "me.gif", "image/gif"),  # a real image, in a format we do not take
    (None, "me.bmp", "image/bmp"),
])
def test_invalid_file_is_refused_with_a_clear_message_and_nothing_changes(
        person_client, _media_root, data, name, content_type):
    if data is None:
        buffer = io.BytesIO()
        Image.new("RGB", (50, 50)).save(buffer, format=name.rsplit(".")[-1].upper())
        data = buffer.getvalue()
    response = person_client.post("/accounts/me/", _profile_post(
        person_client.person, display_name="Changed Name",
        photo=_upload(data, name=name, content_type=content_type), photo_public="on"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist' in html
    person = User.objects.get(pk=person_client.person.pk)
    assert not person.photo and not person.photo_public
    assert person.display_name == "Amina Diallo"
    assert _stored_files(_media_root) == []


def test_oversized_file_is_refused_and_nothing_stored(person_client, _media_root):
    big = _image_bytes() + b"\0" * (photos.MAX_BYTES + 1)  # padding after a valid JPEG
    response = person_client.post("/accounts/me/", _profile_post(
        person_client.person, photo=_upload(big)))
    assert response.status_code == 200
    with translation.override("fr"):  # the person's language, whatever earlier tests did
        assert escape(str(photos.ERRORS["too_big"])) in response.content.decode()
    assert not User.objects.get(pk=person_client.person.pk).photo
    assert _stored_files(_media_root) == []


def test_bad_file_gets_a_clear_message(person_client):
    response = person_client.post(
        "/accounts/me/", _profile_post(person_client.person, photo=_upload(b"nope")))
    assert response.status_code == 200
    with translation.override("fr"):
        assert escape(str(photos.ERRORS["invalid"])) in response.content.decode()


def test_replace_then_remove_deletes_the_old_files(person_client, _media_root):
    person_client.post("/accounts/me/", _profile_post(
        person_client.person, photo=_upload(_image_bytes())))
    first = User.objects.get(pk=person_client.person.pk).photo.path
    person_client.post("/accounts/me/", _profile_post(
        person_client.person, photo=_upload(_image_bytes(color=(0, 0, 255)))))
    second = User.objects.get(pk=person_client.person.pk).photo.path
    assert first != second and not Path(first).exists() and Path(second).exists()
    # Saving other details keeps the photo.
    person_client.post("/accounts/me/", _profile_post(person_client.person))
    assert User.objects.get(pk=person_client.person.pk).photo.path == second
    response = person_client.post("/accounts/me/", _profile_post(
        person_client.person, photo_remove="on"))
    assert response.status_code == 302
    assert not User.objects.get(pk=person_client.person.pk).photo
    assert _stored_files(_media_root) == []


def test_profile_page_is_a_multipart_form_with_consent(person_client):
    html = person_client.get("/accounts/me/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="photo"' in html and 'name="photo_public"' in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html


def _leader_with_photo(public: bool) -> User:
    leader = UserFactory(display_name="Amina Diallo", photo_public=public)
    leader.photo = photos.process_upload(_upload(_image_bytes()))
    leader.save()
    return leader


def test_session_page_has_no_photo_without_consent(client, city):
    leader = _leader_with_photo(public=False)
    session = SessionFactory(workshop__city=city, workshop__leader=leader)
    html = client.get(f"/agenda/{session.pk}/").content.decode()
    assert "Amina" in html
    assert leader.photo.url not in html and "/media/" not in html


def test_session_page_shows_the_photo_with_consent(client, city):
    leader = _leader_with_photo(public=True)
    session = SessionFactory(workshop__city=city, workshop__leader=leader)
    html = client.get(f"/agenda/{session.pk}/").content.decode()
    assert f'<img src="{leader.photo.url}" alt="Amina"' in html


def test_session_page_has_nothing_with_consent_but_no_photo(client, city):
    leader = UserFactory(display_name="Amina Diallo", photo_public=True)
    session = SessionFactory(workshop__city=city, workshop__leader=leader)
    html = client.get(f"/agenda/{session.pk}/").content.decode()
    assert "/media/" not in html


def test_export_includes_the_photo_url_and_erasure_deletes_the_file(settings):
    leader = _leader_with_photo(public=True)
    path = Path(leader.photo.path)
    data = services.person_export(person=leader)
    assert data["person"]["photo"] == settings.SITE_URL + leader.photo.url
    assert data["person"]["photo_public"] is True
    services.person_erase(person=leader)
    leader.refresh_from_db()
    assert not leader.photo and not leader.photo_public
    assert not path.exists()
    assert services.person_export(person=leader)["person"]["photo"] is None


def test_another_person_cannot_change_my_photo(client):
    owner = _leader_with_photo(public=True)
    owner_photo = owner.photo.name
    other = UserFactory()
    client.force_login(other, backend="sesame.backends.ModelBackend")
    # The profile page only ever edits the signed-in person: a forged id changes nothing.
    response = client.post(f"/accounts/me/?id={owner.pk}", _profile_post(
        other, photo_remove="on", id=owner.pk, pk=owner.pk))
    assert response.status_code == 302
    response = client.post("/accounts/me/", _profile_post(
        other, photo=_upload(_image_bytes(color=(0, 255, 0))), user=owner.pk))
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.photo.name == owner_photo and owner.photo_public
    assert Path(owner.photo.path).exists()
    assert User.objects.get(pk=other.pk).photo.name != owner_photo
    client.logout()
    response = client.post("/accounts/me/", _profile_post(owner, photo_remove="on"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    owner.refresh_from_db()
    assert owner.photo.name == owner_photo


def test_process_upload_refuses_decompression_bombs(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 100)
    with pytest.raises(Exception) as excinfo:
        photos.process_upload(_upload(_image_bytes(size=(20, 20))))
    assert excinfo.value.code == "too_many_pixels"
