"""Notifications on a phone, in headless Chromium: the button in the person's space asks
for permission, registers the service worker, subscribes with the platform's VAPID key and
stores the subscription; a reminder then reaches the local push service (which checks
the VAPID signature and decrypts the RFC 8291 payload), and the service worker shows that
payload as a notification.

Chromium's own subscribe() asks Google's push service (FCM) for an endpoint, which is not
reachable here (it waits forever), and Playwright's contexts are incognito, where Chromium
refuses push altogether. So the page's PushManager answers with a subscription made in the
test exactly as a browser makes one (a P-256 key pair and a 16-byte auth secret) whose
endpoint is the local push service; everything else is the real page, worker and server.
"""

import base64
import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from interra.accounts.services import magic_link
from interra.agenda import services as agenda
from interra.notifications import push
from interra.notifications.models import PushSubscription
from tests.factories import RegistrationFactory, SessionFactory, UserFactory
from tests.notifications.push_service import LocalPushService

from .conftest import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser's PushManager, answering with the test's subscription (see the docstring).
STAND_IN = """(() => {
  const made = %s;
  // Like a browser, the subscription outlives the page (kept in localStorage here).
  const subscription = {
    endpoint: made.endpoint,
    toJSON() { return {endpoint: made.endpoint, expirationTime: null, keys: made.keys}; },
    unsubscribe() {
      localStorage.removeItem("stand-in-subscribed");
      return Promise.resolve(true);
    },
  };
  window.__applicationServerKey = "";
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(localStorage.getItem("stand-in-subscribed") ? subscription : null);
  };
  PushManager.prototype.subscribe = function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    window.__applicationServerKey = btoa(String.fromCharCode.apply(null, key));
    localStorage.setItem("stand-in-subscribed", "1");
    return Promise.resolve(subscription);
  };
})();"""


@pytest.fixture
def push_service():
    with LocalPushService() as service:
        yield service


def _phone(browser, live_server, subscription):
    context = browser.new_context(base_url=live_server.url, locale="en",
                                  permissions=["notifications"], **PHONE)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en",
                          "url": live_server.url}])
    context.add_init_script(STAND_IN % json.dumps(subscription))
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_the_button_subscribes_and_the_worker_shows_a_reminder(browser, live_server,
                                                               push_service):
    person = UserFactory(preferred_language="en", phone="+32470111222")
    subscription = push_service.subscribe()
    context, page = _phone(browser, live_server, subscription)
    page.goto(magic_link(person, next_url="/accounts/me/").replace(settings.SITE_URL, ""))
    page.goto("/accounts/me/#push")

    button = page.locator("[data-push-subscribe]")
    expect(button).to_be_visible()
    expect(button).to_have_text("Turn on notifications on this phone")
    button.click()
    expect(page.locator("[data-push-state=on]")).to_be_visible()
    expect(page.locator("[data-push-unsubscribe]")).to_be_visible()
    expect(page.locator("[data-push-devices]")).to_have_text("1 device receives notifications.")
    screenshot(page, "push-phone-on")

    # The page subscribed with the platform's VAPID public key, and the server stored it.
    key = page.evaluate("() => window.__applicationServerKey")
    assert base64.b64decode(key) == base64.urlsafe_b64decode(push.vapid_public_key() + "=")
    stored = PushSubscription.objects.get(person=person)
    assert (stored.endpoint, stored.p256dh, stored.auth) == (
        subscription["endpoint"], subscription["keys"]["p256dh"],
        subscription["keys"]["auth"])

    # The person chooses notifications in "How to reach me".
    page.goto("/accounts/me/")
    page.check("input[name=preferred_channel][value=push]")
    page.click("form.card button[type=submit]")
    expect(page.locator("input[name=preferred_channel][value=push]")).to_be_checked()
    person.refresh_from_db()
    assert person.contact_channel == "push"

    # A reminder goes out; the local push service verifies and decrypts it.
    session = SessionFactory(starts_at=timezone.now() + timedelta(hours=20),
                             workshop__title={"en": "Syrian pastries", "fr": "Pâtisseries"})
    RegistrationFactory(session=session, person=person)
    assert agenda.send_due_reminders()["reminders"] == 1
    assert push_service.errors == []
    [received] = push_service.received
    assert received.payload["title"] == "Reminder: Syrian pastries"

    # The service worker shows that payload (delivered through the DevTools protocol, as
    # the push service would deliver it to the browser).
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _attempt in range(50):  # the registrations arrive as an event
        live = [r for r in registrations if not r.get("isDeleted")]
        if live:
            break
        page.wait_for_timeout(100)
    [registration] = live[:1]
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": live_server.url, "registrationId": registration["registrationId"],
        "data": json.dumps(received.payload)})
    shown = []
    for _attempt in range(50):
        shown = page.evaluate("""async () => {
          const registration = await navigator.serviceWorker.ready;
          const shown = await registration.getNotifications();
          return shown.map((n) => ({title: n.title, body: n.body, url: n.data.url}));
        }""")
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == [{"title": "Reminder: Syrian pastries", "body": received.payload["body"],
                      "url": received.payload["url"]}]

    # Back on the page, it knows this phone is on; turning it off forgets the phone.
    page.goto("/accounts/me/#push")
    expect(page.locator("[data-push-state=on]")).to_be_visible()
    page.click("[data-push-unsubscribe]")
    expect(page.locator("[data-push-state=off]")).to_be_visible()
    assert not PushSubscription.objects.filter(person=person).exists()
    context.close()


def test_without_push_support_the_block_says_how_to_get_it(new_page, live_server):
    """A browser without the Push API (an iPhone's Safari before the app is added to the
    Home Screen) is told what to do instead of seeing a button that cannot work."""
    person = UserFactory(preferred_language="en")
    page = new_page(locale="en", phone=True)
    page.context.add_init_script("delete window.PushManager;")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en",
                               "url": live_server.url}])
    page.goto(magic_link(person, next_url="/accounts/me/").replace(settings.SITE_URL, ""))
    page.goto("/accounts/me/")
    expect(page.locator("[data-push-state=unsupported]")).to_be_visible()
    expect(page.locator("[data-push-subscribe]")).to_be_hidden()
