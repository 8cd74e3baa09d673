"""Leaders a coordinator had trusted workshop by workshop (``Workshop.leader_can_schedule``,
removed by proposals 0007) stay trusted, now in the workshop's city."""

from django.db import migrations
from django.utils import timezone


def carry_over(apps, schema_editor):
    Workshop = apps.get_model("proposals", "Workshop")
    LeaderTrust = apps.get_model("autonomy", "LeaderTrust")
    now = timezone.now()
    pairs = set(Workshop.objects.filter(leader_can_schedule=True)
                .values_list("leader_id", "city_id"))
    for leader_id, city_id in sorted(pairs):
        LeaderTrust.objects.get_or_create(
            leader_id=leader_id, city_id=city_id, revoked_at=None,
            defaults={"granted_at": now,
                      "grant_reason": "Carried over from the workshop's former setting."})


class Migration(migrations.Migration):

    dependencies = [
        ("autonomy", "0001_leader_trust"),
        ("proposals", "0006_task_reopened"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
