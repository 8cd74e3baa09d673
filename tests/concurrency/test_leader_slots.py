"""Several trusted leaders tap the same proposed time at the same instant: one booking,
and everyone else is told, in their language, that the time was just taken.

Real phones' requests: each leader opens their page through their sign-in link, then all
post the same slot at once (a barrier) to gunicorn (several processes × threads) on the
test database, SQLite or PostgreSQL. The lock itself (``venues.services.room_lock``) has
its control in ``test_bookings.py``: this test proves the leaders' path goes through it.
"""

import re
import threading

import pytest

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

LEADERS = 6
THEMES = ["cooking", "art", "sport", "music", "dance", "crafts"]


@pytest.fixture
def scene(city):
    from django.utils import timezone

    from interra.autonomy.models import LeaderTrust
    from tests.autonomy.factories import evening_room, seasoned_workshop
    from tests.factories import UserFactory

    room = evening_room(city)
    workshops = []
    for index in range(LEADERS):
        workshop = seasoned_workshop(city, leader=UserFactory(preferred_language="en"),
                                     theme=THEMES[index], held=0)
        LeaderTrust.objects.create(leader=workshop.leader, city=city,
                                   granted_at=timezone.now())
        workshops.append(workshop)
    return {"room": room, "workshops": workshops}


def _leader_client(base_url, workshop):
    import httpx
    from django.conf import settings

    from interra.accounts.services import magic_link

    client = httpx.Client(base_url=base_url, timeout=90, follow_redirects=True)
    link = magic_link(workshop.leader, next_url="/agenda/lead/").removeprefix(
        settings.SITE_URL)
    assert client.get(link).status_code == 200
    page = client.get(f"/autonomy/workshops/{workshop.pk}/next/")
    assert page.status_code == 200, page.text[:300]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    slots = re.findall(r'name="slot" value="([^"]+)"', page.text)
    return client, token, slots


def test_one_leader_gets_the_time_the_others_are_told(server_url, scene):
    from interra.venues.models import Booking

    opened = [_leader_client(server_url, w) for w in scene["workshops"]]
    shared = set(opened[0][2]).intersection(*(set(slots) for _, _, slots in opened[1:]))
    assert shared, "every leader was offered the same first times"
    slot = sorted(shared)[0]
    barrier = threading.Barrier(LEADERS)
    answers = [None] * LEADERS

    def tap(index):
        client, token, _slots = opened[index]
        workshop = scene["workshops"][index]
        barrier.wait()
        response = client.post(f"/autonomy/workshops/{workshop.pk}/next/",
                               data={"slot": slot, "csrfmiddlewaretoken": token},
                               headers={"Referer": f"{server_url}/"},
                               cookies={"django_language": "en"}, follow_redirects=False)
        answers[index] = (response.status_code, response.text)

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(LEADERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for client, _token, _slots in opened:
        client.close()
    statuses = sorted(status for status, _text in answers)
    assert statuses == [302] + [409] * (LEADERS - 1), statuses
    for status, text in answers:
        if status == 409:
            assert ("Someone has just taken this time" in text
                    or "This time is no longer free" in text), text[:500]
    assert Booking.objects.filter(room=scene["room"],
                                  status=Booking.Status.REQUESTED).count() == 1
