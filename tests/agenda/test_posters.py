import io

import pytest
import zxingcpp
from django.conf import settings
from PIL import Image
from pypdf import PdfReader

from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _qr_texts(pdf: bytes) -> list[str]:
    texts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            texts += [result.text for result in zxingcpp.read_barcodes(picture)]
    return texts


def test_session_poster_is_a4_and_its_qr_code_opens_the_session_page(client, city):
    session = SessionFactory(workshop__city=city,
                             workshop__title={"fr": "Cuisine syrienne", "ar": "طبخ سوري"})
    response = client.get(f"/agenda/{session.pk}/poster.pdf?lang=ar&lang=uk")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Cuisine syrienne" in text
    assert _qr_texts(response.content) == [f"{settings.SITE_URL}/agenda/{session.pk}/"]


def test_monthly_programme_of_a_city(client, city):
    session = SessionFactory(workshop__city=city)
    month = session.starts_at
    response = client.get(f"/agenda/programme/{city.slug}/{month.year}-{month.month}.pdf")
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Atelier" in text
    assert _qr_texts(response.content) == [f"{settings.SITE_URL}/agenda/?city={city.slug}"]
    assert client.get(f"/agenda/programme/{city.slug}/2026-13.pdf").status_code == 404


def test_a_poster_carries_the_citys_address_footer_and_languages(client, city):
    city.address = "Rue du Collège 10, 4800 Verviers"
    city.poster_footer = "Avec le soutien de la Ville"
    city.languages = ["uk"]
    city.save()
    session = SessionFactory(workshop__city=city,
                             workshop__title={"fr": "Cuisine syrienne", "uk": "Сирійська кухня"})
    response = client.get(f"/agenda/{session.pk}/poster.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Rue du Collège 10, 4800 Verviers" in text
    assert "Avec le soutien de la Ville" in text
    # No language asked for in the address: the city's own, after French.
    assert "Сирійська кухня" in text
