"""The demo's two trusted leaders (chosen in proposals' demo): Julie confirmed them."""

from datetime import timedelta

from django.utils import timezone

from .models import LeaderTrust

ORDER = 60  # after the agenda: their sessions are held by then


def seed(ctx):
    julie = ctx["coordinators"][0]
    for workshop in ctx.get("trusted_workshops", []):
        LeaderTrust.objects.get_or_create(
            leader=workshop.leader, city=workshop.city, revoked_at=None,
            defaults={"granted_by": julie,
                      "granted_at": timezone.now() - timedelta(days=20),
                      "grant_reason": "Ateliers réguliers, retours excellents."})
