import time

from django.core.management.base import BaseCommand, CommandError

from interra.cities.models import City
from interra.impact import ties


class Command(BaseCommand):
    help = ("Recompute the newcomer-local tie meetings from attendance, for every city or "
            "the ones given. Needed after loading data without signals (bulk_create); "
            "idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--city", action="append", default=[], metavar="SLUG",
                            help="Only this city (repeat for several).")

    def handle(self, *args, city=(), **options):
        city_ids = None
        if city:
            found = dict(City.objects.filter(slug__in=city).values_list("slug", "pk"))
            missing = sorted(set(city) - found.keys())
            if missing:
                raise CommandError(f"Unknown city: {', '.join(missing)}")
            city_ids = list(found.values())
        began = time.perf_counter()
        meetings = ties.rebuild(city_ids=city_ids)
        self.stdout.write(f"{meetings} tie meetings in {time.perf_counter() - began:.1f} s.")
