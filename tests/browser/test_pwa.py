"""The installable app's service worker in Chromium: it keeps static files and the offline
page, never a personal page, and shows the offline page when the network is gone."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CACHED_PATHS = """async () => {
    const paths = [];
    for (const key of await caches.keys()) {
        const cache = await caches.open(key);
        for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
}"""


def test_the_service_worker_never_keeps_a_personal_page(new_page):
    registration = RegistrationFactory(person__display_name="Olena Kovalenko")
    page = new_page(locale="fr-BE", phone=True)
    page.goto("/")
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => !!r.active)")
    page.reload()  # now controlled by the worker
    assert page.evaluate("""() => navigator.serviceWorker.controller !== null
        || new Promise((done) => navigator.serviceWorker.addEventListener(
            "controllerchange", () => done(true)))""")
    personal = registration.get_absolute_url()
    assert page.goto(personal).ok  # a page only this person may see
    page.goto("/agenda/")

    paths = page.evaluate(CACHED_PATHS)
    assert "/offline/" in paths
    assert any(path.startswith("/static/core/") for path in paths)
    assert [p for p in paths if p != "/offline/" and not p.startswith("/static/")] == []
    assert personal not in paths

    page.context.set_offline(True)
    page.goto("/agenda/staff/")
    with translation.override("fr"):
        assert page.locator("h1").inner_text() == gettext("No connection")
    page.context.set_offline(False)
