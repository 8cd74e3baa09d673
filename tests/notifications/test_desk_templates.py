"""The messages added for the desk, scheduling, tasks and bookings are text: an
apostrophe, & and < come out as typed, in French and in Arabic."""

import pytest

from interra.notifications.models import Message
from interra.notifications.services import render_message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TRICKY = "L'atelier <des> voisins & amis"
CONTEXTS = {
    "session_scheduled": {"session_id": 1, "title": {"fr": TRICKY},
                          "starts_at": "2026-12-01T17:00:00+00:00",
                          "ends_at": "2026-12-01T19:00:00+00:00", "count": 2,
                          "venue": "Maison d'Ici & Là", "room": "Salle <1>",
                          "address": "Rue d'Or 1", "leader_link": "http://x/agenda/lead/1/",
                          "session_link": "http://x/agenda/1/"},
    "registration_cancelled": {"registration_id": 1, "title": {"fr": TRICKY},
                               "starts_at": "2026-12-01T17:00:00+00:00", "place": "Rue d'Or 1",
                               "seats": 1, "link": "http://x/agenda/r/t/",
                               "session_link": "http://x/agenda/1/"},
    "task_assigned": {"proposal_id": 1, "title": TRICKY, "by": "Julie",
                      "tasks": [{"kind": "meet", "due_on": "2026-12-01"}],
                      "link": "http://x/proposals/tasks/"},
    "booking_booked": {"booking_id": 1, "room": "Salle <1>", "venue": "Maison d'Ici & Là",
                       "workshop": TRICKY, "date": "2026-12-01", "starts": "18:00",
                       "ends": "20:00", "message": "", "portal_path": "/venues/portal/",
                       "bookings_path": "/venues/bookings/"},
}


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("template", sorted(CONTEXTS))
def test_new_messages_are_plain_text(template, language):
    message = Message(recipient=UserFactory(display_name="Amira Haddad"), template=template,
                      context=CONTEXTS[template], language=language)
    rendered = render_message(message)
    for part in ("subject", "body", "sms"):
        assert "&amp;" not in rendered[part] and "&#x27;" not in rendered[part], part
        assert "&lt;" not in rendered[part], part
    assert TRICKY in rendered["body"] or "Salle <1>" in rendered["body"]
    assert "http://x/" in rendered["body"] or "/venues/portal/" in rendered["body"]
