"""The thresholds are city settings, edited where the city's settings are (the admin)."""

import pytest

from tests.conftest import force_staff_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_thresholds_are_edited_with_the_city(client, city):
    admin = UserFactory(is_staff=True, is_superuser=True, is_network_admin=True)
    force_staff_login(client, admin)
    page = f"/admin/cities/city/{city.pk}/change/"
    response = client.get(page)
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("trust_min_held_sessions", "trust_min_average_feedback",
                 "trust_min_attendance_percent"):
        assert f'name="{name}"' in body
    data = {"name": city.name, "slug": city.slug, "neighbourhoods": "[]",
            "contact_email": "", "time_zone": "Europe/Brussels", "languages": "[]",
            "newcomer_seats_percent": 40, "local_seats_percent": 40,
            "hold_release_hours": 48, "reminder_hours": "[48, 3]",
            "trust_min_held_sessions": 6, "trust_min_average_feedback": "4.5",
            "trust_min_attendance_percent": 80,
            "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0,
            "memberships-MIN_NUM_FORMS": 0, "memberships-MAX_NUM_FORMS": 0}
    response = client.post(page, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    city.refresh_from_db()
    assert (city.trust_min_held_sessions, str(city.trust_min_average_feedback),
            city.trust_min_attendance_percent) == (6, "4.5", 80)
    data["trust_min_average_feedback"] = "6"  # out of 1 to 5: refused, nothing changes
    assert client.post(page, data).status_code == 200
    city.refresh_from_db()
    assert str(city.trust_min_average_feedback) == "4.5"
