"""Impact dashboard and yearly report at scale: 10 cities, 5,000 sessions, 200,000 registrations.

Builds a throw-away SQLite database, fills it with bulk_create, then times (median of a few
runs) the dashboard page through the real view and the yearly report PDF, and prints the
query counts and a baseline (a bare COUNT(*) over registrations, same run, same machine).

    .venv/bin/python bench/impact_scale.py
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="interra-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "interra.config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]  # the bench drives the real views with a test client

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

CITIES, SESSIONS, REGISTRATIONS = 10, 5_000, 200_000
PEOPLE_PER_CITY, WORKSHOPS_PER_CITY = 2_000, 50
YEAR = timezone.localdate().year
RUNS = 5


def build():
    from interra.accounts.models import Group, User
    from interra.agenda.models import Feedback, Registration, Session
    from interra.cities.models import City
    from interra.proposals.models import Proposal, Stage, Theme, Workshop
    from interra.venues.models import Partner, Room, Venue

    rng = random.Random(42)
    groups = [Group.NEWCOMER] * 4 + [Group.LOCAL] * 4 + [Group.UNDISCLOSED] * 2
    cities = City.objects.bulk_create(
        [City(name=f"City {i}", slug=f"city-{i}") for i in range(CITIES)])
    people = User.objects.bulk_create([
        User(email=f"p{i}@bench.example", display_name=f"Person {i}", password="!",
             group=rng.choice(groups)) for i in range(CITIES * PEOPLE_PER_CITY)
    ], batch_size=2000)
    rooms_by_city, workshops_by_city = {}, {}
    for index, city in enumerate(cities):
        pool = people[index * PEOPLE_PER_CITY:(index + 1) * PEOPLE_PER_CITY]
        partner = Partner.objects.create(city=city, name=f"Partner {index}")
        venues = Venue.objects.bulk_create([
            Venue(partner=partner, city=city, name=f"Venue {index}.{v}", address="Rue 1",
                  neighbourhood=f"Quartier {v}") for v in range(4)])
        rooms_by_city[city.pk] = Room.objects.bulk_create(
            [Room(venue=venue, name="Salle", capacity=40) for venue in venues])
        workshops = Workshop.objects.bulk_create([
            Workshop(city=city, leader=pool[w], theme=rng.choice(Theme.values),
                     title={"fr": f"Atelier {w}"}, description={})
            for w in range(WORKSHOPS_PER_CITY)])
        workshops_by_city[city.pk] = (workshops, pool)
        Proposal.objects.bulk_create([
            Proposal(city=city, leader=pool[w], theme=workshop.theme, title={"fr": f"P{w}"},
                     description={}, title_key=f"p{w}", stage=Stage.RUNNING, workshop=workshop)
            for w, workshop in enumerate(workshops)])

    start = timezone.make_aware(datetime(YEAR - 1, 1, 1, 10))
    sessions = []
    for n in range(SESSIONS):
        city = cities[n % CITIES]
        workshops, _pool = workshops_by_city[city.pk]
        starts_at = start + timedelta(days=rng.randrange(730), hours=rng.randrange(9))
        status = rng.choices(["held", "scheduled", "cancelled"], [85, 10, 5])[0]
        sessions.append(Session(
            workshop=rng.choice(workshops), city=city, room=rng.choice(rooms_by_city[city.pk]),
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), capacity=40,
            newcomer_seats_percent=40, local_seats_percent=40,
            hold_release_at=starts_at - timedelta(hours=48), status=status))
    sessions = Session.objects.bulk_create(sessions, batch_size=2000)

    per_session = REGISTRATIONS // SESSIONS
    registrations = []
    people_by_id = {p.pk: p for p in people}
    for session in sessions:
        _workshops, pool = workshops_by_city[session.city_id]
        for person in rng.sample(pool, per_session):
            status = "waitlisted" if rng.random() < 0.05 else "confirmed"
            attended = (rng.random() < 0.85) if session.status == "held" and status == "confirmed" \
                else None
            registrations.append(Registration(
                session=session, person_id=person.pk, group=people_by_id[person.pk].group,
                status=status, attended=attended))
    registrations = Registration.objects.bulk_create(registrations, batch_size=5000)
    Feedback.objects.bulk_create([
        Feedback(registration=r, rating=rng.randint(1, 5))
        for r in registrations if r.attended and rng.random() < 0.3], batch_size=5000)
    return cities


def signed_in_admin_client():
    from django_otp.plugins.otp_static.models import StaticDevice

    from interra.accounts.decorators import PASSWORD_SESSION_KEY
    from interra.accounts.models import User

    admin = User.objects.create_user(email="admin@bench.example", display_name="Admin",
                                     is_network_admin=True)
    device = StaticDevice.objects.create(user=admin, name="bench", confirmed=True)
    client = Client()
    client.force_login(admin)
    session = client.session
    session[PASSWORD_SESSION_KEY] = True
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def timed(func, runs=RUNS):
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            result = func()
            times.append(time.perf_counter() - began)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries, result


def main():
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    build()
    from interra.agenda.models import Registration, Session

    print(f"database {TMP}/bench.sqlite3 built in {time.perf_counter() - began:.1f} s: "
          f"{CITIES} cities, {Session.objects.count()} sessions, "
          f"{Registration.objects.count()} registrations")
    # bulk_create sends no signal: compute the tie meetings the way seed_demo does.
    began = time.perf_counter()
    call_command("rebuild_ties", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from interra.impact.models import TieMeeting

    print(f"rebuild_ties (all cities): {time.perf_counter() - began:.1f} s, "
          f"{TieMeeting.objects.count()} tie meetings")
    began = time.perf_counter()
    call_command("rebuild_ties", "--city", "city-3", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"rebuild_ties --city city-3: {time.perf_counter() - began:.1f} s")
    client = signed_in_admin_client()
    query = {"start": f"{YEAR}-01-01", "end": f"{YEAR + 1}-01-01"}

    baseline, _q, _r = timed(lambda: Registration.objects.count())

    def dashboard():
        response = client.get("/impact/", query)
        assert response.status_code == 200, response.status_code
        return response

    def report():
        response = client.get("/impact/report.pdf", query)
        assert response.status_code == 200, response.status_code
        return response

    from interra.agenda.models import Session
    from interra.impact.tasks import refresh_ties_for_session

    held = Session.objects.filter(status="held").order_by("pk").first()

    def refresh_one_session():
        # What marking attendance enqueues (ImmediateBackend here): recompute and relink.
        return refresh_ties_for_session.enqueue(held.pk)

    def one_city_dashboard():
        return client.get("/impact/", {**query, "city": "city-3"})

    dashboard_s, dashboard_q, response = timed(dashboard)
    city_s, city_q, _r = timed(one_city_dashboard)
    report_s, report_q, pdf = timed(report, runs=3)
    refresh_s, refresh_q, _r = timed(refresh_one_session)
    print(f"baseline COUNT(*) over registrations: {baseline * 1000:.1f} ms")
    print(f"dashboard, all cities, one year:  {dashboard_s:.3f} s, {dashboard_q} queries, "
          f"{dashboard_s / baseline:.0f}x baseline, {len(response.content) // 1024} KiB")
    print(f"dashboard, one city, one year:    {city_s:.3f} s, {city_q} queries, "
          f"{city_s / baseline:.0f}x baseline")
    print(f"yearly report PDF, all cities:    {report_s:.3f} s, {report_q} queries, "
          f"{report_s / baseline:.0f}x baseline, {len(pdf.content) // 1024} KiB")
    print(f"refresh_ties_for_session (one session): {refresh_s * 1000:.1f} ms, "
          f"{refresh_q} queries")
    print("targets: dashboard < 1 s, report < 10 s:",
          "met" if dashboard_s < 1 and report_s < 10 else "NOT met")


if __name__ == "__main__":
    main()
