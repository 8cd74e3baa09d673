"""Two requested-or-confirmed bookings of one room never overlap: the database says so too.

On PostgreSQL an exclusion constraint (btree_gist) over the held range
[blocked_from, blocked_until) is the last line of defence behind the locked check in
``venues.services.booking_request``. SQLite has no exclusion constraints: there the
service's check runs inside an IMMEDIATE transaction, which serialises writers.
"""

from datetime import timedelta

from django.db import migrations

CREATE_SQL = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE venues_booking ADD CONSTRAINT booking_no_overlap
    EXCLUDE USING gist (room_id WITH =, tstzrange(blocked_from, blocked_until, '[)') WITH &&)
    WHERE (status IN ('requested', 'confirmed'));
"""
DROP_SQL = "ALTER TABLE venues_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def fill_blocked_range(apps, schema_editor):
    Booking = apps.get_model("venues", "Booking")
    for booking in Booking.objects.filter(blocked_from__isnull=True):
        booking.blocked_from = booking.starts_at - timedelta(minutes=booking.setup_minutes)
        booking.blocked_until = booking.ends_at + timedelta(minutes=booking.cleanup_minutes)
        booking.save(update_fields=["blocked_from", "blocked_until"])


def add_exclusion_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_exclusion_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):

    dependencies = [
        ("venues", "0002_partners_rooms_openings_materials"),
    ]

    operations = [
        migrations.RunPython(fill_blocked_range, migrations.RunPython.noop),
        migrations.RunPython(add_exclusion_constraint, drop_exclusion_constraint),
    ]
