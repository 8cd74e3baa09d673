from django.core.management.base import BaseCommand
from django.db.models import Q

from interra.credentials import selectors, services


class Command(BaseCommand):
    help = ("Issue the badges leaders have earned and do not hold yet (after data loaded "
            "without signals, or sessions marked held by the reminders job).")

    def handle(self, *args, **options):
        from django.contrib.auth import get_user_model

        workshops = selectors.Workshop.objects.all()
        leaders = get_user_model().objects.filter(
            Q(workshops_led__in=workshops) | Q(workshops_co_led__in=workshops),
            erased_at__isnull=True).distinct()
        issued = sum(len(services.credentials_award_earned(person=person)) for person in leaders)
        self.stdout.write(f"{issued} badge(s) issued")
